"""What to write: the full list of pages, decided before any file is touched.

Each page is (site path, template, context) or (site path, ready text). Templates only
present; everything they show is computed here from the archive, the rendered texts, the
diffs (each :class:`~policy_archive.diff.result.DocumentDiff` and its views) and the provenance records. Which
diffs are shown is decided here too (:func:`comparisons`), before they are computed.
"""

from __future__ import annotations

import datetime as dt
from html import escape
import re
import hashlib
import pickle
import zlib
from collections.abc import Callable, Collection, Mapping, Sequence
from types import MappingProxyType
from typing import Any, NamedTuple

from markupsafe import Markup

from . import hosting, notices, search
from ..foundation import i18n, urls
from ..content import integrity
from ..present import views
from ..diff.result import DocumentDiff
from .downloads import Download
from ..foundation.model import (UNDATED, Archive, Document, Erratum, Heading, RenderedText, SiteConfig,
                    Translation, Version)
from ..diff.history import Change, Section, document_history
from ..content.provenance import Commit, GitHistory


class Page(NamedTuple):
    path: str  # site-relative; "" or ending in "/" means index.html
    template: str | None
    context: Mapping[str, Any] = MappingProxyType({})
    text: str | None = None  # ready content when there is no template
    data: bytes | None = None  # ready bytes (a Word or PDF file) when there is no template
    #: A diff page's diff: its views (``summary``, ``body``) are computed when the page is
    #: written, so that no more than a page's worth of them is held at once.
    diff: DiffJob | None = None


class TranslationInfo(NamedTuple):
    """What a page in a translation language says about the version it shows."""

    language: str  # the page's language
    original: str  # the original's language
    original_path: str  # the site path of the original version
    translated: dt.date | None  # the day the translation was made, where given
    notice: str  # the translation notice: the original prevails
    present: bool  # False: the version has no translation into ``language``


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
    #: The change class against the previous version (:data:`.diff.classes.CHANGE_CLASSES`); None
    #: for the first version.
    change: str | None = None
    #: Each section's history up to this version (:mod:`.history`), in document order.
    sections: tuple[Section, ...] = ()
    #: The hash chain value at this version (:mod:`.integrity`); "" for a draft.
    chain: str = ""
    #: On a page in a translation language: the translation (:mod:`.multilingual`).
    translation: TranslationInfo | None = None

    def section_changed(self, anchor: str) -> Change | None:
        """The last change of the section whose heading has the id ``anchor``."""
        return next((s.changes[-1] for s in self.sections if s.anchor == anchor), None)

    def section_link(self, change: Change) -> str | None:
        """Where the diff shows that change (a site path), or None for the first version."""
        return change_link(self.slug, change)

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
                  pairs: Sequence[tuple[str, str]],
                  changes: Mapping[str, str] | None = None,
                  sections: Mapping[str, tuple[Section, ...]] | None = None,
                  language: str = "ja") -> tuple[VersionView, ...]:
    available = set(pairs)
    current = doc.current
    chained = integrity.chain((v.key, v.sha256) for v in doc.versions)
    notices = {v.key: v.summary for v in doc.versions}
    views: list[VersionView] = []
    previous: VersionView | None = None
    for v, chain in zip(doc.versions, chained):
        r = rendered[(doc.slug, v.key)]
        summary_html, note_html = summaries[(doc.slug, v.key)]
        own = (sections or {}).get(v.key, ())
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
            sha256=v.sha256,
            html=Markup(last_changed_html(r.html, doc.slug, notices, own, language)),
            headings=r.headings,
            commit=commits.get(v.source), previous=previous,
            diff_from_previous=from_prev, diff_with_current=with_current,
            change=(changes or {}).get(v.key), sections=own, chain=chain,
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
                  updated: dt.date | None, next_update: dt.date | None,
                  translations: Mapping[tuple[str, str], Mapping[str, Any]] | None = None
                  ) -> str:
    """The machine-readable record of every version (``translations``: for a site with
    translation languages, each version's translations by language)."""
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
                "text_url": urls.absolute(site.base_url, urls.text(d.slug, v.key)),
                "chain": v.chain,
                "title": v.title,
                "source": sources[(d.slug, v.key)],
                "commit": commit.hexsha if commit else None,
                "commit_date": commit.date.isoformat() if commit else None,
                "notice": urls.absolute(site.base_url, urls.notice(d.slug, v.key)),
                "errata": [{"date": e.date.isoformat(), "reason": e.reason} for e in v.errata],
            }
            if v.announced is not None:  # absent where the file does not give it
                entry["announced"] = v.announced.isoformat()
            if v.change is not None:
                entry["change"] = v.change
            if translations is not None:
                entry["translations"] = dict(translations.get((d.slug, v.key), {}))
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
                          {**base, "page_title": d.title, "noindex": True}))
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


