"""Diff: align two versions' blocks, then diff characters inside the blocks that changed.

A pure module: two sequences of :class:`~policy_archive.foundation.model.Block` in, one frozen
:class:`DocumentDiff` out. No HTML, no pages, no I/O; the views (side-by-side, inline,
新旧対照表, terminal, JSON) are renderings of the one result.

Algorithm
---------
1. **Anchors.** Each block's look (:attr:`.model.Block.look`: text, HTML, kind, level,
   shape) becomes a small integer key, so a block whose words stayed but whose links or
   formatting changed is not ``equal``. Keys that occur once in each
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
   text of :data:`CONTAINED_MIN_CHARS`+ characters found almost whole in the other pairs
   too (a clause appended to a short item). Candidates are all pairs while a region has at
   most :data:`MAX_REGION_PAIRS`; a larger region takes, per block, the block after the
   previous match and the few blocks sharing most rare character bigrams (an index), so
   the work stays near-linear even when every block of a document changed.
3. **Moves.** Blocks left unpaired are matched across the document: first identical texts
   (never in one region, so such a pair crosses an anchor), then similar ones (similarity
   ≥ :data:`MOVE_THRESHOLD`, at least :data:`MIN_MOVE_CHARS` characters, best first) by
   the same bigram index: a block moved, possibly also edited.
4. **Char ops** (:func:`diff_text`) for every changed or moved block.

A move is reported twice, with the same ``a_index``, ``b_index``, blocks and char ops: at
the place in A it left (``op="moved"``, ``direction="out"``, standing among A's positions
like a deletion) and at the place in B it reached (``direction="in"``, standing like an
insertion). A view writes "moved to §{op.b.section}" at the first and "moved from
§{op.a.section}" at the second. ``BlockOp.in_a``/``in_b`` say which ops stand at a position
of A / B: walking ``ops`` and taking the A side of those ``in_a`` gives A's blocks in order,
likewise for B, so an inline view reproduces both texts from one walk.

Char tokens and merging
-----------------------
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

Figures (speed, memory, worst cases) are in ``bench/README.md`` ("Diff engine").

Across the diffs of one build, the same blocks meet again and again (every past version
against the current one): :func:`diff_text`, the similarity of two texts and a text's
bigrams are memoised in the process; ``build`` keeps neighbouring pairs in one process.

Tokens: plain characters split numbers (490→550 shows as 49→55); BudouX-like phrases make a
two-character change a whole clause (DESIGN.md). Digit/Latin runs plus single CJK
characters, with tiny gaps merged, read best.
"""

from __future__ import annotations

import difflib
import importlib
import re
import unicodedata
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from itertools import chain
from operator import add, neg
from typing import Any, Literal, NamedTuple, cast

from ..foundation.model import Block
from .sections import SectionRef, section_of

__all__ = [
    "CONTAINED_MIN_CHARS",
    "CONTAINED_SHARE",
    "MAX_REGION_PAIRS",
    "MERGE_GAP_CHARS",
    "MIN_MOVE_CHARS",
    "MOVE_THRESHOLD",
    "PAIR_THRESHOLD",
    "BlockOp",
    "BlockOpKind",
    "CHANGE_CLASSES",
    "ChangeClass",
    "DiffSummary",
    "Direction",
    "DocumentDiff",
    "SectionRef",
    "TextOp",
    "TextOpKind",
    "block_text_ops",
    "diff_blocks",
    "diff_text",
    "links_changed",
    "new_text",
    "op_class",
    "old_text",
    "similarity",
    "to_json_data",
    "tokenize",
]

BlockOpKind = Literal["equal", "changed", "inserted", "deleted", "moved"]
#: What kind of change a diff is: the words differ; only links or images differ; only
#: formatting differs (heading levels, emphasis, list kind, table layout); nothing shows.
ChangeClass = Literal["text", "links", "formatting", "none"]
CHANGE_CLASSES: tuple[ChangeClass, ...] = ("text", "links", "formatting", "none")
TextOpKind = Literal["equal", "delete", "insert"]
Direction = Literal["", "out", "in"]

