"""The static search across every version: one index file per document, read by search.js.

A reader asks "which versions say this?", so the answer must be exact: the index holds the
text itself, block by block, as a reader sees it (:func:`policy_archive.text.reader.
search_text`: white space collapsed, a line break read as a space, a ruby's printed words
without their readings), and the browser matches the query as a phrase inside it (case,
width and runs of white space folded; ``log -S`` folds the same way). A word index would have to cut Japanese into
words twice, when built and when queried, and miss a phrase where the two cuts disagree.
Versions share most of their text, so each distinct block text is stored once and each
version lists its blocks by number: the index grows with the amendments, not with
versions × text.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from ..foundation import i18n, urls
from ..foundation.model import RenderedText
from ..text.reader import rubies, search_text
from .models import DocumentView


def index_path(slug: str) -> str:
    return f"{urls.search()}{slug}.json"


def document_index(doc: DocumentView, rendered: Mapping[str, RenderedText],
                   language: str) -> str:
    """``search/<slug>.json``: the document's versions (newest first) with their address,
    period and status, each listing its blocks as ``[text number, section number]``; the
    distinct texts; the distinct sections as ``[anchor, path of headings]``. Texts and
    sections are apart because renumbering moves unchanged text into a new section. Texts
    with ruby words have them in ``ruby`` (text number → ``[start, end, reading]``), so an
    excerpt shows the reading above its word, as the page does."""
    t = i18n.Translator(language)
    texts: dict[tuple[str, tuple[tuple[int, int, str], ...]], int] = {}  # with its rubies
    sections: dict[tuple[str, str], int] = {}
    versions: list[dict[str, Any]] = []
    for v in reversed(doc.versions):
        blocks = rendered[v.sha256].blocks
        # The title heading would open every path, and the result already names the document.
        titled = bool(blocks) and blocks[0].kind == "heading" and blocks[0].level == 1
        pairs = []
        for b in blocks:
            text = search_text(b)
            if not text.strip():
                continue
            # A heading's ``section`` ends with itself; other blocks' with their heading.
            path = b.section[1:] if titled and len(b.section) > 1 else b.section
            where = (b.anchor or b.section_id, " › ".join(path))
            pairs.append([texts.setdefault((text, tuple(rubies(b))), len(texts)),
                          sections.setdefault(where, len(sections))])
        versions.append({
            "key": v.key,
            "label": t("version_of", date=i18n.long_date(v.effective, language)),
            "url": urls.version(doc.slug, v.key),
            "period": i18n.period(v.effective, v.effective_to, language),
            "status": v.status,
            "blocks": pairs,
        })
    data: dict[str, Any] = {"slug": doc.slug, "title": doc.title, "versions": versions,
                            "texts": [text for text, _ in texts],
                            "sections": [list(k) for k in sections]}
    ruby = {str(n): [[_utf16(text, a), _utf16(text, b), r] for a, b, r in words]
            for (text, words), n in texts.items() if words}
    if ruby:
        data["ruby"] = ruby
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"


def _utf16(text: str, at: int) -> int:
    """Where ``text[at]`` is in JavaScript's string (UTF-16 code units)."""
    return at + sum(1 for ch in text[:at] if ord(ch) > 0xFFFF)


def search_strings(language: str) -> str:
    """The words search.js writes into the page, as JSON for a data attribute."""
    t = i18n.Translator(language)
    keys = ["search_found", "search_none", "search_empty", "search_loading", "search_failed",
            "search_more", "status_current", "status_past", "status_upcoming", "period"]
    keys += [f"search_{what}_{n}" for what in ("versions", "documents", "matches")
             for n in ("one", "many")]
    return json.dumps({k: t.strings[k] for k in keys}, ensure_ascii=False, sort_keys=True)


def indexes(docs: Sequence[DocumentView]) -> str:
    """The index files the search page loads, as JSON: [[slug, title, path], ...]."""
    return json.dumps([[d.slug, d.title, index_path(d.slug)] for d in docs],
                      ensure_ascii=False)
