"""The result of one diff: :class:`DocumentDiff`, its :class:`DiffSummary`, its JSON form.

Pickled into the build cache (the cache is keyed by the program's code, so an entry written
before a class moved is never read).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any, NamedTuple

from ..foundation.model import Block
from .classes import CLASS_RANK, ChangeClass, links_changed, op_class
from .ops import BlockOp
from .sections import SectionRef, section_of

__all__ = ["DiffSummary", "DocumentDiff", "to_json_data"]


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
        if CLASS_RANK[kind] > CLASS_RANK[change]:
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
