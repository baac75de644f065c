"""Presentations of one :class:`~policy_archive.diff.result.DocumentDiff`.

* :func:`inline_html` — one column, deletions in ``<del>``, insertions in ``<ins>``, inside
  one element with ``data-diff="inline"``. Removing every ``<ins>`` leaves A's text,
  removing every ``<del>`` leaves B's: a moved block is a ``<del class="moved">`` where it
  left and an ``<ins class="moved">`` where it arrived, its own edits marked inside.
* :func:`side_by_side_html` — one table, A left, B right, aligned by block, the columns
  headed by the versions; long unchanged runs in row groups a script folds.
* :func:`amendment_table_html` — the 新旧対照表: only changed articles with their
  headings, changed passages underlined (傍線), (新設)/(削除) in the other column.
* :func:`summary_html` — the change class, counts, changed sections and every change.
* :func:`terminal_text` — a word-diff for terminals (coloured when asked).

Changed blocks keep their inline markup (a link stays a link; a re-pointed link shows as
the old one deleted and the new one inserted, each with its target), and table rows stay
rows of a table in every view, changes marked inside the cells.

Every change gets the id ``change-N`` (N counts the non-equal ops from 1) in every view, so
the summary's links work in all of them. Screen-reader labels and link-target notes inside
``<ins>``/``<del>`` carry ``data-diff-label``; decorations carry ``aria-hidden="true"``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from functools import lru_cache
from html import escape
from typing import NamedTuple

from ..diff.classes import op_class
from ..diff.ops import BlockOp, TextOp
from ..diff.result import DocumentDiff
from ..diff.sections import SectionRef
from ..foundation.i18n import DIFF_LABELS, STRINGS, plural
from ..text.markup import render_range
from ..foundation.model import Block

COLLAPSE_AT = 4  # unchanged runs of this many blocks or more are folded in side by side


def _labels(language: str) -> dict[str, str]:
    return DIFF_LABELS.get(language, DIFF_LABELS["en"])


def _text(text: str) -> str:
    """Escape text; a tab (between table cells) becomes a visual separator."""
    out = escape(text, quote=False)
    if "\t" in out:
        out = out.replace("\t", '<span class="cell-sep" aria-hidden="true"> │ </span>')
    return out


def _mark(tag: str, inner: str, lab: dict[str, str], extra_class: str = "",
          blank: bool = False) -> str:
    """``inner`` (HTML) in ``<ins>``/``<del>`` with the screen-reader labels."""
    key = "ins" if tag == "ins" else "del"
    classes = [c for c in (extra_class, "ws" if blank else "") if c]
    cls = f' class="{" ".join(classes)}"' if classes else ""
    return (f'<{tag}{cls}><span class="sr-only" data-diff-label>{lab[key]}</span>'
            f"{inner}<span class=\"sr-only\" data-diff-label>{lab[key + '_end']}</span>"
            f"</{tag}>")


def _range(block: Block, start: int, end: int, lab: dict[str, str] | None = None) -> str:
    """Part of a block's text as HTML with its markup; with ``lab``, each link is followed
    by its target (a changed passage)."""
    if not block.spans:
        return _text(block.text[start:end])
    note = None
    if lab is not None:
        def note(href: str) -> str:
            return (f'<span class="link-target" data-diff-label>'
                    f'{escape(lab["link_target"].format(href=href))}</span>')
    return render_range(block.text, block.spans, start, end, _text, note)


def _whole_mark(tag: str, block: Block, lab: dict[str, str], extra_class: str = "") -> str:
    return _mark(tag, _range(block, 0, len(block.text), lab), lab, extra_class,
                 not block.text.strip())


def ops_html(a: Block | None, b: Block | None, text_ops: Sequence[TextOp], side: str,
             lab: dict[str, str], extra_class: str = "", a0: int = 0, b0: int = 0) -> str:
    """Char ops over two blocks as HTML: ``side`` "both" (redline), "a" (old only) or "b"
    (new only); ``a0``/``b0``: where the ops start in each block's text (a table cell)."""
    out = []
    pa, pb = a0, b0
    for t in text_ops:
        n = len(t.text)
        if t.op == "equal":
            if side == "a":
                assert a is not None
                out.append(_range(a, pa, pa + n))
            else:
                assert b is not None
                out.append(_range(b, pb, pb + n))
            pa += n
            pb += n
        elif t.op == "delete":
            if side in ("both", "a"):
                assert a is not None
                out.append(_mark("del", _range(a, pa, pa + n, lab), lab, extra_class,
                                 not t.text.strip()))
            pa += n
        else:
            if side in ("both", "b"):
                assert b is not None
                out.append(_mark("ins", _range(b, pb, pb + n, lab), lab, extra_class,
                                 not t.text.strip()))
            pb += n
    return "".join(out)


