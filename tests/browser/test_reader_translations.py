"""Translated pages in the browser: valid HTML, no broken links, axe, 375 px, and the language
switch keeping the section (the project of tests/projects.py: a Japanese original with
English translations, one version untranslated)."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

import pytest
from projects import make_translated_project
from test_reader_html import broken_links

BASE_URL = "https://example.org/legal/"
PREFIX = "/legal/"
SERIOUS = ("serious", "critical")
PHONE = {"width": 375, "height": 812}

KINDS = {
    "en-start": "en/",
    "en-current": "en/privacy/",
    "en-past": "en/privacy/2019-04-01/",
    "en-untranslated": "en/privacy/2021-04-01/",
    "en-archive": "en/privacy/versions/",
    "en-compare": "en/privacy/compare/",
    "en-diff": "en/privacy/diff/2019-04-01/2020-04-01/",
    "en-diff-side-by-side": "en/privacy/diff/2019-04-01/2020-04-01/side-by-side/",
    "en-diff-table": "en/privacy/diff/2019-04-01/2020-04-01/table/",
    "ja-current": "privacy/",
    "ja-past": "privacy/2021-04-01/",
}


@pytest.fixture(scope="module")
def translated_site(tmp_path_factory: pytest.TempPathFactory,
                    build_site: Callable[..., Any]) -> Path:
    root = make_translated_project(tmp_path_factory.mktemp("translated") / "p")
    out = root.parent / "site"
    build_site(root, out)
    return out


@pytest.fixture(scope="module")
def server(translated_site: Path, site_server: Callable[..., Any]) -> Iterator[Any]:
    with site_server(translated_site, PREFIX) as s:
        yield s


def test_translated_pages_are_valid_html(translated_site: Path, vnu: list[str]) -> None:
    files = sorted(translated_site.rglob("*.html")) + sorted(translated_site.rglob("*.css"))
    assert any("/en/" in str(f) for f in files)
    done = subprocess.run([*vnu, "--errors-only", "--also-check-css", "--format", "json",
                           *map(str, files)], capture_output=True, text=True, timeout=600)
    report = json.loads(done.stderr or done.stdout)
    errors = [f"{urlsplit(m.get('url', '')).path.replace(str(translated_site), '')}:"
              f"{m.get('lastLine', '?')}: {m.get('message')}"
              for m in report["messages"] if m.get("type") != "info"]
    assert errors == [], "\n".join(errors[:40])


def test_translated_site_has_no_broken_links(translated_site: Path) -> None:
    problems, checked = broken_links(translated_site, BASE_URL)
    assert problems == [], "\n".join(problems[:40])
    assert checked > 300


def test_translated_pages_have_a_self_only_csp(translated_site: Path,
                                               check_csp: Any) -> None:
    problems = [f"{f.relative_to(translated_site)}: {p}"
                for f in sorted(translated_site.rglob("*.html"))
                for p in check_csp(f.read_text(encoding="utf-8"))]
    assert problems == []


@pytest.mark.parametrize("kind", list(KINDS))
def test_axe_finds_no_serious_problem_on_translated_pages(kind: str, server: Any,
                                                          new_page: Any, axe_js: Path) -> None:
    page, log = new_page(bypass_csp=True, locale="en-GB")
    page.goto(server.url(KINDS[kind]))
    page.add_script_tag(path=str(axe_js))
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
    }""")
    serious = [v for v in result if v["impact"] in SERIOUS]
    assert serious == [], f"{kind}: {serious}"
    assert log.problems() == []


@pytest.mark.parametrize("kind", list(KINDS))
def test_translated_pages_do_not_scroll_sideways_at_375_px(kind: str, server: Any,
                                                           new_page: Any) -> None:
    page, log = new_page(viewport=PHONE)
    response = page.goto(server.url(KINDS[kind]))
    assert response is not None and response.status == 200
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{kind}: scrollWidth {width}"
    assert page.locator(".language-switch a").count() == 2
    assert log.problems() == []


def _fragment(url: str) -> str:
    return unquote(urlsplit(url).fragment)


@pytest.mark.parametrize(("start", "section", "language", "lands", "expected"), [
    ("privacy/", "第3条-利用目的", "English", "en/privacy/", "article-3-purposes-of-use"),
    ("en/privacy/", "article-4-third-parties", "日本語", "privacy/", "第4条-第三者提供"),
    ("privacy/2020-04-01/", "第2条-取得する情報", "English", "en/privacy/2020-04-01/",
     "article-2-information-we-collect"),
    ("privacy/2022-04-01/", "provenance", "English", "en/privacy/2022-04-01/", "provenance"),
])
def test_the_switch_keeps_the_section(start: str, section: str, language: str, lands: str,
                                      expected: str, server: Any, new_page: Any) -> None:
    page, log = new_page()
    page.goto(server.url(start) + "#" + quote(section))
    page.locator(".language-switch a", has_text=language).click()
    page.wait_for_url(lambda url: urlsplit(url).path == PREFIX + lands)
    assert _fragment(page.url) == expected
    target = page.evaluate("decodeURIComponent(location.hash.slice(1))")
    assert page.locator(f"[id='{target}']").count() == 1
    box = page.evaluate(f"""() => ({{top: document.getElementById({json.dumps(target)})
        .getBoundingClientRect().top, height: innerHeight, scrolled: scrollY}})""")
    assert box["scrolled"] > 0 and -2 <= box["top"] < box["height"], (
        f"the section is not scrolled into view: {box}")
    assert log.problems() == []


def test_the_switch_without_a_section_opens_the_same_version(server: Any,
                                                             new_page: Any) -> None:
    page, log = new_page()
    page.goto(server.url("privacy/2021-04-01/"))
    page.locator(".language-switch a", has_text="English").click()
    page.wait_for_url(lambda url: urlsplit(url).path == PREFIX + "en/privacy/2021-04-01/")
    assert _fragment(page.url) == ""
    assert page.locator("[data-untranslated]").count() == 1
    assert page.locator("html").get_attribute("lang") == "en"
    assert log.problems() == []