# --- diffs: which are shown, and how --------------------------------------------------------


class DiffJob(NamedTuple):
    """A diff to show: the SHA-256 of the older and the newer text, and the column labels."""

    a: str
    b: str
    old_label: str
    new_label: str
    #: The 新旧対照表's (new, old) column headings, with the dates (:func:`.amendment.column_heads`).
    table_heads: tuple[str, str] = ("", "")
    #: (section heading or id, why it changed): the newer version's ``reasons``, for a
    #: version against the one before it (or a draft against the version in force).
    reasons: tuple[tuple[str, str], ...] = ()
    language: str = ""  # of the labels; "" for the site's language


class DiffViews(NamedTuple):
    """The presentations of one diff, as HTML."""

    summary: str
    inline: str
    side_by_side: str
    table: str

    def body(self, view: str) -> str:
        """The HTML of one view by its name in :data:`.urls.DIFF_VIEWS`."""
        return {"inline": self.inline, "side-by-side": self.side_by_side,
                "table": self.table}[view]


#: A diff page lists the change notices of at most this many versions in between (the
#: latest), so that its size does not grow with the history.
NOTICES_BETWEEN = 10

#: (slug, older key, newer key or "draft"): a diff shown on the site.
Comparison = tuple[str, str, str]


def diff_views(diff: DocumentDiff, site: SiteConfig, job: DiffJob
               ) -> tuple[str, str, views.SideBySideParts, str]:
    """Every presentation of ``diff`` (the one place that calls :mod:`.views`): summary,
    inline, side by side without its column labels (:func:`.views.with_labels` adds them),
    table."""
    lang = job.language or site.language
    return (views.summary_html(diff, lang), views.inline_html(diff, lang),
            views.side_by_side_parts(diff, lang),
            views.amendment_table_html(diff, lang, site.comparison_columns,
                                       job.table_heads if job.table_heads[0] else None,
                                       job.reasons))


def stored_job(job: DiffJob) -> DiffJob:
    """What a diff's packed views depend on: ``job`` without its column labels (they name
    the two versions' periods, which change when a version is added after them, and the
    rest does not)."""
    return job._replace(old_label="", new_label="")


def pack_views(diff: DocumentDiff, site: SiteConfig, job: DiffJob) -> bytes:
    """A diff's views as compressed bytes, the side by side in its parts without the column
    labels: kept for every diff until its pages are written, and in the cache (HTML
    compresses about tenfold)."""
    unlabelled = diff_views(diff, site, stored_job(job))
    return zlib.compress(pickle.dumps(unlabelled, protocol=pickle.HIGHEST_PROTOCOL), 1)


def views_source(packed: Mapping[DiffJob, bytes]) -> Callable[[DiffJob], DiffViews]:
    """``views(job)``: a diff's views, unpacked when its pages are written, the side by side
    headed by its column labels; the last one is kept, since a diff's pages are written one
    after another."""
    last: dict[DiffJob, DiffViews] = {}

    def views_of(job: DiffJob) -> DiffViews:
        if job not in last:
            last.clear()
            summary, inline, sbs, table = pickle.loads(zlib.decompress(packed[job]))
            last[job] = DiffViews(summary, inline,
                                  views.with_labels(sbs, job.old_label, job.new_label), table)
        return last[job]

    return views_of


