"""Char ops inside one changed block: link-aware tokens, trimmed, matched, tiny gaps merged.

Texts are cut into tokens: runs of digits (ASCII and full-width, with ``,``/``.`` inside a
number), runs of Latin letters (ASCII, Latin-1/Extended-A/B, full-width), runs of white
space, and single characters for everything else (a character keeps any combining mark or
variation selector after it). So 490円→550円 shows ``490``→``550``, not ``49``→``55``.
Common token prefixes/suffixes are trimmed, the middles diffed by the matcher. Then an
unchanged fragment of at most :data:`MERGE_GAP_CHARS` characters between two edits is
folded into one delete + insert (``当社の`` → ``弊社が`` rather than three confetti edits),
except a fragment holding a line break or tab, or one between two width-only edits
(``第１条（`` → ``第1条(`` keeps ``条`` unmarked). 全角/半角, punctuation-only and
white-space-only edits are ops like any other.

Tokens: plain characters split numbers (490→550 shows as 49→55); BudouX-like phrases make a
two-character change a whole clause (DESIGN.md). Digit/Latin runs plus single CJK
characters, with tiny gaps merged, read best. :func:`diff_text` is memoised in the process:
the same blocks meet again in every diff of one build.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

from ..foundation.model import Block
from .matcher import sequence_matcher
from .ops import TextOp

__all__ = ["MAX_TEXT_WORK", "MERGE_GAP_CHARS", "Links", "block_text_ops", "block_word_ops",
           "diff_text", "tokenize", "word_ops", "words"]

#: An unchanged fragment of at most this many characters between two edits is merged into them.
MERGE_GAP_CHARS = 2
#: Token diffs costlier than this (product of the token counts) fall back to one replacement.
MAX_TEXT_WORK = 25_000_000

_TOKEN = re.compile(
    r"[0-9０-９]+(?:[.,．，][0-9０-９]+)*"  # numbers: 490, 1,000, 3.5, １０
    r"|[A-Za-zÀ-ÖØ-öø-ɏＡ-Ｚａ-ｚ]+"  # Latin words, full-width too
    r"|\s+"  # white space (incl. U+3000, line breaks, tabs)
    r"|.[\u0300-\u036f\u3099\u309a\ufe00-\ufe0f\U000e0100-\U000e01ef]*",  # one character
    re.DOTALL,
)


#: The units of 字句 a 新旧対照表 underlines whole (:func:`word_ops`): a number with its 第 and
#: its counter (第十三項, 第二十一条の二, 第1条), a bare number (十七, 二千万, 1,000), a
#: katakana word (a defined term), a Latin word, white space, else one character.
_WORD = re.compile(
    r"第[〇一二三四五六七八九十百千万]+(?:条(?:の[一二三四五六七八九十]+)*|[項号章節款目編])?"
    r"|第[0-9０-９]+(?:条(?:の[0-9０-９]+)*|[項号章節款目編])?"
    r"|[〇一二三四五六七八九十百千万]+"
    r"|[0-9０-９]+(?:[.,．，][0-9０-９]+)*"
    r"|[ァ-ヺー]+"
    r"|[A-Za-zÀ-ÖØ-öø-ɏＡ-Ｚａ-ｚ]+"
    r"|\s+"
    r"|.[\u0300-\u036f\u3099\u309a\ufe00-\ufe0f\U000e0100-\U000e01ef]*",
    re.DOTALL,
)


_Segment = tuple[bool, str, str]  # (is an edit, A text, B text of an edit)


def tokenize(text: str) -> list[str]:
    """The diff tokens of ``text``; they concatenate to ``text``."""
    return _TOKEN.findall(text)


Links = tuple[tuple[int, int, str], ...]  # (start, end, target) in a block's text


def words(text: str) -> list[str]:
    """The 字句 of ``text`` (:data:`_WORD`); they concatenate to ``text``."""
    return _WORD.findall(text)


def _link_tokens(text: str, links: Links, cut: Callable[[str], list[str]] = tokenize
                 ) -> tuple[list[str], list[str]]:
    """The tokens of ``text`` and their comparison keys: a token inside a link is keyed
    with the link's target too, so a re-pointed link differs though its words do not."""
    if not links:
        tokens = cut(text)
        return tokens, tokens
    tokens, keys = [], []
    pos = 0
    for start, end, target in sorted(links):
        if start < pos or start == end:
            continue
        for piece, key in ((text[pos:start], ""), (text[start:end], "\x00" + target)):
            for tok in cut(piece):
                tokens.append(tok)
                keys.append(tok + key)
        pos = end
    for tok in cut(text[pos:]):
        tokens.append(tok)
        keys.append(tok)
    return tokens, keys


@lru_cache(maxsize=1 << 14)
def diff_text(a: str, b: str, a_links: Links = (), b_links: Links = ()) -> tuple[TextOp, ...]:
    """Char ops turning ``a`` into ``b``: ``old_text(ops) == a`` and ``new_text(ops) == b``.

    With the texts' links (:attr:`.model.Block.links`), words whose link target differs
    are an edit too (deleted with the old target, inserted with the new). Consecutive ops
    never share a kind, and an edit is written delete first, then insert.
    """
    return _diff(a, b, a_links, b_links, tokenize, fold=True)


