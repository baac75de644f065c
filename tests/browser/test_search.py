"""The search page, driven in Chromium: a phrase typed in finds exactly the versions whose
published text contains it, in Japanese (the sample) and in English (a project made here,
and the real GitHub history where ``../shared`` has it); filters, excerpts, links, the
address of a search, and the page without JavaScript.

What "contains" means is computed here independently, from each version page's
``data-policy-text``: the phrase, with case, width and white space folded, inside one
block (paragraph, heading, list item, table row) of the page.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from contract import find, parse, policy_text
from projects import make_project
from support.building import build_project, github_built
from support.serving import SiteServer

pytestmark = pytest.mark.browser

BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "dt", "dd", "blockquote"}


def _fold(text: str) -> str:
    out = "".join(unicodedata.normalize("NFKC", ch).lower() for ch in text)
    return re.sub(r"\s+", " ", out).strip()


def _text(node: Any) -> str:
    """What a reader reads in ``node``: not the hidden "last changed" marks beside headings."""
    parts = [node.text or ""]
    for child in node:
        if isinstance(child.tag, str) and child.get("aria-hidden") != "true":
            parts.append(_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _blocks(el: Any) -> Iterator[str]:
    """The text of each innermost block element of a version's text."""
    for node in el.iter():
        if isinstance(node.tag, str) and node.tag in BLOCKS and not any(
                isinstance(c.tag, str) and c.tag in BLOCKS for c in node.iter() if c is not node):
            if node.tag == "tr":  # cells are apart
                yield " ".join(_text(c) for c in node if isinstance(c.tag, str))
            else:
                yield _text(node)


def containing(site: Path, phrase: str) -> set[str]:
    """Version pages (``slug/date/``) of ``site`` whose policy text holds ``phrase``: its
    words in order, with a space or none between them."""
    wanted = re.compile(" ?".join(re.escape(w) for w in _fold(phrase).split(" ")))
    found = set()
    for page in sorted(site.glob("*/[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]/index.html")):
        text = find(parse(page.read_text("utf-8")), "data-policy-text")[0]
        if any(wanted.search(_fold(b)) for b in _blocks(text)):
            found.add(f"{page.parent.parent.name}/{page.parent.name}/")
    return found


def search(page: Any, server: SiteServer, phrase: str, **filters: str) -> set[str]:
    """Type ``phrase`` into the search page, press Enter; the versions listed (slug/date/)."""
    page.goto(server.url("search/"))
    for name, value in filters.items():
        page.select_option(f"select[name={name}]", value)
    page.fill("input[name=q]", phrase)
    page.press("input[name=q]", "Enter")
    page.wait_for_function(
        "() => { const s = document.querySelector('[data-search-status]').textContent;"
        " return s && !/…$/.test(s); }")
    hrefs = page.eval_on_selector_all(".search-version h3 a", "els => els.map(e => e.href)")
    return {h.split(server.base_url, 1)[1] for h in hrefs}


