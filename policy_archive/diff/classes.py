"""Change classes: whether an op changes its words, only its links, only its formatting.

Decided on the reader's text (:mod:`policy_archive.text.reader`): white space that HTML
collapses is no change; a ruby's reading is part of the words.

The class of a whole diff is the strongest class of its ops (:data:`CLASS_RANK`).
"""

from __future__ import annotations

from collections import Counter
from typing import Literal

from ..text.reader import reader_links, reader_look, reader_words, reading
from .ops import BlockOp

__all__ = ["CHANGE_CLASSES", "CLASS_RANK", "ChangeClass", "links_changed", "op_class"]

#: What kind of change a diff is: the words differ; only links or images differ; only
#: formatting differs (heading levels, emphasis, list kind, table layout); nothing shows.
ChangeClass = Literal["text", "links", "formatting", "none"]
CHANGE_CLASSES: tuple[ChangeClass, ...] = ("text", "links", "formatting", "none")
#: How strong a class is: a diff's class is its strongest op's.
CLASS_RANK = {"none": 0, "formatting": 1, "links": 2, "text": 3}


def op_class(op: BlockOp) -> ChangeClass:
    """What one op changes: its words, only its links, only its formatting, nothing."""
    if op.op == "equal":
        return "none"
    if op.op == "changed":
        assert op.a is not None and op.b is not None
        if reader_words(op.a) != reader_words(op.b):
            return "text"
        if reader_links(op.a) != reader_links(op.b):
            return "links"
        return "formatting" if reader_look(op.a) != reader_look(op.b) else "none"
    if reading(op.block).text or op.op == "moved":
        return "text"
    return "links" if op.block.links else "formatting"


def links_changed(op: BlockOp) -> int:
    """How many links (by words and target) one side of an op has that the other lacks."""
    if op.op not in ("changed", "moved") or op.direction == "in":
        return 0
    assert op.a is not None and op.b is not None
    if not op.a.links and not op.b.links:
        return 0
    a = Counter(reader_links(op.a))
    b = Counter(reader_links(op.b))
    return max(sum((a - b).values()), sum((b - a).values()))

