"""Which section a block is in: the one answer the diff summary, its JSON, the HTML views and
the 新旧対照表 share, so that they name and group changes alike."""

from __future__ import annotations

from typing import NamedTuple

from ..foundation.model import Block


class SectionRef(NamedTuple):
    """A section of the document: its heading's anchor id and heading text ("" before any)."""

    section_id: str
    title: str


def section_of(block: Block) -> SectionRef:
    """The section ``block`` stands for: a heading with an anchor its own, any other block
    (and a heading without one) the section of the nearest heading before it."""
    if block.kind == "heading" and block.anchor:
        return SectionRef(block.anchor, block.text)
    return SectionRef(block.section_id, block.section[-1] if block.section else "")
