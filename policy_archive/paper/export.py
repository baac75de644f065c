"""The 新旧対照表 as a file to circulate: Word (python-docx) and PDF (WeasyPrint).

Both are made from one :class:`.amendment.Table` and one :class:`Sheet` (title, column
headings with their dates, the draft mark, the amending instrument), landscape on the
site's paper (A4 or Letter), the column headings repeated on every page, page numbers, a
別表 as a table in each side's cell, a long row free to break across pages (a heading row
kept whole and with the next), underlined runs exactly on the changed 字句. The same input
gives the same bytes: the Word file's dates are the sheet's date and its zip entries carry
a fixed time; the PDF carries no creation time and a fixed identifier. python-docx and
WeasyPrint are imported inside the functions that use them: a build or a diff that writes
neither never loads them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import zipfile
from html import escape
from typing import Any, NamedTuple

from ..foundation.errors import UsageError
from ..foundation.i18n import TABLE_LABELS
from .amendment import Cell, GridRow, Para, Row, Run, Table


class Sheet(NamedTuple):
    title: str  # プライバシーポリシー 新旧対照表
    subtitle: str  # the two versions with their dates
    new_head: str  # 改正後（2023年4月14日施行） / 改正案（施行日未定）
    old_head: str  # 改正前（2022年4月1日施行） / 現行（…）
    language: str
    date: dt.date  # the newer version's date, or the older one's for an undated draft
    draft_mark: str = ""  # 案 on every page of a draft under review, else ""
    new_first: bool = True  # 改正後 in the left column (practice), else 改正前 left
    reason_head: str = "改定理由"  # the third column's heading, when the table has reasons
    amended_by: str = ""  # 令和六年法律第九十九号による改正, when the version names it
    paper: str = "a4"  # the site's ``paper``: "a4" or "letter" (see PAPER_MM)


#: Each paper's (width, height) in millimetres, portrait: ISO A4 and US Letter (8.5 x 11 in).
PAPER_MM = {"a4": (210.0, 297.0), "letter": (215.9, 279.4)}
#: How CSS's ``@page { size }`` names each paper.
PAPER_CSS = {"a4": "A4", "letter": "letter"}


def sheet(title: str, heads: tuple[str, str], language: str, date: dt.date | None,
          draft: bool, columns: str = "new-old", amended_by: str = "",
          paper: str = "a4") -> Sheet:
    """The sheet of a document's table: ``title`` (the document's; "" for two files),
    ``heads`` (new, old) from :func:`.amendment.column_heads`, ``date`` the newest date
    known, ``columns`` the site's ``comparison_columns``, ``amended_by`` the instrument the
    newer version names, ``paper`` the site's. The subtitle names the versions in the order
    of the columns."""
    lab = TABLE_LABELS.get(language, TABLE_LABELS["en"])
    new_head, old_head = heads
    new_first = columns != "old-new"
    left, right = (new_head, old_head) if new_first else (old_head, new_head)
    return Sheet(
        title=lab["title"].format(title=title) if title else lab["title_alone"],
        subtitle=lab["columns"].format(left=left, right=right),
        new_head=new_head, old_head=old_head, language=language,
        date=date or dt.date(2000, 1, 1), draft_mark=lab["draft_mark"] if draft else "",
        new_first=new_first,
        amended_by=lab["amended_by"].format(instrument=amended_by) if amended_by else "",
        paper=paper)


def _columns(sheet: Sheet) -> tuple[str, str]:
    return (sheet.new_head, sheet.old_head) if sheet.new_first else \
        (sheet.old_head, sheet.new_head)


def _cells(sheet: Sheet, new: Any, old: Any) -> tuple[Any, ...]:
    """A row's two sides in the order of the columns."""
    return (new, old) if sheet.new_first else (old, new)


# --- Word ---------------------------------------------------------------------------------

_FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def docx_bytes(table: Table, sheet: Sheet) -> bytes:
    """The sheet as a Word file: the page, its title, the table, fixed core properties."""
    import docx

    document = docx.Document()
    _docx_page(document, sheet)
    _docx_title(document, sheet, table.note)
    grid = _docx_grid(document, sheet, table.reasons)
    for row in table.rows:
        _docx_row(grid, sheet, row, table.reasons)
    _docx_widths(grid, table.reasons, sheet.paper)
    stamp = dt.datetime(sheet.date.year, sheet.date.month, sheet.date.day,
                        tzinfo=dt.timezone.utc)
    props = document.core_properties
    props.created = props.modified = stamp
    props.title = sheet.title[:CORE_PROPERTY_LIMIT]  # the page's heading holds it whole
    props.author = props.last_modified_by = "policy_archive"
    props.revision = 1
    raw = io.BytesIO()
    document.save(raw)
    return _fixed_zip(raw.getvalue())


