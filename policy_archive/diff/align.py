"""Block alignment: two versions' blocks in, one :class:`.result.DocumentDiff` out.

Pure: no HTML, no pages, no I/O; the presentations (side-by-side, inline, 新旧対照表,
terminal, JSON) are renderings of the one result.

Algorithm
---------
1. **Anchors.** Each block's look to a reader (:func:`.reader.reader_look`: the reader's
   text and readings, markup, kind, level, shape) becomes a small integer key, so a block
   whose words stayed but whose links or formatting changed is not ``equal``, and one whose
   only edit is white space that HTML collapses is (no empty marks, no change). Keys that occur once in each
   version and keep their order (the longest increasing run, as in patience diff) are
   matched first; a ``SequenceMatcher`` (``autojunk=False``) then matches the gaps between
   them. Matched blocks are ``equal``. Every gap left is a *region*; the A side
   and the B side of a region share no text.
2. **Pairing by similarity.** Inside each region, blocks are paired by how similar their
   tokens are (``SequenceMatcher.ratio`` over the diff tokens without white space: single
   characters for CJK, whole words for Latin text; threshold :data:`PAIR_THRESHOLD`), never
   by position (over characters, unrelated English paragraphs look alike through the
   letters they share).
   The pairs are the order-keeping chain of greatest total similarity (a
   Fenwick-tree chain, ``O(E log E)`` for ``E`` candidate pairs). A heading pairs only with
   a heading, and headings are compared without their leading section number, so
   ``## 3.第三者`` → ``## 4.第三者`` (renumbered because a section was inserted before it)
   has similarity 1.0: ``changed`` with a one-token char diff, not a delete + insert. A
   text of :data:`.similarity.CONTAINED_MIN_CHARS`+ characters found almost whole in the other pairs
   too (a clause appended to a short item). Candidates are all pairs while a region has at
   most :data:`MAX_REGION_PAIRS`; a larger region takes, per block, the block after the
   previous match and the few blocks sharing most rare character bigrams (an index), so
   the work stays near-linear even when every block of a document changed.
3. **Moves.** Blocks left unpaired are matched across the document: first identical texts
   (never in one region, so such a pair crosses an anchor), then similar ones (similarity
   ≥ :data:`MOVE_THRESHOLD`, at least :data:`MIN_MOVE_CHARS` characters, best first) by
   the same bigram index: a block moved, possibly also edited.
4. **Char ops** (:func:`.chars.diff_text`) for every changed or moved block.

A move is reported twice, with the same ``a_index``, ``b_index``, blocks and char ops: at
the place in A it left (``op="moved"``, ``direction="out"``, standing among A's positions
like a deletion) and at the place in B it reached (``direction="in"``, standing like an
insertion). A view writes "moved to §{op.b.section}" at the first and "moved from
§{op.a.section}" at the second. ``BlockOp.in_a``/``in_b`` say which ops stand at a position
of A / B: walking ``ops`` and taking the A side of those ``in_a`` gives A's blocks in order,
likewise for B, so an inline view reproduces both texts from one walk.

Figures (speed, memory, worst cases) are in ``bench/README.md`` ("Diff engine").
"""

from __future__ import annotations

from collections.abc import Sequence

from ..foundation.model import Block
from ..text.reader import look_keys
from .anchors import anchored_opcodes
from .candidates import Edge, indexed_candidates
from .chars import block_text_ops
from .ops import BlockOp, TextOp, TextOpKind
from .result import DocumentDiff
from .similarity import MOVE_THRESHOLD, PAIR_THRESHOLD, similarity

__all__ = ["MAX_REGION_PAIRS", "MIN_MOVE_CHARS", "diff_blocks"]

#: A moved-and-edited block has at least this many characters (shorter ones match by chance).
MIN_MOVE_CHARS = 8
#: A region with more candidate pairs than this gets its candidates from a bigram index.
MAX_REGION_PAIRS = 256

_Region = tuple[int, int, int, int]  # i1, i2, j1, j2


