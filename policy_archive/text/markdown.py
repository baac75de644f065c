"""The Markdown parser: CommonMark with tables and footnotes (markdown-it-py, mdit-py-plugins),
raw HTML only for real markup, and this program's own rules for images and footnote links.

Markdown-it's link validation stays on (it drops ``javascript:``/``vbscript:``/``file:``/
``data:`` links).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from html import escape

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.rules_block import html_block
from markdown_it.rules_block.state_block import StateBlock
from markdown_it.rules_inline import html_inline
from markdown_it.rules_inline.state_inline import StateInline
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

from .sanitize import is_markup

__all__ = ["is_external", "parser"]

_TAG_AT = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)")


def _only_markup_inline(state: StateInline, silent: bool) -> bool:
    """Raw inline HTML only for real markup: ``<Data Protection Officer>`` stays text."""
    m = _TAG_AT.match(state.src, state.pos)
    if m and not is_markup(m.group(1)):
        return False
    return html_inline(state, silent)


def _only_markup_block(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """An HTML block only when it opens with real markup (a line ``<EU Representative>``
    followed by an address is a paragraph, not raw HTML that swallows the address)."""
    pos = state.bMarks[start] + state.tShift[start]
    m = _TAG_AT.match(state.src, pos)
    if m and not is_markup(m.group(1)):
        return False
    return html_block(state, start, end, silent)


def _image(self: RendererHTML, tokens: Sequence[Token], idx: int, options: object,
           env: object) -> str:
    """A local image as ``<img>``; an image on another host as a link to it: the pages load
    nothing from other hosts (their CSP forbids it), so it would only show broken."""
    tok = tokens[idx]
    src = str(tok.attrGet("src") or "")
    alt = _inline_text(tok.children or [])
    if is_external(src):
        label = alt or src
        return (f'<a class="external-image" href="{escape(src)}" aria-label="{escape(label)}">'
                f'<span aria-hidden="true">\U0001f5bc {escape(label)}</span></a>')
    title = tok.attrGet("title")
    title_attr = f' title="{escape(str(title))}"' if title else ""
    return f'<img src="{escape(src)}" alt="{escape(alt)}"{title_attr}>'


def _footnote_anchor(self: RendererHTML, tokens: Sequence[Token], idx: int, options: object,
                     env: object) -> str:
    """The way back from a footnote: a link whose glyph is not part of the policy text."""
    ident = str(tokens[idx].meta["id"] + 1)
    sub = tokens[idx].meta.get("subId", -1)
    ref = ident + (f":{sub}" if sub > 0 else "")
    return (f' <a href="#fnref{ref}" class="footnote-backref" aria-label="[{ident}]">'
            '<span aria-hidden="true">\u21a9\ufe0e</span></a>')


def is_external(url: str) -> bool:
    """A URL on another host (with a scheme or ``//``), not a path on this site."""
    return bool(re.match(r"[A-Za-z][A-Za-z0-9+.-]*:|//", url))



@lru_cache(maxsize=1)
def parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True}).enable("table").use(footnote_plugin)
    md.inline.ruler.at("html_inline", _only_markup_inline)
    md.block.ruler.at("html_block", _only_markup_block,
                      {"alt": ["paragraph", "reference", "blockquote"]})
    md.add_render_rule("image", _image)
    md.add_render_rule("footnote_anchor", _footnote_anchor)
    return md


def _inline_text(children: Sequence[Token]) -> str:
    parts: list[str] = []
    for tok in children:
        if tok.type == "image":
            continue
        if tok.type in ("text", "code_inline"):
            parts.append(tok.content)
        elif tok.type in ("softbreak", "hardbreak"):
            parts.append("\n")
    return "".join(parts)
