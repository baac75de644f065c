"""``build.py log [SLUG] -S TEXT`` and ``build.py blame SLUG[@DATE]``: questions over a
document's whole history, answered from the same texts and diffs the site shows."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..content.load import load_archive
from ..diff.align import diff_blocks
from ..diff.history import document_history, occurrences
from ..diff.result import DocumentDiff
from ..foundation.errors import UsageError
from ..foundation.model import Archive, Document, RenderedText
from ..text.render import render_markdown


def _texts(doc: Document) -> dict[str, RenderedText]:
    return {v.sha256: render_markdown(v.body) for v in doc.versions}


def _consecutive_diffs(doc: Document, rendered: Mapping[str, RenderedText]
                       ) -> dict[tuple[str, str], DocumentDiff]:
    return {(a.sha256, b.sha256): diff_blocks(rendered[a.sha256].blocks,
                                              rendered[b.sha256].blocks)
            for a, b in zip(doc.versions, doc.versions[1:])}


def _documents(archive: Archive, slug: str | None) -> list[Document]:
    if slug is None:
        return list(archive.documents)
    doc = archive.document(slug)
    if doc is None:
        known = ", ".join(d.slug for d in archive.documents)
        raise UsageError(f"{slug}: no such document (the site has: {known})")
    return [doc]


def _notice(text: str) -> str:
    return " ".join(line.strip().lstrip("-*").strip() for line in text.strip().splitlines())


def run_log(root: Path, slug: str | None, needle: str, fmt: str, as_of: dt.date) -> str:
    """Each version, oldest first, in which the number of occurrences of ``needle`` in the
    text a reader sees changed: date, before → after, the change notice. The text is folded
    as the search page folds it (case, full/half width, white space; a space in ``needle``
    may be absent from the text), so both find the same versions."""
    if not needle:
        raise UsageError("-S needs the text to look for")
    archive = load_archive(root, as_of)
    found: list[dict[str, Any]] = []
    for doc in _documents(archive, slug):
        rendered = _texts(doc)
        texts = [(v.key, rendered[v.sha256].blocks) for v in doc.versions]
        notices = {v.key: v.summary for v in doc.versions}
        for key, before, after in occurrences(texts, needle):
            found.append({"slug": doc.slug, "effective": key, "before": before,
                          "after": after, "notice": notices[key].strip()})
    if fmt == "json":
        return json.dumps({"text": needle, "versions": found}, ensure_ascii=False,
                          indent=2) + "\n"
    lines = [f"{f['slug']}@{f['effective']}  {f['before']} → {f['after']}  "
             f"{_notice(f['notice'])}".rstrip() for f in found]
    return "\n".join(lines) + "\n" if lines else ""


def run_blame(ref: str, root: Path, fmt: str, as_of: dt.date) -> str:
    """Each section of a version (``slug@DATE``; ``slug`` alone: the current version, or the
    last one when none is in force) with the day it last changed and every day it changed."""
    slug, _, key = ref.partition("@")
    archive = load_archive(root, as_of)
    doc = _documents(archive, slug)[0]
    version = doc.version(key) if key else (doc.current or doc.versions[-1])
    if version is None:
        keys = ", ".join(v.key for v in doc.versions)
        raise UsageError(f"{ref}: no such version (versions of {slug}: {keys})")
    rendered = _texts(doc)
    sections = document_history(doc, rendered, _consecutive_diffs(doc, rendered))[version.key]
    if fmt == "json":
        return json.dumps({"slug": slug, "effective": version.key, "sections": [
            {"id": s.anchor, "title": s.title, "level": s.level, "path": list(s.path),
             "last_changed": s.last_changed, "changed": [c.key for c in s.changes]}
            for s in sections]}, ensure_ascii=False, indent=2) + "\n"
    return "".join(f"{s.last_changed}  {'  ' * (s.level - 1)}{s.title}\n" for s in sections)
