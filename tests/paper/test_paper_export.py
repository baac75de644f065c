"""The 新旧対照表 to circulate (issue 17): Word and PDF exports, drafts under review as
改正案 / 現行, the conventions of practice, and the site's download files."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from projects import make_project, write
from support.building import run_in_process

docx = pytest.importorskip("docx")
pypdf = pytest.importorskip("pypdf")

# A small 規程 amended once: 第2条 gains words, 第3条 is new (two paragraphs), 第4条 (old) is
# deleted, and 第5条 keeps its text. The changed characters are known exactly.
OLD = """# 個人情報取扱規程

## 第1条（目的）

この規程は、個人情報の取扱いについて定める。

## 第2条（管理）

当社は、個人情報を適切に管理する。

## 第4条（廃止される条）

この条は廃止される。

## 第5条（改廃）

この規程の改廃は、取締役会が行う。
"""
NEW = """# 個人情報取扱規程

## 第1条（目的）

この規程は、個人情報の取扱いについて定める。

## 第2条（管理）

当社は、個人情報を適切かつ安全に管理する。

## 第3条（委託）

当社は、個人情報の取扱いを委託することがある。

委託先は、当社が監督する。

## 第5条（改廃）

この規程の改廃は、取締役会が行う。
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "proj", {"rules": {"2022-04-01": OLD, "2023-04-14": NEW}},
                        titles={"rules": "個人情報取扱規程"})


def export(project: Path, fmt: str, *refs: str, view: str | None = None) -> bytes:
    out = project.parent / f"out.{fmt}"
    args = ["diff", *(refs or ("rules@2022-04-01", "rules@2023-04-14")), "--root",
            str(project), "--format", fmt, "-o", str(out)]
    r = run_in_process(*args, *(["--view", view] if view else []))
    assert r.code == 0, r.err
    return out.read_bytes()


def underlined(document: object) -> list[str]:
    return [run.text for table in document.tables for row in table.rows  # type: ignore[attr-defined]
            for cell in row.cells for p in cell.paragraphs for run in p.runs
            if run.font.underline]


def cell_texts(document: object) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in document.tables[0].rows]  # type: ignore[attr-defined]


def test_the_word_table_of_a_known_amendment(project: Path) -> None:
    data = export(project, "docx")
    document = docx.Document(io.BytesIO(data))
    section = document.sections[0]
    assert section.page_width > section.page_height  # landscape
    assert round(section.page_width.mm) == 297 and round(section.page_height.mm) == 210
    rows = cell_texts(document)
    assert rows[0] == ["改正後（2023年4月14日施行）", "改正前（2022年4月1日施行）"]
    header = document.tables[0].rows[0]._tr
    assert header.xpath("./w:trPr/w:tblHeader"), "the header row repeats on every page"
    # Exactly the changed characters are underlined: the words added to 第2条, the new
    # article, the deleted one.
    marked = underlined(document)
    assert marked[0] == "かつ安全"
    assert sorted(marked[1:]) == sorted([
        "第3条（委託）", "当社は、個人情報の取扱いを委託することがある。", "委託先は、当社が監督する。",
        "第4条（廃止される条）", "この条は廃止される。"])
    flat = [cell for row in rows for cell in row]
    assert flat.count("（新設）") == 1 and flat.count("（削る）") == 1
    assert "（削除）" not in "".join(flat)
    assert ["第2条（管理）", "第2条（管理）"] in rows  # the heading of a changed article
    assert "第1条（目的）" not in "".join(flat) and "取締役会" not in "".join(flat)
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "個人情報取扱規程 新旧対照表"
    assert "（傍線部分は改正部分）" in texts
    assert export(project, "docx") == data  # the same bytes for the same input


def test_the_pdf_is_a4_landscape_with_the_table_text(project: Path) -> None:
    data = export(project, "pdf")
    reader = pypdf.PdfReader(io.BytesIO(data))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)
    text = re.sub(r"\s+", "", "".join(p.extract_text() for p in reader.pages))
    for expected in ("個人情報取扱規程新旧対照表", "改正後（2023年4月14日施行）",
                     "改正前（2022年4月1日施行）", "（傍線部分は改正部分）",
                     "当社は、個人情報を適切かつ安全に管理する。", "（新設）", "（削る）",
                     "委託先は、当社が監督する。"):
        assert expected in text, expected
    assert export(project, "pdf") == data


def test_a_draft_under_review_is_proposed_against_current_never_a_made_up_date(
        project: Path, tmp_path: Path) -> None:
    write(project / "content" / "rules.md", NEW.replace("適切かつ安全に", "適切かつ厳格に"))
    r = run_in_process("diff", "rules@2023-04-14", "rules@draft", "--root", str(project),
                       "--view", "table")
    assert r.code == 0, r.err
    assert "改正案（施行日未定）:" in r.out and "現行（2023年4月14日施行）:" in r.out
    assert "［厳格］" in r.out and "［安全］" in r.out
    document = docx.Document(io.BytesIO(export(project, "docx", "rules@2023-04-14",
                                               "rules@draft")))
    assert cell_texts(document)[0] == ["改正案（施行日未定）", "現行（2023年4月14日施行）"]
    assert document.sections[0].header.paragraphs[0].text == "案"

    out = tmp_path / "site"
    r = run_in_process("build", "--root", str(project), "--out", str(out), "--as-of", "2024-01-01",
                       "--drafts")
    assert r.code == 0, r.err
    for page in ("rules/draft/index.html", "rules/draft/diff/index.html",
                 "rules/draft/diff/table/index.html"):
        html = (out / page).read_text("utf-8")
        assert '<p class="draft-mark" aria-hidden="true">案</p>' in html, page
        assert "9999" not in html, page
    table = (out / "rules/draft/diff/table/index.html").read_text("utf-8")
    assert "改正案（施行日未定）" in table and "現行（2023年4月14日施行）" in table


