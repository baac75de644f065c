"""The search page and ``log -S`` agree: each phrase of a table (English and Japanese; cases,
widths, spaces, ruby words as printed, a line break) typed into the search page in Chromium
lists the versions, with their counts of matches, that ``log -S`` counts and that the test
computes from the version files itself (tests/support/reader_project.py)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from support.building import run_in_process
from support.reader_project import PHRASES, built_project, counts_from_log, expected_counts

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return built_project(tmp_path_factory.mktemp("reader-search"))


_FOUND = """() => Array.from(document.querySelectorAll('.search-version')).map(li => [
  li.querySelector('h3 a').getAttribute('href'),
  li.querySelector('.search-meta').textContent])"""


def _search(page: Any, phrase: str) -> dict[tuple[str, str], int]:
    """Type ``phrase``, press Enter: (slug, date) → the matches the page counts there."""
    page.evaluate("() => { document.querySelector('[data-search-status]').textContent = ''; }")
    page.fill("input[name=q]", phrase)
    page.press("input[name=q]", "Enter")
    page.wait_for_function(
        "() => { const s = document.querySelector('[data-search-status]').textContent;"
        " return s && !/…$/.test(s); }")
    found = {}
    for href, meta in page.evaluate(_FOUND):
        slug, date = href.strip("/").split("/")[-2:]
        found[slug, date] = int(re.findall(r"(\d+)か所", meta)[-1])
    return found


def _log(root: Path, phrase: str) -> dict[tuple[str, str], int]:
    done = run_in_process("log", "--root", str(root), "-S", phrase, "--format", "json")
    assert done.code == 0, done.err
    return counts_from_log(json.loads(done.out)["versions"])


def test_search_page_and_log_s_agree_on_every_phrase(
        new_page: Callable[..., Any], site_server: Callable[..., Any],
        project: tuple[Path, Path]) -> None:
    root, out = project
    page, log = new_page()
    disagree = []
    with site_server(out, "/") as server:
        page.goto(server.url("search/"))
        for phrase in PHRASES:
            want = expected_counts(phrase)
            got, counted = _search(page, phrase), _log(root, phrase)
            if not got == counted == want:
                disagree.append((phrase, want, got, counted))
    assert disagree == []
    assert log.problems() == []


def test_excerpts_read_as_the_page_does(new_page: Callable[..., Any],
                                        site_server: Callable[..., Any],
                                        project: tuple[Path, Path]) -> None:
    _, out = project
    page, log = new_page()
    with site_server(out, "/") as server:
        page.goto(server.url("search/"))
        assert set(_search(page, "described below")) == {
            ("terms", d) for d in ("2021-01-01", "2022-01-01", "2023-01-01")}
        excerpt = page.text_content(".search-excerpt") or ""
        assert excerpt.startswith("Service. As described below")
        assert _search(page, "珪弗化ナトリウム")
        # the word as printed, its reading above it as the page shows it, not glued in
        printed = page.evaluate("""() => { const p = document.querySelector('.search-excerpt')
          .cloneNode(true); p.querySelectorAll('rt').forEach(rt => rt.remove());
          return [p.textContent, p.querySelector('mark').textContent]; }""")
        assert "珪弗化ナトリウム及び砒素若しくはその化合物" in printed[0]
        assert printed[1] == "珪弗化ナトリウム"
        assert page.evaluate("""() => Array.from(document.querySelector('.search-excerpt')
          .querySelectorAll('ruby'), r => [r.firstChild.textContent,
                                           r.querySelector('rt').textContent])""") == [
            ["珪弗", "けいふつ"], ["砒", "ひ"]]
        assert _search(page, "𠮷野事業所")  # a character outside the BMP before the reading
        assert page.evaluate("""() => { const r = document.querySelector('.search-excerpt ruby');
          return [r.firstChild.textContent, r.querySelector('rt').textContent]; }""") == [
            "𠮷", "よし"]
    assert log.problems() == []
