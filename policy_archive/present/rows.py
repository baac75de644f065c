"""The row plan of the 新旧対照表: which rows the table has, in which order, and which changes
each shows. The HTML table (:mod:`.table`) and the Word/PDF sheets (:mod:`.amendment`) both
render this one plan, so the site and its downloads cannot drift apart.

The conventions of practice: only the changed sections appear, each under its heading (a row
of its own unless the heading itself changed); unchanged passages between changes are one
（略）; a run of new blocks is one provision (（新設） once in the old column), a run of
deleted ones too (（削る） once in the new column); every other change is a row of its own.
What a row's cells hold (HTML with its markup, or plain runs for paper) is the renderer's.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Literal, NamedTuple

from ..diff.result import DocumentDiff
from ..diff.sections import SectionRef, section_of
from ..foundation.model import Reason
from .numbering import Numbered, numbered, table_runs

#: "heading": a section's unchanged heading; "omitted": （略）; "change": one changed block;
#: "provision": a run of new (or of deleted) blocks; "table": a run of table rows with a
#: change, shown as a table on each side.
RowKind = Literal["heading", "omitted", "change", "provision", "table"]


class PlanRow(NamedTuple):
    kind: RowKind
    section: SectionRef
    items: tuple[Numbered, ...] = ()  # the ops the row shows (none for heading and （略）)
    reason: str = ""  # why the section changed (改定理由), on the section's first row


def row_plan(diff: DocumentDiff, reasons: Sequence[tuple[str, str]] = (), *,
             nested_tables: bool = True, whole_section_heading: bool = True
             ) -> tuple[PlanRow, ...]:
    """The rows of the 新旧対照表 of ``diff``; ``reasons``: (section heading or id, why it
    changed). The two flags say where the site and paper differ today: ``nested_tables``
    keeps a run of table rows as one "table" row (paper shows each table row as a block),
    ``whole_section_heading`` gives a section that is new or deleted whole a heading row
    when its heading did not change (the top of a document has no heading of its own)."""
    rows: list[PlanRow] = []
    for key, group in _groups(diff).items():
        section = _section_rows(key, group, nested_tables, whole_section_heading)
        if reasons and section:
            section[0] = section[0]._replace(reason=reason_for(key, reasons))
        rows.extend(section)
    return tuple(rows)


def _groups(diff: DocumentDiff) -> dict[SectionRef, list[Numbered]]:
    """The ops of each section with a change, in the order of the diff."""
    items = numbered(diff)
    keys = [section_of(item.op.block) for item in items]
    changed = {key for item, key in zip(items, keys) if item.number}
    groups: dict[SectionRef, list[Numbered]] = {}
    for item, key in zip(items, keys):
        if key in changed:
            groups.setdefault(key, []).append(item)
    return groups


def _units(group: list[Numbered], nested_tables: bool
           ) -> Iterator[tuple[bool, list[Numbered]]]:
    if nested_tables:
        yield from table_runs(group)
    else:
        yield from ((False, [item]) for item in group)


def _section_rows(key: SectionRef, group: list[Numbered], nested_tables: bool,
                  whole_section_heading: bool) -> list[PlanRow]:
    """One section's rows: its heading, its changes, （略） between them."""
    out: list[PlanRow] = []
    whole = len({item.op.op for item in group}) == 1 and group[0].op.op in ("inserted",
                                                                           "deleted")
    if not any(i.op.block.kind == "heading" and i.number for i in group) and (
            whole_section_heading or not whole):
        out.append(PlanRow("heading", key))
    provision: list[Numbered] = []  # a run of new or of deleted blocks: one row
    for is_table, run in _units(group, nested_tables):
        item = run[0]
        if not is_table and item.number and item.op.op in ("inserted", "deleted"):
            if provision and provision[0].op.op != item.op.op:
                out.append(PlanRow("provision", key, tuple(provision)))
                provision = []
            provision.append(item)
            continue
        if provision:
            out.append(PlanRow("provision", key, tuple(provision)))
            provision = []
        if is_table and any(i.number for i in run):
            out.append(PlanRow("table", key, tuple(run)))
        elif item.number and not is_table:
            out.append(PlanRow("change", key, (item,)))
        elif (is_table or not _own_heading(item, key)) and (not out or out[-1].kind != "omitted"):
            out.append(PlanRow("omitted", key))
    if provision:
        out.append(PlanRow("provision", key, tuple(provision)))
    return out


def _own_heading(item: Numbered, key: SectionRef) -> bool:
    block = item.op.block
    return block.kind == "heading" and block.anchor == key.section_id


def changed_sections(diff: DocumentDiff) -> list[SectionRef]:
    """The sections the table shows, in its order."""
    return list(dict.fromkeys(section_of(op.block) for op in diff.ops if op.op != "equal"))


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
