"""The site offers the redline as files when ``downloads`` asks for them (issue 37): Word
with tracked changes and PDF on the redline page, the 新旧対照表's files on the table page."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from projects import make_project
from support.building import build_project

pypdf = pytest.importorskip("pypdf")

OLD = """# Acceptable Use Policy

## 1. Conduct

You must not send unsolicited bulk messages.

## 2. Enforcement

We may remove content that breaks this policy.
"""
NEW = OLD.replace("bulk messages.", "bulk messages or automated requests.")
DIFF = "aup/diff/2024-02-01/2024-09-15/"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_project(tmp_path_factory.mktemp("downloads") / "project",
                        {"aup": {"2024-02-01": OLD, "2024-09-15": NEW}},
                        titles={"aup": "Acceptable Use Policy"}, language="en")
    with (root / "content" / "site.yaml").open("a", encoding="utf-8") as f:
        f.write("downloads: [docx, redline-docx, redline-pdf]\n")
    r = build_project(root, root.parent / "site", "2024-10-01")
    assert r.code == 0, r.err
    return root.parent / "site"


def offered(page: Path) -> list[str]:
    found = re.search(r'<p class="downloads[^"]*">(.*?)</p>', page.read_text("utf-8"))
    return re.findall(r'href="([^"]+)" download', found[1]) if found else []


def test_the_redline_page_offers_the_redline_and_the_table_page_the_table(site: Path) -> None:
    assert offered(site / DIFF / "index.html") == [
        "table/aup_2024-02-01_2024-09-15_redline.docx",
        "table/aup_2024-02-01_2024-09-15_redline.pdf"]
    assert offered(site / DIFF / "table" / "index.html") == ["aup_2024-02-01_2024-09-15.docx"]
    assert offered(site / DIFF / "side-by-side" / "index.html") == []


def test_the_offered_files_are_the_redline(site: Path) -> None:
    folder = site / DIFF / "table"
    with zipfile.ZipFile(folder / "aup_2024-02-01_2024-09-15_redline.docx") as z:
        xml = z.read("word/document.xml").decode("utf-8")
    assert re.findall(r"<w:ins [^>]*>.*?<w:t[^>]*>([^<]*)</w:t>", xml) == [
        " or automated requests"]
    pdf = pypdf.PdfReader(io.BytesIO((folder / "aup_2024-02-01_2024-09-15_redline.pdf")
                                     .read_bytes()))
    text = " ".join(" ".join(p.extract_text().split()) for p in pdf.pages)
    assert "Acceptable Use Policy: redline" in text
    assert "List of changes (1) Change 1: changed — 1. Conduct" in text
