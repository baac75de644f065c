"""The pages of the site in its original language, each decided from the view models.

Each page is (site path, template, context) or (site path, ready text or bytes): the start
page, each document's version, archive, compare and history pages, the diff pages of each
comparison, the draft previews, the change notices and feeds, the search files and the files
static hosts expect. :mod:`.decide` puts them together.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any, NamedTuple

from ..content.provenance import Commit
from ..foundation import i18n, urls
from ..foundation.model import Archive, RenderedText, SiteConfig
from . import hosting, notices, search
from .comparisons import DiffJob
from .downloads import Download, is_redline
from .headings import change_link
from .models import NOINDEX, CompareInfo, DocumentView, Page, PageFlags, VersionView
from .machine_readable import versions_json

#: A diff page lists the change notices of at most this many versions in between (the
#: latest), so that its size does not grow with the history.
NOTICES_BETWEEN = 10


def site_pages(archive: Archive, docs: Sequence[DocumentView],
               pairs: Mapping[str, Sequence[tuple[str, str]]],
               commits: Mapping[str, Commit | None],
               sources: Mapping[tuple[str, str], str],
               translations: Mapping[tuple[str, str], Mapping[str, Any]] | None = None,
               kept: Collection[str] = ()) -> list[Page]:
    """Start page, document pages, version pages, archives, compare pages, versions.json
    (the documents in ``kept`` only in the start page and versions.json)."""
    t = i18n.Translator(archive.site.language)
    pages: list[Page] = [Page(urls.start(), "start.html", {"docs": docs,
                                                           "page_title": archive.site.title})]
    for d in docs:
        if d.slug in kept:
            continue
        doc_pairs = pairs[d.slug]
        compare = CompareInfo(
            pairs={f"{a}/{b}": urls.diff(d.slug, a, b) for a, b in doc_pairs},
            all_pairs=len(d.versions) <= archive.site.compare_all_pairs_up_to,
        )
        base = {"doc": d, "compare": compare}
        for i, v in enumerate(d.versions):
            ctx = {**base, "v": v, "page_title": t("version_title", title=v.title, key=v.key),
                   "steps": version_steps(d.versions, i, d.current)}
            pages.append(Page(urls.version(d.slug, v.key), "version.html", ctx))
            if v.status == "current":
                pages.append(Page(urls.document(d.slug), "version.html",
                                  {**ctx, "page_title": v.title,
                                   "canonical_path": urls.document(d.slug)}))
        if d.current is None:  # nothing in force yet: show the version that comes first
            first = d.versions[0]
            pages.append(Page(urls.document(d.slug), "version.html",
                              {**base, "v": first, "page_title": first.title}))
        pages.append(Page(urls.archive(d.slug), "archive.html",
                          {**base, "page_title": d.title}))
        pages.append(Page(urls.compare(d.slug), "compare.html",
                          {**base, "page_title": d.title}, flags=NOINDEX))
        pages.append(history_page(d, archive.site))
    pages.append(Page("versions.json", None,
                      text=versions_json(archive.site, docs, pairs, commits, sources,
                                         archive.updated, archive.next_update,
                                         translations)))
    return pages


def version_steps(versions: Sequence[VersionView], i: int, current: VersionView | None
                  ) -> list[tuple[str, VersionView, str]]:
    """The neighbours of ``versions[i]`` and the current version, each as (label key,
    version, its section ids separated by spaces), for links to the same section there."""
    out: list[tuple[str, VersionView, str]] = []
    for label, other in (("previous_version", versions[i - 1] if i else None),
                         ("next_version", versions[i + 1] if i + 1 < len(versions) else None),
                         ("current_version", current)):
        if other is not None and other.key != versions[i].key and \
                all(other.key != o.key for _, o, _ in out):
            out.append((label, other, " ".join(h.anchor for h in other.headings if h.anchor)))
    return out


class SectionRow(NamedTuple):
    """A section on the history page: its heading and each amendment, linked to its diff."""

    anchor: str
    title: str
    level: int
    first: bool  # there since the first version
    #: (version, diff path, the section is new there), newest first
    amendments: tuple[tuple[VersionView, str | None, bool], ...]


def history_page(doc: DocumentView, site: SiteConfig) -> Page:
    """``/<slug>/history/``: every section of the current version (or of the first one, when
    none is in force yet), with the versions that amended it."""
    shown = doc.current or doc.versions[0]
    by_key = {v.key: v for v in doc.versions}
    rows = []
    for s in shown.sections:
        amendments = tuple((by_key[c.key], change_link(doc.slug, c), c is s.changes[0])
                           for c in reversed(s.changes) if c.previous is not None)
        first = s.changes[0].previous is None
        rows.append(SectionRow(s.anchor, s.title, s.level, first, amendments))
    t = i18n.Translator(site.language)
    return Page(urls.history(doc.slug), "history.html",
                {"doc": doc, "shown": shown, "rows": rows,
                 "page_title": t("section_history_title", title=doc.title)})


def diff_pages(site: SiteConfig, doc: DocumentView, a: VersionView, b: VersionView,
               job: DiffJob, *, draft: bool = False, paths: urls.Paths = urls,
               extra: Mapping[str, Any] | None = None,
               files: Sequence[Download] = ()) -> list[Page]:
    """The three views of one diff (redline, side by side, 新旧対照表) and the table's
    download ``files``; ``paths`` and ``extra`` (context) for a diff of translations
    (:mod:`.multilingual`)."""
    t = i18n.Translator((extra or {}).get("language", site.language))
    base_path = paths.draft(doc.slug) + "diff/" if draft else paths.diff(doc.slug, a.key, b.key)
    where = {"inline": base_path, "side-by-side": base_path + "side-by-side/",
             "table": base_path + "table/"}
    titles = {name: t(f"view_{name}") for name in urls.DIFF_VIEWS}
    view_links = [(name, titles[name], where[name]) for name in urls.DIFF_VIEWS]
    # "Since my version": the notices of the versions after A up to B, the latest
    # NOTICES_BETWEEN of them (the revision history has every one).
    between = [v for v in doc.versions if a.key < v.key <= b.key] if not draft else []
    earlier, between = max(0, len(between) - NOTICES_BETWEEN), between[-NOTICES_BETWEEN:]
    pages = []
    for name in urls.DIFF_VIEWS:
        heading = t("diff_heading", title=doc.title, a=a.key,
                    b=t("draft") if draft else b.key, view=titles[name])
        if name == "table":  # a sheet to circulate: its title as practice writes it
            heading = t("table_heading", title=doc.title)
        pages.append(Page(where[name], "diff.html", {
            "doc": doc, "a": a, "b": b, "view": name, "view_title": titles[name],
            "page_title": heading, "page_heading": heading, "views": view_links,
            "draft": draft,
            "downloads": [(f.format, f.path, len(f.data)) for f in files
                          if name == ("inline" if is_redline(f) else "table")],
            "between": between, "between_earlier": earlier, **(extra or {}),
        }, diff=job, flags=PageFlags(noindex=draft or name != "inline")))
    pages += [Page(f.path, None, data=f.data) for f in files]
    return pages


def draft_page(archive: Archive, doc: DocumentView, view: VersionView) -> Page:
    t = i18n.Translator(archive.site.language)
    return Page(urls.draft(doc.slug), "version.html", {
        "doc": doc, "v": view, "is_draft": True,
        "page_title": t("draft_title", title=view.title)}, flags=NOINDEX)


def notice_pages(archive: Archive, docs: Sequence[DocumentView],
                 summaries: Mapping[tuple[str, str], str], kept: Collection[str] = ()
                 ) -> list[Page]:
    """Each version's ``notice.txt`` and exact text (``text.md``, the bytes its SHA-256 is
    taken of), each document's feed and the feed of all (``summaries``: each version's change
    notice as HTML); of the documents in ``kept``, only the feed of all."""
    out = []
    for d, doc in zip(archive.documents, docs):
        if d.slug in kept:
            continue
        for v, src in zip(doc.versions, d.versions):  # the same versions, in order
            assert src.key == v.key
            out.append(Page(urls.notice(d.slug, v.key), None,
                            text=notices.notice_text(archive.site, doc, v, src.summary)))
            out.append(Page(urls.text(d.slug, v.key), None, text=src.body))
        out.append(Page(urls.feed(d.slug), None,
                        text=notices.feed_xml(archive.site, docs, d.slug, summaries)))
    out.append(Page(urls.feed(), None, text=notices.feed_xml(archive.site, docs, None,
                                                             summaries)))
    return out


def search_pages(site: SiteConfig, docs: Sequence[DocumentView],
                 rendered: Mapping[str, RenderedText], kept: Collection[str] = ()
                 ) -> list[Page]:
    """The search page and each document's index file (:mod:`.search`), but those of the
    documents in ``kept``."""
    t = i18n.Translator(site.language)
    out = [Page(urls.search(), "search.html", {
        "page_title": t("search_title"), "indexes": search.indexes(docs),
        "strings": search.search_strings(site.language)}, flags=NOINDEX)]
    out += [Page(search.index_path(d.slug), None,
                 text=search.document_index(d, rendered, site.language)) for d in docs
            if d.slug not in kept]
    return out


def host_pages(archive: Archive, indexable: Sequence[str]) -> list[Page]:
    """The files static hosts expect (:mod:`.hosting`), the sitemap listing ``indexable``,
    and the page for an address the site does not have."""
    return [
        Page("sitemap.xml", None, text=hosting.sitemap_xml(archive.site, indexable)),
        Page("robots.txt", None, text=hosting.robots_txt(archive.site)),
        Page("_headers", None, text=hosting.headers_file(archive.site)),
        Page(".nojekyll", None, text=""),
        Page("404.html", "404.html", {"page_title": "404"},
             flags=PageFlags(noindex=True, absolute_links=True, link_base="")),
    ]
