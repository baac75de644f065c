"""``paper: a4 | letter`` (issue 40): the 新旧対照表 and the redline, in Word and in PDF, on
the project's paper (by default a4 for a Japanese site, letter for an English one), and
``diff --paper`` over the project's setting; a wrong value is an error at its line."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from projects import make_project, write
from support.building import run_in_process

docx = pytest.importorskip("docx")
pypdf = pytest.importorskip("pypdf")

OLD = """# Data Retention Policy

## 1. Scope

This policy covers the personal data we hold about customers.

## 2. Retention

We keep account records for five years after the account closes.
"""
NEW = OLD.replace("five years", "three years").replace(
    "customers.", "customers and suppliers.")

#: Each paper in PDF points (1/72 in), portrait: A4 210 x 297 mm, Letter 8.5 x 11 in.
POINTS = {"a4": (595, 842), "letter": (612, 792)}
#: The same in Word's twentieths of a point.
TWIPS = {"a4": (11906, 16838), "letter": (12240, 15840)}


@pytest.fixture(scope="module")
def projects(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """An English and a Japanese project with no ``paper``, and an English one set to a4."""
    base = tmp_path_factory.mktemp("paper")
    versions = {"retention": {"2022-04-01": OLD, "2023-04-14": NEW}}
    out = {lang: make_project(base / lang, versions, language=lang) for lang in ("en", "ja")}
    out["en-a4"] = make_project(base / "en-a4", versions, language="en")
    site = out["en-a4"] / "content" / "site.yaml"
    write(site, site.read_text(encoding="utf-8") + "paper: a4\n")
    return out


def export(root: Path, fmt: str, view: str, *extra: str) -> bytes:
    out = root.parent / f"{root.name}-{view}.{fmt}"
    r = run_in_process("diff", "retention@2022-04-01", "retention@2023-04-14", "--root",
                       str(root), "--format", fmt, "--view", view, "-o", str(out), *extra)
    assert r.code == 0, r.err
    return out.read_bytes()


def pdf_size(data: bytes) -> tuple[int, int]:
    box = pypdf.PdfReader(io.BytesIO(data)).pages[0].mediabox
    return round(float(box.width)), round(float(box.height))


def docx_size(data: bytes) -> tuple[int, int]:
    section = docx.Document(io.BytesIO(data)).sections[0]
    return section.page_width.twips, section.page_height.twips


def landscape(size: tuple[int, int]) -> tuple[int, int]:
    return size[1], size[0]


# (project, extra arguments, the paper expected)
CASES = [("ja", (), "a4"), ("en", (), "letter"), ("en-a4", (), "a4"),
         ("ja", ("--paper", "letter"), "letter")]


@pytest.mark.parametrize(("project", "extra", "paper"), CASES)
def test_the_word_files_are_on_the_projects_paper(projects: dict[str, Path], project: str,
                                                  extra: tuple[str, ...], paper: str) -> None:
    table = export(projects[project], "docx", "table", *extra)
    assert docx_size(table) == landscape(TWIPS[paper])  # the 新旧対照表: landscape
    redline = export(projects[project], "docx", "redline", *extra)
    assert docx_size(redline) == TWIPS[paper]  # the redline: portrait


@pytest.mark.parametrize(("project", "extra", "paper"),
                         [CASES[0], CASES[1], CASES[3]])
def test_the_pdfs_are_on_the_projects_paper(projects: dict[str, Path], project: str,
                                            extra: tuple[str, ...], paper: str) -> None:
    assert pdf_size(export(projects[project], "pdf", "table", *extra)) == \
        landscape(POINTS[paper])
    assert pdf_size(export(projects[project], "pdf", "redline", *extra)) == POINTS[paper]


def test_a_paper_that_is_neither_is_an_error_at_its_line(tmp_path: Path) -> None:
    root = make_project(tmp_path / "proj", language="en")
    site = root / "content" / "site.yaml"
    text = site.read_text(encoding="utf-8")
    write(site, text + "paper: A5\n")
    line = text.count("\n") + 1
    r = run_in_process("check", "--root", str(root))
    assert r.code == 1
    assert f"content/site.yaml:{line}: 'paper' must be 'a4' or 'letter', not 'A5'" in r.err
    assert "Traceback" not in r.err


def test_the_built_site_offers_files_on_its_paper_and_links_the_letter_sheet(
        tmp_path: Path) -> None:
    """An English site's downloads are Letter; its pages link the Letter print sheets (a
    Japanese site's link and copy neither: its pages stay as they were)."""
    root = make_project(tmp_path / "proj", {"retention": {"2022-04-01": OLD,
                                                          "2023-04-14": NEW}}, language="en")
    site = root / "content" / "site.yaml"
    write(site, site.read_text(encoding="utf-8") + "downloads: [docx, redline-pdf]\n")
    out = tmp_path / "site"
    r = run_in_process("build", "--root", str(root), "--out", str(out), "--as-of",
                       "2026-11-26", "-q")
    assert r.code == 0, r.err
    table = out / "retention" / "diff" / "2022-04-01" / "2023-04-14" / "table"
    assert docx_size((table / "retention_2022-04-01_2023-04-14.docx").read_bytes()) == \
        landscape(TWIPS["letter"])
    assert pdf_size(next(out.rglob("*_redline.pdf")).read_bytes()) == POINTS["letter"]
    page = (table / "index.html").read_text(encoding="utf-8")
    assert "static/print-letter." in page and "static/print-letter-landscape." in page
    assert "static/print-letter." in (out / "retention" / "index.html").read_text("utf-8")
    assert sorted(p.name.split(".")[0] for p in (out / "static").glob("print-letter*")) == \
        ["print-letter", "print-letter-landscape"]


def test_a_japanese_site_links_and_copies_no_letter_sheet(tmp_path: Path) -> None:
    root = make_project(tmp_path / "proj", {"retention": {"2022-04-01": OLD,
                                                          "2023-04-14": NEW}})
    out = tmp_path / "site"
    r = run_in_process("build", "--root", str(root), "--out", str(out), "--as-of",
                       "2026-11-26", "-q")
    assert r.code == 0, r.err
    assert not list((out / "static").glob("print-letter*"))
    table = out / "retention" / "diff" / "2022-04-01" / "2023-04-14" / "table" / "index.html"
    assert "print-landscape." in table.read_text(encoding="utf-8")
    assert not any("print-letter" in p.read_text(encoding="utf-8") for p in out.rglob("*.html"))
