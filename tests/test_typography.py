"""Each language its own typography: no full-width punctuation on an English page outside
Japanese text (the site's own words come from i18n, none are hard-coded in templates), and
an English site's 新旧対照表 puts the old text first, as English redlines do."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from projects import make_project, version_text, write
from support.building import build_project

from policy_archive.foundation.resources import BUILTIN_TEMPLATES

REAL = Path("/work/shared/fixtures/github-privacy-en")
FULL_WIDTH = re.compile("[\u3000-\u303f\uff00-\uffef]")
JAPANESE = re.compile("[\u3040-\u30ff\u3400-\u9fff]")


def _stray(html: str) -> list[str]:
    """Full-width punctuation with no Japanese letter beside it, in context."""
    text = re.sub(r"<[^>]*>", "", html)
    return [text[max(0, m.start() - 20):m.end() + 20] for m in FULL_WIDTH.finditer(text)
            if not JAPANESE.search(text[max(0, m.start() - 1):m.end() + 1])]


@pytest.fixture(scope="module")
def english_sites(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    tmp = tmp_path_factory.mktemp("typography")
    own = make_project(tmp / "own", {"privacy": {
        "2020-01-01": "# Privacy\n\nWe keep records for 90 days.\n",
        "2021-06-01": "# Privacy\n\nWe keep records for 30 days.\n"}}, language="en")
    write(own / "versions" / "privacy" / "2021-06-01.md", version_text(
        "2021-06-01", "# Privacy\n\nWe keep records for 30 days.\n", announced="2021-05-01",
        summary="Shorter."))
    sites = [(own, tmp / "own-site")]
    if REAL.is_dir():
        shutil.copytree(REAL, tmp / "real", ignore=shutil.ignore_patterns(".cache", "site"))
        sites.append((tmp / "real", tmp / "real-site"))
    for root, out in sites:
        build_project(root, out, "2026-11-26")
    return [out for _, out in sites]


def test_no_full_width_punctuation_on_english_pages(english_sites: list[Path]) -> None:
    found = {}
    for site in english_sites:
        for page in sorted(site.rglob("*.html")):
            stray = _stray(page.read_text("utf-8"))
            if stray:
                found[str(page.relative_to(site.parent))] = stray[:3]
    assert found == {}
    diff = (english_sites[0] / "privacy" / "diff" / "2020-01-01" / "2021-06-01" /
            "index.html").read_text("utf-8")
    assert '<span class="hint">(Announced: 1 May 2021)</span>' in diff
    version = (english_sites[0] / "privacy" / "index.html").read_text("utf-8")
    assert "Previous version (1 Jan 2020 – 31 May 2021)</a>" in version


def test_no_template_hard_codes_full_width_punctuation() -> None:
    for template in sorted(BUILTIN_TEMPLATES.glob("*.html")):
        assert not FULL_WIDTH.search(template.read_text("utf-8")), template.name


def test_an_english_comparison_table_puts_the_old_text_first(english_sites: list[Path]
                                                             ) -> None:
    table = (english_sites[0] / "privacy" / "diff" / "2020-01-01" / "2021-06-01" / "table" /
             "index.html").read_text("utf-8")
    heads = re.findall(r"<th[^>]*>(Before|Amended)", table)
    assert heads[:2] == ["Before", "Amended"], heads
