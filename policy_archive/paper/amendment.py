"""The 新旧対照表 as a document: the rows of :mod:`.rows`' plan as two columns of plain text
runs, some underlined.

What Word and PDF exports are made of (:mod:`.export`), and the table as terminal text. The
changed 字句 are underlined (傍線), never an unchanged character; a block keeps its line
breaks (lines), a 別表 its rows and cells (:class:`GridRow`); moved text is underlined where
it arrives, and the old column names where it came from (条・項・号). Link targets that changed are written out,
underlined, so a change that only re-points a link is visible on paper too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from ..diff.classes import op_class
from ..diff.ops import BlockOp, TextOp
from ..diff.result import DocumentDiff
from ..diff.sections import SectionRef
from ..foundation.i18n import DIFF_LABELS, TABLE_LABELS, long_date
from ..foundation.model import Block
from ..present.numbering import Numbered
from ..present.rows import CitingNames, PlanRow, clause_lead, row_plan


class Run(NamedTuple):
    text: str
    marked: bool = False  # underlined: changed (or moved here)


Para = tuple[Run, ...]


Cell = tuple[Para, ...]  # the lines of a cell (or of one side of a row)


class GridRow(NamedTuple):
    """A row of a table inside a provision (a 別表): its cells, each of lines; a note
    (（略）, 移動先：…) is one cell across the table."""

    cells: tuple[Cell, ...]
    header: bool = False
    note: bool = False


class Row(NamedTuple):
    #: "heading" (a section's heading, unchanged), "part" (a 章・節・附則 heading above it),
    #: "omitted" (（略）), "clause" (an unchanged 項: ２　（略）), "change", "table" (the
    #: two sides' tables in ``new_grid``/``old_grid``)
    kind: str
    new: tuple[Para, ...]
    old: tuple[Para, ...]
    section: SectionRef
    number: int = 0  # the first change (change-N) the row shows; 0 for others
    reason: str = ""  # why the section changed (改定理由), on its first row
    new_grid: tuple[GridRow, ...] = ()
    old_grid: tuple[GridRow, ...] = ()


class Table(NamedTuple):
    rows: tuple[Row, ...]
    note: str  # （傍線部分は改正部分）
    omitted: str  # （略）
    reasons: bool = False  # a third column: 改定理由


def _side(ops: Sequence[TextOp], side: str) -> list[Run]:
    """One side of a changed block: its text, the characters only on this side marked."""
    skip = "insert" if side == "a" else "delete"
    return [Run(t.text, t.op != "equal") for t in ops if t.op != skip and t.text]


def layout(block: Block, runs: Sequence[Run]) -> tuple[Cell, ...]:
    """``runs`` (which spell ``block``'s text) as the block shows them: cells (a table
    row's, at its tabs) of lines (at its line breaks: ``<br>`` and new lines)."""
    breaks = {s.start for s in block.spans if s.tag == "br"}
    cells: list[list[list[Run]]] = [[[]]]
    pos = 0
    for run in runs:
        piece: list[str] = []

        def flush() -> None:
            if piece:
                cells[-1][-1].append(Run("".join(piece), run.marked))
                piece.clear()

        for ch in run.text:
            if pos in breaks and ch != "\n" and pos and block.text[pos - 1] != "\n":
                flush()
                cells[-1].append([])
            if ch == "\t":
                flush()
                cells.append([[]])
            elif ch == "\n":
                flush()
                cells[-1].append([])
            else:
                piece.append(ch)
            pos += 1
        flush()
    return tuple(tuple(tuple(line) for line in cell) for cell in cells)


def _lines(block: Block, runs: Sequence[Run]) -> tuple[Para, ...]:
    """The lines of a block that is not a table row (one cell)."""
    return tuple(line for cell in layout(block, runs) for line in cell)


def _whole(block: Block, marked: bool = True) -> tuple[Para, ...]:
    return _lines(block, [Run(block.text, marked)]) if block.text else ((),)


def _link_notes(a: Block, b: Block, label: str) -> tuple[Para, Para]:
    """The link targets only one side has, written out and marked (old, new)."""
    a_links = [href for _, _, href in a.links]
    b_links = [href for _, _, href in b.links]
    old = tuple(Run(label.format(href=h).strip(), True) for h in a_links if h not in b_links)
    new = tuple(Run(label.format(href=h).strip(), True) for h in b_links if h not in a_links)
    return old, new


def amendment_table(diff: DocumentDiff, language: str,
                    reasons: Sequence[tuple[str, str]] = ()) -> Table:
    """The rows of :func:`.rows.row_plan` as plain runs; ``reasons``: (section heading or id,
    why it changed) for the third column. The moved-from/-to notes name a section by its
    heading and the 項・号 of the block."""
    lab = DIFF_LABELS.get(language, DIFF_LABELS["en"])
    names = CitingNames(diff, lab)
    rows = tuple(_row(row, lab, names) for row in row_plan(diff, reasons))
    return Table(rows, lab["note"], lab["omitted"], bool(reasons))


def _row(row: PlanRow, lab: dict[str, str], names: CitingNames) -> Row:
    """One row of the plan as runs."""
    key = row.section
    if row.kind in ("heading", "part", "omitted", "clause"):
        text = {"omitted": lab["omitted"],
                "clause": clause_lead(row.items[0].op.block) + lab["omitted"] if row.items
                else ""}.get(row.kind, key.title or lab["top"])
        para = ((Run(text),),)
        return Row(row.kind, para, para, key, reason=row.reason)
    first = row.items[0]
    if row.kind == "table":
        new_grid, old_grid = _grid(row.items, "b", lab, names), _grid(row.items, "a", lab, names)
        return Row("table", (), (), key, first.number, row.reason, new_grid, old_grid)
    if row.kind == "provision":
        blocks = tuple(line for item in row.items for line in _whole(item.op.block))
        inserted = first.op.op == "inserted"
        mark = ((Run(lab["new_article" if inserted else "deleted_article"]),),)
        new, old = (blocks, mark) if inserted else (mark, blocks)
    else:
        new, old = _cells(first.op, lab, names)
    return Row("change", new, old, key, first.number, row.reason)


def _grid(items: Sequence[Numbered], side: str, lab: dict[str, str], names: CitingNames
          ) -> tuple[GridRow, ...]:
    """One side's table of a run of table rows: its header rows, its changed rows, （略）
    once for the rows between, 移動先／移動元 where a row moved away or came."""
    out: list[GridRow] = []
    for item in items:
        op = item.op
        if not item.number and not op.block.header:
            if not out or out[-1].cells != ((((Run(lab["omitted"]),),)),):
                out.append(GridRow((((Run(lab["omitted"]),),),), note=True))
            continue
        has_side = op.in_a if side == "a" else op.in_b
        block = op.a if side == "a" else op.b
        if op.op == "moved" and not has_side:
            other = op.b if op.direction == "out" else op.a
            assert other is not None
            where = names.of(other)
            note = lab["moved_to" if op.direction == "out" else "moved_from"].format(where=where)
            out.append(GridRow((((Run(note),),),), note=True))
        elif block is not None and has_side:
            marked = op.op not in ("equal", "changed", "moved")
            runs = _side(op.text_ops, side) if op.op in ("changed", "moved") and op.text_ops \
                else [Run(block.text, marked)]
            out.append(GridRow(layout(block, runs), header=block.header))
    return tuple(out)


def _cells(op: BlockOp, lab: dict[str, str], names: CitingNames
           ) -> tuple[tuple[Para, ...], tuple[Para, ...]]:
    """(new, old) paragraphs of one changed block."""
    if op.op == "inserted":
        return _whole(op.block), ((Run(lab["new_article"]),),)
    if op.op == "deleted":
        return ((Run(lab["deleted_article"]),),), _whole(op.block)
    assert op.a is not None and op.b is not None
    if op.op == "moved" and op.direction == "out":
        return ((Run(lab["moved_to"].format(where=names.of(op.b))),),), _whole(op.a)
    if op.op == "moved":  # arrived: underlined here, with its own edits
        return _whole(op.b), ((Run(lab["moved_from"].format(where=names.of(op.a))),),)
    kind = op_class(op)
    if kind == "formatting":  # same words and links: the passage, marked on both sides
        return _whole(op.b), _whole(op.a)
    new = _lines(op.b, _side(op.text_ops, "b"))
    old = _lines(op.a, _side(op.text_ops, "a"))
    if kind == "links" or op.a.links != op.b.links:
        old_notes, new_notes = _link_notes(op.a, op.b, lab["link_target"])
        new += (new_notes,) if new_notes else ()
        old += (old_notes,) if old_notes else ()
    return new, old


def column_heads(language: str, old: dt.date | str, new: dt.date | str | None,
                 draft: bool = False) -> tuple[str, str]:
    """(new, old) column headings: 改正後（2023年4月14日施行） / 改正前（2022年4月1日施行）;
    a draft under review is 改正案 (施行日未定 when ``new`` is None) against 現行. A side
    given as a string (a file name) is named by it."""
    lab = TABLE_LABELS.get(language, TABLE_LABELS["en"])

    def head(side: dt.date | str | None, word: str) -> str:
        if isinstance(side, dt.date):
            return lab["dated"].format(label=word, date=long_date(side, language))
        if side is None:
            return lab["undated"].format(label=word)
        return lab["named"].format(label=word, name=side)

    return (head(new, lab["proposed" if draft else "new"]),
            head(old, lab["current" if draft else "old"]))


def plain_text(table: Table, heads: Iterable[str]) -> str:
    """The table for a terminal or a mail: each row's columns one after the other, the
    underlined characters between ［ and ］, a table's cells between │."""
    new_head, old_head = heads
    out = [table.note, ""]
    for row in table.rows:
        if row.kind in ("heading", "part"):
            out.append(f"{'■' if row.kind == 'heading' else '□'} {_text(row.new)}")
        elif row.kind in ("omitted", "clause"):
            out.append(f"  {_text(row.new)}")
        else:
            new = _grid_text(row.new_grid) if row.kind == "table" else _text(row.new)
            old = _grid_text(row.old_grid) if row.kind == "table" else _text(row.old)
            out += [f"  {new_head}:", _indent(new), f"  {old_head}:", _indent(old)]
        if row.reason:
            out.append(f"  → {row.reason}")
    return "\n".join(out) + "\n"


def _text(paras: tuple[Para, ...]) -> str:
    return "\n".join("".join(f"［{r.text}］" if r.marked else r.text for r in p)
                     for p in paras)


def _grid_text(grid: tuple[GridRow, ...]) -> str:
    return "\n".join(" │ ".join(_text(c).replace("\n", " ／ ") for c in row.cells)
                     for row in grid)


def _indent(text: str) -> str:
    return "\n".join("    " + ln for ln in text.splitlines())