def diff_blocks(a: Sequence[Block], b: Sequence[Block]) -> DocumentDiff:
    """Align two block lists: equal, changed, inserted, deleted and moved blocks."""
    a_blocks, b_blocks = tuple(a), tuple(b)
    a_keys, b_keys = _keys(a_blocks, b_blocks)
    opcodes = anchored_opcodes(a_keys, b_keys)
    regions = [(i1, i2, j1, j2) for tag, i1, i2, j1, j2 in opcodes if tag != "equal"]

    pairs: dict[int, int] = {}  # A index → B index of changed blocks
    for region in regions:
        pairs.update(_pair_region(region, a_blocks, b_blocks))
    paired_b = set(pairs.values())
    a_left = [i for i1, i2, _, _ in regions for i in range(i1, i2) if i not in pairs]
    b_left = [j for _, _, j1, j2 in regions for j in range(j1, j2) if j not in paired_b]
    moves = _exact_moves(a_left, b_left, a_blocks, a_keys, b_keys)
    moves.update(_similar_moves(a_left, b_left, a_blocks, b_blocks, moves))

    steps = _Steps(a_blocks, b_blocks, moves)
    for tag, i1, i2, j1, j2 in opcodes:
        if tag == "equal":
            steps.equal(i1, i2, j1)
        else:
            region_pairs = sorted((i, pairs[i]) for i in range(i1, i2) if i in pairs)
            steps.region((i1, i2, j1, j2), region_pairs)
    return DocumentDiff(a_blocks, b_blocks, tuple(steps.ops))


class _Steps:
    """Writes the ops of the aligned regions in order, like a unified diff."""

    def __init__(self, a: tuple[Block, ...], b: tuple[Block, ...], moves: dict[int, int]) -> None:
        self.a, self.b, self.moves = a, b, moves
        self.moved_in = {j: i for i, j in moves.items()}
        self.move_text = {i: block_text_ops(a[i], b[j]) for i, j in moves.items()}
        self.ops: list[BlockOp] = []

    def equal(self, i1: int, i2: int, j1: int) -> None:
        a, b, append = self.a, self.b, self.ops.append
        for i, j in zip(range(i1, i2), range(j1, j1 + i2 - i1)):
            append(BlockOp("equal", i, j, a[i], b[j], (), ""))

    def region(self, region: _Region, pairs: list[tuple[int, int]]) -> None:
        """A non-equal region: between its changed pairs, A's blocks, then B's."""
        next_i, end_i, next_j, end_j = region
        a, b, append = self.a, self.b, self.ops.append
        for pair_i, pair_j in [*pairs, (end_i, end_j)]:
            for i in range(next_i, pair_i):
                if (to_j := self.moves.get(i)) is not None:
                    append(BlockOp("moved", i, to_j, a[i], b[to_j], self.move_text[i], "out"))
                else:
                    append(BlockOp("deleted", i, None, a[i], None, _whole("delete", a[i]), ""))
            for j in range(next_j, pair_j):
                if (from_i := self.moved_in.get(j)) is not None:
                    append(BlockOp("moved", from_i, j, a[from_i], b[j], self.move_text[from_i], "in"))
                else:
                    append(BlockOp("inserted", None, j, None, b[j], _whole("insert", b[j]), ""))
            if pair_i < end_i:
                text_ops = block_text_ops(a[pair_i], b[pair_j])
                append(BlockOp("changed", pair_i, pair_j, a[pair_i], b[pair_j], text_ops, ""))
            next_i, next_j = pair_i + 1, pair_j + 1


def _whole(kind: TextOpKind, block: Block) -> tuple[TextOp, ...]:
    return (TextOp(kind, block.text),) if block.text else ()


def _keys(a: tuple[Block, ...], b: tuple[Block, ...]) -> tuple[list[int], list[int]]:
    """Small integers standing for blocks: equal keys, blocks that look the same to a reader
    (words, readings, links, formatting: :func:`.reader.reader_look`; white space that HTML
    collapses does not count)."""
    a_keys, b_keys = look_keys(a, b)
    return a_keys, b_keys



