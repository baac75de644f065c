"""How alike two blocks are, for pairing them as changed or moved.

The ``SequenceMatcher.ratio`` over the diff tokens without white space (single characters
for CJK, whole words for Latin text); headings only like headings, compared without their
leading section number. Memoised in the process (every past version meets the current one).
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..foundation.model import Block
from .chars import tokenize
from .matcher import sequence_matcher

__all__ = [
    "CONTAINED_MIN_CHARS", "CONTAINED_SHARE", "MOVE_THRESHOLD", "PAIR_THRESHOLD", "comparable",
    "similarity",
]

#: Two blocks in one region pair as ``changed`` at this similarity or more.
PAIR_THRESHOLD = 0.5
#: A deleted and an inserted block elsewhere are one ``moved`` block at this similarity or more.
MOVE_THRESHOLD = 0.8
#: A moved-and-edited block has at least this many characters (shorter ones match by chance).
#: A text of this many characters or more, found (in runs of 4+) at this share in a longer
#: text, pairs with it even below PAIR_THRESHOLD: a clause was added to a short item.
CONTAINED_MIN_CHARS = 10
CONTAINED_SHARE = 0.8
_CONTAINED_RUN = 4

_LEADING_NUMBER = re.compile(
    r"^\s*(?:第\s*)?[(（]?[0-9０-９]+(?:[.．][0-9０-９]+)*[)）]?"  # 3 / (2) / 第3 / 1.2
    r"\s*(?:条|章|項|節)?[.．、:：\s]*"  # 条 and the separator after the number
)


@lru_cache(maxsize=1 << 16)
def _words(text: str) -> tuple[str, ...]:
    """The tokens compared for similarity: :func:`tokenize` without white space. A CJK text
    stays one token a character; an English text becomes its words, so unrelated English
    paragraphs no longer look alike through the letters they share, and the multiset bound
    (``quick_ratio``) rejects most candidates before the real comparison (bench/README.md)."""
    return tuple(t for t in tokenize(text) if not t.isspace())


@lru_cache(maxsize=1 << 16)
def _ratio(x: str, y: str, floor: float) -> float:
    """``SequenceMatcher.ratio`` of two texts' :func:`_words` (0.0 if it is surely below
    ``floor``), or :data:`PAIR_THRESHOLD` if the shorter is all but contained in the longer."""
    if x == y:
        return 1.0
    wx, wy = _words(x), _words(y)
    if wx == wy:
        return 1.0 if wx else 0.0
    short, total = min(len(wx), len(wy)), len(wx) + len(wy)
    may_contain = floor <= PAIR_THRESHOLD and short >= CONTAINED_MIN_CHARS
    if short == 0 or (2 * short < floor * total and not may_contain):
        return 0.0
    matcher = sequence_matcher(wx, wy)
    bound = matcher.quick_ratio()  # ≥ ratio; bound * total / 2 ≥ tokens matched
    if bound < floor and (not may_contain or bound * total < 2 * CONTAINED_SHARE * short):
        return 0.0
    ratio = matcher.ratio()
    if ratio >= floor or not may_contain:
        return ratio
    runs = matcher.get_matching_blocks()
    covered = sum(size for _, _, size in runs if size >= _CONTAINED_RUN)
    return PAIR_THRESHOLD if covered >= CONTAINED_SHARE * short else ratio


def comparable(block: Block) -> str:
    """The text compared for pairing: a heading without its leading section number."""
    if block.kind != "heading":
        return block.text
    return _LEADING_NUMBER.sub("", block.text, count=1) or block.text


def similarity(a: Block, b: Block, floor: float = 0.0) -> float:
    """How alike two blocks are for pairing (0.0–1.0; 0.0 when surely below ``floor``).

    The ``SequenceMatcher.ratio`` of the texts; a heading is only like a heading, and
    headings are compared without their leading section numbers. A text of at least
    :data:`CONTAINED_MIN_CHARS` characters contained in the other (at
    :data:`CONTAINED_SHARE`) counts as :data:`PAIR_THRESHOLD` when ``floor`` allows.
    """
    if (a.kind == "heading") != (b.kind == "heading"):
        return 0.0
    return _ratio(comparable(a), comparable(b), floor)