class _Numbered(NamedTuple):
    number: int  # 0 for equal ops
    op: BlockOp
    total: int  # how many changes the diff has


#: The last diff numbered and its numbering: a build renders the four views of one diff in
#: a row, which number its ops alike.
_last_numbered: list[tuple[DocumentDiff, tuple[_Numbered, ...]]] = []


def _numbered(diff: DocumentDiff) -> tuple[_Numbered, ...]:
    if _last_numbered and _last_numbered[0][0] is diff:
        return _last_numbered[0][1]
    total = sum(1 for op in diff.ops if op.op != "equal")
    out = []
    n = 0
    for op in diff.ops:
        if op.op != "equal":
            n += 1
            out.append(_Numbered(n, op, total))
        else:
            out.append(_Numbered(0, op, total))
    numbered = tuple(out)
    _last_numbered[:] = [(diff, numbered)]
    return numbered


class _Names:
    """How a diff names sections: a heading's own text, with its parents where that text
    alone stands for more than one section (附則 › 第十条 when 本則 has a 第十条 too)."""

    def __init__(self, diff: DocumentDiff, lab: dict[str, str]) -> None:
        self.lab = lab
        paths: dict[str, set[tuple[str, ...]]] = {}
        for block in (*diff.a, *diff.b):
            if block.kind == "heading":
                paths.setdefault(block.text, set()).add(block.section)
        self.paths = paths

    def path(self, section: tuple[str, ...]) -> str:
        if not section:
            return self.lab["top"]
        others = self.paths.get(section[-1], set())
        if len(others) <= 1:
            return section[-1]
        size = len(section)
        for n in range(2, len(section) + 1):
            if sum(1 for p in others if p[-n:] == section[-n:]) <= 1:
                size = n
                break
        return self.lab["path_sep"].join(section[-size:])

    def of(self, block: Block) -> str:
        return self.path(block.section)


def _steps(number: int, total: int, lab: dict[str, str]) -> str:
    """Previous/next links for pointer users; keyboard users have n/p and the change list,
    screen-reader users the change list (the links sit in an aria-hidden decoration)."""
    prev = (f' <a class="step" href="#change-{number - 1}" tabindex="-1" '
            f'title="{lab["prev"]}">↑</a>' if number > 1 else "")
    nxt = (f' <a class="step" href="#change-{number + 1}" tabindex="-1" '
           f'title="{lab["next"]}">↓</a>' if number < total else "")
    return prev + nxt


def _tag_for(block: Block, in_list: bool = False) -> tuple[str, str]:
    if block.kind == "item" and in_list:
        return "li", f" depth-{block.level}"
    if block.kind == "heading":
        level = min(block.level + 1, 6)
        return f"h{level}", ""
    if block.kind == "code":
        return "pre", ""
    depth = f" depth-{block.level}" if block.kind == "item" else ""
    # An HTML block may hold block elements (<p>, <table>): it cannot sit inside a <p>.
    return "div" if block.kind in ("item", "row", "html") else "p", depth


def _op_label(item: _Numbered, lab: dict[str, str], names: _Names) -> str:
    """What the tag of a change says: 変更 3, 追加 4, 移動 5 · 移動先：…, リンク先の変更 6."""
    op, n = item.op, item.number
    if op.op == "moved":
        assert op.a is not None and op.b is not None
        note = (lab["moved_to"].format(where=names.of(op.b)) if op.direction == "out"
                else lab["moved_from"].format(where=names.of(op.a)))
        return f"{lab['moved']} {n} · {note}"
    kind = op_class(op) if op.op == "changed" else "text"
    word = {"links": lab["links_changed"], "formatting": lab["formatting_changed"]}.get(
        kind, lab[op.op])
    return f"{word} {n}"


