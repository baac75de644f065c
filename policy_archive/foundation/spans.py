"""Inline markup as a value: a :class:`Span` over a block's text (a link, emphasis, a line
break or an image), held by :class:`.model.Block`; :mod:`policy_archive.text.markup` makes
and renders them."""

from __future__ import annotations

import re
from html import unescape
from typing import NamedTuple

__all__ = ["VOID", "Span"]

#: Elements with no content and no end tag (a span of one stands at a point of the text).
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
