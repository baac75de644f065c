"""The summary of a diff: the change class, counts, changed sections and every change,
linked to its ``change-N`` in whichever presentation the page shows."""

from __future__ import annotations

from html import escape
from typing import NamedTuple

from ..diff.classes import op_class
from ..diff.ops import BlockOp
from ..diff.result import DocumentDiff
from ..diff.sections import SectionRef, section_of
from ..foundation.i18n import STRINGS, plural
from ..foundation.model import Block
from .marks import Names, labels, op_label, with_targets
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
    items = "".join(_entry_html(e, lab) for e in change_entries(diff, language))
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


#: An excerpt of a change shows this many characters at most, with this many around the edit.
EXCERPT_CHARS = 70
CONTEXT_CHARS = 24


class ChangeEntry(NamedTuple):
    """One change as a reviewer works from it: its number, kind (text, links, formatting,
    moved), what its tag says, its section, a short excerpt before and after ("" for the
    side it is not on)."""

    number: int
    kind: str
    label: str
    section: str
    before: str
    after: str


def change_entries(diff: DocumentDiff, language: str) -> list[ChangeEntry]:
    """Every change of ``diff`` in the order shown, numbered as every presentation numbers
    it."""
    lab = labels(language)
    names = Names(diff, lab)
    targets = with_targets(lab, diff)
    out = []
    for item in numbered(diff):
        if not item.number:
            continue
        op = item.op
        kind = "moved" if op.op == "moved" else op_class(op) if op.op == "changed" else "text"
        label = op_label(item, lab, names)
        label = label.split(" · ")[-1] if op.op == "moved" else label.rsplit(" ", 1)[0]
        before, after = excerpts(op)
        if kind == "links" and op.a is not None and op.b is not None:
            before += _targets(op.a, op.b, "a", targets)
            after += _targets(op.b, op.a, "b", targets)
        out.append(ChangeEntry(item.number, kind, label, names.of(op.block), before, after))
    return out


def excerpts(op: BlockOp) -> tuple[str, str]:
    """The old and the new text around an op's edits, clipped to :data:`EXCERPT_CHARS`."""
    a = op.a.text if op.a is not None and (op.in_a or op.op == "moved") else ""
    b = op.b.text if op.b is not None and op.in_b else ""
    edited = any(t.op != "equal" for t in op.text_ops)
    if op.op == "moved" and b and not edited:  # moved as it was: where it arrived, once
        return "", _clip(b, 0, len(b))
    if op.op not in ("changed", "moved") or not b or not edited:
        return _clip(a, 0, len(a)), _clip(b, 0, len(b))
    pa = pb = 0
    first: tuple[int, int] | None = None
    last = (0, 0)
    for t in op.text_ops:
        n = len(t.text)
        if t.op != "equal" and first is None:
            first = (pa, pb)
        pa += n if t.op != "insert" else 0
        pb += n if t.op != "delete" else 0
        if t.op != "equal":
            last = (pa, pb)
    assert first is not None
    return _clip(a, first[0], last[0]), _clip(b, first[1], last[1])


def _targets(block: Block, other: Block, side: str, lab: dict[str, str]) -> str:
    """Where the links of ``block`` that ``other`` lacks point: a heading's text, else the
    address."""
    theirs = set(other.links)
    return "".join((lab["link_heading"].format(heading=lab[side + href])
                    if side + href in lab else lab["link_target"].format(href=href))
                   for s, e, href in block.links if (s, e, href) not in theirs)


def _clip(text: str, start: int, end: int) -> str:
    """``text[start:end]`` with some context, at most :data:`EXCERPT_CHARS` characters,
    "…" where it is cut; cells and lines run on."""
    lo = max(0, start - CONTEXT_CHARS)
    hi = min(len(text), max(end + CONTEXT_CHARS, lo + EXCERPT_CHARS))
    hi = min(hi, lo + EXCERPT_CHARS)
    if lo > 0 and " " in text[lo:start]:  # start at a word
        lo = text.index(" ", lo, start) + 1
    if hi < len(text) and (cut := text.rfind(" ", end if end < hi else lo, hi)) > lo:
        hi = cut
    part = " ".join(text[lo:hi].replace("\t", " | ").split())
    return ("…" if lo > 0 else "") + part + ("…" if hi < len(text) else "")


def _entry_html(entry: ChangeEntry, lab: dict[str, str]) -> str:
    """One change in the summary's list: a link to it (it links back here), its kind and
    section, its excerpts."""
    n = entry.number
    quotes = "".join(
        f' <q class="excerpt {side}"><span class="sr-only">{lab[side]}: </span>'
        f"{escape(text)}</q>" for side, text in (("old", entry.before), ("new", entry.after))
        if text)
    arrow = "excerpt-pair" if entry.before and entry.after else "excerpt-one"
    return (f'<li id="change-list-{n}" class="kind-{entry.kind}">'
            f'<a href="#change-{n}">{lab["change_n"].format(n=n)}</a>: '
            f"{escape(entry.label)} — {escape(entry.section)}"
            f'<span class="{arrow}">{quotes}</span></li>\n')
