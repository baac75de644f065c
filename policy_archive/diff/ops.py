"""The steps of a diff: block ops (equal/changed/inserted/deleted/moved) and char ops.

Plain immutable values, pickled into the build cache; :mod:`.align` makes them, every
presentation reads them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal, NamedTuple

from ..foundation.model import Block

__all__ = ["BlockOp", "BlockOpKind", "Direction", "TextOp", "TextOpKind", "new_text", "old_text"]

BlockOpKind = Literal["equal", "changed", "inserted", "deleted", "moved"]
TextOpKind = Literal["equal", "delete", "insert"]
Direction = Literal["", "out", "in"]


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



def old_text(text_ops: Iterable[TextOp]) -> str:
    """The A side of char ops: ``equal`` + ``delete`` texts."""
    return "".join(t.text for t in text_ops if t.op != "insert")


def new_text(text_ops: Iterable[TextOp]) -> str:
    """The B side of char ops: ``equal`` + ``insert`` texts."""
    return "".join(t.text for t in text_ops if t.op != "delete")

