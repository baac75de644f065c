"""The 新旧対照表 of a statute-like amendment as a 法務 department circulates it (issue 36):
the fixture tests/fixtures/ja-law built once, its table read from the HTML page, the Word file
(python-docx) and the PDF (pypdf).

Each case of the fixture: 附則 after the 本則 with repeated 条 numbers (第三条, 第十条), a 号
changed under 第二項 and one under 第三項, six 号 inserted into 第二条 (十一 becomes 十七), a 項
moved and edited inside 第二十一条, a 別表 cell with line breaks, a long provision, and the
amending instrument (``amended_by``)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from support.building import build_project, run_in_process

docx = pytest.importorskip("docx")
pypdf = pytest.importorskip("pypdf")

FIXTURE = Path(__file__).parent / "fixtures" / "ja-law"
TABLE = "act/diff/2019-07-01/2024-06-01/table/"
NUMERAL = "〇一二三四五六七八九十百千万0123456789０１２３４５６７８９"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("ja-law") / "project"
    shutil.copytree(FIXTURE, root)
    out = root.parent / "site"
    build_project(root, out)
    return out


@pytest.fixture(scope="module")
def word(site: Path) -> object:
    return docx.Document(str(site / TABLE / "act_2019-07-01_2024-06-01.docx"))


@pytest.fixture(scope="module")
def pdf_pages(site: Path) -> list[str]:
    reader = pypdf.PdfReader(str(site / TABLE / "act_2019-07-01_2024-06-01.pdf"))
    return [re.sub(r"\s+", "", page.extract_text()) for page in reader.pages]


def _rows(document: object) -> list[list[str]]:
    grid = document.tables[0]  # type: ignore[attr-defined]
    return [[c.text for c in row.cells] for row in grid.rows]


def _marked_texts(document: object) -> list[str]:
    """Every paragraph of the table (nested tables too) with its underlined runs in ［］."""
    out = []
    for p in document.tables[0]._element.iter(  # type: ignore[attr-defined]
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}p"):
        para = docx.text.paragraph.Paragraph(p, None)
        out.append("".join(f"［{r.text}］" if r.font.underline else r.text for r in para.runs))
    return out


def _html_marked(html: str) -> str:
    """The table page's 新旧対照表 as text, each <ins>/<del> between ［ and ］."""
    table = html.split('<table class="amend', 1)[1].split("</tbody></table>\n", 1)[0]
    table = re.sub(r'<span class="sr-only"[^>]*>.*?</span>', "", table)
    table = re.sub(r"<(ins|del)\b[^>]*>", "［", table)
    table = re.sub(r"</(ins|del)>", "］", table)
    table = re.sub(r"</t[dh]>", "\n", table)
    return re.sub(r"<[^>]+>", "", table)


def _cuts_a_number(marked: str) -> list[str]:
    """Marks whose edge falls inside a number: a numeral on both sides of ［ or ］."""
    return re.findall(f"[{NUMERAL}][［］][{NUMERAL}]", marked)


def test_every_row_in_its_place_on_the_web_page(site: Path) -> None:
    html = (site / TABLE / "index.html").read_text("utf-8")
    rows = re.findall(r'<tr class="([^"]+)"[^>]*><td>(.*?)</td>', html)
    kinds = [(kind, re.sub(r"<[^>]+>", "", cell)[:24]) for kind, cell in rows]
    parts = [text for kind, text in kinds if kind == "part-heading"]
    assert parts == ["第一章　総則", "第二章　罰則", "附則（平成三十年五月三十日法律第三十三号）"]
    # 附則's 第三条 sits under its 附則 heading, not after 本則's last article
    order = [text for _, text in kinds]
    assert order.index("附則（平成三十年五月三十日法律第三十三号）") + 1 == order.index("第三条（経過措置）")
    # the changed 号 under 第二項 and 第三項 have their 項 above them
    clauses = [text for kind, text in kinds if kind == "clause"]
    assert clauses == ["２　（略）", "３　（略）"]
    assert order[order.index("２　（略）") + 1].startswith("一　不正の")
    assert '<p class="amended-by">令和六年法律第九十九号による改正</p>' in html
    marked = _html_marked(html)
    assert _cuts_a_number(marked) == []
    assert "［十七］　情報管理規程" in marked and "［十一］　情報管理規程" in marked


def test_marks_cover_whole_words_and_never_an_unchanged_character(word: object) -> None:
    texts = "\n".join(_marked_texts(word))
    assert _cuts_a_number(texts) == []
    for expected in ("［十七］　情報管理規程", "［十一］　情報管理規程",  # renumbered 号
                     "６　前［各］項の規定は", "６　前［三］項の規定は",  # not 「６　前」
                     "［第十七号］に規定する", "［第十一号］に規定する",  # the whole 第…号
                     "不正の［利益を得る］目的［で、又はその保有者に損害を加える目的で］、",
                     "不正の目的［をもって］、"):
        assert expected in texts, expected


