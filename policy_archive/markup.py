"""Inline markup as stand-off spans over a block's text, and back to HTML.

A block's ``text`` is what a reader sees; its ``spans`` say which stretches of it are a link,
emphasis, code, and where a line break or an image stands (zero-width). The diff engine
compares link targets through the spans, and the views render any part of a changed block
with its markup (a changed link stays a link) from them. The HTML given is sanitised
output (ours or nh3's), so it is well-formed and its attributes are safe to re-emit.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html import escape, unescape
from html.parser import HTMLParser
from typing import NamedTuple

VOID = frozenset({"br", "img", "wbr", "hr"})


class Span(NamedTuple):
    """``text[start:end]`` is inside ``<tag attrs>``. A void element (``br``, ``img``) and an
    *opaque* piece (``tag`` "", ``attrs`` its whole HTML: an element hidden from assistive
    technology, or one with no text, such as an ``<a id>`` anchor) have ``start == end``."""

    start: int
    end: int
    tag: str
    attrs: str  # serialised, with a leading space ("" for none); an opaque piece's HTML

    @property
    def is_point(self) -> bool:
        return self.tag in VOID or self.tag == ""

    @property
    def href(self) -> str:
        m = re.search(r' (?:href|src)="([^"]*)"', self.attrs)
        return unescape(m.group(1)) if m else ""

    def point_html(self) -> str:
        return self.attrs if self.tag == "" else f"<{self.tag}{self.attrs}>"


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


def render_range(text: str, spans: tuple[Span, ...], start: int, end: int,
                 escape_text: Callable[[str], str] | None = None,
                 link_note: Callable[[str], str] | None = None) -> str:
    """``text[start:end]`` as HTML with the spans that cover it (clipped to the range).
    A void element at a position inside the range, or at its end when that is the text's
    end, is written there. ``escape_text`` turns a piece of text into HTML (default:
    :func:`html.escape`); ``link_note(target)`` is written after each link closed (where a
    link changed)."""
    esc = escape_text or (lambda s: escape(s, quote=False))
    if not spans:
        return esc(text[start:end])
    at_end = end == len(text)
    points = {start, end}
    for s in spans:
        for x in (s.start, s.end):
            if start < x < end:
                points.add(x)
    cuts = sorted(points)
    out: list[str] = []
    stack: list[Span] = []

    def close(s: Span) -> None:
        out.append(f"</{s.tag}>")
        if link_note is not None and s.tag == "a" and s.href and not s.href.startswith("#"):
            out.append(link_note(s.href))

    def voids_at(x: int) -> None:
        for s in spans:
            if s.is_point and s.start == x:
                out.append(s.point_html())

    for p0, p1 in zip(cuts, cuts[1:]):
        covering = [s for s in spans if not s.is_point and s.start <= p0 and s.end >= p1
                    and s.start < s.end]
        keep = 0
        while keep < len(stack) and keep < len(covering) and stack[keep] is covering[keep]:
            keep += 1
        while len(stack) > keep:
            close(stack.pop())
        voids_at(p0)
        for s in covering[keep:]:
            out.append(f"<{s.tag}{s.attrs}>")
            stack.append(s)
        out.append(esc(text[p0:p1]))
    while stack:
        close(stack.pop())
    if at_end and start < end:
        voids_at(end)
    elif start == end and (start < len(text) or at_end):
        voids_at(start)
    return "".join(out)