def _wrap(block: Block, content: str, css: str, item: _Numbered | None, lab: dict[str, str],
          tag_text: str = "") -> str:
    """A block of the redline (a list item is an ``<li>``); ``item`` None for an unchanged
    one."""
    tag, extra = _tag_for(block, in_list=True)
    number = item.number if item else 0
    attrs = f' id="change-{number}" data-change tabindex="-1"' if number else ""
    if item is not None and block.kind == "heading":
        attrs += f' aria-label="{escape(_heading_name(item.op, lab))}"'
    label = (f'<span class="tag" aria-hidden="true">{escape(tag_text)}'
             f"{_steps(number, item.total, lab)}</span>" if tag_text and item else "")
    return (f'<{tag} class="diff-block kind-{block.kind}{extra} {css}"{attrs}>'
            f"{label}{content}</{tag}>\n")


def _heading_name(op: BlockOp, lab: dict[str, str]) -> str:
    """A changed heading's accessible name: its new text, the change said once (not the
    labels of each inserted and deleted passage inside it)."""
    if op.op == "inserted":
        return lab["heading_inserted"].format(text=op.block.text)
    if op.op == "deleted" or op.op == "moved" and op.direction == "out":
        return lab["heading_deleted"].format(text=op.block.text)
    assert op.a is not None and op.b is not None
    if op.a.text == op.b.text:
        return lab["heading_moved"].format(text=op.b.text)
    return lab["heading_changed"].format(text=op.b.text, old=op.a.text)


def _plain_block(block: Block) -> str:
    """An unchanged block's content."""
    return _text(block.text) if block.kind == "code" else block.html


@lru_cache(maxsize=1 << 15)
def _equal_inline(block: Block, language: str) -> str:
    """An unchanged block in the redline; the same in every diff that holds it (memoised:
    most blocks of most diffs of an archive are unchanged ones met before)."""
    return _wrap(block, _plain_block(block), "equal", None, _labels(language))


def _moved_in(op: BlockOp, inner: str, lab: dict[str, str], names: _Names) -> str:
    assert op.a is not None
    note = lab["moved_from"].format(where=names.of(op.a))
    return (f'<ins class="moved"><span class="sr-only" data-diff-label>{escape(note)}</span>'
            f"{inner}</ins>")


def _inline_op(item: _Numbered, lab: dict[str, str], language: str, names: _Names) -> str:
    op = item.op
    if op.op == "equal":
        assert op.b is not None
        return _equal_inline(op.b, language)
    label = _op_label(item, lab, names)
    if op.op == "changed":
        content = (op.block.html if op_class(op) == "formatting"
                   else ops_html(op.a, op.b, op.text_ops, "both", lab))
        return _wrap(op.block, content, "changed", item, lab, label)
    if op.op == "inserted":
        return _wrap(op.block, _whole_mark("ins", op.block, lab), "inserted", item, lab, label)
    if op.op == "deleted":
        return _wrap(op.block, _whole_mark("del", op.block, lab), "deleted", item, lab, label)
    assert op.a is not None and op.b is not None
    if op.direction == "out":
        return _wrap(op.a, _whole_mark("del", op.a, lab, "moved"), "moved", item, lab, label)
    inner = ops_html(op.a, op.b, op.text_ops, "both", lab)
    return _wrap(op.b, _moved_in(op, inner, lab, names), "moved", item, lab, label)


def _list_runs(items: Sequence[_Numbered]) -> Iterator[tuple[str, list[_Numbered]]]:
    """The items in runs: ("ul"/"ol N", list items of one list), or ("", [another item])."""
    run: list[_Numbered] = []
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


def _runs(items: Sequence[_Numbered]) -> Iterator[tuple[bool, list[_Numbered]]]:
    """The items in runs: (True, rows of one table) or (False, [one other item])."""
    run: list[_Numbered] = []
    for item in items:
        block = item.op.block
        if block.kind == "row":
            if run and block.header and not run[-1].op.block.header:
                yield True, run
                run = []
            run.append(item)
            continue
        if run:
            yield True, run
            run = []
        yield False, [item]
    if run:
        yield True, run


