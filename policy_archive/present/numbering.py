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
