"""The 新旧対照表 as a document: rows of two columns of plain text runs, some underlined.

What Word and PDF exports are made of (:mod:`.export`). The conventions of practice: only the
changed provisions appear, each under its section heading; unchanged passages between them
are one （略）; the changed characters are underlined (傍線) exactly; a new provision (a whole
new section, or a run of new paragraphs) shows （新設） once in the old column, a deleted one
（削る） once in the new column; moved text is underlined where it arrives, and the old column
says where it came from. Link targets that changed are written out, underlined, so a change
that only re-points a link is visible on paper too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import NamedTuple

from ..diff.classes import op_class
from ..diff.ops import BlockOp, TextOp
from ..diff.result import DocumentDiff
from ..diff.sections import SectionRef
from ..foundation.i18n import DIFF_LABELS
from ..foundation.model import Block, Reason


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


def changed_sections(diff: DocumentDiff) -> list[SectionRef]:
    """The sections the table shows, in its order."""
    return list(dict.fromkeys(section_of(op) for op in diff.ops if op.op != "equal"))


def reason_for(section: SectionRef, reasons: Iterable[tuple[str, str]]) -> str:
    """The reason given for ``section``: by its heading text or its id."""
    return next((text for key, text in reasons if key in (section.title, section.section_id)),
                "")


def unmatched_reasons(diff: DocumentDiff, reasons: Iterable[Reason]) -> list[Reason]:
    """Reasons that name no section changed in ``diff`` (a typo, or a section that did not
    change)."""
    sections = changed_sections(diff)
    return [r for r in reasons
            if not any(r.section in (s.title, s.section_id) for s in sections)]


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


def section_of(op: BlockOp) -> SectionRef:
    """The section a block stands for in the table: a heading its own, others their heading's."""
    block = op.block
    if block.kind == "heading" and block.anchor:
        return SectionRef(block.anchor, block.text)
    return SectionRef(block.section_id, block.section[-1] if block.section else "")


def amendment_table(diff: DocumentDiff, language: str,
                    reasons: Sequence[tuple[str, str]] = ()) -> Table:
    """The rows of the 新旧対照表 of ``diff``; ``reasons``: (section heading or id, why it
    changed) for the third column. The moved-from/-to notes name a section by its heading."""
    lab = DIFF_LABELS.get(language, DIFF_LABELS["en"])
    numbered: list[tuple[int, BlockOp]] = []
    n = 0
    for op in diff.ops:
        n += op.op != "equal"
        numbered.append((n if op.op != "equal" else 0, op))
    keys = [section_of(op) for _, op in numbered]
    changed = {k for (num, _), k in zip(numbered, keys) if num}
    groups: dict[SectionRef, list[tuple[int, BlockOp]]] = {}
    for item, key in zip(numbered, keys):
        if key in changed:
            groups.setdefault(key, []).append(item)

    def name(block: Block | None) -> str:
        return block.section[-1] if block is not None and block.section else lab["top"]

    rows: list[Row] = []
    for key, group in groups.items():
        ops = [op for _, op in group]
        first = next(num for num, _ in group if num)
        if all(op.op == "inserted" for op in ops):  # a new section, whole: （新設） once
            rows.append(Row("change", tuple(_whole(op.block) for op in ops),
                            ((Run(lab["new_article"]),),), key, first))
            continue
        if all(op.op == "deleted" for op in ops):  # a section deleted whole: （削る） once
            rows.append(Row("change", ((Run(lab["deleted_article"]),),),
                            tuple(_whole(op.block) for op in ops), key, first))
            continue
        heading_changed = any(op.block.kind == "heading" and num for num, op in group)
        if not heading_changed:
            title = ((Run(_plain(key.title)),),) if key.title else ((Run(lab["top"]),),)
            rows.append(Row("heading", title, title, key))
        for num, op in group:
            own_heading = op.block.kind == "heading" and op.block.anchor == key.section_id
            if not num:
                if own_heading:
                    continue
                if not rows or rows[-1].kind != "omitted" or rows[-1].section != key:
                    om = ((Run(lab["omitted"]),),)
                    rows.append(Row("omitted", om, om, key))
                continue
            new, old = _cells(op, lab, name)
            last = rows[-1] if rows else None
            # A run of new (or deleted) paragraphs is one provision: one （新設） (（削る）).
            if last is not None and last.kind == "change" and last.section == key and (
                    op.op == "inserted" and last.old == ((Run(lab["new_article"]),),)
                    or op.op == "deleted" and last.new == ((Run(lab["deleted_article"]),),)):
                if op.op == "inserted":
                    rows[-1] = last._replace(new=last.new + new)
                else:
                    rows[-1] = last._replace(old=last.old + old)
                continue
            rows.append(Row("change", new, old, key, num))
    if reasons:  # each section's reason on its first row
        seen: set[SectionRef] = set()
        for i, row in enumerate(rows):
            if row.section not in seen:
                seen.add(row.section)
                rows[i] = row._replace(reason=reason_for(row.section, reasons))
    return Table(tuple(rows), lab["note"], lab["omitted"], bool(reasons))


def _cells(op: BlockOp, lab: dict[str, str], name: Callable[[Block | None], str]
           ) -> tuple[tuple[Para, ...], tuple[Para, ...]]:
    """(new, old) paragraphs of one changed block."""
    if op.op == "inserted":
        return (_whole(op.block),), ((Run(lab["new_article"]),),)
    if op.op == "deleted":
        return ((Run(lab["deleted_article"]),),), (_whole(op.block),)
    assert op.a is not None and op.b is not None
    if op.op == "moved" and op.direction == "out":
        return ((Run(lab["moved_to"].format(where=name(op.b))),),), (_whole(op.a),)
    if op.op == "moved":  # arrived: underlined here, with its own edits
        return (_whole(op.b),), ((Run(lab["moved_from"].format(where=name(op.a))),),)
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
    from ..foundation.i18n import TABLE_LABELS, long_date

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