def draft_of(archive: Archive, doc: Document) -> tuple[Version, Version] | None:
    """(the version a document's draft is compared with, the draft), if it has one."""
    draft = next((x for x in archive.drafts if x.slug == doc.slug), None)
    base = doc.current or (doc.versions[-1] if doc.versions else None)
    return (base, draft) if draft is not None and base is not None else None


def comparisons(archive: Archive) -> dict[Comparison, DiffJob]:
    """Every diff the site shows: the pairs of :func:`diff_pairs`, and each draft against
    the version it would replace."""
    out = {}
    limit = archive.site.compare_all_pairs_up_to
    for d in archive.documents:
        by_key = {v.key: v for v in d.versions}
        steps = set(zip(by_key, list(by_key)[1:]))
        for a, b in diff_pairs(d, limit):
            out[(d.slug, a, b)] = _diff_job(archive.site, by_key[a], by_key[b],
                                            step=(a, b) in steps)
        with_draft = draft_of(archive, d)
        if with_draft is not None:
            base, draft = with_draft
            out[(d.slug, base.key, "draft")] = _diff_job(archive.site, base, draft, draft=True,
                                                         step=True)
    return out


def _diff_job(site: SiteConfig, a: Version, b: Version, *, draft: bool = False,
              step: bool = False) -> DiffJob:
    """``step``: ``b`` is the version after ``a`` (or a draft of it): ``b``'s reasons apply."""
    from ..present.amendment import column_heads

    t = i18n.Translator(site.language)
    new = (t("diff_new_draft") if draft
           else t("diff_new", period=i18n.period(b.effective, b.effective_to, site.language)))
    heads = column_heads(site.language, a.effective,
                         None if draft and b.effective == UNDATED else b.effective, draft)
    return DiffJob(a.sha256, b.sha256,
                   t("diff_old", period=i18n.period(a.effective, a.effective_to, site.language)),
                   new, heads,
                   tuple((r.section, r.text) for r in b.reasons) if step else ())


# --- every page ------------------------------------------------------------------------------


class SitePages(NamedTuple):
    """Every page, and what every template is given besides its page's own context."""

    pages: list[Page]
    common: Mapping[str, Any]


