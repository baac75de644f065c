"""Every page of the site, decided before any file is touched: the one place that puts the
view models, the page lists of each language and the files static hosts expect together.

Templates only present; everything they show is computed from the archive, the rendered
texts, the diffs shown (:mod:`.comparisons`, decided before they are computed) and the
provenance records.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

from ..content.frontmatter import body_sha256
from ..content.provenance import GitHistory
from ..diff.result import DocumentDiff
from ..diff.history import document_history
from ..foundation import urls
from ..foundation.model import Archive, RenderedText, Translation, Version
from . import multilingual
from .comparisons import Comparison, DiffJob, diff_pairs, draft_of
from .machine_readable import embed_pages
from .downloads import Download
from .models import (DocumentView, Page, SitePages, VersionView, changes, draft_view,
                     short_html, version_views)
from .pagelist import diff_pages, draft_page, host_pages, notice_pages, search_pages, site_pages

#: Each version's (change notice, note) as HTML, by (slug, key).
Notes = Mapping[tuple[str, str], tuple[str, str]]


def decide(archive: Archive, rendered: Mapping[str, RenderedText],
           diffs: Mapping[tuple[str, str], DocumentDiff],
           shown: Mapping[Comparison, DiffJob], history: GitHistory,
           downloads: Mapping[Comparison, Sequence[Download]] | None = None,
           kept: Mapping[str, DocumentView] | None = None,
           kept_indexable: Sequence[str] = ()) -> SitePages:
    """Every page of the site. ``rendered``: every Markdown text rendered, by its SHA-256;
    ``diffs``: the alignment of every pair of texts shown, by their SHA-256s; ``shown``
    (from :func:`.comparisons.comparisons`): each diff shown (its pages hold it as
    ``Page.diff``); ``downloads``: the 新旧対照表 files of some of them (:mod:`.downloads`).
    ``kept``: the documents whose pages the output keeps as they are (:mod:`.reuse`), each
    as it was seen then, without its texts: their pages are left out, the site-wide ones
    show them (``kept_indexable``: their pages' paths in the sitemap)."""
    kept = kept or {}
    pairs = {d.slug: diff_pairs(d, archive.site.compare_all_pairs_up_to)
             for d in archive.documents}
    notes = {(d.slug, v.key): (short_html(rendered, v.summary), short_html(rendered, v.note))
             for d in archive.documents if d.slug not in kept for v in d.versions}
    notes.update(((k.slug, v.key), (str(v.summary_html), str(v.note_html)))
                 for k in kept.values() for v in k.versions)
    sources = {(d.slug, v.key): v.source for d in archive.documents for v in d.versions}
    commits = {src: history.last.get(src) for src in sources.values()}
    docs = [kept[d.slug] if d.slug in kept else DocumentView(d.slug, d.title, version_views(
        d, {(d.slug, v.key): rendered[v.sha256] for v in d.versions}, notes, commits,
        pairs[d.slug], changes(d, diffs), document_history(d, rendered, diffs),
        archive.site.language)) for d in archive.documents]
    drafts = _drafts(archive, docs, rendered, kept)
    languages = multilingual.language_sites(archive, rendered, diffs, history)  # [] if none
    pages = site_pages(archive, docs, pairs, commits, sources,
                       multilingual.record(archive, languages) if languages else None, kept)
    pages += [draft_page(archive, doc, drafts[doc.slug][1]) for doc in docs
              if doc.slug in drafts]
    pages += _comparison_pages(archive, docs, drafts, shown, downloads or {}, kept)
    pages += notice_pages(archive, docs, {k: s for k, (s, _) in notes.items()}, kept)
    pages += search_pages(archive.site, docs, rendered, kept)
    pages += embed_pages(archive.site, docs, pairs, kept)
    if languages:
        pages += multilingual.language_pages(archive, languages)
        pages = multilingual.with_alternates(pages, archive.site)
    indexable = [*(p.path for p in pages if p.template and not p.flags.noindex),
                 *kept_indexable]
    pages += host_pages(archive, indexable)
    common = {"site": archive.site, "documents": docs, "as_of": archive.as_of,
              "updated": archive.updated, "doc_updated": archive.updated_by_document,
              "in_git": history.in_git,
              "relative_link_docs": relative_link_docs(archive, rendered, kept)}
    return SitePages(pages, common)


def _drafts(archive: Archive, docs: Sequence[DocumentView],
            rendered: Mapping[str, RenderedText], kept: Collection[str]
            ) -> dict[str, tuple[VersionView, VersionView]]:
    """Each document's draft, by slug: (the version it replaces, the draft as shown)."""
    out = {}
    for d, doc in zip(archive.documents, docs):
        with_draft = draft_of(archive, d) if d.slug not in kept else None
        if with_draft is not None:
            base, draft = with_draft
            current = doc.version(base.key)
            out[doc.slug] = (current, draft_view(
                draft, rendered[draft.sha256], current, short_html(rendered, draft.summary),
                short_html(rendered, draft.note)))
    return out


def _comparison_pages(archive: Archive, docs: Sequence[DocumentView],
                      drafts: Mapping[str, tuple[VersionView, VersionView]],
                      shown: Mapping[Comparison, DiffJob],
                      downloads: Mapping[Comparison, Sequence[Download]],
                      kept: Collection[str]) -> list[Page]:
    """The pages of every diff shown (but those of the kept documents), with their files."""
    by_slug = {doc.slug: doc for doc in docs}
    keyed = {doc.slug: {v.key: v for v in doc.versions} for doc in docs}
    pages: list[Page] = []
    for (slug, a, b), job in shown.items():
        if slug in kept:
            continue
        doc = by_slug[slug]
        files = downloads.get((slug, a, b), ())
        if b == "draft":
            current, draft = drafts[slug]
            pages += diff_pages(archive.site, doc, current, draft, job, draft=True,
                                files=files)
        else:
            pages += diff_pages(archive.site, doc, keyed[slug][a], keyed[slug][b], job,
                                files=files)
    return pages


def relative_link_docs(archive: Archive, rendered: Mapping[str, RenderedText],
                       kept: Collection[str] = ()) -> frozenset[str]:
    """The documents whose texts (or notices) hold relative links, which each page showing
    them rewrites (:func:`.urls.rebase_links`); the others are shown as they are. A kept
    document has none (:mod:`.reuse`)."""
    out = set()
    for d in archive.documents:
        if d.slug in kept:
            continue
        own: list[Version | Translation] = [
            *d.versions, *(x for x in archive.drafts if x.slug == d.slug),
            *(x for x in archive.translations if x.slug == d.slug)]
        texts = [t for v in own for t in (v.body, v.summary, v.note) if t.strip()]
        if any(urls.resolve("", href) is not None
               for t in texts for b in rendered[body_sha256(t)].blocks for _, _, href in b.links):
            out.add(d.slug)
    return frozenset(out)
