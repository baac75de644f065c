"""The 新旧対照表 as HTML: only changed articles with their headings, changed passages
underlined (傍線), (新設)/(削除) in the other column."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from ..diff.engine import DocumentDiff, op_class
from ..diff.sections import SectionRef, section_of
from .cells import (
    empty_row,
    row_width,
    side_row,
)
from .marks import (
    Names,
    labels,
    ops_html,
    table_runs,
    whole_mark,
)
from .numbering import Numbered, numbered


def _amend_cells(item: Numbered, lab: dict[str, str], names: Names) -> tuple[str, str]:
    """(new, old) cell contents with changed passages underlined."""
    op = item.op
    if op.op == "equal":
        return lab["omitted"], lab["omitted"]
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
    first, second = (tables["b"], tables["a"]) if new_first else (tables["a"], tables["b"])
    return f'<tr class="amend-row amend-table"><td>{first}</td><td>{second}</td></tr>\n'


def _amend_part(item: Numbered, lab: dict[str, str]) -> str:
    """One new or deleted block of a provision, marked, with its own change id."""
    tag = "ins" if item.op.op == "inserted" else "del"
    css = " article-heading" if item.op.block.kind == "heading" else ""
    return (f'<div class="amend-part{css}" id="change-{item.number}" data-change tabindex="-1">'
            f'{whole_mark(tag, item.op.block, lab, "mark")}</div>')


def _provision_row(parts: list[str] | None, op: str, lab: dict[str, str], new_first: bool
                   ) -> str:
    """A new provision (its blocks in the new column, （新設） once in the old one) or a
    deleted one (（削る） once in the new column); "" for none."""
    if not parts:
        return ""
    text, other = "".join(parts), lab["new_article" if op == "inserted" else "deleted_article"]
    new, old = (text, other) if op == "inserted" else (other, text)
    cells = (new, old) if new_first else (old, new)
    return (f'<tr class="amend-row amend-provision"><td>{cells[0]}</td><td>{cells[1]}</td>'
            "</tr>\n")


def amendment_table_html(diff: DocumentDiff, language: str, columns: str,
                         heads: tuple[str, str] | None = None,
                         reasons: Sequence[tuple[str, str]] = ()) -> str:
    """新旧対照表: per changed section, its heading and its changed blocks; ``heads``: the
    (new, old) column headings (default: 改正後 / 改正前); ``reasons``: (section heading or
    id, why it changed), shown in a third column (改定理由) beside the section."""
    from ..foundation.i18n import TABLE_LABELS
    from .amendment import reason_for

    lab = labels(language)
    names = Names(diff, lab)
    items = numbered(diff)
    keys = [section_of(i.op.block) for i in items]
    changed_sections = {key for i, key in zip(items, keys) if i.number}
    groups: dict[SectionRef, list[Numbered]] = {}
    for item, key in zip(items, keys):
        if key in changed_sections:
            groups.setdefault(key, []).append(item)
    new_first = columns != "old-new"
    new_head, old_head = heads or (lab["new"], lab["old"])
    heads = (new_head, old_head) if new_first else (old_head, new_head)
    reason_head = (f'<th scope="col" class="reason">'
                   f'{TABLE_LABELS.get(language, TABLE_LABELS["en"])["reasons"]}</th>'
                   if reasons else "")
    reason_col = '<col class="reason">' if reasons else ""
    out = [f'<p class="amend-note">{lab["note"]}</p>\n'
           f'<table class="amend{" with-reasons" if reasons else ""}" lang="{language}">'
           f'<caption>{lab["caption"]}</caption>\n'
           f'<colgroup><col><col>{reason_col}</colgroup>\n'
           f'<thead><tr><th scope="col">{escape(heads[0])}</th>'
           f'<th scope="col">{escape(heads[1])}</th>{reason_head}</tr></thead>\n<tbody>\n']
    for key, group in groups.items():
        start = len(out)
        heading = escape(key.title) if key.title else lab["top"]
        heading_changed = any(i.op.block.kind == "heading" and i.number for i in group)
        if not heading_changed:
            out.append(f'<tr class="article-heading"><td>{heading}</td><td>{heading}</td></tr>\n')
        omitted = False
        provision: list[str] | None = None  # a run of new or deleted blocks: one row
        provision_op = ""
        for is_table, run in table_runs(group):
            item = run[0]
            if not is_table and item.number and item.op.op in ("inserted", "deleted"):
                part = _amend_part(item, lab)
                if provision is not None and provision_op == item.op.op:
                    provision.append(part)
                    continue
                out.append(_provision_row(provision, provision_op, lab, new_first))
                provision, provision_op = [part], item.op.op
                omitted = False
                continue
            out.append(_provision_row(provision, provision_op, lab, new_first))
            provision = None
            if is_table:
                if any(i.number for i in run):
                    out.append(_amend_table_rows(run, lab, names, new_first))
                    omitted = False
                elif not omitted:
                    out.append(f'<tr class="omitted"><td>{lab["omitted"]}</td>'
                               f'<td>{lab["omitted"]}</td></tr>\n')
                    omitted = True
                continue
            own_heading = item.op.block.kind == "heading" and item.op.block.anchor == key.section_id
            if not item.number and own_heading:
                continue
            if not item.number:
                if not omitted:
                    out.append(f'<tr class="omitted"><td>{lab["omitted"]}</td>'
                               f'<td>{lab["omitted"]}</td></tr>\n')
                omitted = True
                continue
            omitted = False
            new, old = _amend_cells(item, lab, names)
            cells = (new, old) if new_first else (old, new)
            css = " article-heading" if item.op.block.kind == "heading" else ""
            out.append(f'<tr class="amend-row{css}" id="change-{item.number}" data-change '
                       f'tabindex="-1"><td>{cells[0]}</td><td>{cells[1]}</td></tr>\n')
        out.append(_provision_row(provision, provision_op, lab, new_first))
        if reasons:  # the section's reason beside its first row
            text = reason_for(key, reasons)
            first = True
            for i in range(start, len(out)):
                if out[i]:
                    end = out[i].rfind("</tr>")
                    cell = f'<td class="reason">{escape(text) if first else ""}</td>'
                    out[i] = out[i][:end] + cell + out[i][end:]
                    first = False
    out.append("</tbody></table>\n")
    return "".join(out)