def sha256_of(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


_HEADING = re.compile(r'<(h[1-6])( id="([^"]*)")?([^>]*)>')


def change_link(slug: str, change: Change) -> str | None:
    """Where the diff shows a section's change (a site path), if it changed after the first
    version."""
    if change.previous is None:
        return None
    anchor = f"#change-{change.change_number}" if change.change_number else ""
    return urls.diff(slug, change.previous, change.key) + anchor


def last_changed_html(html: str, slug: str, notices: Mapping[str, str],
                      sections: Sequence[Section], language: str) -> str:
    """A version's HTML with every heading marked ``data-last-changed`` (the contract) and
    showing the day, linked to the diff (decoration: hidden from assistive technology, which
    gets the same from the contents list, linked by ``aria-describedby``; ``notices``: each
    version's change notice by key, its title). Links are written from the document's
    address, as the text's own are (:func:`.urls.rebase_links`)."""
    if not sections:
        return html
    by_anchor = {s.anchor: s for s in sections}
    t = i18n.Translator(language)
    home = urls.document(slug)
    out: list[str] = []
    pos = 0
    current = sections[0].changes[-1]
    for m in _HEADING.finditer(html):
        section = by_anchor.get(m.group(3) or "")
        if section is not None:
            current = section.changes[-1]
        close = html.find(f"</{m.group(1)}>", m.end())
        if close < 0:
            continue
        day = current.key
        attrs = f'{m.group(2) or ""} data-last-changed="{day}"{m.group(4)}'
        if section is not None and len(sections) > 2 and section.level > 1:  # in the contents
            attrs += f' aria-describedby="lc-{escape(section.anchor)}"'
        out.append(html[pos:m.start()] + f"<{m.group(1)}{attrs}>" + html[m.end():close])
        if section is not None:
            out.append(_changed_mark(slug, current, notices.get(day, ""), t, home))
        pos = close
    out.append(html[pos:])
    return "".join(out)


def _changed_mark(slug: str, change: Change, notice: str, t: i18n.Translator,
                  home: str) -> str:
    day = i18n.long_date(dt.date.fromisoformat(change.key), t.language)
    link = change_link(slug, change)
    words = escape(t("section_amended" if link else "section_since", date=day))
    title = f' title="{escape(notice.strip())}"' if notice.strip() else ""
    if link is None:
        return f' <span class="last-changed" aria-hidden="true">{words}</span>'
    return (f' <a class="last-changed" href="{escape(urls.relative(home, link))}"'
            f' aria-hidden="true" tabindex="-1"{title}>{words}</a>')


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


def changes(doc: Document, diffs: Mapping[tuple[str, str], DocumentDiff]) -> dict[str, str]:
    """Each version's change class against the version before it (the first has none)."""
    return {v.key: diffs[(prev.sha256, v.sha256)].change
            for prev, v in zip(doc.versions, doc.versions[1:])
            if (prev.sha256, v.sha256) in diffs}


def relative_link_docs(archive: Archive, rendered: Mapping[str, RenderedText],
                       kept: Collection[str] = ()) -> frozenset[str]:
    """The documents whose texts (or notices) hold relative links, which each page showing
    them rewrites (:func:`.urls.rebase_links`); the others are shown as they are. A kept
    document has none (:mod:`.unchanged`)."""
    out = set()
    for d in archive.documents:
        if d.slug in kept:
            continue
        own: list[Version | Translation] = [
            *d.versions, *(x for x in archive.drafts if x.slug == d.slug),
            *(x for x in archive.translations if x.slug == d.slug)]
        texts = [t for v in own for t in (v.body, v.summary, v.note) if t.strip()]
        if any(urls.resolve("", href) is not None
               for t in texts for b in rendered[sha256_of(t)].blocks for _, _, href in b.links):
            out.add(d.slug)
    return frozenset(out)


def decide(archive: Archive, rendered: Mapping[str, RenderedText],
           diffs: Mapping[tuple[str, str], DocumentDiff],
           shown: Mapping[Comparison, DiffJob], history: GitHistory,
           downloads: Mapping[Comparison, Sequence[Download]] | None = None,
           kept: Mapping[str, DocumentView] | None = None,
           kept_indexable: Sequence[str] = ()) -> SitePages:
    """Every page of the site. ``rendered``: every Markdown text rendered, by its SHA-256;
    ``diffs``: the alignment of every pair of texts shown, by their SHA-256s; ``shown``
    (from :func:`comparisons`): each diff shown (its pages hold it as ``Page.diff``);
    ``downloads``: the 新旧対照表 files of some of them (:mod:`.downloads`). ``kept``: the
    documents whose pages the output keeps as they are (:mod:`.unchanged`), each as it was
    seen then, without its texts: their pages are left out, the site-wide ones show them
    (``kept_indexable``: their pages' paths in the sitemap)."""
    downloads = downloads or {}
    kept = kept or {}

    def small(markdown: str) -> str:
        return rendered[sha256_of(markdown)].html if markdown.strip() else ""

    pairs = {d.slug: diff_pairs(d, archive.site.compare_all_pairs_up_to)
             for d in archive.documents}
    text_html = {(d.slug, v.key): (small(v.summary), small(v.note))
                 for d in archive.documents if d.slug not in kept for v in d.versions}
    text_html.update(((k.slug, v.key), (str(v.summary_html), str(v.note_html)))
                     for k in kept.values() for v in k.versions)
    sources = {(d.slug, v.key): v.source for d in archive.documents for v in d.versions}
    commits = {src: history.last.get(src) for src in sources.values()}
    docs = [kept[d.slug] if d.slug in kept else DocumentView(d.slug, d.title, version_views(
        d, {(d.slug, v.key): rendered[v.sha256] for v in d.versions}, text_html, commits,
        pairs[d.slug], changes(d, diffs), document_history(d, rendered, diffs),
        archive.site.language)) for d in archive.documents]
    drafts = {}
    for d, doc in zip(archive.documents, docs):
        with_draft = draft_of(archive, d) if d.slug not in kept else None
        if with_draft is not None:
            base, draft = with_draft
            current = next(v for v in doc.versions if v.key == base.key)
            drafts[doc.slug] = (current, _draft_view(draft, rendered[draft.sha256], current,
                                                     small(draft.summary), small(draft.note)))
    from . import multilingual  # built on this module's view models

    languages = multilingual.language_sites(archive, rendered, diffs, history)  # [] if none
    pages = site_pages(archive, docs, pairs, commits, sources,
                       multilingual.record(archive, languages) if languages else None, kept)
    pages += [_draft_page(archive, doc, drafts[doc.slug][1]) for doc in docs
              if doc.slug in drafts]
    by_slug = {doc.slug: doc for doc in docs}
    keyed = {doc.slug: {v.key: v for v in doc.versions} for doc in docs}
    for (slug, a, b), job in shown.items():
        if slug in kept:
            continue
        doc = by_slug[slug]
        files = downloads.get((slug, a, b), ())
        if b == "draft":
            current, draft_view = drafts[slug]
            pages += diff_pages(archive.site, doc, current, draft_view, job,
                                draft=True, files=files)
        else:
            pages += diff_pages(archive.site, doc, keyed[slug][a], keyed[slug][b], job,
                                files=files)
    pages += notice_pages(archive, docs, {k: s for k, (s, _) in text_html.items()}, kept)
    pages += search_pages(archive.site, docs, rendered, kept)
    if languages:
        pages += multilingual.language_pages(archive, languages)
        pages = multilingual.with_alternates(pages, archive.site)
    indexable = [*(p.path for p in pages if p.template and not p.context.get("noindex")),
                 *kept_indexable]
    pages += host_pages(archive, indexable)
    common = {"site": archive.site, "documents": docs, "as_of": archive.as_of,
              "updated": archive.updated, "doc_updated": archive.updated_by_document,
              "in_git": history.in_git,
              "relative_link_docs": relative_link_docs(archive, rendered, kept)}
    return SitePages(pages, common)


def table_path(comparison: Comparison) -> str:
    """Where a comparison's 新旧対照表 page is (its download files sit beside it)."""
    slug, a, b = comparison
    return urls.draft(slug) + "diff/table/" if b == "draft" else urls.diff(slug, a, b, "table")


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
            "noindex": draft or name != "inline",
            "downloads": [(f.format, f.path, len(f.data)) for f in files] if name == "table"
            else [], "between": between, "between_earlier": earlier, **(extra or {}),
        }, diff=job))
    pages += [Page(f.path, None, data=f.data) for f in files]
    return pages


