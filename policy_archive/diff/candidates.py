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
    search = _Search(b_items, a, b, floor)
    at_b = {j: k for k, j in enumerate(b_items)}
    follow = -1  # place in b_items after the previous A block's match
    for n, i in enumerate(a_items):
        grams = _bigrams(comparable(a[i]))
        if in_order and 0 <= follow < len(b_items):
            if search.score(i, grams, b_items[follow]) >= MOVE_THRESHOLD:
                follow += 1
                continue
        candidates = search.ranked(i, grams)
        if in_order:
            candidates.append(b_items[n * len(b_items) // len(a_items)])
        best, best_j = search.best(i, grams, candidates)
        follow = at_b[best_j] + 1 if best >= floor else -1
    return search.edges


class _Search:
    """One search for pairs at ``floor`` or more: the B blocks' bigrams (the whole list's
    :class:`_WholeIndex`, kept with its scores, when the items are most of it; else an index
    of the items alone), and the edges found."""

    def __init__(self, b_items: list[int], a: tuple[Block, ...], b: tuple[Block, ...],
                 floor: float) -> None:
        self.a, self.b, self.floor = a, b, floor
        self.edges: list[Edge] = []
        self.whole = _whole_index(b) if 2 * len(b_items) >= len(b) else None
        self.index: dict[str, list[int]] = {}
        if self.whole is not None:
            self.grams_b: Mapping[int, frozenset[str]] | list[frozenset[str]] = self.whole.grams
            self.in_items = set(b_items)
            self.scores = self.whole.scores
        else:
            self.grams_b = {j: _bigrams(comparable(b[j])) for j in b_items}
            for j in b_items:
                for gram in self.grams_b[j]:
                    self.index.setdefault(gram, []).append(j)
            self.scores = {}  # read, never written: scores are kept with a whole index only

    def score(self, i: int, grams: frozenset[str], j: int) -> float:
        """The similarity of A block ``i`` (its bigrams ``grams``) and B block ``j``, 0.0
        when the bigrams screen it out; an edge when it reaches the floor."""
        a, floor = self.a, self.floor
        key = (a[i].kind == "heading", comparable(a[i]), j, floor)
        score = self.scores.get(key)
        if score is None:
            grams_j = self.grams_b[j]
            if 2 * len(grams & grams_j) < _SCREEN * floor * (len(grams) + len(grams_j)):
                score = 0.0
            else:
                score = similarity(a[i], self.b[j], floor)
            if self.whole is not None:
                self.scores[key] = score
        if score >= floor:
            self.edges.append((i, j, score))
        return score

    def ranked(self, i: int, grams: frozenset[str]) -> list[int]:
        """The few B items sharing most of A block ``i``'s rarer bigrams, best first."""
        if self.whole is not None:
            return [j for j in self.whole.ranked(comparable(self.a[i]), grams)
                    if j in self.in_items][:_CANDIDATES_PER_BLOCK]
        postings = (p for g in grams if len(p := self.index.get(g, ())) <= _MAX_POSTINGS)
        shared = Counter(chain.from_iterable(postings))
        ranked = sorted(zip(shared.values(), map(neg, shared)), reverse=True)
        return [-minus_j for _, minus_j in ranked[:_CANDIDATES_PER_BLOCK]]

    def best(self, i: int, grams: frozenset[str], candidates: list[int]) -> tuple[float, int]:
        """(score, B index) of the best of ``candidates`` for A block ``i``, each tried once
        (``(0.0, -1)`` when none scores above 0)."""
        tried: set[int] = set()
        best, best_j = 0.0, -1
        for j in candidates:
            if j not in tried:
                tried.add(j)
                if (score := self.score(i, grams, j)) > best:
                    best, best_j = score, j
        return best, best_j
