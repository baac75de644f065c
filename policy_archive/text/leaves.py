"""One leaf of a text (an inline run, an HTML block, code) rendered and sanitised: its HTML,
its visible text and its inline markup.

Raw HTML is let through only via the allow-list in :mod:`.sanitize`, one leaf at a time, so
the page and the diff see exactly the same text. What this program writes itself (images,
footnote references) is put back after sanitising through a marker character the text holds
in no form (no in-band stand-in a text can forge).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from html import unescape

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token

from ..foundation.spans import Span
from .markup import text_and_spans
from .sanitize import sanitize

__all__ = ["Leaf", "LeafRenderer", "phrasing_at"]

Leaf = tuple[str, str, tuple[Span, ...]]  # html, visible text, inline markup


class LeafRenderer:
    """Renders a token stream, sanitising each leaf once and recording it as a block."""

    def __init__(self, md: MarkdownIt) -> None:
        self.md = md
        assert isinstance(md.renderer, RendererHTML)
        self.renderer: RendererHTML = md.renderer

    def leaf(self, token: Token, env: dict[str, object], phrasing: bool = False) -> Leaf:
        """(html, visible text, inline markup) of an ``inline``, ``html_block`` or code
        token; ``phrasing``: an inline token in a paragraph or heading, where its raw HTML
        may hold no block element (the browser would end the paragraph there)."""
        if token.type == "inline":
            children = _unnested_links(token.children or [])
            if any(c.type == "html_inline" for c in children):
                html = self._sanitized_inline(children, env, phrasing)
            else:
                html = self.renderer.renderInline(children, self.md.options, env)
            text, spans = text_and_spans(html)
            return html, text, spans
        if token.type == "html_block":
            html = sanitize(token.content)
            text, spans = text_and_spans(html)
            return html, text, spans
        html = self.renderer.rules[token.type](  # fence, code_block
            [token], 0, self.md.options, env
        )
        return html, token.content, ()

    def _sanitized_inline(self, children: list[Token], env: dict[str, object],
                          phrasing: bool) -> str:
        """Inline content holding raw HTML, sanitised as a whole; what this program writes
        itself (images, footnote references) is put in after, so its attributes stay. It
        stands in the sanitiser's input as a marker made of a character the text holds in no
        form (:func:`_free_character`), so no text can forge one."""
        own = {k: self.renderer.renderInline([c], self.md.options, env)
               for k, c in enumerate(children) if c.type in _OWN_MARKUP}
        if not own:
            return sanitize(self.renderer.renderInline(children, self.md.options, env),
                            phrasing)
        theirs = self.renderer.renderInline(_masked(children, lambda k: ""), self.md.options,
                                            env)
        mark = _free_character(theirs)
        if mark is None:  # a run holding every private-use character: its images not shown
            return sanitize(theirs, phrasing)
        html = sanitize(self.renderer.renderInline(
            _masked(children, lambda k: f"{mark}{k}{mark}"), self.md.options, env), phrasing)
        return re.sub(f"{mark}([0-9]+){mark}", lambda m: own[int(m.group(1))], html)


#: Inline tokens whose HTML this program writes (kept out of the sanitiser's reach).
_OWN_MARKUP = frozenset({"image", "footnote_ref"})
#: Where the markers are taken from: the private-use planes (no text needs these, and a
#: run of text holds far fewer distinct characters than the planes have).
_PRIVATE_USE = (range(0xE000, 0xF900), range(0xF0000, 0xFFFFE), range(0x100000, 0x10FFFE))


def _unnested_links(children: list[Token]) -> list[Token]:
    """``children`` without the links inside a link (an autolink in a link's text): a link
    holds no link, and a browser would end the outer one where the inner one starts."""
    depth = 0
    out: list[Token] = []
    for child in children:
        if child.type == "link_open":
            depth += 1
            if depth > 1:
                continue
        elif child.type == "link_close":
            depth -= 1
            if depth > 0:
                continue
        out.append(child)
    return out


def phrasing_at(tokens: Sequence[Token], i: int) -> bool:
    """Whether the inline token ``tokens[i]`` stands in a ``<p>`` or a heading (not in a
    tight list item or a table cell, which may hold blocks)."""
    before = tokens[i - 1] if i > 0 else None
    return before is not None and (before.type == "heading_open" or
                                   before.type == "paragraph_open" and not before.hidden)


def _masked(children: list[Token], marker: Callable[[int], str]) -> list[Token]:
    """``children`` with each piece of this program's own markup the text ``marker(k)``
    (``k``: its index in ``children``)."""
    out: list[Token] = []
    for child in children:
        if child.type in _OWN_MARKUP:
            child = Token("text", "", 0, content=marker(len(out)))
        out.append(child)
    return out


def _free_character(html: str) -> str | None:
    """A private-use character that ``html`` holds neither as itself nor as a character
    reference (the sanitiser decodes those), or None when it holds every one."""
    used = set(html) | set(unescape(html))
    for plane in _PRIVATE_USE:
        for code in plane:
            if chr(code) not in used:
                return chr(code)
    return None