def test_a_move_inside_an_article_sits_beside_its_old_text(word: object) -> None:
    rows = _rows(word)
    assert ["５　第一項及び第二項の罪の未遂は、罰する。", "４　第一項の罪の未遂は、罰する。"] in rows
    flat = "".join(cell for row in rows for cell in row)
    assert "移動元" not in flat and "移動先" not in flat
    texts = _marked_texts(word)
    assert "［５］　第一項［及び第二項］の罪の未遂は、罰する。" in texts
    assert "［４］　第一項の罪の未遂は、罰する。" in texts


def test_word_has_real_tables_page_numbers_and_the_heading_in_column_order(
        word: object) -> None:
    grid = word.tables[0]  # type: ignore[attr-defined]
    nested = [t for row in grid.rows for cell in row.cells for t in cell.tables]
    assert len(nested) == 2  # the 別表 on each side
    new_table = [[c.text for c in row.cells] for row in nested[0].rows]
    assert new_table[0] == ["区分", "資格", "講習"]
    assert nested[0].rows[0]._tr.xpath("./w:trPr/w:tblHeader")
    changed = next(row for row in nested[0].rows if row.cells[0].text == "第二種")
    assert [p.text for p in changed.cells[1].paragraphs] == [
        "講習を修了したもの", "一　保安技術管理者等", "二　保安監督者及び保安係員"]
    body = word.element.body.xml  # type: ignore[attr-defined]
    assert "│" not in body
    footer = word.sections[0].footer._element.xml  # type: ignore[attr-defined]
    assert re.search(r"<w:instrText[^>]*> PAGE </w:instrText>", footer)
    texts = [p.text for p in word.paragraphs]  # type: ignore[attr-defined]
    assert texts[:3] == ["技術情報保護法 新旧対照表",
                         "改正後（2024年6月1日施行）　／　改正前（2019年7月1日施行）",
                         "令和六年法律第九十九号による改正"]
    rows = _rows(word)
    assert rows[0] == ["改正後（2024年6月1日施行）", "改正前（2019年7月1日施行）"]
    # a long row may break across pages; a heading row is kept whole and with the next
    for row in grid.rows[1:]:
        heading = row.cells[0].paragraphs[0].paragraph_format.keep_with_next
        assert bool(row._tr.xpath("./w:trPr/w:cantSplit")) == bool(heading)
    assert ["附則（平成三十年五月三十日法律第三十三号）"] * 2 in rows


def test_the_pdf_reads_like_the_word_file(pdf_pages: list[str]) -> None:
    text = "".join(pdf_pages)
    head = pdf_pages[0]
    assert head.index("改正後（2024年6月1日施行）") < head.index("改正前（2019年7月1日施行）")
    assert "令和六年法律第九十九号による改正" in head
    assert "→" not in head
    for expected in ("附則（平成三十年五月三十日法律第三十三号）", "第二章罰則", "２（略）",
                     "３（略）", "一保安技術管理者等", "二保安監督者及び保安係員"):
        assert expected in text, expected
    assert "│" not in text
    for n, page in enumerate(pdf_pages, 1):
        assert f"{n}/{len(pdf_pages)}" in page  # page numbers
    # the long provision breaks across pages instead of leaving one half empty
    start = "保有者は、その保有する技術情報について、当該技術情報の漏えい"
    end = "委託を受けた者に対する必要かつ適切な監督を行わなければならない。第二章罰則"
    first = next(n for n, page in enumerate(pdf_pages) if start in page)
    assert end not in pdf_pages[first]


def test_the_version_page_its_notice_and_feeds_name_the_amending_instrument(site: Path) -> None:
    page = (site / "act" / "2024-06-01" / "index.html").read_text("utf-8")
    assert "<dt>改正法令等</dt><dd>令和六年法律第九十九号</dd>" in page
    notice = (site / "act" / "2024-06-01" / "notice.txt").read_text("utf-8")
    assert "改正法令等：令和六年法律第九十九号" in notice
    for feed in (site / "feed.xml", site / "act" / "feed.xml"):  # Atom: the entry's content
        assert "令和六年法律第九十九号による改正" in feed.read_text("utf-8"), feed
    older = (site / "act" / "2019-07-01" / "index.html").read_text("utf-8")
    assert "改正法令等" not in older


def test_the_command_line_gives_the_same_table(site: Path) -> None:
    """``diff --format json`` holds a 別表 as rows of cells of lines; ``--format text``
    shows the 附則 heading and the 項 above the changed 号."""
    root = site.parent / "project"
    refs = ("act@2019-07-01", "act@2024-06-01", "--root", str(root), "--view", "table")
    done = run_in_process("diff", *refs, "--format", "json")
    assert done.code == 0, done.err
    rows = json.loads(done.out)["rows"]
    table = next(r for r in rows if r["kind"] == "table")
    cells = [["".join(x["text"] for x in line) for line in cell]
             for row in table["new_table"] for cell in row["cells"]]
    assert ["講習を修了したもの", "一　保安技術管理者等", "二　保安監督者及び保安係員"] in cells
    assert [r["kind"] for r in rows].count("part") == 3
    text = run_in_process("diff", *refs, "--format", "text").out
    assert "□ 附則（平成三十年五月三十日法律第三十三号）\n■ 第三条（経過措置）" in text
    assert "  ２　（略）\n  改正後" in text
