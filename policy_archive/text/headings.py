"""Headings: their section numbers, their stable ids (Japanese too), and in-page links
written for another tool's ids made to lead to them."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from html import unescape

from ..foundation.model import Block, Heading

__all__ = ["fragment_links", "section_number", "slugify"]

_SECTION_NUMBER = re.compile(
    r"^\s*(?:第\s*(?P<kanji>[0-9]+)\s*条|(?P<paren>[(（]\s*[0-9]+\s*[)）])|(?P<plain>[0-9]+)(?=[.．、。:：\s]|$))"
)


def section_number(heading_text: str) -> str:
    """The number a heading gives its section: ``1.収集…`` and ``7. 「…`` give "1" and "7",
    ``(1) 共同…``/``（２）…`` give "(1)"/"(2)", ``第3条`` gives "3"; "" when there is none."""
    m = _SECTION_NUMBER.match(unicodedata.normalize("NFKC", heading_text))
    if not m:
        return ""
    if m.group("paren"):
        return "(" + re.sub(r"\D", "", m.group("paren")) + ")"
    return m.group("kanji") or m.group("plain") or ""


def slugify(text: str) -> str:
    """A readable, stable id for a heading: NFKC, lower case, letters and digits of any
    script kept, runs of anything else turned into one hyphen."""
    norm = unicodedata.normalize("NFKC", text).lower()
    slug = re.sub(r"[^\w]+", "-", norm).strip("-_")
    return slug or "section"


_FRAGMENT = re.compile(r'href="#([^"]+)"')


def _other_slugs(text: str) -> set[str]:
    """Ids other tools give a heading: GitHub's (punctuation dropped, spaces to hyphens),
    and the plain text with spaces to hyphens. Texts link to headings by them."""
    low = unicodedata.normalize("NFKC", text).strip().lower()
    github = re.sub(r"\s", "-", re.sub(r"[^\w\s-]", "", low))
    return {github, re.sub(r"\s+", "-", low)}


def fragment_links(html: str, blocks: tuple[Block, ...], headings: Sequence[Heading]
                    ) -> tuple[str, tuple[Block, ...]]:
    """In-page links written for another tool's heading ids (``#githubs-global-privacy``
    for a heading whose id here is ``github-s-global-privacy``) made to lead to it."""
    ids = {h.anchor for h in headings} | set(re.findall(r'\sid="([^"]*)"', html))
    other: dict[str, str] = {}
    for h in headings:
        for slug in _other_slugs(h.text) - ids:
            other[slug] = "" if slug in other else h.anchor  # "" for an ambiguous one
    wanted = {unescape(f) for f in _FRAGMENT.findall(html)}
    wanted = {f for f in wanted if f not in ids and other.get(f)}
    if not wanted:
        return html, blocks

    def fix(text: str) -> str:
        return _FRAGMENT.sub(lambda m: f'href="#{other[unescape(m.group(1))]}"'
                             if unescape(m.group(1)) in wanted else m.group(0), text)

    fixed = []
    for b in blocks:
        if 'href="#' in b.html:
            b = b._replace(html=fix(b.html), spans=tuple(
                s._replace(attrs=fix(s.attrs)) for s in b.spans))
        fixed.append(b)
    return fix(html), tuple(fixed)
