"""Inline markup as stand-off spans over a block's text, and back to HTML.

A block's ``text`` is what a reader sees; its ``spans`` say which stretches of it are a link,
emphasis, code, and where a line break or an image stands (zero-width). The diff engine
compares link targets through the spans, and the views render any part of a changed block
with its markup (a changed link stays a link) from them. The HTML given is sanitised
output (ours or nh3's), so it is well-formed and its attributes are safe to re-emit.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable
from html import escape, unescape
from html.parser import HTMLParser
from typing import NamedTuple

from ..foundation.spans import VOID, Span


def attrs_html(attrs: list[tuple[str, str | None]]) -> str:
    return "".join(f' {k}="{escape(v or "", quote=True)}"' if v is not None else f" {k}"
                   for k, v in attrs)


class _Spans(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.pos = 0
        self.open: list[tuple[str, str, int, int]] = []  # tag, attrs, start, first span
        self.spans: list[Span] = []
        self.hidden: list[str] = []  # the HTML of an aria-hidden element being read
        self.hidden_depth = 0

    def handle_data(self, data: str) -> None:
        if self.hidden_depth:
            self.hidden.append(escape(data, quote=False))
            return
        self.parts.append(data)
        self.pos += len(data)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        opening = f"<{tag}{attrs_html(attrs)}>"
        if self.hidden_depth:
            self.hidden.append(opening)
            if tag not in VOID:
                self.hidden_depth += 1
            return
        if ("aria-hidden", "true") in attrs and tag not in VOID:
            self.hidden, self.hidden_depth = [opening], 1
        elif tag in VOID:
            self.spans.append(Span(self.pos, self.pos, tag, attrs_html(attrs)))
        else:
            self.open.append((tag, attrs_html(attrs), self.pos, len(self.spans)))
            self.spans.append(Span(-1, -1, "", ""))  # its place, in opening order

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.hidden_depth:
            self.hidden.append(f"<{tag}{attrs_html(attrs)}>")
        else:
            self.spans.append(Span(self.pos, self.pos, tag, attrs_html(attrs)))

    def handle_endtag(self, tag: str) -> None:
        if self.hidden_depth:
            if tag in VOID:
                return
            self.hidden.append(f"</{tag}>")
            self.hidden_depth -= 1
            if not self.hidden_depth:
                self.spans.append(Span(self.pos, self.pos, "", "".join(self.hidden)))
            return
        for k in range(len(self.open) - 1, -1, -1):
            if self.open[k][0] == tag:
                while len(self.open) > k:
                    self._close(*self.open.pop())
                return

    def _close(self, name: str, attrs: str, start: int, first: int) -> None:
        if start < self.pos:
            self.spans[first] = Span(start, self.pos, name, attrs)
            return
        inner = "".join(s.point_html() for s in self.spans[first + 1:] if s.start >= 0)
        del self.spans[first + 1:]
        self.spans[first] = Span(start, start, "", f"<{name}{attrs}>{inner}</{name}>")


def text_and_spans(html: str) -> tuple[str, tuple[Span, ...]]:
    """The visible text of ``html`` (without what is hidden from assistive technology) and
    its markup as spans (outermost first)."""
    if "<" not in html:
        return (unescape(html) if "&" in html else html), ()
    p = _Spans()
    p.feed(html)
    p.close()
    while p.open:
        p._close(*p.open.pop())
    placed = [s for s in p.spans if s.start >= 0]  # in opening order
    spans = sorted(placed, key=lambda s: (s.start, -s.end, s.is_point))
    return "".join(p.parts), tuple(spans)


class _Index(NamedTuple):
    """The spans of one text arranged for range queries (built once per spans tuple)."""

    boxes: tuple[Span, ...]  # the spans with a length, in the spans' order (by start)
    starts: list[int]  # their starts (non-decreasing)
    parent: list[int]  # each one's innermost enclosing span (an index into boxes), or -1
    ends: list[int]  # every end of a span with a length, sorted
    points: dict[int, list[Span]]  # void elements and opaque pieces, by position
    point_at: list[int]  # their positions, sorted


def _index(spans: tuple[Span, ...]) -> _Index:
    boxes = tuple(s for s in spans if not s.is_point and s.start < s.end)
    parent: list[int] = []
    open_: list[int] = []
    for k, s in enumerate(boxes):
        while open_ and boxes[open_[-1]].end <= s.start:
            open_.pop()
        parent.append(open_[-1] if open_ else -1)
        open_.append(k)
    points: dict[int, list[Span]] = {}
    for s in spans:
        if s.is_point:
            points.setdefault(s.start, []).append(s)
    return _Index(boxes, [s.start for s in boxes], parent, sorted(s.end for s in boxes),
                  points, sorted(points))


#: Indexes of the spans tuples rendered last, by identity: a view renders many ranges of
#: the same block one after another (the tuple is held, so its id is not reused).
_indexes: dict[int, tuple[tuple[Span, ...], _Index]] = {}


def _index_of(spans: tuple[Span, ...]) -> _Index:
    got = _indexes.get(id(spans))
    if got is None or got[0] is not spans:
        if len(_indexes) >= 64:
            _indexes.clear()
        got = _indexes[id(spans)] = (spans, _index(spans))
    return got[1]


def _covering(ix: _Index, x: int) -> list[Span]:
    """The spans with a length that hold position ``x``, outermost first."""
    k = bisect_right(ix.starts, x) - 1
    while k >= 0 and ix.boxes[k].end <= x:
        k = ix.parent[k]
    chain: list[Span] = []
    while k >= 0:
        chain.append(ix.boxes[k])
        k = ix.parent[k]
    return chain[::-1]


def _cuts(ix: _Index, start: int, end: int) -> list[int]:
    """Where a span starts or ends, or a point stands, strictly inside ``(start, end)``."""
    inside: set[int] = set()
    for xs in (ix.starts, ix.ends, ix.point_at):
        inside.update(xs[bisect_right(xs, start):bisect_left(xs, end)])
    return sorted(inside)


def render_range(text: str, spans: tuple[Span, ...], start: int, end: int,
                 escape_text: Callable[[str], str] | None = None,
                 link_note: Callable[[str], str] | None = None) -> str:
    """``text[start:end]`` as HTML with the spans that cover it (clipped to the range).
    A void element at a position inside the range, or at its end when that is the text's
    end, is written there. ``escape_text`` turns a piece of text into HTML (default:
    :func:`html.escape`); ``link_note(target)`` is written after each link closed (where a
    link changed). The spans nest, sorted by start (as :func:`text_and_spans` gives them);
    the time taken grows with the spans inside the range, not with all of the text's."""
    esc = escape_text or (lambda s: escape(s, quote=False))
    if not spans:
        return esc(text[start:end])
    ix = _index_of(spans)
    out: list[str] = []

    def close(s: Span) -> None:
        out.append(f"</{s.tag}>")
        if link_note is not None and s.tag == "a" and s.href:
            out.append(link_note(s.href))

    def voids_at(x: int) -> None:
        out.extend(s.point_html() for s in ix.points.get(x, ()))

    if start >= end:
        if start < len(text) or end == len(text):
            voids_at(start)
        return "".join(out)
    voids_at(start)
    stack = _covering(ix, start)
    out.extend(f"<{s.tag}{s.attrs}>" for s in stack)
    k = bisect_right(ix.starts, start)  # the next span to open
    p0 = start
    for x in _cuts(ix, start, end):
        out.append(esc(text[p0:x]))
        while stack and stack[-1].end <= x:
            close(stack.pop())
        voids_at(x)
        while k < len(ix.boxes) and ix.starts[k] == x:
            out.append(f"<{ix.boxes[k].tag}{ix.boxes[k].attrs}>")
            stack.append(ix.boxes[k])
            k += 1
        p0 = x
    out.append(esc(text[p0:end]))
    while stack:
        close(stack.pop())
    if end == len(text):
        voids_at(end)
    return "".join(out)
