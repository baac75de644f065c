"""Which section a block is in: the one answer the diff summary, its JSON, the HTML views and
the 新旧対照表 share, so that they name and group changes alike."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
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


_CLAUSE_NUMBER = re.compile(r"^\s*([0-9０-９]+)[\s\u3000]")
_ITEM_NUMBER = re.compile(r"^\s*([〇一二三四五六七八九十百]+)[\s\u3000]")
_KANJI_ARTICLE = re.compile(r"第[〇一二三四五六七八九十百千]+条")
_DIGITS = "〇一二三四五六七八九"


def kanji_number(n: int) -> str:
    """``n`` (1-999) as a statute writes it: 2 → 二, 13 → 十三, 120 → 百二十."""
    out = ""
    for value, name in ((100, "百"), (10, "十")):
        count, n = divmod(n, value)
        out += ("" if count == 1 else _DIGITS[count]) + name if count else ""
    return out + (_DIGITS[n] if n else "")


def block_key(block: Block) -> tuple[int, str]:
    """A block's place in its text, for :func:`provision_places`."""
    return block.line, block.text


def provision_places(blocks: Sequence[Block]) -> dict[tuple[int, str], str]:
    """The 項 and 号 of the paragraphs and items of a text that has them, as a citation
    adds them to the article's heading: 第二項, 第二項第一号, 第三号 (a 号 of the first 項);
    numbers in kanji where the articles are (第二十一条), else as written (第2項)."""
    out: dict[tuple[int, str], str] = {}
    clause = ""
    kanji = False
    for block in blocks:
        if block.kind == "heading":
            clause, kanji = "", bool(_KANJI_ARTICLE.match(block.text))
            continue
        if block.kind == "paragraph":
            m = _CLAUSE_NUMBER.match(block.text)
            clause = m.group(1) if m else ""
            if m:
                out[block_key(block)] = f"第{_clause_name(clause, kanji)}項"
        elif block.kind == "item" and (m := _ITEM_NUMBER.match(block.text)):
            within = f"第{_clause_name(clause, kanji)}項" if clause else ""
            out[block_key(block)] = f"{within}第{m.group(1)}号"
    return out


def _clause_name(number: str, kanji: bool) -> str:
    value = int(unicodedata.normalize("NFKC", number))
    return kanji_number(value) if kanji and 0 < value < 1000 else str(value)
