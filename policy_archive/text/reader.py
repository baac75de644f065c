"""The reader's text of a block: what a person reading the page sees, made in one place.

A block's ``text`` holds every character of its rendered HTML, which keeps what a browser
never shows: runs of white space (HTML collapses them to one space, and drops them at the
start and end of a line), a ``<br>`` (a line break the text does not hold) and a ruby's
readings (``<rt>``, ``<rp>``) inside its words. The reader's text is the text as shown:

* white space collapsed as HTML does outside ``<pre>`` (space, tab, line feed, carriage
  return, form feed; U+3000 and no-break spaces are characters like any other), none at the
  start or end of the block, of a line or of a table cell; a code block or anything in
  ``<pre>`` keeps its white space, which shows;
* each ``<br>`` a line break (``\\n``); table cells apart by a tab, as in ``text``;
* a ruby's bases only: its readings (the ``<rt>`` and ``<rp>`` parts) are kept beside the
  text, at the place they stand, so a word is found and compared as printed while a changed
  reading is still a change.

What changed (the diff's keys and classes, clause history), what is found (the search
index) and how often (``log -S``) all ask this module. :func:`fold` and :func:`count` are
the search page's folding (``templates/static/search.js``) in Python: case, full and half
width (NFKC, one character at a time), runs of white space, and a space in the query that
the text may have or not.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Sequence
from functools import lru_cache
from typing import NamedTuple

from ..foundation.model import Block
from ..foundation.spans import Span

__all__ = ["READING_TAGS", "Reading", "count", "fold", "query_pattern", "look_keys", "reader_links",
           "reader_look", "reader_words", "reading", "rubies", "search_text"]

#: The parts of a ruby that are its readings, not its printed words.
READING_TAGS = frozenset({"rt", "rp"})
#: HTML's white space (what collapses outside ``<pre>``).
_HTML_SPACE = " \t\n\r\f"


def _loose(text: str, row: bool) -> bool:
    """Has ``text`` white space to collapse (a row's tabs between its cells aside)?"""
    if "  " in text or "\n" in text or "\r" in text or "\f" in text:
        return True
    if text[:1] == " " or text[-1:] == " ":
        return True
    if "\t" not in text:
        return False
    return not row or " \t" in text or "\t " in text


class Reading(NamedTuple):
    """A block as read: its text, its ruby readings and its markup in that text."""

    text: str
    #: (where in ``text`` a reading stands, ``rt`` or ``rp``, the reading as shown, white
    #: space collapsed)
    readings: tuple[tuple[int, str, str], ...]
    marks: tuple[Span, ...]  # the block's spans, placed in ``text``


def _as_is(block: Block) -> Reading:
    return Reading(block.text, (), block.spans)


class _Collapse:
    """One walk over a block's text: the reader's text and where each position went."""

    def __init__(self, text: str, row: bool) -> None:
        self.raw, self.row = text, row
        self.out: list[str] = []
        self.size = 0  # len("".join(self.out))
        self.pending = False  # white space seen since the last character written
        self.fresh = True  # at the start of the block, a line or a cell
        self.where = [0] * (len(text) + 1)

    def write(self, ch: str) -> None:
        if self.pending and not self.fresh:
            self.out.append(" ")
            self.size += 1
        self.out.append(ch)
        self.size += 1
        self.pending, self.fresh = False, False

    def hard(self, ch: str) -> None:
        """A line break or a cell boundary: white space on either side of it goes."""
        self.out.append(ch)
        self.size += 1
        self.pending, self.fresh = False, True

    def run(self, breaks: set[int], hidden: dict[int, tuple[int, str]]
            ) -> list[tuple[int, str, str]]:
        raw, where = self.raw, self.where
        readings: list[tuple[int, str, str]] = []
        i = 0
        while i <= len(raw):
            if i in breaks:
                self.hard("\n")
            if i == len(raw):
                where[i] = self.size
                break
            got = hidden.get(i)
            if got is not None:  # a reading: beside the text, at the place it stands
                end, tag = got
                spot = self.size + (1 if self.pending and not self.fresh else 0)
                readings.append((spot, tag, _RUNS.sub(" ", raw[i:end]).strip(_HTML_SPACE)))
                for k in range(i, end):
                    where[k] = spot
                i = end
                continue
            ch = raw[i]
            if ch == "\t" and self.row:
                where[i] = self.size
                self.hard("\t")
            elif ch in _HTML_SPACE:
                where[i] = self.size
                self.pending = True
            else:
                where[i] = self.size + (1 if self.pending and not self.fresh else 0)
                self.write(ch)
            i += 1
        return readings


def reading(block: Block) -> Reading:
    """The block as a reader sees it (see the module's docstring)."""
    if block.kind == "code":  # its white space shows
        return _as_is(block)
    html = block.html  # a <br>, <pre> or ruby (<r…) is a tag there, never text (&lt;)
    if "<br" in html or "<r" in html or "<pre" in html or _loose(block.text, block.kind == "row"):
        return _read(block.text, block.spans, block.kind)
    return _as_is(block)


@lru_cache(maxsize=1 << 12)
def _read(text: str, spans: tuple[Span, ...], kind: str) -> Reading:
    """:func:`reading` of a block that needs more than a look (memoised by what it reads:
    the same block stands at other lines in other versions)."""
    tags = {s.tag for s in spans}
    if "pre" in tags:
        return Reading(text, (), spans)
    special = "br" in tags or not tags.isdisjoint(READING_TAGS)
    if not special and not _loose(text, kind == "row"):
        return Reading(text, (), spans)
    if not special and kind != "row":
        return _collapsed_runs(text, spans)
    return _walked(text, spans, kind == "row")


def walked(block: Block) -> Reading:
    """The reading of any block but code, one character at a time (breaks, readings,
    cells); :func:`reading` takes shorter ways where they give the same."""
    return _walked(block.text, block.spans, block.kind == "row")


def _walked(text: str, spans: tuple[Span, ...], row: bool) -> Reading:
    walk = _Collapse(text, row)
    breaks = {s.start for s in spans if s.tag == "br"}
    hidden: dict[int, tuple[int, str]] = {}
    for s in spans:
        if s.tag in READING_TAGS and s.start < s.end:
            hidden[s.start] = max((s.end, s.tag), hidden.get(s.start, (s.end, s.tag)))
    readings = walk.run(breaks, hidden)
    where = walk.where
    marks = tuple(s._replace(start=where[s.start], end=where[s.end]) for s in spans
                  if s.tag not in READING_TAGS and s.tag != "br")
    return Reading("".join(walk.out), tuple(readings), marks)


_RUNS = re.compile(f"[{_HTML_SPACE}]+")
#: The runs that read otherwise than they are written (one space between words reads as is).
_ODD_RUNS = re.compile(f"^[{_HTML_SPACE}]+|[{_HTML_SPACE}]+$|[{_HTML_SPACE}]{{2,}}|[\t\n\r\f]")


def _collapsed_runs(text: str, spans: tuple[Span, ...]) -> Reading:
    """The reading of a block with no break, ruby or cells, by runs of white space (what
    :func:`walked` gives, in a fraction of the time: most wrapped paragraphs come here)."""
    out: list[str] = []
    runs: list[tuple[int, int, int, int]] = []  # raw start, raw end, out at, out after
    pos = size = 0
    for m in _ODD_RUNS.finditer(text):
        start, end = m.span()
        out.append(text[pos:start])
        size += start - pos
        gap = "" if start == 0 or end == len(text) else " "
        runs.append((start, end, size, size + len(gap)))
        out.append(gap)
        size += len(gap)
        pos = end
    out.append(text[pos:])
    starts = [r[0] for r in runs]

    def where(p: int) -> int:
        k = bisect_right(starts, p) - 1
        if k < 0:
            return p
        start, end, at, after = runs[k]
        return at if p < end else after + p - end

    marks = tuple(s._replace(start=where(s.start), end=where(s.end)) for s in spans)
    return Reading("".join(out), (), marks)


def reader_look(block: Block) -> tuple[object, ...]:
    """Everything a reader sees of a block: two blocks with the same reader's look show the
    same words, readings and markup in the same shape (white space HTML collapses aside)."""
    cells = tuple(re.findall(r"<t[dh](?:\s[^>]*)?>", block.html)) if block.kind == "row" else ()
    return (reading(block), cells, block.kind, block.level, block.header, block.shape)


#: Each look met in this process as a small integer, and each block's look's: emptied
#: together, and only between two calls of :func:`look_keys`, so keys compare within one.
_LOOK_IDS: dict[tuple[object, ...], int] = {}
_BLOCK_LOOKS: dict[Block, int] = {}
_MAX_KEYS = 1 << 17


def look_keys(*lists: Sequence[Block]) -> list[list[int]]:
    """:func:`reader_look` as integers, for each list of blocks: equal for equal looks
    (cheap to hash and compare: the diff's keys, met again in every diff of a build)."""
    if len(_BLOCK_LOOKS) + sum(map(len, lists)) > _MAX_KEYS:
        _BLOCK_LOOKS.clear()
        _LOOK_IDS.clear()
    known, ids = _BLOCK_LOOKS, _LOOK_IDS
    out = []
    for blocks in lists:
        keys = []
        for block in blocks:
            key = known.get(block)
            if key is None:
                key = known[block] = ids.setdefault(reader_look(block), len(ids))
            keys.append(key)
        out.append(keys)
    return out


def reader_words(block: Block) -> tuple[str, tuple[tuple[int, str, str], ...]]:
    """The words a reader sees: the reader's text and the ruby readings."""
    r = reading(block)
    return r.text, r.readings


def reader_links(block: Block) -> tuple[tuple[str, str], ...]:
    """The block's links and images as a reader sees them: (their words, their target)."""
    if not block.spans:
        return ()
    r = reading(block)
    out = []
    for m in r.marks:
        if m.tag in ("a", "img", "") and (href := m.href):
            out.append((r.text[m.start:m.end], href))
    return tuple(out)


def search_text(block: Block) -> str:
    """The reader's text as the search index holds it: line breaks and cell boundaries read
    as spaces (an excerpt says "Service. As described below")."""
    return reading(block).text.replace("\n", " ").replace("\t", " ")


def rubies(block: Block) -> list[tuple[int, int, str]]:
    """Each ruby word of the reader's text (and of :func:`search_text`) with its reading:
    (start, end, the ``rt`` text), in order, for showing it as the page does."""
    r = reading(block)
    if not r.readings:
        return []
    out = []
    for m in r.marks:
        if m.tag != "ruby":
            continue
        at = m.start
        for spot, kind, text in r.readings:
            if kind == "rt" and at < spot <= m.end:
                out.append((at, spot, text))
                at = spot
    return out


# The search page's folding, in Python (templates/static/search.js: ``fold``, ``pattern``).

#: What JavaScript's ``\s`` matches: the search page folds a run of these to one space.
JS_SPACE = ("\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
            "\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff")
_JS_SPACES = re.compile(f"[{re.escape(JS_SPACE)}]+")


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """``text`` as the search page compares it: each run of white space one space (none at
    the start), each character by itself in NFKC and lower case (全角 ``ＡＢＣ１０`` and
    half-width ``abc10`` alike)."""
    spaced = _JS_SPACES.sub(" ", text).lstrip(" ")
    if spaced.isascii():
        return spaced.lower()
    if unicodedata.is_normalized("NFKC", spaced):
        # Each character is its own NFKC form; lower case one character at a time, as the
        # page does (no final sigma: that needs the next character).
        return spaced.replace("Σ", "σ").lower()
    return "".join(unicodedata.normalize("NFKC", ch).replace("Σ", "σ").lower()
                   for ch in spaced)


@lru_cache(maxsize=256)
def query_pattern(query: str) -> re.Pattern[str] | None:
    """The query as the search page matches it: folded, its words in order with a space
    between them or none (「LINE アカウント」 finds 「LINEアカウント」); None for no words."""
    folded = fold(query).strip(JS_SPACE)
    if not folded:
        return None
    return re.compile(" ?".join(re.escape(part) for part in folded.split(" ")))


def count(text: str, query: str) -> int:
    """How many times the search page finds ``query`` in one block's ``text`` (matches do
    not overlap)."""
    pattern = query_pattern(query)
    if pattern is None:
        return 0
    return sum(1 for _ in pattern.finditer(fold(text)))