@pytest.fixture(scope="module")
def english(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_project(tmp_path_factory.mktemp("en-search") / "project", {"privacy": {
        "2021-01-01": "# Privacy\n\n## Contact\n\nWrite to our team about personal data.\n",
        "2022-01-01": "# Privacy\n\n## Contact\n\nWrite to our Data Protection Officer about "
                      "personal data.\n\n| Role | Address |\n|---|---|\n| DPO | 1 Main St |\n",
        "2023-01-01": "# Privacy\n\n## Contact\n\nWrite to our privacy team about personal "
                      "data.\n",
    }}, language="en")
    out = root.parent / "site"
    build_project(root, out)
    return out


@pytest.fixture(scope="module")
def github_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return github_built(tmp_path_factory)[1]


@pytest.mark.parametrize("phrase", ["LINEアカウント", "個人情報", "ＬＩＮＥ　アカウント",
                                    "この一文はどの版にもない"])
def test_japanese_phrase_finds_exactly_the_versions_holding_it(
        new_page: Callable[..., Any], sample_server: SiteServer, sample_site: Path,
        phrase: str) -> None:
    page, log = new_page()
    got = search(page, sample_server, phrase)
    assert got == containing(sample_site, phrase)
    assert log.problems() == []


def test_a_phrase_added_in_one_version_finds_only_that_version(
        new_page: Callable[..., Any], sample_server: SiteServer) -> None:
    page, _ = new_page()
    assert search(page, sample_server, "LINEアカウント") == {"privacy/2023-04-14/"}
    status = page.text_content("[data-search-status]") or ""
    assert "LINEアカウント" in status and "1版" in status
    marks = page.eval_on_selector_all(".search-excerpt mark", "els => els.map(e => e.textContent)")
    assert marks and set(marks) == {"LINEアカウント"}
    # The excerpt's section link opens the version at that section.
    section = page.get_attribute(".search-section", "href") or ""
    page.click(".search-section")
    anchor = unquote(section.split("#", 1)[1])
    assert unquote(page.url).endswith("privacy/2023-04-14/#" + anchor)
    assert page.locator(f"[data-policy-text] [id='{anchor}']").count() == 1


def test_filters_and_the_address_of_a_search(
        new_page: Callable[..., Any], sample_server: SiteServer, sample_site: Path) -> None:
    page, _ = new_page()
    everywhere = containing(sample_site, "個人情報")
    past = search(page, sample_server, "個人情報", status="past")
    assert past and past < everywhere and "privacy/2023-04-14/" not in past
    # The address keeps the search: opened again, it shows the same versions.
    assert "q=" in page.url and "status=past" in page.url
    again, _ = new_page()
    again.goto(page.url)
    again.wait_for_selector(".search-version")
    hrefs = again.eval_on_selector_all(".search-version h3 a", "els => els.map(e => e.href)")
    assert {h.split(sample_server.base_url, 1)[1] for h in hrefs} == past
    assert again.input_value("input[name=q]") == "個人情報"


@pytest.mark.parametrize("phrase", ["Data Protection Officer", "personal   DATA", "DPO 1 Main",
                                    "privacy team"])
def test_english_phrase_finds_exactly_the_versions_holding_it(
        new_page: Callable[..., Any], site_server: Callable[..., Any], english: Path,
        phrase: str) -> None:
    page, log = new_page(locale="en-GB")
    with site_server(english, "/") as server:
        got = search(page, server, phrase)
    assert got == containing(english, phrase)
    assert got  # every phrase here is in some version
    assert log.problems() == []


def test_english_phrase_added_once(new_page: Callable[..., Any],
                                   site_server: Callable[..., Any], english: Path) -> None:
    page, _ = new_page(locale="en-GB")
    with site_server(english, "/") as server:
        assert search(page, server, "data protection officer") == {"privacy/2022-01-01/"}
        assert "1 version of 1 document" in (page.text_content("[data-search-status]") or "")


@pytest.mark.parametrize("phrase", ["GitHub Privacy Statement", "personal data",
                                    "Data Protection Officer", "cookie"])
def test_real_history(new_page: Callable[..., Any], site_server: Callable[..., Any],
                      github_site: Path, phrase: str) -> None:
    page, log = new_page(locale="en-GB")
    with site_server(github_site, "/") as server:
        assert search(page, server, phrase) == containing(github_site, phrase)
    assert log.problems() == []


def test_without_javascript_the_page_says_what_it_needs(
        new_page: Callable[..., Any], sample_server: SiteServer) -> None:
    page, _ = new_page(java_script_enabled=False)
    page.goto(sample_server.url("search/"))
    assert page.is_visible("[data-search-fallback]")
    assert not page.is_visible("form[data-search]")
    page.click("[data-search-fallback] a")
    assert page.url.endswith("privacy/versions/")


def test_index_holds_each_version_text_and_nothing_else(sample_site: Path) -> None:
    """Only the policy text is indexed, all of it: each version's blocks, joined, are the
    text of its page's data-policy-text."""
    index = json.loads((sample_site / "search" / "privacy.json").read_text("utf-8"))
    listed = json.loads((sample_site / "versions.json").read_text("utf-8"))
    doc = next(d for d in listed["documents"] if d["slug"] == "privacy")
    assert [v["key"] for v in index["versions"]] == \
        sorted((v["effective"] for v in doc["versions"]), reverse=True)
    for v in index["versions"]:
        whole = policy_text(sample_site / v["url"] / "index.html")
        joined = re.sub(r"\s+", "", "".join(index["texts"][t] for t, _ in v["blocks"]))
        assert joined == whole, v["key"]