def inline_html(diff: DocumentDiff, language: str) -> str:
    """The redline: the one element with ``data-diff="inline"``."""
    lab = _labels(language)
    names = _Names(diff, lab)
    body = []
    for is_table, run in _runs(_numbered(diff)):
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


# --- table rows ------------------------------------------------------------------------

_CELL_TAG = re.compile(r"<t[hd](?:\s[^>]*)?>")


def _cell_tags(block: Block) -> list[str]:
    tags = _CELL_TAG.findall(block.html)
    count = block.text.count("\t") + 1
    if len(tags) != count:  # a cell holding a table of its own: plain cells
        tags = ["<th>" if block.header else "<td>"] * count
    return tags


def _close(tag: str) -> str:
    return "</th>" if tag.startswith("<th") else "</td>"


def _cells(block: Block, content: Callable[[int, int], str], lead: str = "") -> str:
    """A row's cells, each cell's content made from its text range; ``lead`` goes first
    into the first cell."""
    tags = _cell_tags(block)
    out = []
    pos = 0
    for k, part in enumerate(block.text.split("\t")):
        start, pos = pos, pos + len(part) + 1
        first = lead if k == 0 else ""
        out.append(f"{tags[k]}{first}{content(start, start + len(part))}{_close(tags[k])}")
    return "".join(out)


def _cell_ops(text_ops: Sequence[TextOp]) -> list[tuple[int, int, list[TextOp]]] | None:
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


def _row_attrs(item: _Numbered, css: str) -> str:
    if not item.number:
        return f' class="{css}"'
    return f' class="{css}" id="change-{item.number}" data-change tabindex="-1"'


def _row_tag(item: _Numbered, lab: dict[str, str], names: _Names, visible: bool) -> str:
    if not item.number:
        return ""
    text = escape(_op_label(item, lab, names))
    if visible:
        return (f'<span class="tag" aria-hidden="true">{text}'
                f"{_steps(item.number, item.total, lab)}</span>")
    return f'<span class="sr-only">{text}</span>'


def _changed_row(op: BlockOp, side: str, lab: dict[str, str], extra: str = "",
                 lead: str = "") -> str | None:
    """A changed row's cells with the edits marked inside them (``side`` as in
    :func:`ops_html`); None when its cells do not line up (a column added or removed)."""
    assert op.a is not None and op.b is not None
    cells = _cell_ops(op.text_ops)
    if cells is None:
        return None
    shown = op.a if side == "a" else op.b
    tags = _cell_tags(shown)
    if len(tags) != len(cells):
        return None
    out = []
    for k, (a0, b0, ops) in enumerate(cells):
        content = ops_html(op.a, op.b, ops, side, lab, extra, a0, b0)
        out.append(f"{tags[k]}{lead if k == 0 else ''}{content}{_close(tags[k])}")
    return "".join(out)


def _marked_cells(tag: str, block: Block, lab: dict[str, str], extra: str = "",
                  lead: str = "") -> str:
    return _cells(block, lambda s, e: _mark(tag, _range(block, s, e, lab), lab, extra,
                                            not block.text[s:e].strip()), lead)


