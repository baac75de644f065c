"""The summary of a diff: the change class, counts, changed sections and every change,
linked to its ``change-N`` in whichever presentation the page shows."""

from __future__ import annotations

from html import escape

from ..diff.classes import op_class
from ..diff.result import DocumentDiff
from ..diff.sections import SectionRef, section_of
from ..foundation.i18n import STRINGS, plural
from .marks import Names, labels, op_label
from .numbering import Numbered, numbered


def change_badge(change: str, language: str) -> str:
    """The badge for a change class other than ``text`` ("" for ``text``)."""
    if change == "text":
        return ""
    words = STRINGS.get(language, STRINGS["en"])["change_" + change]
    return f'<span class="badge change-{change}">{words}</span>'


def _counts(diff: DocumentDiff, lab: dict[str, str]) -> str:
    s = diff.summary
    text_changed = s.changed - s.formatting - sum(
        1 for op in diff.ops if op.op == "changed" and op_class(op) == "links")
    parts = []
    for key, n in (("changed", text_changed), ("inserted", s.inserted),
                   ("deleted", s.deleted), ("moved", s.moved), ("links", s.links),
                   ("formatting", s.formatting)):
        if n:
            parts.append(lab[f"count_{key}"].format(
                n=n, blocks=plural(n, "block", "blocks"), links=plural(n, "link", "links")))
    return lab["count_sep"].join(parts)


def summary_html(diff: DocumentDiff, language: str) -> str:
    lab = labels(language)
    s = diff.summary
    names = Names(diff, lab)
    badge = change_badge(s.change, language)
    head = (f'<p class="change-class">{badge} {lab["class_" + s.change + "_note"]}</p>\n'
            if badge else "")
    if diff.identical:
        return f'{head}<p>{lab["identical"]}</p>\n'
    first: dict[SectionRef, int] = {}
    changes: list[tuple[int, Numbered]] = []
    for item in numbered(diff):
        if item.number:
            first.setdefault(section_of(item.op.block), item.number)
            changes.append((item.number, item))
    out = [head, f"<p>{_counts(diff, lab)}"]
    if s.change == "text":
        out.append(f'<br>{lab["chars"].format(ins=s.chars_inserted, dele=s.chars_deleted)}')
    out.append("</p>\n")
    out.append(f'<h3>{lab["sections"]}</h3>\n<ul class="changed-sections">\n')
    section_paths = _section_paths(diff)
    for ref in s.sections:
        n = first.get(ref)
        title = escape(names.path(section_paths.get(ref, (ref.title,) if ref.title else ())))
        out.append(f'<li><a href="#change-{n}">{title}</a></li>\n' if n else f"<li>{title}</li>\n")
    out.append("</ul>\n")
    items = "".join(
        f'<li><a href="#change-{n}">{lab["change_n"].format(n=n)}</a>: '
        f'{escape(op_label(item, lab, names).rsplit(" ", 1)[0] if item.op.op != "moved" else lab["moved"])}'  # noqa: E501
        f' — {escape(names.of(item.op.block))}</li>\n' for n, item in changes)
    out.append(f'<details class="change-list"><summary>{lab["changes"].format(n=len(changes))}'
               f"</summary>\n<ol>\n{items}</ol>\n</details>\n")
    out.append(f'<p class="no-print">{lab["keys"]}</p>\n')
    return "".join(out)


def _section_paths(diff: DocumentDiff) -> dict[SectionRef, tuple[str, ...]]:
    """Each changed section's path of headings (for its label)."""
    out: dict[SectionRef, tuple[str, ...]] = {}
    for op in diff.ops:
        if op.op != "equal":
            block = op.block
            path = block.section
            out.setdefault(section_of(op.block), path)
    return out
