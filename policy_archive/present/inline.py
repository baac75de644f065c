"""The redline: one column, deletions in ``<del>``, insertions in ``<ins>``, inside one element
with ``data-diff="inline"``. Removing every ``<ins>`` leaves A's text, removing every
``<del>`` leaves B's: a moved block is a ``<del class="moved">`` where it left and an
``<ins class="moved">`` where it arrived, its own edits marked inside."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import lru_cache
from html import escape

from ..diff.classes import op_class
from ..diff.result import DocumentDiff
from ..foundation.model import Block
from .cells import (
    cell_ops,
    cell_tags,
    changed_row,
    close_tag,
    marked_cells,
    row_attrs,
    row_cells,
    row_tag,
)
from .marks import (
    Names,
    heading_name,
    html_range,
    labels,
    moved_in,
    op_label,
    ops_html,
    plain_block,
    step_links,
    tag_for,
    whole_mark,
)
from .numbering import Numbered, numbered, table_runs


def _wrap(block: Block, content: str, css: str, item: Numbered | None, lab: dict[str, str],
          tag_text: str = "") -> str:
    """A block of the redline (a list item is an ``<li>``); ``item`` None for an unchanged
    one."""
    tag, extra = tag_for(block, in_list=True)
    number = item.number if item else 0
    attrs = f' id="change-{number}" data-change tabindex="-1"' if number else ""
    if item is not None and block.kind == "heading":
        attrs += f' aria-label="{escape(heading_name(item.op, lab))}"'
    label = (f'<span class="tag" aria-hidden="true">{escape(tag_text)}'
             f"{step_links(number, item.total, lab)}</span>" if tag_text and item else "")
    return (f'<{tag} class="diff-block kind-{block.kind}{extra} {css}"{attrs}>'
            f"{label}{content}</{tag}>\n")


@lru_cache(maxsize=1 << 15)
def _equal_inline(block: Block, language: str) -> str:
    """An unchanged block in the redline; the same in every diff that holds it (memoised:
    most blocks of most diffs of an archive are unchanged ones met before)."""
    return _wrap(block, plain_block(block), "equal", None, labels(language))


def _inline_op(item: Numbered, lab: dict[str, str], language: str, names: Names) -> str:
    op = item.op
    if op.op == "equal":
        assert op.b is not None
        return _equal_inline(op.b, language)
    label = op_label(item, lab, names)
    if op.op == "changed":
        content = (op.block.html if op_class(op) == "formatting"
                   else ops_html(op.a, op.b, op.text_ops, "both", lab))
        return _wrap(op.block, content, "changed", item, lab, label)
    if op.op == "inserted":
        return _wrap(op.block, whole_mark("ins", op.block, lab), "inserted", item, lab, label)
    if op.op == "deleted":
        return _wrap(op.block, whole_mark("del", op.block, lab), "deleted", item, lab, label)
    assert op.a is not None and op.b is not None
    if op.direction == "out":
        return _wrap(op.a, whole_mark("del", op.a, lab, "moved"), "moved", item, lab, label)
    inner = ops_html(op.a, op.b, op.text_ops, "both", lab)
    return _wrap(op.b, moved_in(op, inner, lab, names), "moved", item, lab, label)


def _list_runs(items: Sequence[Numbered]) -> Iterator[tuple[str, list[Numbered]]]:
    """The items in runs: ("ul"/"ol N", list items of one list), or ("", [another item])."""
    run: list[Numbered] = []
    kind = ""
    for item in items:
        block = item.op.block
        shape = block.shape.split(" loose")[0] if block.kind == "item" else ""
        if shape and block.level == 1 and run and shape != kind:
            yield kind, run
            run = []
        if shape:
            if not run:
                kind = shape
            run.append(item)
            continue
        if run:
            yield kind, run
            run = []
        yield "", [item]
    if run:
        yield kind, run


def _list_html(shape: str, body: str) -> str:
    """A run of list items of the redline as a list of the kind the text has."""
    if shape.startswith("ol"):
        start = shape.split()[1] if " " in shape else "1"
        attr = f' start="{start}"' if start != "1" else ""
        return f'<ol class="diff-list"{attr}>\n{body}</ol>\n'
    return f'<ul class="diff-list">\n{body}</ul>\n'


def inline_html(diff: DocumentDiff, language: str) -> str:
    """The redline: the one element with ``data-diff="inline"``."""
    lab = labels(language)
    names = Names(diff, lab)
    body = []
    for is_table, run in table_runs(numbered(diff)):
        if is_table:
            rows = "".join(_inline_row(item, lab, names) for item in run)
            body.append(f'<div class="diff-block kind-table"><table class="diff-table">'
                        f"\n{rows}</table></div>\n")
            continue
        for shape, items in _list_runs(run):
            html = "".join(_inline_op(item, lab, language, names) for item in items)
            body.append(_list_html(shape, html) if shape else html)
    return (f'<div class="diff-inline" data-diff="inline" lang="{language}">\n'
            f'{"".join(body)}</div>\n')


def _inline_row(item: Numbered, lab: dict[str, str], names: Names) -> str:
    op = item.op
    lead = row_tag(item, lab, names, visible=True)
    if op.op == "equal":
        return f'<tr class="equal">{op.block.html}</tr>\n'
    if op.op == "changed":
        assert op.a is not None and op.b is not None
        if op_class(op) == "formatting":
            new = op.b
            cells_html = row_cells(new, lambda s, e: html_range(new, s, e), lead)
            return f"<tr{row_attrs(item, 'changed')}>{cells_html}</tr>\n"
        cells = changed_row(op, "both", lab, lead=lead)
        if cells is not None:
            return f"<tr{row_attrs(item, 'changed')}>{cells}</tr>\n"
        return (f"<tr{row_attrs(item, 'changed deleted')}>"
                f"{marked_cells('del', op.a, lab, lead=lead)}</tr>\n"
                f'<tr class="changed inserted">{marked_cells("ins", op.b, lab)}</tr>\n')
    if op.op == "inserted":
        return f"<tr{row_attrs(item, 'inserted')}>{marked_cells('ins', op.block, lab, lead=lead)}</tr>\n"  # noqa: E501
    if op.op == "deleted":
        return f"<tr{row_attrs(item, 'deleted')}>{marked_cells('del', op.block, lab, lead=lead)}</tr>\n"  # noqa: E501
    assert op.a is not None and op.b is not None
    if op.direction == "out":
        return f"<tr{row_attrs(item, 'moved')}>{marked_cells('del', op.a, lab, 'moved', lead)}</tr>\n"  # noqa: E501
    moved_cells = cell_ops(op.text_ops)
    b = op.b
    if moved_cells is not None and len(moved_cells) == len(cell_tags(b)):
        tags = cell_tags(b)
        parts = []
        for k, (a0, b0, ops) in enumerate(moved_cells):
            inner = ops_html(op.a, b, ops, "both", lab, "", a0, b0)
            parts.append(f"{tags[k]}{lead if k == 0 else ''}"
                         f"{moved_in(op, inner, lab, names)}{close_tag(tags[k])}")
        return f"<tr{row_attrs(item, 'moved')}>{''.join(parts)}</tr>\n"
    whole = row_cells(b, lambda s, e: moved_in(op, html_range(b, s, e), lab, names), lead)
    return f"<tr{row_attrs(item, 'moved')}>{whole}</tr>\n"