def _draft_page(archive: Archive, doc: DocumentView, view: VersionView) -> Page:
    t = i18n.Translator(archive.site.language)
    return Page(urls.draft(doc.slug), "version.html", {
        "doc": doc, "v": view, "is_draft": True, "noindex": True,
        "page_title": t("draft_title", title=view.title)})


def _draft_view(draft: Version, r: RenderedText, current: VersionView, summary_html: str,
                note_html: str) -> VersionView:
    return VersionView(
        key="draft", slug=draft.slug, title=draft.title, effective=draft.effective,
        effective_to=None, announced=draft.announced, status="upcoming",
        summary_html=Markup(summary_html), note_html=Markup(note_html), errata=(),
        sha256=draft.sha256, html=Markup(r.html), headings=r.headings, commit=None,
        previous=current, diff_from_previous=urls.draft(draft.slug) + "diff/",
        diff_with_current=urls.draft(draft.slug) + "diff/",
    )


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
        "page_title": t("search_title"), "noindex": True, "indexes": search.indexes(docs),
        "strings": search.search_strings(site.language)})]
    out += [Page(search.index_path(d.slug), None,
                 text=search.document_index(d, rendered, site.language)) for d in docs
            if d.slug not in kept]
    return out


def host_pages(archive: Archive, indexable: Sequence[str]) -> list[Page]:
    return [
        Page("sitemap.xml", None, text=hosting.sitemap_xml(archive.site, indexable)),
        Page("robots.txt", None, text=hosting.robots_txt(archive.site)),
        Page("_headers", None, text=hosting.headers_file(archive.site)),
        Page(".nojekyll", None, text=""),
        Page("404.html", "404.html", {"page_title": "404", "noindex": True,
                                      "link_base": "", "absolute_links": True}),
    ]
