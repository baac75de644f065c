"""The side by side: one table, A left, B right, aligned by block (a table's rows row against
row), the columns headed by the versions; long unchanged runs in row groups a script folds."""

from __future__ import annotations

import re
from functools import lru_cache
from html import escape

from ..diff.classes import op_class
from ..diff.ops import BlockOp
from ..diff.result import DocumentDiff
from ..foundation.i18n import plural
from ..foundation.model import Block
from .cells import side_row
from .marks import (
    Names,
    heading_name,
    labels,
    op_label,
    ops_html,
    plain_block,
    step_links,
    tag_for,
    whole_mark,
    with_targets,
)
from .numbering import Numbered, numbered, table_runs

COLLAPSE_AT = 4  # unchanged runs of this many blocks or more are folded in side by side


def _sbs_cells(item: Numbered, lab: dict[str, str], names: Names) -> tuple[str, str, str]:
    op = item.op
    if op.op == "equal":
        assert op.a is not None and op.b is not None
        return plain_block(op.a), plain_block(op.b), "equal"
    if op.op == "changed":
        if op_class(op) == "formatting":
            assert op.a is not None
            return op.a.html, op.block.html, "changed"
        return (ops_html(op.a, op.b, op.text_ops, "a", lab),
                ops_html(op.a, op.b, op.text_ops, "b", lab), "changed")
    if op.op == "inserted":
        return "", whole_mark("ins", op.block, lab), "inserted"
    if op.op == "deleted":
        return whole_mark("del", op.block, lab), "", "deleted"
    assert op.a is not None and op.b is not None
    if op.direction == "out":
        return (whole_mark("del", op.a, lab, "moved"),
                f'<span class="tag">{escape(lab["moved_to"].format(where=names.of(op.b)))}'
                "</span>", "moved")
    return (f'<span class="tag">{escape(lab["moved_from"].format(where=names.of(op.a)))}'
            "</span>", ops_html(op.a, op.b, op.text_ops, "b", lab), "moved")


@lru_cache(maxsize=1 << 15)
def _equal_sbs_row(a: Block, b: Block, language: str) -> str:
    """An unchanged row side by side (memoised like :func:`_equal_inline`)."""
    item = Numbered(0, BlockOp("equal", 0, 0, a, b), 0)
    return _make_sbs_row(item, labels(language), None)


def _sbs_row(item: Numbered, lab: dict[str, str], language: str, names: Names) -> str:
    op = item.op
    if op.op == "equal":
        assert op.a is not None and op.b is not None
        return _equal_sbs_row(op.a, op.b, language)
    return _make_sbs_row(item, lab, names)


def _sbs_cell(content: str, side: str, block: Block, lead: str = "", real_heading: bool = False,
              name: str = "", side_label: str = "") -> str:
    """One cell of the side-by-side table. A heading is a real heading on one side only (the
    new one, or the old one where the new side has none), so the page's outline lists each
    section once; ``name``: its accessible name when it changed."""
    tag, extra = tag_for(block)
    empty = " empty" if not content else ""
    heading = " heading" if tag.startswith("h") else ""
    if heading and content:
        label = f' aria-label="{escape(name)}"' if name else ""
        inner = (f'<{tag} class="sbs-heading"{label}>{content}</{tag}>' if real_heading
                 else f'<p class="sbs-heading">{content}</p>')
    else:
        inner = content
    shown = f'<span class="side-label">{side_label}</span>' if side_label and content else ""
    return (f'<td class="sbs-cell {side}{empty}{heading} kind-{block.kind}{extra}">'
            f"{shown}{lead}{inner}</td>")


def _make_sbs_row(item: Numbered, lab: dict[str, str], names: Names | None) -> str:
    left, right, css = _sbs_cells(item, lab, names)  # type: ignore[arg-type]
    block = item.op.block
    attrs = f' id="change-{item.number}" data-change tabindex="-1"' if item.number else ""
    label = steps = name = ""
    if item.number:
        assert names is not None
        label = f'<span class="sr-only">{escape(op_label(item, lab, names))}: </span>'
        steps = (f'<span class="tag row-steps" aria-hidden="true">'
                 f"{step_links(item.number, item.total, lab)}</span>")
        if block.kind == "heading":
            name = heading_name(item.op, lab)
    new_heading = bool(right) and not (item.op.op == "moved" and item.op.direction == "out")
    return (f'<tr class="sbs-row {css}"{attrs}>'
            f'{_sbs_cell(left, "old", block, label, not new_heading, name, lab["old"])}'
            f'{_sbs_cell(right, "new", block, steps, new_heading, name, lab["new"])}</tr>\n')