def _docx_page(document: Any, sheet: Sheet) -> None:
    """The paper landscape, 15 mm margins, the font of the language, the draft mark in the
    header."""
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    font_name = "Yu Mincho" if sheet.language == "ja" else "Times New Roman"
    normal = document.styles["Normal"]
    normal.font.name = font_name
    normal.font.size = Pt(10.5)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font_name)
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    short, long = PAPER_MM[sheet.paper]
    section.page_width, section.page_height = Mm(long), Mm(short)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(15))
    _docx_footer(section)
    if sheet.draft_mark:
        mark = section.header.paragraphs[0]
        mark.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        run = mark.add_run(sheet.draft_mark)
        run.bold = True
        run.font.size = Pt(14)


def _docx_title(document: Any, sheet: Sheet, note: str) -> None:
    """The title, the subtitle (the two versions) and the note (（傍線部分は改正部分）)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title_run = title.add_run(sheet.title)
    title_run.bold = True
    title_run.font.size = Pt(14)
    document.add_paragraph(sheet.subtitle).alignment = WD_ALIGN_PARAGRAPH.CENTER
    if sheet.amended_by:
        document.add_paragraph(sheet.amended_by).alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph(note).alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _docx_grid(document: Any, sheet: Sheet, reasons: bool) -> Any:
    """The table with its header row, repeated at the top of every page."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    grid = document.add_table(rows=1, cols=3 if reasons else 2)
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    header = grid.rows[0]
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header._tr.get_or_add_trPr().append(repeat)
    heads = _columns(sheet) + ((sheet.reason_head,) if reasons else ())
    for cell, text in zip(header.cells, heads):
        p = cell.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.add_run(text).bold = True
    return grid


def _docx_row(grid: Any, sheet: Sheet, row: Row, reasons: bool) -> None:
    """One row of the table: a long one may break across pages; a heading row is kept whole
    and with the next; a table inside a provision is a table in each cell."""
    from docx.oxml import OxmlElement

    cells = grid.add_row()
    heading = row.kind in ("heading", "part")
    if heading:
        cells._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    contents: tuple[Any, ...] = (_cells(sheet, row.new_grid, row.old_grid) if row.kind == "table"
                                 else _cells(sheet, row.new, row.old))
    if reasons:
        contents += (((Run(row.reason),),) if row.reason else ((),),)
    for k, (cell, content) in enumerate(zip(cells.cells, contents)):
        if row.kind == "table" and k < 2:
            _docx_nested(cell, content)
        else:
            _docx_paras(cell, content, row.kind)


def _docx_paras(cell: Any, paras: tuple[Para, ...], kind: str) -> None:
    """A cell's lines, the marked runs underlined."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_UNDERLINE

    for k, para in enumerate(paras):
        p = cell.paragraphs[0] if k == 0 else cell.add_paragraph()
        if kind in ("heading", "part"):
            p.paragraph_format.keep_with_next = True
        if kind == "omitted":
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        for r in para:
            run = p.add_run(r.text)
            if r.marked:
                run.font.underline = WD_UNDERLINE.SINGLE
            if kind in ("heading", "part"):
                run.bold = True


def _docx_nested(cell: Any, rows: tuple[GridRow, ...]) -> None:
    """One side's 別表 as a table in its cell: header rows repeat, a note spans the table,
    each cell's lines are paragraphs."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    width = max((len(r.cells) for r in rows if not r.note), default=1)
    inner = cell.add_table(rows=0, cols=width)
    inner.style = "Table Grid"
    for grid_row in rows:
        added = inner.add_row()
        if grid_row.header:
            repeat = OxmlElement("w:tblHeader")
            repeat.set(qn("w:val"), "true")
            added._tr.get_or_add_trPr().append(repeat)
        targets = [added.cells[0].merge(added.cells[-1])] if grid_row.note else added.cells
        for target, lines in zip(targets, grid_row.cells):
            _docx_paras(target, lines, "omitted" if grid_row.note else "change")
    first = cell.paragraphs[0]
    if not first.text:  # the cell's own empty paragraph before the table
        first._p.getparent().remove(first._p)


def _docx_footer(section: Any) -> None:
    """The page number, centred in the footer: a PAGE field (Word counts the pages)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for part in ("begin", " PAGE ", "separate", "1", "end"):
        run = footer.add_run()
        if part in ("begin", "separate", "end"):
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), part)
            run._r.append(char)
        elif part == " PAGE ":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = part
            run._r.append(instr)
        else:
            run.text = part


def _docx_widths(grid: Any, reasons: bool, paper: str) -> None:
    """Two equal columns, or two fifths each and one fifth for the reasons."""
    from docx.shared import Mm

    usable = Mm(PAPER_MM[paper][1]) - Mm(15) - Mm(15)
    widths = [usable * 2 // 5] * 2 + [usable // 5] if reasons else [usable // 2] * 2
    for column, width in zip(grid.columns, widths):
        for cell in column.cells:
            cell.width = width


#: The longest value a Word file's core property (its title) may hold.
CORE_PROPERTY_LIMIT = 255


def _fixed_zip(data: bytes) -> bytes:
    """The same zip with every entry's time fixed (python-docx stamps the time of saving)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, _FIXED_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


# --- PDF ----------------------------------------------------------------------------------

