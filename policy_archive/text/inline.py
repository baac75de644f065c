"""Inline runs holding raw HTML: sanitised as a whole, with this program's own markup put
back after, and nested as HTML allows.

Images and footnote references are HTML this program writes (their attributes would not
pass the allow-list), so the sanitiser sees a marker in their place: a private-use character
that the run holds in no form, neither as itself nor as a character reference, so no text
can forge one (a text holding the characters keeps them as text). Inside a paragraph or a
heading the run keeps no block element, and a link's text holds no link: a browser would
end the paragraph or the link there and read the rest otherwise than the sanitiser did.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from html import unescape

from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import OptionsDict

from .sanitize import sanitize

#: Inline tokens whose HTML this program writes (kept out of the sanitiser's reach).
OWN_MARKUP = frozenset({"image", "footnote_ref"})
#: Where the markers are taken from: the private-use planes (no text needs these, and a
#: run of text holds far fewer distinct characters than the planes have).
PRIVATE_USE = (range(0xE000, 0xF900), range(0xF0000, 0xFFFFE), range(0x100000, 0x10FFFE))


def sanitized_inline(renderer: RendererHTML, options: OptionsDict, children: list[Token],
                     env: dict[str, object], phrasing: bool) -> str:
    """The HTML of inline ``children`` holding raw HTML, sanitised (``phrasing``: as the
    inside of a paragraph or heading), this program's own markup in it as written."""
    own = {k: renderer.renderInline([c], options, env)
           for k, c in enumerate(children) if c.type in OWN_MARKUP}
    if not own:
        return sanitize(renderer.renderInline(children, options, env), phrasing)
    theirs = renderer.renderInline(_masked(children, lambda k: ""), options, env)
    mark = free_character(theirs)
    if mark is None:  # a run holding every private-use character: its images not shown
        return sanitize(theirs, phrasing)
    html = sanitize(renderer.renderInline(
        _masked(children, lambda k: f"{mark}{k}{mark}"), options, env), phrasing)
    return re.sub(f"{mark}([0-9]+){mark}", lambda m: own[int(m.group(1))], html)


def _masked(children: list[Token], marker: Callable[[int], str]) -> list[Token]:
    """``children`` with each piece of this program's own markup the text ``marker(k)``
    (``k``: its index in ``children``)."""
    out: list[Token] = []
    for child in children:
        if child.type in OWN_MARKUP:
            child = Token("text", "", 0, content=marker(len(out)))
        out.append(child)
    return out


def free_character(html: str) -> str | None:
    """A private-use character that ``html`` holds neither as itself nor as a character
    reference (the sanitiser decodes those), or None when it holds every one."""
    used = set(html) | set(unescape(html))
    for plane in PRIVATE_USE:
        for code in plane:
            if chr(code) not in used:
                return chr(code)
    return None


def unnested_links(children: list[Token]) -> list[Token]:
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
