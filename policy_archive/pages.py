"""What to write: the full list of pages, decided before any file is touched.

Each page is (site path, template, context) or (site path, ready text). Templates only
present; everything they show is computed here from the archive, the rendered texts, the
diffs and the provenance records.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Any, NamedTuple

from . import urls
from .model import Archive, Document, Erratum, Heading, RenderedText, SiteConfig
from .provenance import Commit

from markupsafe import Markup


class Page(NamedTuple):
    path: str  # site-relative; "" or ending in "/" means index.html
    template: str | None
    context: Mapping[str, Any] = MappingProxyType({})
    text: str | None = None  # ready content when there is no template


class VersionView(NamedTuple):
    """A version as pages show it."""

    key: str
    slug: str
    title: str
    effective: dt.date
    effective_to: dt.date | None
    announced: dt.date | None
    status: str
    summary_html: str
    note_html: str
    errata: tuple[Erratum, ...]
    sha256: str
    html: str
    headings: tuple[Heading, ...]
    commit: Commit | None
    previous: VersionView | None
    diff_from_previous: str | None
    diff_with_current: str | None

    @property
    def last_updated(self) -> dt.date:
        """The last day this version's text took effect or was corrected."""
        return max([self.effective, *(e.date for e in self.errata)])


class DocumentView(NamedTuple):
    slug: str
    title: str
    versions: tuple[VersionView, ...]  # oldest first

    @property
    def current(self) -> VersionView | None:
        return next((v for v in self.versions if v.status == "current"), None)

    @property
    def upcoming(self) -> tuple[VersionView, ...]:
        return tuple(v for v in self.versions if v.status == "upcoming")

    @property
    def past(self) -> tuple[VersionView, ...]:
        """Versions no longer in force, newest first (the "過去の版" list)."""
        return tuple(reversed([v for v in self.versions if v.status == "past"]))


def diff_pairs(doc: Document, all_pairs_up_to: int) -> list[tuple[str, str]]:
    """Which (older, newer) pairs get diff pages, in a stable order."""
    keys = [v.key for v in doc.versions]
    pairs: set[tuple[str, str]] = set(zip(keys, keys[1:]))
    current = doc.current
    if current is not None:
        for v in doc.versions:
            if v.key != current.key:
                pairs.add((min(v.key, current.key), max(v.key, current.key)))
    if len(keys) <= all_pairs_up_to:
        pairs.update((a, b) for i, a in enumerate(keys) for b in keys[i + 1:])
    return sorted(pairs)


def version_views(doc: Document, rendered: Mapping[tuple[str, str], RenderedText],
                  summaries: Mapping[tuple[str, str], tuple[str, str]],
                  commits: Mapping[str, Commit | None],
                  pairs: Sequence[tuple[str, str]]) -> tuple[VersionView, ...]:
    available = set(pairs)
    current = doc.current
    views: list[VersionView] = []
    previous: VersionView | None = None
    for v in doc.versions:
        r = rendered[(doc.slug, v.key)]
        summary_html, note_html = summaries[(doc.slug, v.key)]
        from_prev = (urls.diff(doc.slug, previous.key, v.key)
                     if previous and (previous.key, v.key) in available else None)
        with_current = None
        if current is not None and current.key != v.key:
            a, b = sorted((v.key, current.key))
            if (a, b) in available:
                with_current = urls.diff(doc.slug, a, b)
        view = VersionView(
            key=v.key, slug=doc.slug, title=v.title, effective=v.effective,
            effective_to=v.effective_to, announced=v.announced, status=v.status,
            summary_html=Markup(summary_html), note_html=Markup(note_html), errata=v.errata,
            sha256=v.sha256, html=Markup(r.html), headings=r.headings,
            commit=commits.get(v.source), previous=previous,
            diff_from_previous=from_prev, diff_with_current=with_current,
        )
        views.append(view)
        previous = view
    return tuple(views)


class CompareInfo(NamedTuple):
    pairs: Mapping[str, str]  # "a/b" -> site path of the inline diff
    all_pairs: bool

    @property
    def pairs_json(self) -> str:
        import json

        return json.dumps(dict(self.pairs), ensure_ascii=False, sort_keys=True,
                          separators=(",", ":"))


def versions_json(site: SiteConfig, docs: Sequence[DocumentView],
                  pairs: Mapping[str, Sequence[tuple[str, str]]],
                  commits: Mapping[str, Commit | None], sources: Mapping[tuple[str, str], str],
                  updated: dt.date | None, next_update: dt.date | None) -> str:
    import json

    out: dict[str, Any] = {"base_url": site.base_url, "title": site.title,
                           "language": site.language,
                           "updated": updated.isoformat() if updated else None,
                           "next_update": next_update.isoformat() if next_update else None,
                           "documents": []}
    for d in docs:
        versions = []
        for v in d.versions:
            commit = commits.get(sources[(d.slug, v.key)])
            entry: dict[str, Any] = {
                "effective": v.key,
                "effective_to": v.effective_to.isoformat() if v.effective_to else None,
                "status": v.status,
                "url": urls.absolute(site.base_url, urls.version(d.slug, v.key)),
                "sha256": v.sha256,
                "title": v.title,
                "source": sources[(d.slug, v.key)],
                "commit": commit.hexsha if commit else None,
                "commit_date": commit.date.isoformat() if commit else None,
                "notice": urls.absolute(site.base_url, urls.notice(d.slug, v.key)),
                "errata": [{"date": e.date.isoformat(), "reason": e.reason} for e in v.errata],
            }
            if v.announced is not None:  # absent where the file does not give it
                entry["announced"] = v.announced.isoformat()
            versions.append(entry)
        out["documents"].append({
            "slug": d.slug,
            "title": d.title,
            "url": urls.absolute(site.base_url, urls.document(d.slug)),
            "current": d.current.key if d.current else None,
            "feed": urls.absolute(site.base_url, urls.feed(d.slug)),
            "versions": versions,
            "diffs": [
                {"from": a, "to": b, "url": urls.absolute(site.base_url, urls.diff(d.slug, a, b)),
                 "side_by_side": urls.absolute(site.base_url,
                                               urls.diff(d.slug, a, b, "side-by-side")),
                 "table": urls.absolute(site.base_url, urls.diff(d.slug, a, b, "table"))}
                for a, b in pairs[d.slug]
            ],
        })
    return json.dumps(out, ensure_ascii=False, indent=2) + "\n"


def site_pages(archive: Archive, docs: Sequence[DocumentView],
               pairs: Mapping[str, Sequence[tuple[str, str]]],
               commits: Mapping[str, Commit | None],
               sources: Mapping[tuple[str, str], str]) -> list[Page]:
    """Start page, document pages, version pages, archives, compare pages, versions.json."""
    pages: list[Page] = [Page(urls.start(), "start.html", {"docs": docs,
                                                           "page_title": archive.site.title})]
    for d in docs:
        doc_pairs = pairs[d.slug]
        compare = CompareInfo(
            pairs={f"{a}/{b}": urls.diff(d.slug, a, b) for a, b in doc_pairs},
            all_pairs=len(d.versions) <= archive.site.compare_all_pairs_up_to,
        )
        base = {"doc": d, "compare": compare}
        for v in d.versions:
            ctx = {**base, "v": v, "page_title": f"{v.title}（{v.key}）"
                   if archive.site.language == "ja" else f"{v.title} ({v.key})"}
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
                          {**base, "page_title": d.title, "noindex": True}))
    pages.append(Page("versions.json", None,
                      text=versions_json(archive.site, docs, pairs, commits, sources,
                                         archive.updated, archive.next_update)))
    return pages