#: Two blocks in one region pair as ``changed`` at this similarity or more.
PAIR_THRESHOLD = 0.5
#: A deleted and an inserted block elsewhere are one ``moved`` block at this similarity or more.
MOVE_THRESHOLD = 0.8
#: A moved-and-edited block has at least this many characters (shorter ones match by chance).
MIN_MOVE_CHARS = 8
#: A text of this many characters or more, found (in runs of 4+) at this share in a longer
#: text, pairs with it even below PAIR_THRESHOLD: a clause was added to a short item.
CONTAINED_MIN_CHARS = 10
CONTAINED_SHARE = 0.8
_CONTAINED_RUN = 4
#: A region with more candidate pairs than this gets its candidates from a bigram index.
MAX_REGION_PAIRS = 256
#: An unchanged fragment of at most this many characters between two edits is merged into them.
MERGE_GAP_CHARS = 2
#: Token diffs costlier than this (product of the token counts) fall back to one replacement.
MAX_TEXT_WORK = 25_000_000
#: Bigrams held by more blocks than this are too common to find candidates with.
_MAX_POSTINGS = 64
#: Candidates checked per block when candidates come from the bigram index.
_CANDIDATES_PER_BLOCK = 4
#: A candidate's bigram Dice coefficient must reach this share of the similarity floor.
_SCREEN = 0.6
#: B blocks a whole-document ranking keeps per text (those in the region are tried).
_RANKED = 16


def _load_matcher() -> type[difflib.SequenceMatcher[Any]]:
    """cydifflib's compiled SequenceMatcher (a drop-in for difflib's), else difflib's."""
    try:
        module = importlib.import_module("cydifflib")
    except ImportError:  # pragma: no cover - cydifflib is a pinned dependency
        return difflib.SequenceMatcher
    return cast("type[difflib.SequenceMatcher[Any]]", module.SequenceMatcher)


_Matcher = _load_matcher()


# ---------------------------------------------------------------------------- values


class TextOp(NamedTuple):
    """A run of characters: unchanged (``equal``), only in A (``delete``), only in B (``insert``)."""

    op: TextOpKind
    text: str


class BlockOp(NamedTuple):
    """One step of the block alignment.

    ========  =========  =======  ========  ======  =====================================
    op        direction  a_index  b_index   a / b   text_ops
    ========  =========  =======  ========  ======  =====================================
    equal     ""         i        j         both    ``()`` (the text is ``a.text``)
    changed   ""         i        j         both    ``diff_text(a.text, b.text)`` (all
                                                    ``equal`` if only the kind changed)
    inserted  ""         None     j         b only  one ``insert`` (none if the text is "")
    deleted   ""         i        None      a only  one ``delete`` (none if the text is "")
    moved     out / in   i        j         both    ``diff_text(a.text, b.text)``
    ========  =========  =======  ========  ======  =====================================

    A move appears twice (see the module docstring): ``out`` among A's positions, ``in``
    among B's, both with the block's index in A and in B.
    """

    op: BlockOpKind
    a_index: int | None
    b_index: int | None
    a: Block | None
    b: Block | None
    text_ops: tuple[TextOp, ...] = ()
    direction: Direction = ""

    @property
    def in_a(self) -> bool:
        """This op stands at a position of A (its ``a`` is the A block there)."""
        return self.op in ("equal", "changed", "deleted") or self.direction == "out"

    @property
    def in_b(self) -> bool:
        """This op stands at a position of B (its ``b`` is the B block there)."""
        return self.op in ("equal", "changed", "inserted") or self.direction == "in"

    @property
    def block(self) -> Block:
        """The block shown at this op's place: B's, or A's for a deletion or a move out."""
        shown = self.a if self.op == "deleted" or self.direction == "out" else self.b
        assert shown is not None
        return shown


