"""The 新旧対照表 as a document: the rows of :mod:`.rows`' plan as two columns of plain text
runs, some underlined.

What Word and PDF exports are made of (:mod:`.export`), and the table as terminal text. The
changed characters are underlined (傍線) exactly; moved text is underlined where it arrives,
and the old column says where it came from. Link targets that changed are written out,
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
from ..present.rows import PlanRow, row_plan


class Run(NamedTuple):
    text: str
    marked: bool = False  # underlined: changed (or moved here)


Para = tuple[Run, ...]


class Row(NamedTuple):
    kind: str  # "heading" (a section heading, unchanged), "omitted" (（略）), "change"
    new: tuple[Para, ...]
    old: tuple[Para, ...]
    section: SectionRef
    number: int = 0  # the first change (change-N) the row shows; 0 for others
    reason: str = ""  # why the section changed (改定理由), on its first row


class Table(NamedTuple):
    rows: tuple[Row, ...]
    note: str  # （傍線部分は改正部分）
    omitted: str  # （略）
    reasons: bool = False  # a third column: 改定理由


def _plain(text: str) -> str:
    return text.replace("\t", " │ ")


def _side(ops: Sequence[TextOp], side: str) -> Para:
    """One side of a changed block: its text, the characters only on this side marked."""
    skip = "insert" if side == "a" else "delete"
    runs: list[Run] = []
    for t in ops:
        if t.op == skip or not t.text:
            continue
        marked = t.op != "equal"
        if runs and runs[-1].marked == marked:
            runs[-1] = Run(runs[-1].text + _plain(t.text), marked)
        else:
            runs.append(Run(_plain(t.text), marked))
    return tuple(runs)


def _whole(block: Block, marked: bool = True) -> Para:
    return (Run(_plain(block.text), marked),) if block.text else ()


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
    heading. On paper a table row is a block like any other, and a section new or deleted
    whole has no heading row of its own (its （新設） or （削る） says it)."""
    lab = DIFF_LABELS.get(language, DIFF_LABELS["en"])
    plan = row_plan(diff, reasons, nested_tables=False, whole_section_heading=False)
    return Table(tuple(_row(row, lab) for row in plan), lab["note"], lab["omitted"],
                 bool(reasons))


def _row(row: PlanRow, lab: dict[str, str]) -> Row:
    """One row of the plan as runs."""
    key = row.section
    if row.kind in ("heading", "omitted"):
        text = lab["omitted"] if row.kind == "omitted" else _plain(key.title) or lab["top"]
        para = ((Run(text),),)
        return Row(row.kind, para, para, key, reason=row.reason)
    first = row.items[0]
    if row.kind == "provision":
        blocks = tuple(_whole(item.op.block) for item in row.items)
        inserted = first.op.op == "inserted"
        mark = ((Run(lab["new_article" if inserted else "deleted_article"]),),)
        new, old = (blocks, mark) if inserted else (mark, blocks)
    else:
        assert row.kind == "change", row.kind  # no "table" rows on paper
        new, old = _cells(first.op, lab)
    return Row("change", new, old, key, first.number, row.reason)


def _name(block: Block, lab: dict[str, str]) -> str:
    """A section named on paper: by its heading's own text."""
    return block.section[-1] if block.section else lab["top"]


def _cells(op: BlockOp, lab: dict[str, str]) -> tuple[tuple[Para, ...], tuple[Para, ...]]:
    """(new, old) paragraphs of one changed block."""
    if op.op == "inserted":
        return (_whole(op.block),), ((Run(lab["new_article"]),),)
    if op.op == "deleted":
        return ((Run(lab["deleted_article"]),),), (_whole(op.block),)
    assert op.a is not None and op.b is not None
    if op.op == "moved" and op.direction == "out":
        return ((Run(lab["moved_to"].format(where=_name(op.b, lab))),),), (_whole(op.a),)
    if op.op == "moved":  # arrived: underlined here, with its own edits
        return (_whole(op.b),), ((Run(lab["moved_from"].format(where=_name(op.a, lab))),),)
    kind = op_class(op)
    if kind == "formatting":  # same words and links: the passage, marked on both sides
        return (_whole(op.b),), (_whole(op.a),)
    new: tuple[Para, ...] = (_side(op.text_ops, "b"),)
    old: tuple[Para, ...] = (_side(op.text_ops, "a"),)
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
    underlined characters between ［ and ］."""
    def cell(paras: tuple[Para, ...]) -> str:
        return "\n".join("".join(f"［{r.text}］" if r.marked else r.text for r in p)
                         for p in paras)

    new_head, old_head = heads
    out = [table.note, ""]
    for row in table.rows:
        if row.kind == "heading":
            out.append(f"■ {cell(row.new)}")
        elif row.kind == "omitted":
            out.append(f"  {table.omitted}")
        else:
            out += [f"  {new_head}:", _indent(cell(row.new)), f"  {old_head}:",
                    _indent(cell(row.old))]
        if row.reason:
            out.append(f"  → {row.reason}")
    return "\n".join(out) + "\n"


def _indent(text: str) -> str:
    return "\n".join("    " + ln for ln in text.splitlines())
