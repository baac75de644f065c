"""A text's top-level chunks, each parsed once per process however many versions hold it.

Versions of one policy share most of their text, so a text is parsed in top-level chunks
(:func:`chunks`; figures in ``bench/README.md``). A chunk starts after a blank line, at a
heading (``#``) or a line opening with a letter, where no CommonMark block can still be open
(tested against one whole parse by hypothesis); a text with link reference definitions,
fenced code or an HTML block that may span blank lines is parsed whole.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache

from markdown_it.token import Token

from .leaves import Leaf, LeafRenderer, phrasing_at
from .markdown import parser

__all__ = ["Parsed", "chunks", "forget_parsed", "parse", "parse_whole"]

#: A text holding any of these is parsed whole: link reference definitions (``[x]: url``)
#: apply to the whole text; fenced code and HTML blocks of kinds 1–5 (``<pre>``,
#: ``<!-- -->``, ``<?…?>``, ``<!X``, CDATA) may go on across blank lines.
_WHOLE_ONLY = re.compile(r"\]:|```|~~~|<[!?]|<(?:script|pre|style|textarea)", re.IGNORECASE)
#: A blank line, then a line that can only start a new top-level block: an ATX heading, or
#: a letter (a paragraph or a table; never a list marker, quote, fence or HTML).
_CHUNK_START = re.compile(r"\n[ \t]*\n(?=#{1,6}(?:[ \t]|\n|$)|[^\W\d_])")


@lru_cache(maxsize=256)  # a build cuts each text when it shares the work out, then parses it
def chunks(text: str) -> tuple[tuple[int, str], ...]:
    """``(first line, text)`` of the top-level chunks of a Markdown text: parsing each alone
    gives the tokens of parsing the whole (line numbers shifted). One chunk when the text
    may hold a construct that reaches past a blank line (:data:`_WHOLE_ONLY`) or a ``\\r``."""
    if "\r" in text or _WHOLE_ONLY.search(text):
        return ((0, text),)
    out: list[tuple[int, str]] = []
    start = line = 0
    for m in _CHUNK_START.finditer(text):
        end = m.end()
        part = text[start:end]
        out.append((line, part))
        line += part.count("\n")
        start = end
    out.append((line, text[start:]))
    return tuple(out)


class Parsed:
    """One chunk's tokens, and the rendering of its leaves once made (by token index)."""

    __slots__ = ("tokens", "base", "leaves", "tags")

    def __init__(self, tokens: list[Token], base: int = 0) -> None:
        self.tokens = tokens
        self.base = base  # the chunk's first line in the text its tokens were parsed from
        self.leaves: dict[int, Leaf] = {}  # inline/html/code: (html, text, spans)
        self.tags: dict[int, str] = {}  # other tokens: their HTML

    def leaf(self, r: LeafRenderer, i: int) -> Leaf:
        got = self.leaves.get(i)
        if got is None:
            got = self.leaves[i] = r.leaf(self.tokens[i], {}, phrasing_at(self.tokens, i))
        return got

    def tag(self, r: LeafRenderer, i: int) -> str:
        got = self.tags.get(i)
        if got is None:
            rule = r.renderer.rules.get(self.tokens[i].type)
            got = self.tags[i] = (rule(self.tokens, i, r.md.options, {}) if rule is not None
                                  else r.renderer.renderToken(self.tokens, i, r.md.options, {}))
        return got


#: Chunks parsed in this process, by text; emptied when it holds more than this many
#: characters (tokens and their renderings take ~60 bytes a character: ~60 MB at most).
_PARSED_LIMIT = 1_000_000
_parsed: dict[str, Parsed] = {}
_parsed_chars = 0


def forget_parsed() -> None:
    """Drop the parsed chunks kept in this process (a build that forks next need not copy
    them; a live preview keeps them for its next rebuild)."""
    global _parsed_chars
    _parsed.clear()
    _parsed_chars = 0


def parse(text: str) -> list[tuple[int, Parsed]]:
    """``(line offset, parsed chunk)`` of each chunk of ``text``, parsing only new chunks.

    Consecutive new chunks are parsed in one call and the tokens cut apart after: a call has
    a fixed cost (state, rule chains) that would dominate for small chunks."""
    global _parsed_chars
    parts = chunks(text)
    got: list[Parsed | None] = [_parsed.get(part) for _, part in parts]
    i = 0
    while i < len(parts):
        if got[i] is not None:
            i += 1
            continue
        j = i
        while j < len(parts) and got[j] is None:
            j += 1
        run = parts[i:j]
        if _parsed_chars + sum(len(p) for _, p in run) > _PARSED_LIMIT:
            _parsed.clear()
            _parsed_chars = 0
        for (_, part), (tokens, base) in zip(run, _parse_run([p for _, p in run])):
            parsed = Parsed(tokens, base)
            if part not in _parsed:
                _parsed[part] = parsed
                _parsed_chars += len(part)
            got[i] = parsed
            i += 1
    return [(line, parsed) for (line, _), parsed in zip(parts, got) if parsed is not None]


def parse_whole(text: str) -> Parsed:
    """``text`` parsed in one piece, not kept."""
    return Parsed(_parse_run([text])[0][0])


def _parse_run(run: list[str]) -> list[tuple[list[Token], int]]:
    """The tokens of each of consecutive chunks, parsed together, with the line the chunk
    starts at: each list is what parsing that chunk alone gives, its line numbers counted
    from that line (left as they are: shifting every token costs more than the parse)."""
    tokens = parser().parse("".join(run), {})
    starts = [0]
    for part in run[:-1]:
        starts.append(starts[-1] + part.count("\n"))
    out: list[list[Token]] = [[] for _ in run]
    current = out[0]
    for tok in tokens:
        if tok.level == 0 and tok.nesting >= 0 and tok.map:
            current = out[bisect_right(starts, tok.map[0]) - 1]
        if tok.type in ("th_open", "td_open"):
            _cell_align_to_class(tok)
        current.append(tok)
    return list(zip(out, starts))


def _cell_align_to_class(token: Token) -> None:
    style = token.attrGet("style")
    if isinstance(style, str) and style:
        token.attrs.pop("style", None)
        align = style.split(":", 1)[-1].strip()
        token.attrSet("class", f"align-{align}")

