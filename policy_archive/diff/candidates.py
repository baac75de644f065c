"""Candidate pairs of similar blocks through a bigram index: near-linear for large regions
and for moves across a whole document."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from functools import lru_cache
from itertools import chain
from operator import add, neg

from ..foundation.model import Block
from .similarity import MOVE_THRESHOLD, comparable, similarity

__all__ = ["Edge", "indexed_candidates"]

#: Bigrams held by more blocks than this are too common to find candidates with.
_MAX_POSTINGS = 64
#: Candidates checked per block when candidates come from the bigram index.
_CANDIDATES_PER_BLOCK = 4
#: A candidate's bigram Dice coefficient must reach this share of the similarity floor.
_SCREEN = 0.6
#: B blocks a whole-document ranking keeps per text (those in the region are tried).
_RANKED = 16

Edge = tuple[int, int, float]  # a index, b index, similarity


@lru_cache(maxsize=1 << 14)
def _bigrams(text: str) -> frozenset[str]:
    return frozenset(map(add, text, text[1:])) or frozenset((text,))


class _WholeIndex:
    """The bigram index of a whole block list, and each text's B blocks ranked by the rarer
    bigrams they share with it. A version is compared with many others (the current one with
    every earlier version), and neighbouring versions share most of their blocks, so both
    are kept for the block lists seen last in this process."""

    def __init__(self, b: tuple[Block, ...]) -> None:
        self.grams = [_bigrams(comparable(x)) for x in b]
        self.index: dict[str, list[int]] = {}
        for j, grams in enumerate(self.grams):
            for gram in grams:
                self.index.setdefault(gram, []).append(j)
        self._ranked: dict[str, list[int]] = {}
        #: (a heading, its text, B index, floor) -> the screened similarity
        self.scores: dict[tuple[bool, str, int, float], float] = {}

    def ranked(self, text: str, grams: frozenset[str]) -> list[int]:
        """The :data:`_RANKED` B blocks sharing most of ``text``'s rarer bigrams, best
        first (ties: document order)."""
        found = self._ranked.get(text)
        if found is None:
            postings = (p for g in grams if len(p := self.index.get(g, ())) <= _MAX_POSTINGS)
            shared = Counter(chain.from_iterable(postings))
            top = sorted(zip(shared.values(), map(neg, shared)), reverse=True)[:_RANKED]
            found = self._ranked[text] = [-minus_j for _, minus_j in top]
        return found


_whole_indexes: dict[int, tuple[tuple[Block, ...], _WholeIndex]] = {}


def _whole_index(b: tuple[Block, ...]) -> _WholeIndex:
    """The :class:`_WholeIndex` of ``b``, built once (for the last few block lists)."""
    known = _whole_indexes.get(id(b))
    if known is not None and known[0] is b:
        return known[1]
    if len(_whole_indexes) >= 4:
        del _whole_indexes[next(iter(_whole_indexes))]
    made = _WholeIndex(b)
    _whole_indexes[id(b)] = (b, made)
    return made


def indexed_candidates(
    a_items: list[int], b_items: list[int], a: tuple[Block, ...], b: tuple[Block, ...],
    floor: float, *, in_order: bool,
) -> list[Edge]:  # fmt: skip
    """Similar pairs found through a bigram index: near-linear, for large block sets.

    When ``in_order``, each A block is first tried against the B block after the previous
    A block's match (a region where every block was edited, a word replaced throughout,
    pairs in one step each). Otherwise, it is checked against the few B blocks sharing most
    of its rarer bigrams (and, in order, the B block at the same relative place). A bigram
    Dice coefficient screens candidates before the (costlier) similarity.
    """
    whole = _whole_index(b) if 2 * len(b_items) >= len(b) else None
    if whole is not None:
        grams_b: Mapping[int, frozenset[str]] | list[frozenset[str]] = whole.grams
        in_items = set(b_items)
    else:
        grams_b = {j: _bigrams(comparable(b[j])) for j in b_items}
        index: dict[str, list[int]] = {}
        for j in b_items:
            for gram in grams_b[j]:
                index.setdefault(gram, []).append(j)
    at_b = {j: k for k, j in enumerate(b_items)}
    edges: list[Edge] = []
    follow = -1  # place in b_items after the previous A block's match

    scores = whole.scores if whole is not None else {}

    def check(i: int, grams: frozenset[str], j: int) -> float:
        key = (a[i].kind == "heading", comparable(a[i]), j, floor)
        score = scores.get(key)
        if score is None:
            overlap = len(grams & grams_b[j])
            if 2 * overlap < _SCREEN * floor * (len(grams) + len(grams_b[j])):
                score = 0.0
            else:
                score = similarity(a[i], b[j], floor)
            if whole is not None:
                scores[key] = score
        if score >= floor:
            edges.append((i, j, score))
        return score

    for n, i in enumerate(a_items):
        grams = _bigrams(comparable(a[i]))
        if in_order and 0 <= follow < len(b_items):
            if check(i, grams, b_items[follow]) >= MOVE_THRESHOLD:
                follow += 1
                continue
        if whole is not None:
            candidates = [j for j in whole.ranked(comparable(a[i]), grams)
                          if j in in_items][:_CANDIDATES_PER_BLOCK]
        else:
            postings = (p for g in grams if len(p := index.get(g, ())) <= _MAX_POSTINGS)
            shared = Counter(chain.from_iterable(postings))
            ranked = sorted(zip(shared.values(), map(neg, shared)), reverse=True)
            candidates = [-minus_j for _, minus_j in ranked[:_CANDIDATES_PER_BLOCK]]
        if in_order:
            candidates.append(b_items[n * len(b_items) // len(a_items)])
        tried: set[int] = set()
        best, best_j = 0.0, -1
        for j in candidates:
            if j not in tried:
                tried.add(j)
                if (score := check(i, grams, j)) > best:
                    best, best_j = score, j
        follow = at_b[best_j] + 1 if best >= floor else -1
    return edges