class DiffSummary(NamedTuple):
    """Counts for a headline ("3 blocks changed, +120/−40 characters") and section links.

    A move counts once in ``moved``, and its char edits once; an inserted or deleted block
    counts all its characters. ``sections`` lists the sections with any change in B's order,
    each once; a deletion or a move out names its section in A (so a move names both). A
    change before the first heading is ``SectionRef("", "")``.
    """

    changed: int
    inserted: int
    deleted: int
    moved: int
    chars_inserted: int
    chars_deleted: int
    sections: tuple[SectionRef, ...]
    #: Links re-pointed, added or removed in blocks whose words stayed the same or changed.
    links: int = 0
    #: Blocks whose words and links stayed the same but whose formatting changed.
    formatting: int = 0
    #: The change class of the whole diff (:data:`CHANGE_CLASSES`).
    change: ChangeClass = "none"


@dataclass(frozen=True)
class DocumentDiff:
    """The aligned blocks of two versions; ``ops`` is ordered like a unified diff."""

    a: tuple[Block, ...]
    b: tuple[Block, ...]
    ops: tuple[BlockOp, ...]

    @property
    def identical(self) -> bool:
        """No block differs in anything that shows (also true for two empty documents)."""
        return all(op.op == "equal" for op in self.ops)

    @property
    def change(self) -> ChangeClass:
        return self.summary.change

    @cached_property
    def summary(self) -> DiffSummary:
        return _summarize(self.ops)


def old_text(text_ops: Iterable[TextOp]) -> str:
    """The A side of char ops: ``equal`` + ``delete`` texts."""
    return "".join(t.text for t in text_ops if t.op != "insert")


def new_text(text_ops: Iterable[TextOp]) -> str:
    """The B side of char ops: ``equal`` + ``insert`` texts."""
    return "".join(t.text for t in text_ops if t.op != "delete")


# ---------------------------------------------------------------------------- char ops

_TOKEN = re.compile(
    r"[0-9０-９]+(?:[.,．，][0-9０-９]+)*"  # numbers: 490, 1,000, 3.5, １０
    r"|[A-Za-zÀ-ÖØ-öø-ɏＡ-Ｚａ-ｚ]+"  # Latin words, full-width too
    r"|\s+"  # white space (incl. U+3000, line breaks, tabs)
    r"|.[\u0300-\u036f\u3099\u309a\ufe00-\ufe0f\U000e0100-\U000e01ef]*",  # one character
    re.DOTALL,
)


_Segment = tuple[bool, str, str]  # (is an edit, A text, B text of an edit)


def tokenize(text: str) -> list[str]:
    """The diff tokens of ``text``; they concatenate to ``text``."""
    return _TOKEN.findall(text)


Links = tuple[tuple[int, int, str], ...]  # (start, end, target) in a block's text


