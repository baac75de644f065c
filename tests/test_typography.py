"""Each language its own typography: no full-width punctuation on an English page outside
Japanese text (the site's own words come from i18n, none are hard-coded in templates), and
an English site's 新旧対照表 puts the old text first, as English redlines do. (The real
English fixtures are checked on the sites tests/test_real_content.py builds.)"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from contract import stray_full_width
from projects import make_project, version_text, write
from support.building import build_project

from policy_archive.foundation.resources import BUILTIN_TEMPLATES

FULL_WIDTH = re.compile("[\u3000-\u303f\uff00-\uffef]")
DIFF = Path("privacy", "diff", "2020-01-01", "2021-06-01")


@pytest.fixture(scope="module")
def english_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    own = make_project(tmp_path_factory.mktemp("typography") / "own", {"privacy": {
        "2020-01-01": "# Privacy\n\nWe keep records for 90 days.\n",
        "2021-06-01": "# Privacy\n\nWe keep records for 30 days.\n"}}, language="en")
    write(own / "versions" / "privacy" / "2021-06-01.md", version_text(
        "2021-06-01", "# Privacy\n\nWe keep records for 30 days.\n", announced="2021-05-01",
        summary="Shorter."))
    build_project(own, own.parent / "site", "2026-11-26")
    return own.parent / "site"


def test_no_full_width_punctuation_on_english_pages(english_site: Path) -> None:
    found = {page.relative_to(english_site).as_posix(): stray_full_width(page.read_text())[:3]
             for page in sorted(english_site.rglob("*.html"))}
    assert {k: v for k, v in found.items() if v} == {}
    diff = (english_site / DIFF / "index.html").read_text("utf-8")
    assert '<span class="hint">(Announced: 1 May 2021)</span>' in diff
    version = (english_site / "privacy" / "index.html").read_text("utf-8")
    assert "Previous version (1 Jan 2020 – 31 May 2021)</a>" in version


def test_no_template_hard_codes_full_width_punctuation() -> None:
    for template in sorted(BUILTIN_TEMPLATES.glob("*.html")):
        assert not FULL_WIDTH.search(template.read_text("utf-8")), template.name


def test_an_english_comparison_table_puts_the_old_text_first(english_site: Path) -> None:
    table = (english_site / DIFF / "table" / "index.html").read_text("utf-8")
    heads = re.findall(r"<th[^>]*>(Before|Amended)", table)
    assert heads[:2] == ["Before", "Amended"], heads
