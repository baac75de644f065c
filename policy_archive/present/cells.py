"""Table rows in the diff presentations: a row stays a row of a table in every view, the
changes marked inside its cells (one cell's ops cut at the cell boundaries)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from html import escape

from ..diff.classes import op_class
from ..diff.ops import BlockOp, TextOp
from ..foundation.model import Block
from .marks import Names, html_range, mark, op_label, ops_html, step_links
from .numbering import Numbered

_CELL_TAG = re.compile(r"<t[hd](?:\s[^>]*)?>")


def cell_tags(block: Block) -> list[str]:
    tags = _CELL_TAG.findall(block.html)
    count = block.text.count("\t") + 1
    if len(tags) != count:  # a cell holding a table of its own: plain cells
        tags = ["<th>" if block.header else "<td>"] * count
    return tags


def close_tag(tag: str) -> str:
    return "</th>" if tag.startswith("<th") else "</td>"


def row_cells(block: Block, content: Callable[[int, int], str], lead: str = "") -> str:
    """A row's cells, each cell's content made from its text range; ``lead`` goes first
    into the first cell."""
    tags = cell_tags(block)
    out = []
    pos = 0
    for k, part in enumerate(block.text.split("\t")):
        start, pos = pos, pos + len(part) + 1
        first = lead if k == 0 else ""
        out.append(f"{tags[k]}{first}{content(start, start + len(part))}{close_tag(tags[k])}")
    return "".join(out)


def cell_ops(text_ops: Sequence[TextOp]) -> list[tuple[int, int, list[TextOp]]] | None:
    """The ops of a changed row cut at the cell boundaries: (start in A, start in B, ops)
    per cell; None when a cell was added or removed (a tab inside an edit)."""
    cells: list[tuple[int, int, list[TextOp]]] = [(0, 0, [])]
    pa = pb = 0
    for t in text_ops:
        if t.op != "equal":
            if "\t" in t.text:
                return None
            cells[-1][2].append(t)
            pa += len(t.text) if t.op == "delete" else 0
            pb += len(t.text) if t.op == "insert" else 0
            continue
        parts = t.text.split("\t")
        for k, part in enumerate(parts):
            if k:
                pa, pb = pa + 1, pb + 1
                cells.append((pa, pb, []))
            if part:
                cells[-1][2].append(TextOp("equal", part))
                pa, pb = pa + len(part), pb + len(part)
    return cells


def row_attrs(item: Numbered, css: str) -> str:
    if not item.number:
        return f' class="{css}"'
    return f' class="{css}" id="change-{item.number}" data-change tabindex="-1"'


def row_tag(item: Numbered, lab: dict[str, str], names: Names, visible: bool) -> str:
    if not item.number:
        return ""
    text = escape(op_label(item, lab, names))
    if visible:
        return (f'<span class="tag" aria-hidden="true">{text}'
                f"{step_links(item.number, item.total, lab)}</span>")
    return f'<span class="sr-only">{text}</span>'


def changed_row(op: BlockOp, side: str, lab: dict[str, str], extra: str = "",
                 lead: str = "") -> str | None:
    """A changed row's cells with the edits marked inside them (``side`` as in
    :func:`ops_html`); None when its cells do not line up (a column added or removed)."""
    assert op.a is not None and op.b is not None
    cells = cell_ops(op.text_ops)
    if cells is None:
        return None
    shown = op.a if side == "a" else op.b
    tags = cell_tags(shown)
    if len(tags) != len(cells):
        return None
    out = []
    for k, (a0, b0, ops) in enumerate(cells):
        content = ops_html(op.a, op.b, ops, side, lab, extra, a0, b0)
        out.append(f"{tags[k]}{lead if k == 0 else ''}{content}{close_tag(tags[k])}")
    return "".join(out)


def marked_cells(tag: str, block: Block, lab: dict[str, str], extra: str = "",
                  lead: str = "") -> str:
    side = "a" if tag == "del" else "b"
    return row_cells(block, lambda s, e: mark(tag, html_range(block, s, e, lab, side), lab, extra,
                                            not block.text[s:e].strip()), lead)


def row_width(block: Block | None) -> int:
    return block.text.count("\t") + 1 if block is not None else 1


def empty_row(width: int, note: str = "") -> str:
    return f'<tr class="empty"><td colspan="{width}">{note}</td></tr>\n'


def side_row(item: Numbered, side: str, lab: dict[str, str], names: Names,
              extra: str = "", with_id: bool = True) -> str:
    """One side's row of a changed table (side by side, 新旧対照表); an empty row where
    that side has none."""
    op = item.op
    block = op.a if side == "a" else op.b
    other = op.b if side == "a" else op.a
    has_side = op.in_a if side == "a" else op.in_b
    ident = item if with_id else item._replace(number=0)
    lead = row_tag(ident, lab, names, visible=False)
    if op.op == "moved" and not has_side:
        where = names.of(op.b if op.direction == "out" else op.a)  # type: ignore[arg-type]
        key = "moved_to" if op.direction == "out" else "moved_from"
        return empty_row(row_width(other), escape(lab[key].format(where=where)))
    if block is None or not has_side:
        return empty_row(row_width(other))
    if op.op == "equal" or (op.op == "changed" and op_class(op) == "formatting"):
        return f"<tr{row_attrs(ident, 'equal' if op.op == 'equal' else 'changed')}>" \
               f"{row_cells(block, lambda s, e: html_range(block, s, e), lead)}</tr>\n"
    if op.op in ("changed", "moved") and op.a is not None and op.b is not None:
        cells = changed_row(op, side, lab, extra, lead)
        if cells is not None:
            return f"<tr{row_attrs(ident, op.op)}>{cells}</tr>\n"
    tag = "del" if side == "a" else "ins"
    return f"<tr{row_attrs(ident, op.op)}>{marked_cells(tag, block, lab, extra, lead)}</tr>\n"
