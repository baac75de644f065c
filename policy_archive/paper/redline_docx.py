"""The redline as a Word document with tracked changes, for a reviewer to accept or reject.

python-docx writes the document (headings, lists, tables, the page); the revisions it does
not know are built here as WordprocessingML elements on its paragraphs: an inserted passage
in ``w:ins``, a deleted one in ``w:del`` (its text in ``w:delText``), a moved block as
``w:moveFrom`` where it left and ``w:moveTo`` where it arrived (its own edits as ``w:ins`` and
``w:del`` inside), emphasis added or removed as a formatting change (``w:rPrChange``), a
whole inserted or deleted paragraph or table row with its mark tracked too, so that
accepting every revision leaves the new text and rejecting every one the old; a re-pointed
link's old and new targets in a comment beside it.
Each revision has the author ``policy-archive`` and the date of the newer version. Ordered
lists are Word lists: one numbering per list, starting where the text's list starts, nested
lists nested. The same input gives the same bytes (the zip of :mod:`.export`).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator, Sequence
from typing import Any, NamedTuple

from ..diff.classes import op_class
from ..diff.ops import BlockOp, TextOp
from ..diff.result import DocumentDiff
from ..foundation.model import Block
from ..present.cells import cell_ops
from ..present.numbering import ListMark, list_marks, numbered, table_runs
from .export import CORE_PROPERTY_LIMIT, PAPER_MM, _fixed_zip

AUTHOR = "policy-archive"
_MONO = "Courier New"
_LINK_COLOR = "1F4E9A"


class RedlineInfo(NamedTuple):
    """What the document says of itself: its title, the line naming the two versions, the
    date its revisions carry (the newer version's), its language, its paper."""

    title: str
    subtitle: str
    date: dt.date
    language: str = "en"
    paper: str = "a4"  # "a4" | "letter": the page, portrait


def redline_info(title: str, heads: tuple[str, str], language: str,
                 date: dt.date | None, paper: str = "a4") -> RedlineInfo:
    """The info of a document's redline: ``title`` (the document's; "" for two files),
    ``heads`` (new, old) as :func:`.amendment.column_heads` names the versions, ``date`` the
    newer version's (else the older one's)."""
    from ..present.marks import labels

    lab = labels(language)
    new, old = heads
    return RedlineInfo(
        title=lab["redline_title"].format(title=title) if title else lab["redline_alone"],
        subtitle=lab["redline_subtitle"].format(old=old, new=new),
        date=date or dt.date(2000, 1, 1), language=language, paper=paper)


class _Marks:
    """The revision elements of one document: each with its own id, the author and date."""

    def __init__(self, date: dt.date) -> None:
        self.date = f"{date.isoformat()}T00:00:00Z"
        self.next_id = 1

    def element(self, tag: str, **extra: str) -> Any:
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        node = OxmlElement(f"w:{tag}")
        node.set(qn("w:id"), str(self.next_id))
        self.next_id += 1
        if not tag.endswith(("RangeStart", "RangeEnd")) or tag.endswith("RangeStart"):
            node.set(qn("w:author"), AUTHOR)
            node.set(qn("w:date"), self.date)
        for key, value in extra.items():
            node.set(qn(f"w:{key}"), value)
        return node


class _Notes:
    """Where each changed link points, as a comment beside its paragraph (a comment holds no
    text of the document, so accepting or rejecting leaves the texts as they are): an
    in-page link by the heading it points to in its version, any other by its address."""

    def __init__(self, document: Any, diff: DocumentDiff, info: RedlineInfo, date: str) -> None:
        from ..present.marks import labels, with_targets

        self.document = document
        self.lab = with_targets(labels(info.language), diff)
        self.date = date

    def target(self, side: str, href: str) -> str:
        heading = self.lab.get(side + href) if href.startswith("#") else None
        return f"\u201c{heading}\u201d ({href})" if heading else href

    def add(self, paragraph: Any, op: BlockOp) -> None:
        """A comment on ``paragraph`` naming the old and new targets of ``op``'s changed
        links, if it has any."""
        from docx.oxml.ns import qn

        if op.op not in ("changed", "moved") or op.direction == "out":
            return
        assert op.a is not None and op.b is not None
        old = [h for s, e, h in op.a.links if (s, e, h) not in set(op.b.links)]
        new = [h for s, e, h in op.b.links if (s, e, h) not in set(op.a.links)]
        if sorted(old) == sorted(new):  # the same targets, moved with their words
            return
        text = (f"{self.lab['links_changed']}: "
                f"{', '.join(self.target('a', h) for h in old) or '—'} → "
                f"{', '.join(self.target('b', h) for h in new) or '—'}")
        comment = self.document.add_comment(paragraph.add_run(""), text=text, author=AUTHOR,
                                            initials="pa")
        comment._comment_elm.set(qn("w:date"), self.date)  # not the time of writing


# --- runs ---------------------------------------------------------------------------------

def _tags(block: Block, lo: int, hi: int) -> frozenset[str]:
    return frozenset(s.tag for s in block.spans
                     if not s.is_point and s.start <= lo and s.end >= hi)


def _styled(block: Block, start: int, end: int) -> Iterator[tuple[str, frozenset[str]]]:
    """``block.text[start:end]`` cut where its inline markup starts or ends: (text, tags)."""
    spans = [s for s in block.spans if not s.is_point and s.start < end and s.end > start]
    cuts = sorted({start, end, *(max(start, min(end, p)) for s in spans
                                 for p in (s.start, s.end))})
    for lo, hi in zip(cuts, cuts[1:]):
        if lo < hi:
            yield block.text[lo:hi], _tags(block, lo, hi)


def _props(tags: frozenset[str]) -> Any:
    """The ``w:rPr`` of a run inside ``tags``: monospace code, bold, italic, link colour."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    props = OxmlElement("w:rPr")
    if "code" in tags:
        fonts = OxmlElement("w:rFonts")
        fonts.set(qn("w:ascii"), _MONO)
        fonts.set(qn("w:hAnsi"), _MONO)
        props.append(fonts)
    for tag, element in (("strong", "w:b"), ("b", "w:b"), ("em", "w:i"), ("i", "w:i")):
        if tag in tags and props.find(qn(element)) is None:
            props.append(OxmlElement(element))
    if "a" in tags:
        color = OxmlElement("w:color")
        color.set(qn("w:val"), _LINK_COLOR)
        props.append(color)
    return props


def _run(text: str, tags: frozenset[str], deleted: bool) -> Any:
    """One ``w:r``: its formatting, its text (``w:delText`` when deleted), line breaks as
    ``w:br`` and tabs as ``w:tab``."""
    from docx.oxml import OxmlElement

    run = OxmlElement("w:r")
    props = _props(tags)
    if len(props):
        run.append(props)
    piece: list[str] = []
    for ch in text + "\n\x00":
        if ch in "\n\t\x00":
            if piece:
                node = OxmlElement("w:delText" if deleted else "w:t")
                node.text = "".join(piece)
                node.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
                run.append(node)
                piece = []
            if ch == "\t":
                run.append(OxmlElement("w:tab"))
            elif ch == "\n":
                run.append(OxmlElement("w:br"))
            continue
        piece.append(ch)
    run.remove(run[-1])  # the w:br of the "\n" added above
    return run


def _reformatted(marks: _Marks, a: Block, b: Block) -> list[Any]:
    """B's runs of a block whose formatting alone changed, each run whose markup differs
    from A's carrying A's as a tracked formatting change (``w:rPrChange``)."""
    from docx.oxml.ns import qn

    size = len(b.text)
    cuts = sorted({0, size, *(p for s in (*a.spans, *b.spans) if not s.is_point
                              for p in (s.start, s.end) if 0 <= p <= size)})
    out = []
    for lo, hi in zip(cuts, cuts[1:]):
        if lo == hi:
            continue
        new, old = _tags(b, lo, hi), _tags(a, lo, hi)
        run = _run(b.text[lo:hi], new, deleted=False)
        if new != old:
            if run.find(qn("w:rPr")) is None:
                run.insert(0, _props(frozenset()))
            change = marks.element("rPrChange")
            change.append(_props(old))
            run.find(qn("w:rPr")).append(change)
        out.append(run)
    return out


def _runs(block: Block, start: int, end: int, deleted: bool = False) -> list[Any]:
    return [_run(text, tags, deleted) for text, tags in _styled(block, start, end)]


def _wrapped(marks: _Marks, tag: str, runs: list[Any]) -> Any:
    node = marks.element(tag)
    for run in runs:
        node.append(run)
    return node


def _edits(marks: _Marks, a: Block, b: Block, text_ops: Sequence[TextOp],
           a0: int = 0, b0: int = 0) -> list[Any]:
    """Char ops as runs: unchanged ones plain, deletions in ``w:del``, insertions in
    ``w:ins``; ``a0``/``b0`` where the ops start in each text (a table cell)."""
    out: list[Any] = []
    pa, pb = a0, b0
    for t in text_ops:
        n = len(t.text)
        if t.op == "equal":
            out += _runs(b, pb, pb + n)
            pa, pb = pa + n, pb + n
        elif t.op == "delete":
            out.append(_wrapped(marks, "del", _runs(a, pa, pa + n, deleted=True)))
            pa += n
        else:
            out.append(_wrapped(marks, "ins", _runs(b, pb, pb + n)))
            pb += n
    return out


def _content(marks: _Marks, op: BlockOp) -> tuple[list[Any], str]:
    """A block's runs and how its paragraph mark is tracked ("" not at all, else the
    revision element's tag)."""
    block = op.block
    whole = (0, len(block.text))
    if op.op == "equal":
        return _runs(block, *whole), ""
    if op.op == "changed" and op_class(op) == "formatting":
        assert op.a is not None and op.b is not None
        return _reformatted(marks, op.a, op.b), ""
    if op.op == "inserted":
        return [_wrapped(marks, "ins", _runs(block, *whole))], "ins"
    if op.op == "deleted":
        return [_wrapped(marks, "del", _runs(block, *whole, deleted=True))], "del"
    assert op.a is not None and op.b is not None
    if op.op == "changed":
        return _edits(marks, op.a, op.b, op.text_ops), ""
    if op.direction == "out":
        return [_wrapped(marks, "moveFrom", _runs(op.a, *whole, deleted=True))], "moveFrom"
    return [_wrapped(marks, "moveTo", _edits(marks, op.a, op.b, op.text_ops))], "moveTo"


# --- paragraphs ---------------------------------------------------------------------------

def _style(block: Block, mark: ListMark | None, styles: dict[str, str]) -> str | None:
    if block.kind == "heading":
        return f"Heading {min(max(block.level, 1), 9)}"
    if block.kind == "quote" and "Quote" in styles:
        return "Quote"
    if block.kind == "item" and mark is not None:
        return "List Paragraph"
    return None


def _paragraph(document: Any, marks: _Marks, op: BlockOp, lists: _Lists,
               mark: ListMark | None, notes: _Notes) -> None:
    """One block as a paragraph at the end of the document: its style, its list number,
    its runs, its tracked mark; a move's two ends named alike."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    block = op.block
    style = _style(block, mark, lists.styles)
    paragraph = document.add_paragraph()
    p = paragraph._p
    p_pr = p.get_or_add_pPr()
    if style is not None:
        p_pr.style = lists.styles[style]  # its id, looked up once (by name it is slow)
    if block.kind == "item" and mark is not None:
        lists.number(p_pr, block, mark)
    else:
        lists.open.clear()
    runs, tracked = _content(marks, op)
    if block.kind == "code":
        for run in runs:
            for r in [run] if run.tag == qn("w:r") else run.iter(qn("w:r")):
                r.insert(0, _mono_props())
    if tracked:
        r_pr = OxmlElement("w:rPr")
        r_pr.append(marks.element(tracked))
        p_pr.append(r_pr)
    name = f"move{op.a_index}"  # the same at both ends
    if tracked in ("moveFrom", "moveTo"):
        start = marks.element(f"{tracked}RangeStart", name=name)
        p.append(start)
    for run in runs:
        p.append(run)
    if tracked in ("moveFrom", "moveTo"):
        end = marks.element(f"{tracked}RangeEnd")
        end.set(qn("w:id"), start.get(qn("w:id")))
        p.append(end)
    notes.add(paragraph, op)


def _mono_props() -> Any:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    props = OxmlElement("w:rPr")
    fonts = OxmlElement("w:rFonts")
    fonts.set(qn("w:ascii"), _MONO)
    fonts.set(qn("w:hAnsi"), _MONO)
    props.append(fonts)
    return props


class _Lists:
    """Word numbering for the text's lists: one multi-level definition for ordered lists and
    one for bullets, and one ``w:num`` per list of the redline (its nested lists of the same
    kind its next levels), starting at its start."""

    def __init__(self, document: Any) -> None:
        self.numbering = document.part.numbering_part.element
        self.styles = {s.name: s.style_id for s in document.styles}
        self.abstract = {"ol": self._abstract(900, "decimal"), "ul": self._abstract(901, "bullet")}
        self.nums: dict[int, str] = {}
        #: The lists open around the item: level -> (ordered, numId). A nested list of the
        #: kind of one around it is that list's next level, as Word nests.
        self.open: dict[int, tuple[bool, str]] = {}

    def _abstract(self, ident: int, fmt: str) -> str:
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        node = OxmlElement("w:abstractNum")
        node.set(qn("w:abstractNumId"), str(ident))
        kind = OxmlElement("w:multiLevelType")
        kind.set(qn("w:val"), "multilevel")
        node.append(kind)
        for level in range(9):
            node.append(_level(level, fmt))
        first_num = self.numbering.find(qn("w:num"))
        if first_num is not None:
            first_num.addprevious(node)
        else:
            self.numbering.append(node)
        return str(ident)

    def number(self, p_pr: Any, block: Block, mark: ListMark) -> None:
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        for deeper in [k for k in self.open if k >= mark.level]:
            del self.open[deeper]
        if mark.list_no not in self.nums:
            outer = [num for level, (ordered, num) in sorted(self.open.items())
                     if ordered == mark.ordered]
            self.nums[mark.list_no] = outer[0] if outer else self._num(mark)
        self.open[mark.level] = (mark.ordered, self.nums[mark.list_no])
        num_pr = OxmlElement("w:numPr")
        for tag, value in (("w:ilvl", str(min(block.level, 9) - 1)),
                           ("w:numId", self.nums[mark.list_no])):
            child = OxmlElement(tag)
            child.set(qn("w:val"), value)
            num_pr.append(child)
        p_pr.append(num_pr)

    def _num(self, mark: ListMark) -> str:
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        ident = str(1000 + mark.list_no)
        num = OxmlElement("w:num")
        num.set(qn("w:numId"), ident)
        abstract = OxmlElement("w:abstractNumId")
        abstract.set(qn("w:val"), self.abstract["ol" if mark.ordered else "ul"])
        num.append(abstract)
        override = OxmlElement("w:lvlOverride")
        override.set(qn("w:ilvl"), str(mark.level - 1))
        start = OxmlElement("w:startOverride")
        start.set(qn("w:val"), str(mark.start))
        override.append(start)
        num.append(override)
        self.numbering.append(num)
        return ident


def _level(level: int, fmt: str) -> Any:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    node = OxmlElement("w:lvl")
    node.set(qn("w:ilvl"), str(level))
    text = f"%{level + 1}." if fmt == "decimal" else "•"
    for tag, value in (("w:start", "1"), ("w:numFmt", fmt), ("w:lvlText", text),
                       ("w:lvlJc", "left")):
        child = OxmlElement(tag)
        child.set(qn("w:val"), value)
        node.append(child)
    p_pr = OxmlElement("w:pPr")
    ind = OxmlElement("w:ind")
    ind.set(qn("w:left"), str(360 * (level + 2)))
    ind.set(qn("w:hanging"), "360")
    p_pr.append(ind)
    node.append(p_pr)
    return node


# --- tables -------------------------------------------------------------------------------

def _table(document: Any, marks: _Marks, ops: Sequence[BlockOp], notes: _Notes) -> None:
    """A run of table rows as one table: unchanged rows plain, a changed row's edits inside
    its cells, an inserted or deleted row tracked whole (a moved row too, at each end),
    header rows repeated on every page."""
    width = max(b.text.count("\t") + 1 for op in ops for b in (op.a, op.b) if b is not None)
    grid = document.add_table(rows=0, cols=width)
    grid.style = "Table Grid"
    for op in ops:
        if op.op in ("equal", "inserted", "deleted") or op.op == "changed" and \
                op_class(op) == "formatting":
            _row(grid, marks, op.block, op.op if op.op in ("inserted", "deleted") else "")
            continue
        assert op.a is not None and op.b is not None
        if op.op == "moved":
            _row(grid, marks, op.block, "deleted" if op.direction == "out" else "inserted")
            continue
        cells = cell_ops(op.text_ops)
        if cells is None or len(cells) != op.b.text.count("\t") + 1:
            _row(grid, marks, op.a, "deleted")
            _row(grid, marks, op.b, "inserted")
            continue
        row = _new_row(grid, marks, op.b, "")
        for cell, (a0, b0, text_ops) in zip(row.cells, cells):
            for run in _edits(marks, op.a, op.b, text_ops, a0, b0):
                cell.paragraphs[0]._p.append(run)
        notes.add(row.cells[-1].paragraphs[0], op)


def _span_last(row: Any, block: Block) -> None:
    """A row of fewer cells than the table's: its last cell spans the rest."""
    count = block.text.count("\t") + 1
    if count < len(row.cells):
        row.cells[count - 1].merge(row.cells[-1])


def _new_row(grid: Any, marks: _Marks, block: Block, tracked: str) -> Any:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    row = grid.add_row()
    tr_pr = row._tr.get_or_add_trPr()
    if block.header:
        repeat = OxmlElement("w:tblHeader")
        repeat.set(qn("w:val"), "true")
        tr_pr.append(repeat)
    if tracked:
        tr_pr.append(marks.element("ins" if tracked == "inserted" else "del"))
    return row


def _row(grid: Any, marks: _Marks, block: Block, tracked: str) -> None:
    row = _new_row(grid, marks, block, tracked)
    _span_last(row, block)
    pos = 0
    for cell, part in zip(row.cells, block.text.split("\t")):
        runs = _runs(block, pos, pos + len(part), deleted=tracked == "deleted")
        pos += len(part) + 1
        if tracked:
            runs = [_wrapped(marks, "ins" if tracked == "inserted" else "del", runs)]
        for run in runs:
            cell.paragraphs[0]._p.append(run)


# --- the document -------------------------------------------------------------------------

def redline_docx_bytes(diff: DocumentDiff, info: RedlineInfo) -> bytes:
    """The redline of ``diff`` as the bytes of a Word file."""
    import docx
    from docx.shared import Mm

    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = (Mm(x) for x in PAPER_MM[info.paper])
    document.add_heading(info.title, level=0)
    document.add_paragraph(info.subtitle)
    marks = _Marks(info.date)
    notes = _Notes(document, diff, info, marks.date)
    lists = _Lists(document)
    items = numbered(diff)
    list_of = dict(zip((id(i.op) for i in items), list_marks([i.op for i in items])))
    for is_table, run in table_runs(items):
        if is_table:
            lists.open.clear()
            _table(document, marks, [item.op for item in run], notes)
            continue
        item = run[0]
        _paragraph(document, marks, item.op, lists, list_of[id(item.op)], notes)
    stamp = dt.datetime(info.date.year, info.date.month, info.date.day, tzinfo=dt.timezone.utc)
    props = document.core_properties
    props.created = props.modified = stamp
    props.title = info.title[:CORE_PROPERTY_LIMIT]
    props.author = props.last_modified_by = AUTHOR
    props.revision = 1
    props.language = info.language
    raw = io.BytesIO()
    document.save(raw)
    return _fixed_zip(raw.getvalue())