def _inline_row(item: _Numbered, lab: dict[str, str], names: _Names) -> str:
    op = item.op
    lead = _row_tag(item, lab, names, visible=True)
    if op.op == "equal":
        return f'<tr class="equal">{op.block.html}</tr>\n'
    if op.op == "changed":
        assert op.a is not None and op.b is not None
        if op_class(op) == "formatting":
            new = op.b
            cells_html = _cells(new, lambda s, e: _range(new, s, e), lead)
            return f"<tr{_row_attrs(item, 'changed')}>{cells_html}</tr>\n"
        cells = _changed_row(op, "both", lab, lead=lead)
        if cells is not None:
            return f"<tr{_row_attrs(item, 'changed')}>{cells}</tr>\n"
        return (f"<tr{_row_attrs(item, 'changed deleted')}>"
                f"{_marked_cells('del', op.a, lab, lead=lead)}</tr>\n"
                f'<tr class="changed inserted">{_marked_cells("ins", op.b, lab)}</tr>\n')
    if op.op == "inserted":
        return f"<tr{_row_attrs(item, 'inserted')}>{_marked_cells('ins', op.block, lab, lead=lead)}</tr>\n"  # noqa: E501
    if op.op == "deleted":
        return f"<tr{_row_attrs(item, 'deleted')}>{_marked_cells('del', op.block, lab, lead=lead)}</tr>\n"  # noqa: E501
    assert op.a is not None and op.b is not None
    if op.direction == "out":
        return f"<tr{_row_attrs(item, 'moved')}>{_marked_cells('del', op.a, lab, 'moved', lead)}</tr>\n"  # noqa: E501
    moved_cells = _cell_ops(op.text_ops)
    b = op.b
    if moved_cells is not None and len(moved_cells) == len(_cell_tags(b)):
        tags = _cell_tags(b)
        parts = []
        for k, (a0, b0, ops) in enumerate(moved_cells):
            inner = ops_html(op.a, b, ops, "both", lab, "", a0, b0)
            parts.append(f"{tags[k]}{lead if k == 0 else ''}"
                         f"{_moved_in(op, inner, lab, names)}{_close(tags[k])}")
        return f"<tr{_row_attrs(item, 'moved')}>{''.join(parts)}</tr>\n"
    whole = _cells(b, lambda s, e: _moved_in(op, _range(b, s, e), lab, names), lead)
    return f"<tr{_row_attrs(item, 'moved')}>{whole}</tr>\n"


def _width(block: Block | None) -> int:
    return block.text.count("\t") + 1 if block is not None else 1


def _empty_row(width: int, note: str = "") -> str:
    return f'<tr class="empty"><td colspan="{width}">{note}</td></tr>\n'


def _side_row(item: _Numbered, side: str, lab: dict[str, str], names: _Names,
              extra: str = "", with_id: bool = True) -> str:
    """One side's row of a changed table (side by side, 新旧対照表); an empty row where
    that side has none."""
    op = item.op
    block = op.a if side == "a" else op.b
    other = op.b if side == "a" else op.a
    has_side = op.in_a if side == "a" else op.in_b
    ident = item if with_id else item._replace(number=0)
    lead = _row_tag(ident, lab, names, visible=False)
    if op.op == "moved" and not has_side:
        where = names.of(op.b if op.direction == "out" else op.a)  # type: ignore[arg-type]
        key = "moved_to" if op.direction == "out" else "moved_from"
        return _empty_row(_width(other), escape(lab[key].format(where=where)))
    if block is None or not has_side:
        return _empty_row(_width(other))
    if op.op == "equal" or (op.op == "changed" and op_class(op) == "formatting"):
        return f"<tr{_row_attrs(ident, 'equal' if op.op == 'equal' else 'changed')}>" \
               f"{_cells(block, lambda s, e: _range(block, s, e), lead)}</tr>\n"
    if op.op in ("changed", "moved") and op.a is not None and op.b is not None:
        cells = _changed_row(op, side, lab, extra, lead)
        if cells is not None:
            return f"<tr{_row_attrs(ident, op.op)}>{cells}</tr>\n"
    tag = "del" if side == "a" else "ins"
    return f"<tr{_row_attrs(ident, op.op)}>{_marked_cells(tag, block, lab, extra, lead)}</tr>\n"


# --- side by side ------------------------------------------------------------------------


def _sbs_cells(item: _Numbered, lab: dict[str, str], names: _Names) -> tuple[str, str, str]:
    op = item.op
    if op.op == "equal":
        assert op.a is not None and op.b is not None
        return _plain_block(op.a), _plain_block(op.b), "equal"
    if op.op == "changed":
        if op_class(op) == "formatting":
            assert op.a is not None
            return op.a.html, op.block.html, "changed"
        return (ops_html(op.a, op.b, op.text_ops, "a", lab),
                ops_html(op.a, op.b, op.text_ops, "b", lab), "changed")
    if op.op == "inserted":
        return "", _whole_mark("ins", op.block, lab), "inserted"
    if op.op == "deleted":
        return _whole_mark("del", op.block, lab), "", "deleted"
    assert op.a is not None and op.b is not None
    if op.direction == "out":
        return (_whole_mark("del", op.a, lab, "moved"),
                f'<span class="tag">{escape(lab["moved_to"].format(where=names.of(op.b)))}'
                "</span>", "moved")
    return (f'<span class="tag">{escape(lab["moved_from"].format(where=names.of(op.a)))}'
            "</span>", ops_html(op.a, op.b, op.text_ops, "b", lab), "moved")


