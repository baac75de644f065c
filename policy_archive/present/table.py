"""The 新旧対照表 as HTML: only changed articles with their headings, changed passages
underlined (傍線), (新設)/(削除) in the other column."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from ..diff.classes import op_class
from ..diff.result import DocumentDiff
from ..foundation.i18n import TABLE_LABELS
from .cells import empty_row, row_width, side_row
from .marks import Names, labels, ops_html, whole_mark
from .numbering import Numbered
from .rows import CitingNames, PlanRow, clause_lead, row_plan


def _amend_cells(item: Numbered, lab: dict[str, str], names: Names) -> tuple[str, str]:
    """(new, old) cell contents of one change, the changed passages underlined."""
    op = item.op
    if op.op == "changed" and op_class(op) == "formatting":
        assert op.a is not None
        return op.block.html, op.a.html
    if op.op == "changed":
        return (ops_html(op.a, op.b, op.text_ops, "b", lab, "mark"),
                ops_html(op.a, op.b, op.text_ops, "a", lab, "mark"))
    if op.op == "moved" and op.direction == "in":  # underlined where it arrives, whole
        assert op.a is not None and op.b is not None
        return (whole_mark("ins", op.b, lab, "mark moved-here"),
                escape(lab["moved_from"].format(where=names.of(op.a))))
    if op.op == "inserted":
        return whole_mark("ins", op.block, lab, "mark"), lab["new_article"]
    if op.op == "deleted":
        return lab["deleted_article"], whole_mark("del", op.block, lab, "mark")
    assert op.b is not None
    return (escape(lab["moved_to"].format(where=names.of(op.b))),
            whole_mark("del", op.block, lab, "mark"))


def _amend_table_rows(run: list[Numbered], lab: dict[str, str], names: Names,
                      new_first: bool) -> str:
    """A run of table rows in the 新旧対照表: one row of the comparison whose two cells hold
    each side's table: the header rows, the changed rows, and （略） for rows between."""
    sides: dict[str, list[str]] = {"a": [], "b": []}
    skipped = False
    for item in run:
        op = item.op
        if not item.number and not op.block.header:
            if not skipped:
                for side, block in (("a", op.a), ("b", op.b)):
                    sides[side].append(empty_row(row_width(block), lab["omitted"]))
            skipped = True
            continue
        skipped = False
        for side in ("a", "b"):
            id_here = op.in_b if side == "b" else op.in_a and not op.in_b
            sides[side].append(side_row(item, side, lab, names, "mark", with_id=id_here))
    tables = {s: f'<table class="diff-table">{"".join(rows)}</table>' for s, rows in sides.items()}
    return f'<tr class="amend-row amend-table">{_pair(tables["b"], tables["a"], new_first)}</tr>\n'


def _amend_part(item: Numbered, lab: dict[str, str]) -> str:
    """One new or deleted block of a provision, marked, with its own change id."""
    tag = "ins" if item.op.op == "inserted" else "del"
    css = " article-heading" if item.op.block.kind == "heading" else ""
    return (f'<div class="amend-part{css}" id="change-{item.number}" data-change tabindex="-1">'
            f'{whole_mark(tag, item.op.block, lab, "mark")}</div>')


def _pair(new: str, old: str, new_first: bool) -> str:
    """A row's two cells in the order of the columns."""
    first, second = (new, old) if new_first else (old, new)
    return f"<td>{first}</td><td>{second}</td>"


def _provision_row(items: tuple[Numbered, ...], lab: dict[str, str], new_first: bool) -> str:
    """A new provision (its blocks in the new column, （新設） once in the old one) or a
    deleted one (（削る） once in the new column)."""
    text = "".join(_amend_part(item, lab) for item in items)
    inserted = items[0].op.op == "inserted"
    other = lab["new_article" if inserted else "deleted_article"]
    new, old = (text, other) if inserted else (other, text)
    return f'<tr class="amend-row amend-provision">{_pair(new, old, new_first)}</tr>\n'


