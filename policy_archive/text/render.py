"""Markdown to blocks and HTML, once per version: the walk through a text's tokens.

The page HTML and the blocks come from one walk over the same rendered leaves
(:mod:`.leaves`), so the page and the diff see exactly the same text; headings get stable
ids (:mod:`.headings`) and each block knows the section it is in (:mod:`.blocks`). The
tokens come from :mod:`.chunks` (each chunk parsed once per process), the notes for
``check`` from :mod:`.notes`.
"""

from __future__ import annotations

import copy

from markdown_it.token import Token

from ..foundation.model import BlockKind, Heading, Note, RenderedText
from .blocks import BlockList, attrs_of, cells_of, row_block_parts
from .chunks import Parsed, parse, parse_whole
from .headings import fragment_links, section_number, slugify
from .leaves import Leaf, LeafRenderer, phrasing_at
from .markdown import parser
from .notes import notes_of

__all__ = ["plain_text", "render_markdown"]

#: The tokens that open a container, and the container each opens.
_CONTAINERS = {"list_item_open": "li", "blockquote_open": "blockquote",
               "footnote_open": "footnote"}
_CONTAINER_CLOSE = frozenset({"list_item_close", "blockquote_close", "footnote_close"})


def render_markdown(text: str, *, keep_chunks: bool = True) -> RenderedText:
    """Render a version's Markdown text to page HTML, its blocks and its headings.

    ``keep_chunks``: keep the parsed chunks for the next texts of this process (false for a
    text rendered once, in a process of its own: parsed whole, nothing kept)."""
    walk = _Walk()
    for offset, parsed in parse(text) if keep_chunks else [(0, parse_whole(text))]:
        walk.chunk(offset, parsed)
    return walk.result()


def plain_text(rendered: RenderedText) -> str:
    """All visible text of a rendered version (the concatenation of its blocks)."""
    return "".join(b.text for b in rendered.blocks)