@lru_cache(maxsize=1 << 15)
def _equal_sbs_row(a: Block, b: Block, language: str) -> str:
    """An unchanged row side by side (memoised like :func:`_equal_inline`)."""
    item = _Numbered(0, BlockOp("equal", 0, 0, a, b), 0)
    return _make_sbs_row(item, _labels(language), None)


def _sbs_row(item: _Numbered, lab: dict[str, str], language: str, names: _Names) -> str:
    op = item.op
    if op.op == "equal":
        assert op.a is not None and op.b is not None
        return _equal_sbs_row(op.a, op.b, language)
    return _make_sbs_row(item, lab, names)


def _sbs_cell(content: str, side: str, block: Block, lead: str = "", real_heading: bool = False,
              name: str = "") -> str:
    """One cell of the side-by-side table. A heading is a real heading on one side only (the
    new one, or the old one where the new side has none), so the page's outline lists each
    section once; ``name``: its accessible name when it changed."""
    tag, extra = _tag_for(block)
    empty = " empty" if not content else ""
    heading = " heading" if tag.startswith("h") else ""
    if heading and content:
        label = f' aria-label="{escape(name)}"' if name else ""
        inner = (f'<{tag} class="sbs-heading"{label}>{content}</{tag}>' if real_heading
                 else f'<p class="sbs-heading">{content}</p>')
    else:
        inner = content
    return (f'<td class="sbs-cell {side}{empty}{heading} kind-{block.kind}{extra}">'
            f"{lead}{inner}</td>")


def _make_sbs_row(item: _Numbered, lab: dict[str, str], names: _Names | None) -> str:
    left, right, css = _sbs_cells(item, lab, names)  # type: ignore[arg-type]
    block = item.op.block
    attrs = f' id="change-{item.number}" data-change tabindex="-1"' if item.number else ""
    label = steps = name = ""
    if item.number:
        assert names is not None
        label = f'<span class="sr-only">{escape(_op_label(item, lab, names))}: </span>'
        steps = (f'<span class="tag row-steps" aria-hidden="true">'
                 f"{_steps(item.number, item.total, lab)}</span>")
        if block.kind == "heading":
            name = _heading_name(item.op, lab)
    new_heading = bool(right) and not (item.op.op == "moved" and item.op.direction == "out")
    return (f'<tr class="sbs-row {css}"{attrs}>'
            f'{_sbs_cell(left, "old", block, label, not new_heading, name)}'
            f'{_sbs_cell(right, "new", block, steps, new_heading, name)}</tr>\n')


def _sbs_table(run: list[_Numbered], lab: dict[str, str], names: _Names) -> str:
    """A run of table rows side by side: A's table left, B's right, row against row."""
    left = "".join(_side_row(i, "a", lab, names, with_id=i.op.in_a and not i.op.in_b)
                   for i in run)
    right = "".join(_side_row(i, "b", lab, names, with_id=i.op.in_b) for i in run)
    changed = any(i.number for i in run)
    css = "changed" if changed else "equal"
    return (f'<tr class="sbs-row sbs-table {css}">'
            f'<td class="sbs-cell old kind-table"><table class="diff-table">{left}</table></td>'
            f'<td class="sbs-cell new kind-table"><table class="diff-table">{right}</table>'
            "</td></tr>\n")


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
    lab = _labels(language)
    names = _Names(diff, lab)
    head = (f'<table class="sbs" lang="{language}"><caption class="sr-only">'
            f'{lab["sbs_caption"]}</caption>\n<colgroup><col><col></colgroup>\n<thead><tr '
            f'class="sbs-row sbs-head"><th scope="col" class="sbs-cell old">')
    between = '</th><th scope="col" class="sbs-cell new">'
    rows: list[str] = ["</th></tr></thead>\n<tbody>\n"]
    run: list[_Numbered] = []

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

    for is_table, items in _runs(_numbered(diff)):
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