def _change_row(items: tuple[Numbered, ...], lab: dict[str, str], names: Names,
                new_first: bool) -> str:
    """One changed block; a move inside its section also holds the move's departure, whose
    change id is kept as an anchor in the row."""
    item = items[0]
    new, old = _amend_cells(item, lab, names)
    old += "".join(f'<span id="change-{i.number}"></span>' for i in items[1:])
    css = " article-heading" if item.op.block.kind == "heading" else ""
    return (f'<tr class="amend-row{css}" id="change-{item.number}" data-change '
            f'tabindex="-1">{_pair(new, old, new_first)}</tr>\n')


def _row_html(row: PlanRow, lab: dict[str, str], names: Names, new_first: bool) -> str:
    """One row of the plan as HTML."""
    if row.kind == "heading":
        heading = escape(row.section.title) if row.section.title else lab["top"]
        return f'<tr class="article-heading"><td>{heading}</td><td>{heading}</td></tr>\n'
    if row.kind == "part":
        title = escape(row.section.title)
        return f'<tr class="part-heading"><td>{title}</td><td>{title}</td></tr>\n'
    if row.kind == "omitted":
        return f'<tr class="omitted"><td>{lab["omitted"]}</td><td>{lab["omitted"]}</td></tr>\n'
    if row.kind == "clause":
        text = escape(clause_lead(row.items[0].op.block)) + lab["omitted"]
        return f'<tr class="clause"><td>{text}</td><td>{text}</td></tr>\n'
    if row.kind == "provision":
        return _provision_row(row.items, lab, new_first)
    if row.kind == "table":
        return _amend_table_rows(list(row.items), lab, names, new_first)
    return _change_row(row.items, lab, names, new_first)


def _with_reason(html: str, reason: str) -> str:
    """The row with its 改定理由 cell (empty but on the section's first row) last."""
    end = html.rfind("</tr>")
    return f'{html[:end]}<td class="reason">{escape(reason)}</td>{html[end:]}'


def _head(language: str, lab: dict[str, str], heads: tuple[str, str], with_reasons: bool
          ) -> str:
    """The note, the table's caption, columns and column headings."""
    reason_head = (f'<th scope="col" class="reason">'
                   f'{TABLE_LABELS.get(language, TABLE_LABELS["en"])["reasons"]}</th>'
                   if with_reasons else "")
    reason_col = '<col class="reason">' if with_reasons else ""
    return (f'<p class="amend-note">{lab["note"]}</p>\n'
            f'<table class="amend{" with-reasons" if with_reasons else ""}" lang="{language}">'
            f'<caption>{lab["caption"]}</caption>\n'
            f'<colgroup><col><col>{reason_col}</colgroup>\n'
            f'<thead><tr><th scope="col">{escape(heads[0])}</th>'
            f'<th scope="col">{escape(heads[1])}</th>{reason_head}</tr></thead>\n<tbody>\n')


def amendment_table_html(diff: DocumentDiff, language: str, columns: str,
                         heads: tuple[str, str] | None = None,
                         reasons: Sequence[tuple[str, str]] = ()) -> str:
    """新旧対照表: the rows of :func:`.rows.row_plan`; ``heads``: the (new, old) column
    headings (default: 改正後 / 改正前); ``reasons``: (section heading or id, why it
    changed), shown in a third column (改定理由) beside the section."""
    lab = labels(language)
    names = CitingNames(diff, lab)
    new_first = columns != "old-new"
    new_head, old_head = heads or (lab["new"], lab["old"])
    out = [_head(language, lab, (new_head, old_head) if new_first else (old_head, new_head),
                 bool(reasons))]
    for row in row_plan(diff, reasons):
        html = _row_html(row, lab, names, new_first)
        out.append(_with_reason(html, row.reason) if reasons else html)
    out.append("</tbody></table>\n")
    return "".join(out)
