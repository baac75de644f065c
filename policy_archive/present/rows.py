"""The row plan of the 新旧対照表: which rows the table has, in which order, and which changes
each shows. The HTML table (:mod:`.table`) and the Word/PDF sheets (:mod:`.amendment`) both
render this one plan, so the site and its downloads cannot drift apart.

The conventions of practice: only the changed sections appear, each under its heading (a row
of its own unless the heading itself changed) and, where that changes, under its 章・節 or
附則 heading; a changed 号 under its 項 (２（略）); unchanged passages between changes are one
（略）; a run of new blocks is one provision (（新設） once in the old column), a run of
deleted ones too (（削る） once in the new column); every other change is a row of its own.
What a row's cells hold (HTML with its markup, or plain runs for paper) is the renderer's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Literal, NamedTuple

from ..diff.chars import block_word_ops
from ..diff.result import DocumentDiff
from ..diff.sections import SectionRef, block_key, provision_places, section_of
from ..foundation.model import Block, Reason
from .marks import Names
from .numbering import Numbered, numbered, table_runs

#: "heading": a section's unchanged heading; "part": the heading of what encloses it (章・節,
#: 附則), when it is not the previous section's; "clause": an unchanged 項 above a changed
#: 号 (２（略）); "omitted": （略）; "change": one changed block; "provision": a run of new
#: (or of deleted) blocks; "table": a run of table rows with a change, a table on each side.
RowKind = Literal["heading", "part", "clause", "omitted", "change", "provision", "table"]

#: A heading that encloses provisions as a statute's do: 第二章, 第一節, 本則, 附則 (with its
#: amending law or date after it).
_PART = re.compile(r"^\s*(?:第\s*[〇一二三四五六七八九十百千0-9０-９]+\s*[編章節款目]|附\s*則|本\s*則)")
#: A 項's number at the start of its paragraph (２　…, 2 …).
_CLAUSE = re.compile(r"^\s*([0-9０-９]+)[\s\u3000]")


class PlanRow(NamedTuple):
    kind: RowKind
    section: SectionRef  # for "part": the enclosing heading's own (id, text)
    #: The ops the row shows (none for heading, part and （略）; a "clause" holds its 項's
    #: unchanged paragraph); a move inside one section is one "change" row holding the
    #: move's arrival (shown as a change of the old text) and its departure.
    items: tuple[Numbered, ...] = ()
    reason: str = ""  # why the section changed (改定理由), on the section's first row


def row_plan(diff: DocumentDiff, reasons: Sequence[tuple[str, str]] = ()
             ) -> tuple[PlanRow, ...]:
    """The rows of the 新旧対照表 of ``diff``; ``reasons``: (section heading or id, why it
    changed). The site and paper show the same rows: every row under its 章・節 or 附則
    (a "part" row where that changes), a changed 号 under its 項, a run of table rows as
    one table. Changed blocks carry their ops by 字句 (:func:`.chars.block_word_ops`)."""
    rows: list[PlanRow] = []
    parts = _Parts(diff)
    shown: tuple[str, ...] = ()
    for key, group in _groups(diff).items():
        path = parts.path(group[0].op.block)
        section = _section_rows(key, group)
        if reasons and section:
            section[0] = section[0]._replace(reason=reason_for(key, reasons))
        rows.extend(parts.rows(path, shown))
        rows.extend(section)
        shown = path
    return tuple(rows)


class _Parts:
    """The headings that enclose a section, below the document's own title (a heading that
    holds every other on its side)."""

    def __init__(self, diff: DocumentDiff) -> None:
        heads = [[b.section for b in blocks if b.kind == "heading"] for blocks in (diff.a, diff.b)]
        self.root = 1 if all(len(h) > 1 and len({p[0] for p in h}) == 1 for h in heads) else 0
        self.ids: dict[tuple[str, ...], str] = {}
        for block in (*diff.a, *diff.b):
            if block.kind == "heading":
                self.ids.setdefault(self.path(block), block.anchor)

    def path(self, block: Block) -> tuple[str, ...]:
        """The headings ``block`` is under (a heading: itself included), the title left out."""
        return block.section[self.root:]

    def rows(self, path: tuple[str, ...], shown: tuple[str, ...]) -> list[PlanRow]:
        """A "part" row for each enclosing 編・章・節・款・目, 本則 or 附則 heading the previous
        section (``shown``) was not under."""
        return [PlanRow("part", SectionRef(self.ids.get(path[:n + 1], ""), path[n]))
                for n in range(len(path) - 1)
                if _PART.match(path[n]) and path[:n + 1] != shown[:n + 1]]


def _groups(diff: DocumentDiff) -> dict[SectionRef, list[Numbered]]:
    """The ops of each section with a change, in the order of the diff, changed blocks with
    their ops by 字句; a move inside one section (a provision, not a heading or a table row,
    in a section that did not move whole) is joined into one item where it arrives."""
    items = [_by_words(item) for item in numbered(diff)]
    keys = [section_of(item.op.block) for item in items]
    changed = {key for item, key in zip(items, keys) if item.number}
    moved_sections = {key for i, key in zip(items, keys)
                      if i.op.op == "moved" and i.op.block.kind == "heading"}
    within = {(i.op.a_index, i.op.b_index): i for i, key in zip(items, keys)
              if i.op.op == "moved" and i.op.direction == "out"
              and i.op.block.kind not in ("row", "heading") and key not in moved_sections
              and section_of(_side(i.op.b)) == key
              and _side(i.op.a).section == _side(i.op.b).section}
    groups: dict[SectionRef, list[Numbered]] = {}
    for item, key in zip(items, keys):
        if key not in changed or (item.op.a_index, item.op.b_index) in within and \
                item.op.direction == "out":
            continue
        departure = within.get((item.op.a_index, item.op.b_index))
        if departure is not None:  # arrived: shown as a change of the old text, in place
            item = item._replace(op=item.op._replace(op="changed", direction=""))
            groups.setdefault(key, []).append(item)
            groups[key].append(departure._replace(op=departure.op._replace(op="equal")))
            continue
        groups.setdefault(key, []).append(item)
    return groups


def _side(block: Block | None) -> Block:
    assert block is not None
    return block


def _by_words(item: Numbered) -> Numbered:
    op = item.op
    if op.op in ("changed", "moved") and op.a is not None and op.b is not None:
        return item._replace(op=op._replace(text_ops=block_word_ops(op.a, op.b)))
    return item


def _clauses(group: list[Numbered]) -> set[int]:
    """Where an unchanged 項 stands above a changed 号 under it: its index in ``group``."""
    out: set[int] = set()
    clause = -1
    for k, item in enumerate(group):
        block = item.op.block
        if block.kind == "heading":
            clause = -1
        elif block.kind == "paragraph":
            clause = k if not item.number and _CLAUSE.match(block.text) else -1
        elif block.kind == "item" and item.number and clause >= 0:
            out.add(clause)
    return out


def _section_rows(key: SectionRef, group: list[Numbered]) -> list[PlanRow]:
    """One section's rows: its heading, its changes, （略） between them."""
    out: list[PlanRow] = []
    if not any(i.op.block.kind == "heading" and i.number for i in group):
        out.append(PlanRow("heading", key))
    clauses = {id(group[k]) for k in _clauses(group)}
    provision: list[Numbered] = []  # a run of new or of deleted blocks: one row
    for is_table, run in table_runs(group):
        item = run[0]
        if not is_table and item.number and item.op.op == "equal":  # a move's departure
            out[-1] = out[-1]._replace(items=(*out[-1].items, item))
            continue
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
        elif id(item) in clauses:
            out.append(PlanRow("clause", key, (item,)))
        elif (is_table or not _own_heading(item, key)) and (not out or out[-1].kind != "omitted"):
            out.append(PlanRow("omitted", key))
    if provision:
        out.append(PlanRow("provision", key, tuple(provision)))
    return out


def clause_lead(block: Block) -> str:
    """How a 項 starts: its number and the space after it (``２　`` of ``２　…``)."""
    m = _CLAUSE.match(block.text)
    return m.group(0).lstrip() if m else ""


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


class CitingNames(Names):
    """Names that cite a block whole: its section's heading (with its parents where needed)
    and its 項・号 (第二十一条（罰則）第四項), for 移動元／移動先 in the 新旧対照表."""

    def __init__(self, diff: DocumentDiff, lab: dict[str, str]) -> None:
        super().__init__(diff, lab)
        self.places = {**provision_places(diff.a), **provision_places(diff.b)}

    def of(self, block: Block) -> str:
        return super().of(block) + self.places.get(block_key(block), "")
