"""A diff's ops as every presentation walks them: each change numbered once (``change-N``, N
counting the non-equal ops from 1, so that the summary's links reach the same change in every
presentation), and the runs of rows that make one table."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import NamedTuple

from ..diff.ops import BlockOp
from ..diff.result import DocumentDiff


class Numbered(NamedTuple):
    number: int  # 0 for equal ops
    op: BlockOp
    total: int  # how many changes the diff has


#: The last diff numbered and its numbering: a build renders the four views of one diff in
#: a row, which number its ops alike.
_last_numbered: list[tuple[DocumentDiff, tuple[Numbered, ...]]] = []


def numbered(diff: DocumentDiff) -> tuple[Numbered, ...]:
    if _last_numbered and _last_numbered[0][0] is diff:
        return _last_numbered[0][1]
    total = sum(1 for op in diff.ops if op.op != "equal")
    out = []
    n = 0
    for op in diff.ops:
        if op.op != "equal":
            n += 1
            out.append(Numbered(n, op, total))
        else:
            out.append(Numbered(0, op, total))
    result = tuple(out)
    _last_numbered[:] = [(diff, result)]
    return result


def table_runs(items: Sequence[Numbered]) -> Iterator[tuple[bool, list[Numbered]]]:
    """The items in runs: (True, rows of one table) or (False, [one other item])."""
    run: list[Numbered] = []
    for item in items:
        block = item.op.block
        if block.kind == "row":
            if run and block.header and not run[-1].op.block.header:
                yield True, run
                run = []
            run.append(item)
            continue
        if run:
            yield True, run
            run = []
        yield False, [item]
    if run:
        yield True, run


class ListMark(NamedTuple):
    """Where a list item of a presentation stands in its list: which list (a new one where
    a list of the text starts), the number its marker shows (its own side's count: a
    deleted item its old number, every other its new one), and the list's kind and start."""

    list_no: int
    value: int
    ordered: bool
    start: int
    level: int


def _shape(shape: str) -> tuple[bool, int]:
    parts = shape.split()
    ordered = bool(parts) and parts[0] == "ol"
    start = int(parts[1]) if ordered and len(parts) > 1 and parts[1].isdigit() else 1
    return ordered, start


def list_marks(ops: Sequence[BlockOp]) -> list[ListMark | None]:
    """Each op's :class:`ListMark` (None for a block outside a list), in the order shown:
    a list stays one list across its changed items, nested lists nest, and the numbers an
    ordered list shows count the items of one side, from the list's ``start``."""
    out: list[ListMark | None] = []
    open_lists: dict[int, list[int]] = {}  # level -> [list_no, ordered, start, A, B]
    count = 0
    for op in ops:
        block = op.block
        if block.kind != "item":
            open_lists.clear()
            out.append(None)
            continue
        level = max(block.level, 1)
        for deeper in [k for k in open_lists if k > level]:
            del open_lists[deeper]
        ordered, start = _shape(block.shape)
        now = open_lists.get(level)
        if now is None or now[1] != ordered:
            count += 1
            now = open_lists[level] = [count, ordered, start, start - 1, start - 1]
        if op.in_a:
            now[3] += 1
        if op.in_b:
            now[4] += 1
        out.append(ListMark(now[0], now[4] if op.in_b else now[3], ordered, now[2], level))
    return out