def test_a_dated_draft_says_when_it_would_take_effect(project: Path) -> None:
    write(project / "content" / "rules.md", "---\neffective: 2025-04-01\n---\n" + NEW)
    r = run_in_process("diff", "rules@2023-04-14", "rules@draft", "--root", str(project),
                       "--view", "table", "--format", "json")
    assert r.code == 0, r.err
    assert '"new": "改正案（2025年4月1日施行）"' in r.out


def test_the_site_offers_the_files_and_builds_them_reproducibly(project: Path,
                                                                 tmp_path: Path) -> None:
    site_yaml = project / "content" / "site.yaml"
    site_yaml.write_text(site_yaml.read_text("utf-8") + "downloads: [docx, pdf]\n", "utf-8")
    builds = []
    for n in range(2):
        out = tmp_path / f"site{n}"
        r = run_in_process("build", "--root", str(project), "--out", str(out), "--as-of",
                           "2024-01-01", "--no-cache")
        assert r.code == 0, r.err
        builds.append(out)
    folder = "rules/diff/2022-04-01/2023-04-14/table/"
    page = (builds[0] / folder / "index.html").read_text("utf-8")
    links = re.findall(r'<a href="([^"]+)" download>', page)
    assert links == ["rules_2022-04-01_2023-04-14.docx", "rules_2022-04-01_2023-04-14.pdf"]
    for name in links:
        first, second = (b / folder / name for b in builds)
        assert first.read_bytes() == second.read_bytes()
    document = docx.Document(str(builds[0] / folder / links[0]))
    assert underlined(document)[0] == "かつ安全"
    # The table page itself names the columns with their dates, and the title as practice does.
    assert '<th scope="col">改正後（2023年4月14日施行）</th>' in page
    assert "<h1>個人情報取扱規程 新旧対照表</h1>" in page


def test_a_bad_download_setting_names_its_line(project: Path) -> None:
    site_yaml = project / "content" / "site.yaml"
    lines = site_yaml.read_text("utf-8").splitlines()
    site_yaml.write_text("\n".join([*lines, "downloads:", "  - docx", "  - xlsx"]) + "\n",
                         "utf-8")
    r = run_in_process("check", "--root", str(project))
    assert r.code == 1
    assert f"content/site.yaml:{len(lines) + 3}: 'downloads' may list docx and pdf" in r.err


@pytest.mark.parametrize(("args", "message"), [
    (("--view", "side-by-side", "--format", "docx"),
     "--format docx is the redline or the 新旧対照表"),
    (("--view", "side-by-side", "--format", "text"), "side by side has no text form"),
])
def test_formats_a_view_cannot_have_are_refused(project: Path, args: tuple[str, ...],
                                                message: str) -> None:
    r = run_in_process("diff", "rules@2022-04-01", "rules@2023-04-14", "--root", str(project),
                       *args, "-o", str(project.parent / "x"))
    assert r.code == 2 and message in r.err
    assert not (project.parent / "x").exists()


def test_every_view_as_a_page_of_its_own(project: Path) -> None:
    for view, marker in (("redline", 'data-diff="inline"'), ("side-by-side", 'class="sbs'),
                         ("table", 'class="amend"')):
        html = export(project, "html", view=view).decode("utf-8")
        assert marker in html, view
    table = export(project, "html", view="table").decode("utf-8")
    assert "改正後（2023年4月14日施行）" in table


REASONS = ("reasons:\n  第2条（管理）: 安全管理措置を明記するため\n"
           "  第3条（委託）: 委託先の監督を定めるため\n")


def with_reasons(project: Path, reasons: str = REASONS) -> None:
    path = project / "versions" / "rules" / "2023-04-14.md"
    text = path.read_text("utf-8")
    path.write_text(text.replace("\n---\n", "\n" + reasons + "---\n", 1), "utf-8")


def test_reasons_make_a_third_column(project: Path, tmp_path: Path) -> None:
    with_reasons(project)
    document = docx.Document(io.BytesIO(export(project, "docx")))
    rows = cell_texts(document)
    assert rows[0] == ["改正後（2023年4月14日施行）", "改正前（2022年4月1日施行）", "改定理由"]
    reasons = {row[2] for row in rows[1:]} - {""}
    assert reasons == {"安全管理措置を明記するため", "委託先の監督を定めるため"}
    by_reason = {row[2]: row for row in rows[1:] if row[2]}
    assert by_reason["安全管理措置を明記するため"][0] == "第2条（管理）"
    out = tmp_path / "site"
    r = run_in_process("build", "--root", str(project), "--out", str(out), "--as-of", "2024-01-01")
    assert r.code == 0, r.err
    page = (out / "rules/diff/2022-04-01/2023-04-14/table/index.html").read_text("utf-8")
    assert '<th scope="col" class="reason">改定理由</th>' in page
    assert '<td class="reason">安全管理措置を明記するため</td>' in page


def test_a_reason_for_a_section_that_did_not_change_names_its_line(project: Path) -> None:
    with_reasons(project, "reasons:\n  第2条（管理）: 安全管理措置を明記するため\n"
                          "  第5条（改廃）: 改廃の手続を改めるため\n")
    r = run_in_process("check", "--root", str(project))
    assert r.code == 1
    path = project / "versions" / "rules" / "2023-04-14.md"
    line = path.read_text("utf-8").splitlines().index("  第5条（改廃）: 改廃の手続を改めるため") + 1
    assert (f"versions/rules/2023-04-14.md:{line}: 'reasons' names '第5条（改廃）', but no "
            "section of that heading (or id) changed since 2022-04-01") in r.err, r.err