_ROW = re.compile(r"<tr([^>]*)>(.*)</tr>\n?", re.DOTALL)


def _sbs_table(run: list[Numbered], lab: dict[str, str], names: Names) -> str:
    """A run of table rows side by side as one table: each row's old cells, a gap, its new
    cells, so that a row stands beside its own counterpart whatever either side's height;
    the header rows in ``<thead>``; on a narrow screen the table scrolls in its own box."""
    head: list[str] = []
    body: list[str] = []
    for i in run:
        left = _ROW.fullmatch(side_row(i, "a", lab, names, with_id=i.op.in_a and not i.op.in_b))
        right = _ROW.fullmatch(side_row(i, "b", lab, names, with_id=i.op.in_b))
        assert left is not None and right is not None
        attrs = right[1] if 'id="' in right[1] or 'id="' not in left[1] else left[1]
        row = (f"<tr{attrs}>{left[2]}<td class=\"sbs-gap\" aria-hidden=\"true\"></td>"
               f"{right[2]}</tr>\n")
        (head if i.op.block.header and not body else body).append(row)
    changed = any(i.number for i in run)
    css = "changed" if changed else "equal"
    thead = f"<thead>{''.join(head)}</thead>" if head else ""
    return (f'<tr class="sbs-row sbs-table {css}"><td colspan="2" class="sbs-cell kind-table">'
            f'<div class="sbs-wide"><table class="diff-table sbs-pair">{thead}'
            f"<tbody>{''.join(body)}</tbody></table></div></td></tr>\n")


def side_by_side_html(diff: DocumentDiff, language: str, old_label: str,
                      new_label: str) -> str:
    """The side by side: one table, the old text left and the new right, row against row,
    the columns headed by the two versions (announced with every cell); a long unchanged run
    is a row group a script folds behind a button (without scripts every row shows)."""
    return with_labels(side_by_side_parts(diff, language), old_label, new_label)


#: The side by side without its column labels: the HTML before the old one, between the
#: two, and after the new one.
SideBySideParts = tuple[str, str, str]


def with_labels(parts: SideBySideParts, old_label: str, new_label: str) -> str:
    """The side by side of :func:`side_by_side_parts` headed by the two labels."""
    return f"{parts[0]}{escape(old_label)}{parts[1]}{escape(new_label)}{parts[2]}"


def side_by_side_parts(diff: DocumentDiff, language: str) -> SideBySideParts:
    """The side by side with its column labels left out (they name the two versions'
    periods, which change when a version is added after them; the rest does not)."""
    lab = with_targets(labels(language), diff)
    names = Names(diff, lab)
    head = (f'<table class="sbs" lang="{language}"><caption class="sr-only">'
            f'{lab["sbs_caption"]}</caption>\n<colgroup><col><col></colgroup>\n<thead><tr '
            f'class="sbs-row sbs-head"><th scope="col" class="sbs-cell old">')
    between = '</th><th scope="col" class="sbs-cell new">'
    rows: list[str] = ["</th></tr></thead>\n<tbody>\n"]
    run: list[Numbered] = []

    def flush() -> None:
        if len(run) >= COLLAPSE_AT:
            rows.append(_sbs_row(run[0], lab, language, names))
            rows.append(f'</tbody>\n<tbody class="fold-toggle" hidden><tr class="gap"><td '
                        f'colspan="2"><button type="button" aria-expanded="false">'
                        f'{_unchanged(len(run) - 2, lab)}</button></td></tr></tbody>\n'
                        f'<tbody class="unchanged">\n')
            rows.extend(_sbs_row(i, lab, language, names) for i in run[1:-1])
            rows.append("</tbody>\n<tbody>\n")
            rows.append(_sbs_row(run[-1], lab, language, names))
        else:
            rows.extend(_sbs_row(i, lab, language, names) for i in run)
        run.clear()

    for is_table, items in table_runs(numbered(diff)):
        if is_table:
            flush()
            rows.append(_sbs_table(items, lab, names))
        elif items[0].op.op == "equal":
            run.append(items[0])
        else:
            flush()
            rows.append(_sbs_row(items[0], lab, language, names))
    flush()
    rows.append("</tbody></table>\n")
    return head, between, "".join(rows)


def _unchanged(n: int, lab: dict[str, str]) -> str:
    text = lab["unchanged"].format(n=n)
    return text.replace("blocks", plural(n, "block", "blocks"))
