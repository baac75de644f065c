"""The redline: one column, deletions in ``<del>``, insertions in ``<ins>``, inside one element
with ``data-diff="inline"``. Removing every ``<ins>`` leaves A's text, removing every
``<del>`` leaves B's: a moved block is a ``<del class="moved">`` where it left and an
``<ins class="moved">`` where it arrived, its own edits marked inside."""

from __future__ import annotations

from collections.abc import Sequence
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
    with_targets,
)
from .numbering import ListMark, Numbered, list_marks, numbered, table_runs


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


class _Lists:
    """The open lists of the redline: a list item opens its list (or continues the one it
    belongs to), a deeper one nests inside the open item, a block outside lists closes them
    all; an ordered item's marker shows its number (``value``)."""

    def __init__(self) -> None:
        self.open: list[tuple[int, int, str]] = []  # (list_no, level, tag), outermost first
        self.out: list[str] = []

    def close(self, until: int = 0) -> None:
        while len(self.open) > until:
            self.out.append(f"</li></{self.open.pop()[2]}>\n")

    def item(self, mark: ListMark, html: str) -> None:
        while self.open and (self.open[-1][1] > mark.level or self.open[-1][1] == mark.level
                             and self.open[-1][0] != mark.list_no):
            self.close(len(self.open) - 1)
        if self.open and self.open[-1][0] == mark.list_no:
            self.out.append("</li>\n")
        else:
            tag = "ol" if mark.ordered else "ul"
            start = f' start="{mark.value}"' if mark.ordered and mark.value != 1 else ""
            self.out.append(f'<{tag} class="diff-list"{start}>\n')
            self.open.append((mark.list_no, mark.level, tag))
        value = f' value="{mark.value}"' if mark.ordered else ""
        self.out.append(html.replace("<li ", f"<li{value} ", 1).removesuffix("</li>\n"))

    def block(self, html: str) -> None:
        self.close()
        self.out.append(html)


def inline_html(diff: DocumentDiff, language: str) -> str:
    """The redline: the one element with ``data-diff="inline"``."""
    lab = with_targets(labels(language), diff)
    names = Names(diff, lab)
    items = numbered(diff)
    marks = list_marks([item.op for item in items])
    mark_of = {id(item): mark for item, mark in zip(items, marks)}
    lists = _Lists()
    for is_table, run in table_runs(items):
        if is_table:
            lists.block(_inline_table(run, lab, names))
            continue
        html = _inline_op(run[0], lab, language, names)
        mark = mark_of[id(run[0])]
        if mark is None:
            lists.block(html)
        else:
            lists.item(mark, html)
    lists.close()
    return (f'<div class="diff-inline" data-diff="inline" lang="{language}">\n'
            f'{"".join(lists.out)}</div>\n')


def _inline_table(run: Sequence[Numbered], lab: dict[str, str], names: Names) -> str:
    """A run of rows as one table, its header rows in ``<thead>`` (repeated on each printed
    page)."""
    head = 0
    while head < len(run) and run[head].op.block.header:
        head += 1
    thead = "".join(_inline_row(item, lab, names) for item in run[:head])
    tbody = "".join(_inline_row(item, lab, names) for item in run[head:])
    return ('<div class="diff-block kind-table"><table class="diff-table">\n'
            + (f"<thead>\n{thead}</thead>\n" if thead else "")
            + f"<tbody>\n{tbody}</tbody></table></div>\n")


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