# --- 新旧対照表 ------------------------------------------------------------------------


def _section_key(op: BlockOp) -> SectionRef:
    block = op.block
    if block.kind == "heading" and block.anchor:
        return SectionRef(block.anchor, block.text)
    return SectionRef(block.section_id, block.section[-1] if block.section else "")


def _amend_cells(item: _Numbered, lab: dict[str, str], names: _Names) -> tuple[str, str]:
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
        return (_whole_mark("ins", op.b, lab, "mark moved-here"),
                escape(lab["moved_from"].format(where=names.of(op.a))))
    if op.op == "inserted":
        return _whole_mark("ins", op.block, lab, "mark"), lab["new_article"]
    if op.op == "deleted":
        return lab["deleted_article"], _whole_mark("del", op.block, lab, "mark")
    assert op.b is not None
    return (escape(lab["moved_to"].format(where=names.of(op.b))),
            _whole_mark("del", op.block, lab, "mark"))


def _amend_table_rows(run: list[_Numbered], lab: dict[str, str], names: _Names,
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
                    sides[side].append(_empty_row(_width(block), lab["omitted"]))
            skipped = True
            continue
        skipped = False
        for side in ("a", "b"):
            id_here = op.in_b if side == "b" else op.in_a and not op.in_b
            sides[side].append(_side_row(item, side, lab, names, "mark", with_id=id_here))
    tables = {s: f'<table class="diff-table">{"".join(rows)}</table>' for s, rows in sides.items()}
    first, second = (tables["b"], tables["a"]) if new_first else (tables["a"], tables["b"])
    return f'<tr class="amend-row amend-table"><td>{first}</td><td>{second}</td></tr>\n'


def _amend_part(item: _Numbered, lab: dict[str, str]) -> str:
    """One new or deleted block of a provision, marked, with its own change id."""
    tag = "ins" if item.op.op == "inserted" else "del"
    css = " article-heading" if item.op.block.kind == "heading" else ""
    return (f'<div class="amend-part{css}" id="change-{item.number}" data-change tabindex="-1">'
            f'{_whole_mark(tag, item.op.block, lab, "mark")}</div>')


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
    from .amendment import reason_for
    from ..foundation.i18n import TABLE_LABELS

    lab = _labels(language)
    names = _Names(diff, lab)
    items = _numbered(diff)
    keys = [_section_key(i.op) for i in items]
    changed_sections = {key for i, key in zip(items, keys) if i.number}
    groups: dict[SectionRef, list[_Numbered]] = {}
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
        for is_table, run in _runs(group):
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


# --- summary ------------------------------------------------------------------------------


def change_badge(change: str, language: str) -> str:
    """The badge for a change class other than ``text`` ("" for ``text``)."""
    if change == "text":
        return ""
    words = STRINGS.get(language, STRINGS["en"])["change_" + change]
    return f'<span class="badge change-{change}">{words}</span>'


def _counts(diff: DocumentDiff, lab: dict[str, str]) -> str:
    s = diff.summary
    text_changed = s.changed - s.formatting - sum(
        1 for op in diff.ops if op.op == "changed" and op_class(op) == "links")
    parts = []
    for key, n in (("changed", text_changed), ("inserted", s.inserted),
                   ("deleted", s.deleted), ("moved", s.moved), ("links", s.links),
                   ("formatting", s.formatting)):
        if n:
            parts.append(lab[f"count_{key}"].format(
                n=n, blocks=plural(n, "block", "blocks"), links=plural(n, "link", "links")))
    return lab["count_sep"].join(parts)


def summary_html(diff: DocumentDiff, language: str) -> str:
    lab = _labels(language)
    s = diff.summary
    names = _Names(diff, lab)
    badge = change_badge(s.change, language)
    head = (f'<p class="change-class">{badge} {lab["class_" + s.change + "_note"]}</p>\n'
            if badge else "")
    if diff.identical:
        return f'{head}<p>{lab["identical"]}</p>\n'
    first: dict[SectionRef, int] = {}
    changes: list[tuple[int, _Numbered]] = []
    for item in _numbered(diff):
        if item.number:
            first.setdefault(_section_key(item.op), item.number)
            changes.append((item.number, item))
    out = [head, f"<p>{_counts(diff, lab)}"]
    if s.change == "text":
        out.append(f'<br>{lab["chars"].format(ins=s.chars_inserted, dele=s.chars_deleted)}')
    out.append("</p>\n")
    out.append(f'<h3>{lab["sections"]}</h3>\n<ul class="changed-sections">\n')
    section_paths = _section_paths(diff)
    for ref in s.sections:
        n = first.get(ref)
        title = escape(names.path(section_paths.get(ref, (ref.title,) if ref.title else ())))
        out.append(f'<li><a href="#change-{n}">{title}</a></li>\n' if n else f"<li>{title}</li>\n")
    out.append("</ul>\n")
    items = "".join(
        f'<li><a href="#change-{n}">{lab["change_n"].format(n=n)}</a>: '
        f'{escape(_op_label(item, lab, names).rsplit(" ", 1)[0] if item.op.op != "moved" else lab["moved"])}'  # noqa: E501
        f' — {escape(names.of(item.op.block))}</li>\n' for n, item in changes)
    out.append(f'<details class="change-list"><summary>{lab["changes"].format(n=len(changes))}'
               f"</summary>\n<ol>\n{items}</ol>\n</details>\n")
    out.append(f'<p class="no-print">{lab["keys"]}</p>\n')
    return "".join(out)


def _section_paths(diff: DocumentDiff) -> dict[SectionRef, tuple[str, ...]]:
    """Each changed section's path of headings (for its label)."""
    out: dict[SectionRef, tuple[str, ...]] = {}
    for op in diff.ops:
        if op.op != "equal":
            block = op.block
            path = block.section
            out.setdefault(_section_key(op), path)
    return out


# --- terminal -----------------------------------------------------------------------------

_RED, _GREEN, _CYAN, _BOLD, _RESET = "\x1b[31m", "\x1b[32m", "\x1b[36m", "\x1b[1m", "\x1b[0m"


def terminal_text(diff: DocumentDiff, color: bool) -> str:
    """A word-diff: ``[-deleted-]{+inserted+}`` (coloured, without markers, on a terminal);
    a changed link is followed by its old and new targets."""

    def d(text: str) -> str:
        return f"{_RED}{text}{_RESET}" if color else f"[-{text}-]"

    def i(text: str) -> str:
        return f"{_GREEN}{text}{_RESET}" if color else f"{{+{text}+}}"

    def seq(ops: Sequence[TextOp]) -> str:
        return "".join(t.text if t.op == "equal" else d(t.text) if t.op == "delete"
                       else i(t.text) for t in ops)

    lines = []
    s = diff.summary
    lines.append(f"{s.changed} changed, {s.inserted} inserted, {s.deleted} deleted, "
                 f"{s.moved} moved; +{s.chars_inserted} -{s.chars_deleted} characters; "
                 f"{s.links} links changed; change: {s.change}")
    for item in _numbered(diff):
        op = item.op
        if not item.number:
            continue
        where = " › ".join(op.block.section) or "(top)"
        kind = op_class(op)
        head = (f"@@ {item.number} {op.op}{' ' + op.direction if op.direction else ''}"
                f"{'' if kind == 'text' else ' (' + kind + ')'}: {where} @@")
        lines.append(f"{_CYAN}{head}{_RESET}" if color else head)
        if op.op == "changed" or op.direction == "in":
            lines.append(seq(op.text_ops))
            assert op.a is not None and op.b is not None
            old = {t for _, _, t in op.a.links} - {t for _, _, t in op.b.links}
            new = {t for _, _, t in op.b.links} - {t for _, _, t in op.a.links}
            lines.extend(f"  link {d(t)}" for t in sorted(old))
            lines.extend(f"  link {i(t)}" for t in sorted(new))
        elif op.op == "inserted":
            lines.append(i(op.block.text))
        else:
            lines.append(d(op.block.text))
    return "\n".join(lines) + "\n"