def _link_tokens(text: str, links: Links) -> tuple[list[str], list[str]]:
    """The tokens of ``text`` and their comparison keys: a token inside a link is keyed
    with the link's target too, so a re-pointed link differs though its words do not."""
    if not links:
        tokens = tokenize(text)
        return tokens, tokens
    tokens, keys = [], []
    pos = 0
    for start, end, target in sorted(links):
        if start < pos or start == end:
            continue
        for piece, key in ((text[pos:start], ""), (text[start:end], "\x00" + target)):
            for tok in tokenize(piece):
                tokens.append(tok)
                keys.append(tok + key)
        pos = end
    for tok in tokenize(text[pos:]):
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
    ta, ka = _link_tokens(a, a_links)
    tb, kb = _link_tokens(b, b_links)
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
        matcher = _Matcher(None, key_a, key_b, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            part_a, part_b = "".join(mid_a[i1:i2]), "".join(mid_b[j1:j2])
            segments.append((tag != "equal", part_a, part_b))
    else:
        segments.append((True, "".join(mid_a), "".join(mid_b)))
    segments.append((False, "".join(ta[len(ta) - tail :]), ""))
    return _merge([s for s in segments if s[1] or s[2]])


def block_text_ops(a: Block, b: Block) -> tuple[TextOp, ...]:
    """The char ops of two blocks, link targets compared."""
    return diff_text(a.text, b.text, a.links, b.links)


def _merge(segments: list[_Segment]) -> tuple[TextOp, ...]:
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
        elif 0 < k < len(segments) - 1 and _foldable(text_a, segments[k - 1], segments[k + 1]):
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


def _width_only(edit: _Segment) -> bool:
    """A 全角/半角 change only (``１``→``1``, ``（``→``(``): worth showing on its own."""
    _, a, b = edit
    return bool(a and b) and unicodedata.normalize("NFKC", a) == unicodedata.normalize("NFKC", b)


# ---------------------------------------------------------------------------- similarity

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
    return tuple(t for t in _TOKEN.findall(text) if not t.isspace())


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
    matcher = _Matcher(None, wx, wy, autojunk=False)
    bound = matcher.quick_ratio()  # ≥ ratio; bound * total / 2 ≥ tokens matched
    if bound < floor and (not may_contain or bound * total < 2 * CONTAINED_SHARE * short):
        return 0.0
    ratio = matcher.ratio()
    if ratio >= floor or not may_contain:
        return ratio
    runs = matcher.get_matching_blocks()
    covered = sum(size for _, _, size in runs if size >= _CONTAINED_RUN)
    return PAIR_THRESHOLD if covered >= CONTAINED_SHARE * short else ratio


def _comparable(block: Block) -> str:
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
    return _ratio(_comparable(a), _comparable(b), floor)


# ---------------------------------------------------------------------------- alignment

_Region = tuple[int, int, int, int]  # i1, i2, j1, j2
_Edge = tuple[int, int, float]  # a index, b index, similarity


def diff_blocks(a: Sequence[Block], b: Sequence[Block]) -> DocumentDiff:
    """Align two block lists: equal, changed, inserted, deleted and moved blocks."""
    a_blocks, b_blocks = tuple(a), tuple(b)
    a_keys, b_keys = _keys(a_blocks, b_blocks)
    opcodes = _align(a_keys, b_keys)
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
    """Small integers standing for blocks: equal keys, blocks that look the same (text,
    links, formatting: :attr:`.model.Block.look`)."""
    ids: dict[tuple[object, ...], int] = {}
    a_keys = [ids.setdefault(x.look, len(ids)) for x in a]
    b_keys = [ids.setdefault(x.look, len(ids)) for x in b]
    return a_keys, b_keys


_Opcode = tuple[str, int, int, int, int]


def _align(a_keys: list[int], b_keys: list[int]) -> list[_Opcode]:
    """``SequenceMatcher.get_opcodes()`` for the keys, anchored first on unique keys.

    Keys that occur once in A and once in B and keep their order (the longest increasing
    run, as in patience diff) are matched first; the matcher then runs only in the gaps.
    Like the matcher alone, the A and B sides of a non-equal opcode share no key. It spares
    the matcher its costly first passes over repeated blocks (the same sub-heading in every
    section): 5 ms instead of 20 ms for 10k blocks.
    """
    count_a, count_b = Counter(a_keys), Counter(b_keys)
    where_b = {k: j for j, k in enumerate(b_keys) if count_b[k] == 1}
    unique = [(i, where_b[k]) for i, k in enumerate(a_keys) if count_a[k] == 1 and k in where_b]
    opcodes: list[_Opcode] = []
    i0 = j0 = 0  # end of the last equal run
    start_i = start_j = -1  # start of the current equal run of anchors
    for i, j in [*_increasing(unique), (len(a_keys), len(b_keys))]:
        if i == i0 and j == j0 and start_i >= 0:  # the run goes on
            i0, j0 = i + 1, j + 1
            continue
        if start_i >= 0:
            opcodes.append(("equal", start_i, i0, start_j, j0))
        if i > i0 or j > j0:
            matcher = _Matcher(None, a_keys[i0:i], b_keys[j0:j], autojunk=False)
            for tag, i1, i2, j1, j2 in matcher.get_opcodes():
                _add_opcode(opcodes, (tag, i0 + i1, i0 + i2, j0 + j1, j0 + j2))
        if opcodes and opcodes[-1][0] == "equal":  # the gap ended equal: join the runs
            _, start_i, _, start_j, _ = opcodes.pop()
        else:
            start_i, start_j = i, j
        i0, j0 = i + 1, j + 1
    if start_i >= 0 and start_i < len(a_keys):
        opcodes.append(("equal", start_i, len(a_keys), start_j, len(b_keys)))
    return opcodes


def _add_opcode(opcodes: list[_Opcode], opcode: _Opcode) -> None:
    """Append, joining an equal run to the equal run before it."""
    if opcode[0] == "equal" and opcodes and opcodes[-1][0] == "equal":
        tag, i1, _, j1, _ = opcodes[-1]
        opcodes[-1] = (tag, i1, opcode[2], j1, opcode[4])
    else:
        opcodes.append(opcode)


def _increasing(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest subsequence of ``pairs`` (increasing in the first) increasing in the second."""
    tails: list[int] = []  # smallest last B index of an increasing run of each length
    tail_at: list[int] = []
    previous = [-1] * len(pairs)
    for n, (_, j) in enumerate(pairs):
        k = bisect_left(tails, j)
        if k == len(tails):
            tails.append(j)
            tail_at.append(n)
        else:
            tails[k], tail_at[k] = j, n
        previous[n] = tail_at[k - 1] if k else -1
    run: list[tuple[int, int]] = []
    n = tail_at[-1] if tail_at else -1
    while n >= 0:
        run.append(pairs[n])
        n = previous[n]
    return run[::-1]


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
        edges = _indexed_candidates(a_items, b_items, a, b, PAIR_THRESHOLD, in_order=True)
    return _best_chain(edges)


def _best_chain(edges: list[_Edge]) -> list[tuple[int, int]]:
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


@lru_cache(maxsize=1 << 14)
def _bigrams(text: str) -> frozenset[str]:
    return frozenset(map(add, text, text[1:])) or frozenset((text,))


class _WholeIndex:
    """The bigram index of a whole block list, and each text's B blocks ranked by the rarer
    bigrams they share with it. A version is compared with many others (the current one with
    every earlier version), and neighbouring versions share most of their blocks, so both
    are kept for the block lists seen last in this process."""

    def __init__(self, b: tuple[Block, ...]) -> None:
        self.grams = [_bigrams(_comparable(x)) for x in b]
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


def _indexed_candidates(
    a_items: list[int], b_items: list[int], a: tuple[Block, ...], b: tuple[Block, ...],
    floor: float, *, in_order: bool,
) -> list[_Edge]:  # fmt: skip
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
        grams_b = {j: _bigrams(_comparable(b[j])) for j in b_items}
        index: dict[str, list[int]] = {}
        for j in b_items:
            for gram in grams_b[j]:
                index.setdefault(gram, []).append(j)
    at_b = {j: k for k, j in enumerate(b_items)}
    edges: list[_Edge] = []
    follow = -1  # place in b_items after the previous A block's match

    scores = whole.scores if whole is not None else {}

    def check(i: int, grams: frozenset[str], j: int) -> float:
        key = (a[i].kind == "heading", _comparable(a[i]), j, floor)
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
        grams = _bigrams(_comparable(a[i]))
        if in_order and 0 <= follow < len(b_items):
            if check(i, grams, b_items[follow]) >= MOVE_THRESHOLD:
                follow += 1
                continue
        if whole is not None:
            candidates = [j for j in whole.ranked(_comparable(a[i]), grams)
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
    edges = _indexed_candidates(a_items, b_items, a, b, MOVE_THRESHOLD, in_order=False)
    for i, j, _ in sorted(edges, key=lambda e: (-e[2], e[0], e[1])):  # best first
        if i not in found and j not in taken:
            found[i] = j
            taken.add(j)
    return found


# ---------------------------------------------------------------------------- summary, JSON


def op_class(op: BlockOp) -> ChangeClass:
    """What one op changes: its words, only its links, only its formatting, nothing."""
    if op.op == "equal":
        return "none"
    if op.op == "changed":
        assert op.a is not None and op.b is not None
        if op.a.text != op.b.text:
            return "text"
        return "links" if op.a.links != op.b.links else "formatting"
    if op.block.text.strip() or op.op == "moved":
        return "text"
    return "links" if op.block.links else "formatting"


def links_changed(op: BlockOp) -> int:
    """How many links (by words and target) one side of an op has that the other lacks."""
    if op.op not in ("changed", "moved") or op.direction == "in":
        return 0
    assert op.a is not None and op.b is not None
    if not op.a.links and not op.b.links:
        return 0
    a = Counter((op.a.text[s:e], t) for s, e, t in op.a.links)
    b = Counter((op.b.text[s:e], t) for s, e, t in op.b.links)
    return max(sum((a - b).values()), sum((b - a).values()))


_RANK = {"none": 0, "formatting": 1, "links": 2, "text": 3}


def _summarize(ops: Sequence[BlockOp]) -> DiffSummary:
    counts = dict.fromkeys(("changed", "inserted", "deleted", "moved"), 0)
    chars = {"insert": 0, "delete": 0, "equal": 0}
    sections: dict[SectionRef, None] = {}
    links = formatting = 0
    change: ChangeClass = "none"
    for op in ops:
        if op.op == "equal":
            continue
        sections[section_of(op.block)] = None
        if op.direction == "in":
            continue  # a move counts once, at its out end
        counts[op.op] += 1
        kind = op_class(op)
        if _RANK[kind] > _RANK[change]:
            change = kind
        links += links_changed(op)
        formatting += kind == "formatting"
        for t in op.text_ops:
            if op.op != "changed" or kind == "text" or t.op == "equal":
                chars[t.op] += len(t.text)
    return DiffSummary(
        changed=counts["changed"],
        inserted=counts["inserted"],
        deleted=counts["deleted"],
        moved=counts["moved"],
        chars_inserted=chars["insert"],
        chars_deleted=chars["delete"],
        sections=tuple(sections),
        links=links,
        formatting=formatting,
        change=change,
    )


def to_json_data(diff: DocumentDiff) -> dict[str, Any]:
    """Plain dicts and lists (stable key order) for ``build.py diff --format json``.

    Every op has the same keys; ``a``/``b`` are block indices (null where the op has no
    block on that side), ``chars`` its char ops (empty for ``equal``).
    """
    s = diff.summary
    return {
        "identical": diff.identical,
        "summary": {
            "changed": s.changed,
            "inserted": s.inserted,
            "deleted": s.deleted,
            "moved": s.moved,
            "chars_inserted": s.chars_inserted,
            "chars_deleted": s.chars_deleted,
            "links": s.links,
            "formatting": s.formatting,
            "change": s.change,
            "sections": [{"id": r.section_id, "title": r.title} for r in s.sections],
        },
        "ops": [_op_json(op) for op in diff.ops],
    }


def _op_json(op: BlockOp) -> dict[str, Any]:
    shown = op.block
    return {
        "op": op.op,
        "direction": op.direction or None,
        "a": op.a_index,
        "b": op.b_index,
        "kind": shown.kind,
        "section_id": section_of(shown).section_id,
        "a_line": op.a.line if op.a is not None else None,
        "b_line": op.b.line if op.b is not None else None,
        "class": op_class(op),
        "chars": [{"op": t.op, "text": t.text} for t in op.text_ops],
    }