@lru_cache(maxsize=1 << 12)
def word_ops(a: str, b: str, a_links: Links = (), b_links: Links = ()) -> tuple[TextOp, ...]:
    """Char ops turning ``a`` into ``b`` by 字句 (:func:`words`), for the 新旧対照表: a
    number, a katakana word or a Latin word is marked whole on both sides when it was
    replaced, and no unchanged 字句 is folded into an edit (no mark covers a character that
    did not change). The same guarantees as :func:`diff_text`."""
    return _diff(a, b, a_links, b_links, words, fold=False)


def _diff(a: str, b: str, a_links: Links, b_links: Links, cut: Callable[[str], list[str]],
          fold: bool) -> tuple[TextOp, ...]:
    ta, ka = _link_tokens(a, a_links, cut)
    tb, kb = _link_tokens(b, b_links, cut)
    if ka == kb:
        return (TextOp("equal", a),) if a else ()
    end = min(len(ka), len(kb))
    head = 0
    while head < end and ka[head] == kb[head]:
        head += 1
    tail = 0
    while tail < end - head and ka[-1 - tail] == kb[-1 - tail]:
        tail += 1
    mid_a, mid_b = ta[head : len(ta) - tail], tb[head : len(tb) - tail]
    key_a, key_b = ka[head : len(ka) - tail], kb[head : len(kb) - tail]
    segments: list[_Segment] = [(False, "".join(ta[:head]), "")]
    if mid_a and mid_b and len(mid_a) * len(mid_b) <= MAX_TEXT_WORK:
        matcher = sequence_matcher(key_a, key_b)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            part_a, part_b = "".join(mid_a[i1:i2]), "".join(mid_b[j1:j2])
            segments.append((tag != "equal", part_a, part_b))
    else:
        segments.append((True, "".join(mid_a), "".join(mid_b)))
    segments.append((False, "".join(ta[len(ta) - tail :]), ""))
    return _merge([s for s in segments if s[1] or s[2]], fold)


def block_text_ops(a: Block, b: Block) -> tuple[TextOp, ...]:
    """The char ops of two blocks, link targets compared."""
    return diff_text(a.text, b.text, a.links, b.links)


def block_word_ops(a: Block, b: Block) -> tuple[TextOp, ...]:
    """The 字句 ops of two blocks (:func:`word_ops`), link targets compared."""
    return word_ops(a.text, b.text, a.links, b.links)


def _merge(segments: list[_Segment], fold: bool = True) -> tuple[TextOp, ...]:
    """Fold tiny unchanged gaps into the edits around them, then emit coalesced ops."""
    ops: list[TextOp] = []
    deleted: list[str] = []
    inserted: list[str] = []

    def flush() -> None:
        if text := "".join(deleted):
            ops.append(TextOp("delete", text))
        if text := "".join(inserted):
            ops.append(TextOp("insert", text))
        deleted.clear()
        inserted.clear()

    for k, (is_edit, text_a, text_b) in enumerate(segments):
        if is_edit:
            deleted.append(text_a)
            inserted.append(text_b)
        elif 0 < k < len(segments) - 1 and (_foldable if fold else _stray)(
                text_a, segments[k - 1], segments[k + 1]):
            deleted.append(text_a)
            inserted.append(text_a)
        else:
            flush()
            if ops and ops[-1].op == "equal":
                text_a = ops.pop().text + text_a
            ops.append(TextOp("equal", text_a))
    flush()
    return tuple(ops)


def _foldable(gap: str, before: _Segment, after: _Segment) -> bool:
    """Is an unchanged gap between two edits tiny enough to become part of them?"""
    if not (before[0] and after[0]) or len(gap) > MERGE_GAP_CHARS:
        return False
    if "\n" in gap or "\t" in gap or "\r" in gap:
        return False
    return not (_width_only(before) and _width_only(after))


def _stray(gap: str, before: _Segment, after: _Segment) -> bool:
    """Is an unchanged gap between two edits a space or comma between replaced words, or one
    kana that only happens to match inside a longer rewording (不正の目的をもって →
    …損害を加える目的で: the を)? Those belong to the replaced 字句; a number, a word, a kanji
    or Japanese punctuation never does."""
    if not (before[0] and after[0]):
        return False
    if _SEPARATOR.fullmatch(gap):  # the space of "January 26" → "February 1", the ", "
        return True
    if len(gap) != 1 or not "\u3041" <= gap <= "\u309f":
        return False
    return all(max(len(edit[1]), len(edit[2])) >= _REWORDING for edit in (before, after))


#: Between two replaced words, a space or ", " is part of the replaced words.
_SEPARATOR = re.compile(r"[ ,.;:]{1,2}")


#: How long both edits around a stray kana are, at least, for it to be folded into them.
_REWORDING = 3


def _width_only(edit: _Segment) -> bool:
    """A 全角/半角 change only (``１``→``1``, ``（``→``(``): worth showing on its own."""
    _, a, b = edit
    return bool(a and b) and unicodedata.normalize("NFKC", a) == unicodedata.normalize("NFKC", b)
