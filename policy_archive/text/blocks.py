"""The blocks of one text as they are found: each with its section, its shape and its line;
table rows (pipe tables and raw-HTML tables alike) one block each, cells joined by tabs."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from markdown_it.token import Token

from ..foundation.model import Block, BlockKind
from ..foundation.spans import Span
from .leaves import Leaf
from .markup import text_and_spans
from .sanitize import split_tables

__all__ = ["BlockList", "attrs_of", "cells_of", "row_block_parts"]


def row_block_parts(cells: Sequence[Leaf], header: bool,
                    tags: Sequence[str] | None = None) -> tuple[str, str, tuple[Span, ...]]:
    """(html, text, spans) of a table row: cells joined by tabs, spans placed in the row."""
    html_parts: list[str] = []
    texts: list[str] = []
    spans: list[Span] = []
    pos = 0
    for k, (html, text, cell_spans) in enumerate(cells):
        name = "th" if header else "td"
        opening = tags[k] if tags else f"<{name}>"
        close = "</th>" if opening.startswith("<th") else "</td>"
        html_parts.append(f"{opening}{html}{close}")
        texts.append(text)
        spans.extend(sp._replace(start=sp.start + pos, end=sp.end + pos) for sp in cell_spans)
        pos += len(text) + 1
    return "".join(html_parts), "\t".join(texts), tuple(spans)


class BlockList:
    """Collects the blocks of one text, each knowing its section and its shape."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.section: list[tuple[int, str, str]] = []  # (level, text, anchor)

    def add(self, kind: BlockKind, leaf: Leaf, level: int, line: int, *, number: str = "",
            anchor: str = "", header: bool = False, shape: str = "") -> None:
        html, text_, spans = leaf
        if not text_.strip() and kind != "heading" and not spans:
            return
        section = self.section
        self.blocks.append(Block(
            kind=kind, text=text_, html=html, level=level,
            section=tuple(s[1] for s in section),
            section_id=section[-1][2] if section else "",
            number=number, anchor=anchor, line=line, header=header, spans=spans, shape=shape,
        ))

    def html_block(self, leaf: Leaf, line: int) -> None:
        """A raw-HTML block; a table in it becomes one block per row, like a pipe table."""
        pieces = split_tables(leaf[0])
        if pieces is None:
            self.add("html", leaf, 0, line)
            return
        for piece in pieces:
            if isinstance(piece, str):
                text_, spans = text_and_spans(piece)
                self.add("html", (piece, text_, spans), 0, line)
            else:
                cells = [(inner, *text_and_spans(inner)) for _, inner in piece.cells]
                tags = [opening for opening, _ in piece.cells]
                self.add("row", row_block_parts(cells, piece.header, tags), 0, line,
                         header=piece.header)


def cells_of(tokens: Sequence[Token], close: int) -> list[Token]:
    """The ``th``/``td`` opening tokens of the row that ends at ``close``."""
    cells: list[Token] = []
    k = close - 1
    while k >= 0 and tokens[k].type != "tr_open":
        if tokens[k].type in ("th_open", "td_open"):
            cells.append(tokens[k])
        k -= 1
    return cells[::-1]


def attrs_of(tok: Token) -> str:
    return "".join(f' {k}="{escape(str(v))}"' for k, v in tok.attrs.items())
