"""What in a leaf renders, but probably not as meant: the notes ``check`` warns about."""

from __future__ import annotations

import re

from markdown_it.token import Token

from ..foundation.model import Note
from .leaves import Leaf
from .markdown import is_external
from .sanitize import BLOCK_TAGS, MAX_DEPTH, removed_markup, too_deep

__all__ = ["notes_of"]

_TEMPLATE_SYNTAX = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}")


def notes_of(token: Token, leaf: Leaf, line: int, phrasing: bool = False) -> list[Note]:
    """What in a leaf renders, but probably not as meant (warned about by ``check``);
    ``phrasing``: an inline token in a paragraph or heading."""
    notes: list[Note] = []
    if token.type == "code_block":
        notes.append(Note(line, "indented by four spaces or more, so it is shown as code, "
                                "not as policy text: remove the indentation (or fence it "
                                "with ``` if it is code)"))
        return notes
    if token.type == "fence":
        return notes
    source = token.content

    def at(needle: str) -> int:
        """The line of the text where ``needle`` first stands."""
        pos = source.find(needle)
        return line + (source[:pos].count("\n") if pos > 0 else 0)

    raw = source if token.type == "html_block" else "".join(
        c.content for c in token.children or [] if c.type == "html_inline")
    deep = too_deep(raw)  # shown as text: no element of it is removed on its own
    if deep:
        notes.append(Note(line, f"the HTML here opens more than {MAX_DEPTH} elements inside "
                                "one another, so it is shown as its text alone, without "
                                "any markup: close the elements it opens (</div>) or write "
                                "it without HTML"))
    for name in () if deep else removed_markup(raw, phrasing):
        why = ("cannot stand inside a paragraph or heading" if name in BLOCK_TAGS
               else "is HTML that is not allowed in a policy text")
        notes.append(Note(at(f"<{name}"), f"<{name}> {why}: the element is removed (its text "
                                          "stays); write it without that markup"))
    for m in _TEMPLATE_SYNTAX.finditer(leaf[1]):
        notes.append(Note(at(m.group(0)), f"{m.group(0)!r} looks like template syntax left "
                                          "over from another system: it is published as it "
                                          "is"))
    for child in token.children or []:
        src = str(child.attrGet("src") or "") if child.type == "image" else ""
        if src and is_external(src):
            notes.append(Note(at(src), f"the image {src} is on another host: pages load nothing "
                                    "from other hosts, so it is shown as a link to the image; "
                                    "copy the image into the project's static files or "
                                    "remove it"))
    return notes