def _exact_moves(
    a_left: list[int], b_left: list[int], a: tuple[Block, ...], a_keys: list[int],
    b_keys: list[int],
) -> dict[int, int]:  # fmt: skip
    """A index → B index of unpaired blocks that reappear unchanged elsewhere.

    Equal texts are never in the same region, so each such pair crosses an anchor: a move.
    Repeated texts are matched in document order.
    """
    arrivals: dict[int, list[int]] = {}  # key → B indices, last first
    for j in reversed(b_left):
        arrivals.setdefault(b_keys[j], []).append(j)
    moves: dict[int, int] = {}
    for i in a_left:
        if (candidates := arrivals.get(a_keys[i])) and a[i].text.strip():
            moves[i] = candidates.pop()
    return moves


def _pair_region(
    region: _Region, a: tuple[Block, ...], b: tuple[Block, ...]
) -> list[tuple[int, int]]:
    """The changed pairs of one region: the order-keeping chain of greatest similarity."""
    i1, i2, j1, j2 = region
    if i1 == i2 or j1 == j2:
        return []
    a_items, b_items = list(range(i1, i2)), list(range(j1, j2))
    if len(a_items) * len(b_items) <= MAX_REGION_PAIRS:
        edges = [
            (i, j, s)
            for i in a_items
            for j in b_items
            if (s := similarity(a[i], b[j], PAIR_THRESHOLD)) >= PAIR_THRESHOLD
        ]
    else:
        edges = indexed_candidates(a_items, b_items, a, b, PAIR_THRESHOLD, in_order=True)
    return _best_chain(edges)


def _best_chain(edges: list[Edge]) -> list[tuple[int, int]]:
    """The edges with strictly increasing A and B indices and the greatest total weight."""
    if not edges:
        return []
    edges = sorted(edges)
    ranks = {j: r for r, j in enumerate(sorted({j for _, j, _ in edges}), start=1)}
    size = len(ranks)
    tree_value = [0.0] * (size + 1)  # Fenwick tree of prefix maxima over B ranks
    tree_edge = [-1] * (size + 1)
    total = [0.0] * len(edges)
    previous = [-1] * len(edges)
    start = 0
    while start < len(edges):
        stop = start
        while stop < len(edges) and edges[stop][0] == edges[start][0]:
            stop += 1
        for e in range(start, stop):  # query before any update: A indices strictly increase
            pos, value, best = ranks[edges[e][1]] - 1, 0.0, -1
            while pos > 0:
                if tree_value[pos] > value:
                    value, best = tree_value[pos], tree_edge[pos]
                pos -= pos & -pos
            total[e], previous[e] = value + edges[e][2], best
        for e in range(start, stop):
            pos = ranks[edges[e][1]]
            while pos <= size:
                if total[e] > tree_value[pos]:
                    tree_value[pos], tree_edge[pos] = total[e], e
                pos += pos & -pos
        start = stop
    e = max(range(len(edges)), key=total.__getitem__)
    picked: list[tuple[int, int]] = []
    while e >= 0:
        picked.append((edges[e][0], edges[e][1]))
        e = previous[e]
    return picked[::-1]



def _similar_moves(
    a_left: list[int], b_left: list[int], a: tuple[Block, ...], b: tuple[Block, ...],
    moves: dict[int, int],
) -> dict[int, int]:  # fmt: skip
    """A index → B index of unpaired blocks that reappear elsewhere slightly edited."""
    taken = set(moves.values())
    a_items = [i for i in a_left if i not in moves and len(a[i].text) >= MIN_MOVE_CHARS]
    b_items = [j for j in b_left if j not in taken and len(b[j].text) >= MIN_MOVE_CHARS]
    if not a_items or not b_items:
        return {}
    found: dict[int, int] = {}
    edges = indexed_candidates(a_items, b_items, a, b, MOVE_THRESHOLD, in_order=False)
    for i, j, _ in sorted(edges, key=lambda e: (-e[2], e[0], e[1])):  # best first
        if i not in found and j not in taken:
            found[i] = j
            taken.add(j)
    return found
