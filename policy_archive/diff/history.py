"""Clause history: for every section of every version, the versions in which it changed.

A section is a heading and the blocks under it, down to the next heading of the same or a
higher level (so a change in 第十条 is a change of the 附則 holding it too). Walking a
document's versions in order, a section of version *k* is the same section as the one of
version *k−1* whose heading the diff of the two matched unchanged (``equal``, or moved with
the same text); it changed in *k* when anything that shows in it differs (its blocks' looks
to a reader, :func:`.reader.reader_look`: words, readings, links, formatting; not white
space that HTML collapses), when its heading changed (a renumbered 第3条 → 第4条 counts), or
when it first appears. Pure: an archive's documents and the consecutive diffs in, records
out. Pages (``data-last-changed``, the history page) and the ``blame``/``log`` commands read
them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NamedTuple

from ..foundation.model import Block, Document, RenderedText, Version
from ..text.reader import count as found
from ..text.reader import reader_look, search_text
from .result import DocumentDiff


class Change(NamedTuple):
    """A version in which a section changed, and where its diff shows the change."""

    key: str  # the version's effective date, ISO
    previous: str | None  # the version before (None where the section first appeared)
    change_number: int  # the N of ``#change-N`` on that diff's pages (0: none to point at)


class Section(NamedTuple):
    """A section of one version and its history up to that version, oldest first."""

    anchor: str  # the heading's id
    title: str
    level: int
    path: tuple[str, ...]  # the texts of the enclosing headings and its own
    changes: tuple[Change, ...]

    @property
    def last_changed(self) -> str:
        return self.changes[-1].key


def _spans(blocks: Sequence[Block]) -> list[tuple[int, int]]:
    """(start, end) in ``blocks`` of each heading's section, in order of the headings."""
    out = []
    for i, b in enumerate(blocks):
        if b.kind != "heading":
            continue
        end = next((j for j in range(i + 1, len(blocks))
                    if blocks[j].kind == "heading" and blocks[j].level <= b.level), len(blocks))
        out.append((i, end))
    return out


def _change_numbers(diff: DocumentDiff, spans: list[tuple[int, int]]) -> dict[int, int]:
    """Heading index in B → the number of the first change inside its section."""
    first: dict[int, int] = {}
    n = 0
    at = 0  # where in B the walk is (a deletion stands before the next B block)
    for op in diff.ops:
        if op.in_b and op.b_index is not None:
            at = op.b_index
        if op.op != "equal":
            n += 1
            for start, end in spans:
                if start <= at < end and start not in first:
                    first[start] = n
        if op.in_b and op.b_index is not None:
            at = op.b_index + 1
    return first


def document_history(doc: Document, rendered: Mapping[str, RenderedText],
                     diffs: Mapping[tuple[str, str], DocumentDiff]
                     ) -> dict[str, tuple[Section, ...]]:
    """Every version's sections with their histories, by the version's key."""
    out: dict[str, tuple[Section, ...]] = {}
    before: dict[int, Section] = {}  # heading index in the previous version -> its section
    prev: Version | None = None
    prev_looks: list[tuple[object, ...]] = []
    for v in doc.versions:
        blocks = rendered[v.sha256].blocks
        looks = [reader_look(b) for b in blocks]
        spans = _spans(blocks)
        diff = diffs.get((prev.sha256, v.sha256)) if prev is not None else None
        matched: dict[int, int] = {}  # heading index here -> heading index before
        numbers: dict[int, int] = {}
        a_spans: dict[int, tuple[int, int]] = {}
        if diff is not None:
            a_spans = {s: (s, e) for s, e in _spans(diff.a)}
            for op in diff.ops:  # the same heading, kept, renumbered or moved
                if (op.a_index in a_spans and op.b_index is not None
                        and op.op in ("equal", "changed", "moved") and op.direction != "out"):
                    matched[op.b_index] = op.a_index
            numbers = _change_numbers(diff, spans)
        now: dict[int, Section] = {}
        for start, end in spans:
            head = blocks[start]
            old_index = matched.get(start)
            old = before.get(old_index) if old_index is not None else None
            if old is not None and old_index is not None:
                a0, a1 = a_spans[old_index]
                unchanged = a1 - a0 == end - start and prev_looks[a0:a1] == looks[start:end]
            else:
                unchanged = False
            history = old.changes if old is not None else ()
            if not unchanged:
                history += (Change(v.key, prev.key if prev else None, numbers.get(start, 0)),)
            now[start] = Section(head.anchor, head.text, head.level, head.section, history)
        out[v.key] = tuple(now[s] for s, _ in spans)
        before, prev, prev_looks = now, v, looks
    return out


def occurrences(versions: Sequence[tuple[str, Sequence[Block]]], needle: str
                ) -> list[tuple[str, int, int]]:
    """``log -S``: (key, count before, count after) for each version, oldest first, in which
    the number of times the search page finds ``needle`` in the version's blocks changed
    (each block's reader's text, folded as the search page folds it:
    :func:`policy_archive.text.reader.count`)."""
    out = []
    count = 0
    for key, blocks in versions:
        now = sum(found(search_text(b), needle) for b in blocks)
        if now != count:
            out.append((key, count, now))
        count = now
    return out