_PRINT_CSS = """
@page { size: %(size)s landscape; margin: 14mm 14mm 16mm;
  @bottom-center { content: counter(page) " / " counter(pages); font-size: 9pt; }
  @top-right { content: "%(mark)s"; font-size: 16pt; font-weight: bold; } }
html { font-family: %(fonts)s; font-size: 10.5pt; line-height: 1.6; }
h1 { font-size: 15pt; text-align: center; margin: 0 0 2mm; }
p.subtitle { text-align: center; margin: 0 0 2mm; }
p.note { text-align: right; margin: 0 0 2mm; }
table { width: 100%%; border-collapse: collapse; table-layout: fixed; }
th, td { border: 0.6pt solid #000; padding: 1.5mm 2.5mm; vertical-align: top;
  overflow-wrap: anywhere; word-break: normal; }
thead { display: table-header-group; }
th { background: #eee; font-weight: bold; }
tr.heading, tr.part { break-inside: avoid; break-after: avoid; }
tr.heading td, tr.part td { font-weight: bold; }
tr.omitted td, td.note { text-align: center; }
td p { margin: 0; }
td table { margin: 1mm 0; font-size: 9.5pt; }
td table th, td table td { padding: 1mm 1.5mm; }
p.amended { text-align: center; margin: 0 0 2mm; }
u { text-decoration: underline; text-decoration-thickness: 0.8pt; }
"""

_FONTS = {"ja": '"Noto Serif CJK JP", "Noto Sans CJK JP", serif',
          "en": '"DejaVu Serif", "Noto Serif CJK JP", serif'}


def _html_lines(paras: Cell) -> str:
    return "".join("<p>" + "".join(f"<u>{escape(r.text)}</u>" if r.marked else escape(r.text)
                                   for r in p) + "</p>" for p in paras)


def _html_grid(rows: tuple[GridRow, ...]) -> str:
    """One side's 別表 as a table: header rows in its head (repeated on each page)."""
    width = max((len(r.cells) for r in rows if not r.note), default=1)
    head = "".join("<tr>" + "".join(f"<th>{_html_lines(c)}</th>" for c in r.cells) + "</tr>"
                   for r in rows if r.header)
    body = "".join(
        f'<tr><td class="note" colspan="{width}">{_html_lines(r.cells[0])}</td></tr>' if r.note
        else "<tr>" + "".join(f"<td>{_html_lines(c)}</td>" for c in r.cells) + "</tr>"
        for r in rows if not r.header)
    return f"<table><thead>{head}</thead><tbody>{body}</tbody></table>"


def table_document_html(table: Table, sheet: Sheet) -> str:
    """The sheet as one HTML document for print (what the PDF is typeset from)."""
    heads = _columns(sheet) + ((sheet.reason_head,) if table.reasons else ())
    rows = []
    for row in table.rows:
        cells = ([_html_grid(g) for g in _cells(sheet, row.new_grid, row.old_grid)]
                 if row.kind == "table" else [_html_lines(c) for c in _cells(sheet, row.new,
                                                                              row.old)])
        if table.reasons:
            cells.append(_html_lines(((Run(row.reason),),) if row.reason else ()))
        rows.append(f'<tr class="{row.kind}">' + "".join(f"<td>{c}</td>" for c in cells)
                    + "</tr>")
    cols = ('<col style="width:40%"><col style="width:40%"><col style="width:20%">'
            if table.reasons else "<col><col>")
    css = _PRINT_CSS % {"mark": sheet.draft_mark.replace('"', ""),
                        "size": PAPER_CSS[sheet.paper],
                        "fonts": _FONTS.get(sheet.language, _FONTS["en"])}
    amended = (f'<p class="amended">{escape(sheet.amended_by)}</p>' if sheet.amended_by
               else "")
    return (f'<!DOCTYPE html><html lang="{sheet.language}"><head><meta charset="utf-8">'
            f"<title>{escape(sheet.title)}</title><style>{css}</style></head><body>"
            f"<h1>{escape(sheet.title)}</h1>"
            f'<p class="subtitle">{escape(sheet.subtitle)}</p>{amended}'
            f'<p class="note">{escape(table.note)}</p>'
            f"<table><colgroup>{cols}</colgroup><thead><tr>"
            + "".join(f'<th scope="col">{escape(h)}</th>' for h in heads)
            + f"</tr></thead><tbody>{''.join(rows)}</tbody></table></body></html>")


def pdf_bytes(table: Table, sheet: Sheet) -> bytes:
    import logging

    try:
        import weasyprint  # type: ignore[import-untyped]
    except OSError as e:  # the Python package is there, the Pango library it loads is not
        raise UsageError(f"PDF needs the Pango library ({e}): install it, e.g. "
                         "'apt-get install libpango-1.0-0 libpangoft2-1.0-0'") from None

    logging.getLogger("weasyprint").setLevel(logging.ERROR)  # font notes are not the user's
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    html = table_document_html(table, sheet)
    identifier = hashlib.sha256(html.encode("utf-8")).hexdigest()[:32].encode("ascii")
    pdf = weasyprint.HTML(string=html).write_pdf(identifier=identifier, uncompressed_pdf=False)
    assert pdf is not None
    return bytes(pdf)