class _Walk:
    """One text's walk through its tokens: the page HTML so far, the blocks, headings and
    notes found, and what is open (containers, lists, a table row)."""

    def __init__(self) -> None:
        self.md = parser()
        self.r = LeafRenderer(self.md)
        self.used_ids: dict[str, int] = {}
        self.headings: list[Heading] = []
        self.found = BlockList()
        self.out: list[str] = []
        self.containers: list[str] = []  # open list items / blockquotes / footnotes
        self.lists: list[str] = []  # the shape of each open list: "ul", "ol 3"
        self.row_cells: list[Leaf] | None = None
        self.row_line = 0
        self.row_header = False
        self.in_thead = False
        self.notes: list[Note] = []

    def chunk(self, offset: int, parsed: Parsed) -> None:
        """Walk one chunk's tokens; ``offset``: the line of the text the chunk starts at."""
        tokens = parsed.tokens
        i = 0
        while i < len(tokens):
            tok = tokens[i]
            line = offset + (tok.map[0] + 1 - parsed.base if tok.map else 1)
            t = tok.type
            if t == "heading_open":
                self.heading(parsed, i, line)
                i += 3  # the heading's inline token and its closing tag with it
                continue
            if t == "inline":
                self.inline(parsed, i, line)
            elif t in ("html_block", "fence", "code_block"):
                self.leaf_block(parsed, i, line)
            else:
                self.structure(parsed, i, line)
            i += 1

    def result(self) -> RenderedText:
        html = "".join(self.out)
        blocks = tuple(self.found.blocks)
        if 'href="#' in html:
            html, blocks = fragment_links(html, blocks, self.headings)
        return RenderedText(html=html, blocks=blocks, headings=tuple(self.headings),
                            notes=tuple(self.notes))

    def heading(self, parsed: Parsed, i: int, line: int) -> None:
        """A heading (tokens ``i`` to ``i + 2``): its id, its section, its block."""
        tokens = parsed.tokens
        tok = tokens[i]
        leaf = parsed.leaf(self.r, i + 1)
        self.notes.extend(notes_of(tokens[i + 1], leaf, line, phrasing=True))
        text_ = leaf[1]
        anchor = self._anchor(text_)
        opening = copy.copy(tok)
        opening.attrs = {**tok.attrs, "id": anchor}
        level = int(tok.tag[1])
        number = section_number(text_)
        section = self.found.section
        while section and section[-1][0] >= level:
            section.pop()
        section.append((level, text_, anchor))
        self.headings.append(Heading(level, text_, anchor, number))
        self.found.add("heading", leaf, level, line, number=number, anchor=anchor)
        self.out.append(self.r.renderer.renderToken([opening, tokens[i + 1]], 0,
                                                    self.md.options, {}))
        self.out.append(leaf[0])
        self.out.append(parsed.tag(self.r, i + 2))

    def _anchor(self, text_: str) -> str:
        """The heading's id: its slug, numbered from the second heading with that slug."""
        base = slugify(text_)
        n = self.used_ids.get(base, 0) + 1
        self.used_ids[base] = n
        return base if n == 1 else f"{base}-{n}"

    def inline(self, parsed: Parsed, i: int, line: int) -> None:
        """An inline run: a table cell of the open row, else a block of its own."""
        tokens = parsed.tokens
        leaf = parsed.leaf(self.r, i)
        self.notes.extend(notes_of(tokens[i], leaf, line, phrasing_at(tokens, i)))
        self.out.append(leaf[0])
        if self.row_cells is not None:
            self.row_cells.append(leaf)
            return
        kind, shape = self._kind_and_shape(tokens, i)
        self.found.add(kind, leaf, len(self.lists), line, shape=shape)

    def _kind_and_shape(self, tokens: list[Token], i: int) -> tuple[BlockKind, str]:
        """What block an inline run outside a table is, by the container it stands in."""
        innermost = self.containers[-1] if self.containers else ""
        if innermost == "li":
            loose = i > 0 and tokens[i - 1].type == "paragraph_open" \
                and not tokens[i - 1].hidden
            return "item", self.lists[-1] + (" loose" if loose else "")
        if innermost == "blockquote":
            return "quote", ""
        return "paragraph", "footnote" if innermost == "footnote" else ""

    def leaf_block(self, parsed: Parsed, i: int, line: int) -> None:
        """An HTML block (a raw table in it cut into rows) or a code block."""
        tok = parsed.tokens[i]
        leaf = parsed.leaf(self.r, i)
        self.notes.extend(notes_of(tok, leaf, line))
        self.out.append(leaf[0])
        if tok.type == "html_block":
            self.found.html_block(leaf, line)
        else:
            self.found.add("code", leaf, 0, line)

    def structure(self, parsed: Parsed, i: int, line: int) -> None:
        """Any other token: lists, containers and table rows opened or closed; its tag."""
        tok = parsed.tokens[i]
        if not self._nesting(tok):
            self._table(parsed.tokens, i, line)
        if tok.nesting != 0 or tok.type in ("hr", "footnote_anchor"):
            self.out.append(parsed.tag(self.r, i))

    def _nesting(self, tok: Token) -> bool:
        """Open or close a list or a container; whether ``tok`` did."""
        t = tok.type
        if t == "bullet_list_open":
            self.lists.append("ul")
        elif t == "ordered_list_open":
            self.lists.append(f"ol {tok.attrGet('start') or 1}")
        elif t in ("bullet_list_close", "ordered_list_close"):
            self.lists.pop()
        elif t in _CONTAINERS:
            self.containers.append(_CONTAINERS[t])
        elif t in _CONTAINER_CLOSE:
            self.containers.pop()
        else:
            return False
        return True

    def _table(self, tokens: list[Token], i: int, line: int) -> None:
        """A table's head opened or closed, a row started, or a row ended: its block."""
        t = tokens[i].type
        if t == "thead_open":
            self.in_thead = True
        elif t == "thead_close":
            self.in_thead = False
        elif t == "tr_open":
            self.row_cells, self.row_line, self.row_header = [], line, self.in_thead
        elif t == "tr_close" and self.row_cells is not None:
            tags = [f"<{tk.tag}{attrs_of(tk)}>" for tk in cells_of(tokens, i)]
            self.found.add("row", row_block_parts(self.row_cells, self.row_header, tags), 0,
                           self.row_line, header=self.row_header)
            self.row_cells = None
