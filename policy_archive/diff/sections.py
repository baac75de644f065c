"""Which section a block is in: the one answer the summary, the 新旧対照表 and the JSON share."""

from __future__ import annotations

from typing import NamedTuple

from ..foundation.model import Block

__all__ = ["SectionRef", "section_of"]


class SectionRef(NamedTuple):
    """A section of the document: its heading's anchor id and heading text ("" before any)."""

    section_id: str
    title: str



def section_of(block: Block) -> SectionRef:
    """The section ``block`` stands for: a heading (with an anchor) its own, any other block
    the section it is in (``SectionRef("", "")`` before the first heading)."""
    if block.kind == "heading" and block.anchor:
        return SectionRef(block.anchor, block.text)
    return SectionRef(block.section_id, block.section[-1] if block.section else "")
