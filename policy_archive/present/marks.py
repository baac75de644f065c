"""What every HTML presentation of a diff is made of: changed passages in ``<ins>``/``<del>``,
the labels of a change, how sections are named, table runs.

Changed blocks keep their inline markup (a link stays a link; a re-pointed link shows as
the old one deleted and the new one inserted, each with its target). Screen-reader labels
and link-target notes inside ``<ins>``/``<del>`` carry ``data-diff-label``; decorations carry
``aria-hidden="true"``.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from ..diff.classes import op_class
from ..diff.ops import BlockOp, TextOp
from ..diff.result import DocumentDiff
from ..foundation.i18n import DIFF_LABELS
from ..foundation.model import Block
from ..text.markup import render_range
from .numbering import Numbered


def labels(language: str) -> dict[str, str]:
    return DIFF_LABELS.get(language, DIFF_LABELS["en"])


def escape_text(text: str) -> str:
    """Escape text; a tab (between table cells) becomes a visual separator."""
    out = escape(text, quote=False)
    if "\t" in out:
        out = out.replace("\t", '<span class="cell-sep" aria-hidden="true"> │ </span>')
    return out


def mark(tag: str, inner: str, lab: dict[str, str], extra_class: str = "",
          blank: bool = False) -> str:
    """``inner`` (HTML) in ``<ins>``/``<del>`` with the screen-reader labels."""
    key = "ins" if tag == "ins" else "del"
    classes = [c for c in (extra_class, "ws" if blank else "") if c]
    cls = f' class="{" ".join(classes)}"' if classes else ""
    return (f'<{tag}{cls}><span class="sr-only" data-diff-label>{lab[key]}</span>'
            f"{inner}<span class=\"sr-only\" data-diff-label>{lab[key + '_end']}</span>"
            f"</{tag}>")


def html_range(block: Block, start: int, end: int, lab: dict[str, str] | None = None,
               side: str = "") -> str:
    """Part of a block's text as HTML with its markup; with ``lab``, each link is followed
    by its target (a changed passage): an in-page link by the heading it points to in
    ``side``'s version ("a" or "b", :func:`with_targets`), any other by its address."""
    if not block.spans:
        return escape_text(block.text[start:end])
    note = None
    if lab is not None:
        def note(href: str) -> str:
            heading = lab.get(side + href) if href.startswith("#") else None
            words = lab["link_heading"].format(heading=heading) if heading else \
                lab["link_target"].format(href=href)
            return f'<span class="link-target" data-diff-label>{escape(words)}</span>'
    return render_range(block.text, block.spans, start, end, escape_text, note)


def with_targets(lab: dict[str, str], diff: DocumentDiff) -> dict[str, str]:
    """The labels and, for each heading of either version, ``a#id``/``b#id`` → its text:
    where an in-page link of that version points."""
    out = dict(lab)
    for side, blocks in (("a", diff.a), ("b", diff.b)):
        for block in blocks:
            if block.kind == "heading" and block.anchor:
                out.setdefault(f"{side}#{block.anchor}", block.text)
    return out


def whole_mark(tag: str, block: Block, lab: dict[str, str], extra_class: str = "") -> str:
    side = "a" if tag == "del" else "b"
    return mark(tag, html_range(block, 0, len(block.text), lab, side), lab, extra_class,
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
                out.append(html_range(a, pa, pa + n))
            else:
                assert b is not None
                out.append(html_range(b, pb, pb + n))
            pa += n
            pb += n
        elif t.op == "delete":
            if side in ("both", "a"):
                assert a is not None
                out.append(mark("del", html_range(a, pa, pa + n, lab, "a"), lab, extra_class,
                                 not t.text.strip()))
            pa += n
        else:
            if side in ("both", "b"):
                assert b is not None
                out.append(mark("ins", html_range(b, pb, pb + n, lab, "b"), lab, extra_class,
                                 not t.text.strip()))
            pb += n
    return "".join(out)


class Names:
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


def step_links(number: int, total: int, lab: dict[str, str]) -> str:
    """Previous/next links for pointer users; keyboard users have n/p and the change list,
    screen-reader users the change list (the links sit in an aria-hidden decoration)."""
    prev = (f' <a class="step" href="#change-{number - 1}" tabindex="-1" '
            f'title="{lab["prev"]}">↑</a>' if number > 1 else "")
    nxt = (f' <a class="step" href="#change-{number + 1}" tabindex="-1" '
           f'title="{lab["next"]}">↓</a>' if number < total else "")
    back = (f' <a class="step" href="#change-list-{number}" tabindex="-1" '
            f'title="{lab["to_list"]}">≡</a>')
    return prev + nxt + back


def tag_for(block: Block, in_list: bool = False) -> tuple[str, str]:
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


def op_label(item: Numbered, lab: dict[str, str], names: Names) -> str:
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


def heading_name(op: BlockOp, lab: dict[str, str]) -> str:
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


def plain_block(block: Block) -> str:
    """An unchanged block's content."""
    return escape_text(block.text) if block.kind == "code" else block.html


def moved_in(op: BlockOp, inner: str, lab: dict[str, str], names: Names) -> str:
    assert op.a is not None
    note = lab["moved_from"].format(where=names.of(op.a))
    return (f'<ins class="moved"><span class="sr-only" data-diff-label>{escape(note)}</span>'
            f"{inner}</ins>")
