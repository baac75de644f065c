"""The view models: a document and its versions as the pages show them, and a page to write.

Built here from the archive, the rendered texts, the change classes and the section
histories; templates only present them. A version names the one before it by its key
(``previous``), so a view model holds no chain of objects and pickles at any length (the
build stamp keeps some, :mod:`.reuse`).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NamedTuple

from markupsafe import Markup

from ..content import integrity
from ..content.frontmatter import body_sha256
from ..content.provenance import Commit
from ..diff.history import Change, Section
from ..foundation import urls
from ..foundation.model import Document, Erratum, Heading, RenderedText, Version
from .comparisons import DiffJob
from .headings import change_link, last_changed_html

if TYPE_CHECKING:
    from ..diff.result import DocumentDiff


@dataclass(frozen=True)
class PageFlags:
    """How a page is written, besides what it shows."""

    #: Kept out of search engines (``<meta name="robots">``) and of the sitemap.
    noindex: bool = False
    #: Links written from the site's root, not relative to the page (404.html: a host
    #: serves it at any address).
    absolute_links: bool = False
    #: The address links are written from, when not the page's own ("": the site's root).
    link_base: str | None = None


#: The flags of a page kept out of search engines.
NOINDEX = PageFlags(noindex=True)


class Page(NamedTuple):
    path: str  # site-relative; "" or ending in "/" means index.html
    template: str | None
    context: Mapping[str, Any] = MappingProxyType({})
    text: str | None = None  # ready content when there is no template
    data: bytes | None = None  # ready bytes (a Word or PDF file) when there is no template
    #: A diff page's diff: its views (``summary``, ``body``) are computed when the page is
    #: written, so that no more than a page's worth of them is held at once.
    diff: DiffJob | None = None
    flags: PageFlags = PageFlags()


class SitePages(NamedTuple):
    """Every page, and what every template is given besides its page's own context."""

    pages: list[Page]
    common: Mapping[str, Any]


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
    previous: str | None  # the key of the version before it (a draft's: the one it replaces)
    diff_from_previous: str | None
    diff_with_current: str | None
    #: The change class against the previous version (:data:`.diff.CHANGE_CLASSES`); None
    #: for the first version.
    change: str | None = None
    #: Each section's history up to this version (:mod:`.history`), in document order.
    sections: tuple[Section, ...] = ()
    #: The hash chain value at this version (:mod:`.integrity`); "" for a draft.
    chain: str = ""
    #: On a page in a translation language: the translation (:mod:`.multilingual`).
    translation: TranslationInfo | None = None
    #: The instrument that made the version (``amended_by``), or "".
    amended_by: str = ""

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

    def version(self, key: str) -> VersionView:
        """The version of that key (templates: the one a version's ``previous`` names)."""
        return next(v for v in self.versions if v.key == key)

    def without_texts(self) -> DocumentView:
        """The document as the site-wide pages show it, for a later build that keeps its
        pages (:mod:`.reuse`): without what only its own pages show (each version's text,
        headings and section histories)."""
        return self._replace(versions=tuple(
            v._replace(html=Markup(""), headings=(), sections=()) for v in self.versions))

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


class CompareInfo(NamedTuple):
    """What the compare page offers: every pair with a diff, and whether that is all pairs."""

    pairs: Mapping[str, str]  # "a/b" -> site path of the inline diff
    all_pairs: bool

    @property
    def pairs_json(self) -> str:
        return json.dumps(dict(self.pairs), ensure_ascii=False, sort_keys=True,
                          separators=(",", ":"))


def version_views(doc: Document, rendered: Mapping[tuple[str, str], RenderedText],
                  summaries: Mapping[tuple[str, str], tuple[str, str]],
                  commits: Mapping[str, Commit | None],
                  pairs: Sequence[tuple[str, str]],
                  changes: Mapping[str, str] | None = None,
                  sections: Mapping[str, tuple[Section, ...]] | None = None,
                  language: str = "ja") -> tuple[VersionView, ...]:
    """A document's versions as its pages show them, oldest first: each with its links to
    the diffs among ``pairs``, its change class and its sections' histories."""
    available = set(pairs)
    current = doc.current
    chained = integrity.chain((v.key, v.sha256) for v in doc.versions)
    notices = {v.key: v.summary for v in doc.versions}
    views: list[VersionView] = []
    previous: str | None = None
    for v, chain in zip(doc.versions, chained):
        r = rendered[(doc.slug, v.key)]
        summary_html, note_html = summaries[(doc.slug, v.key)]
        own = (sections or {}).get(v.key, ())
        from_prev = (urls.diff(doc.slug, previous, v.key)
                     if previous and (previous, v.key) in available else None)
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
            amended_by=v.amended_by,
        )
        views.append(view)
        previous = v.key
    return tuple(views)


def draft_view(draft: Version, r: RenderedText, current: VersionView, summary_html: str,
               note_html: str) -> VersionView:
    """A document's draft as its preview page shows it, after the version it replaces."""
    return VersionView(
        key="draft", slug=draft.slug, title=draft.title, effective=draft.effective,
        effective_to=None, announced=draft.announced, status="upcoming",
        summary_html=Markup(summary_html), note_html=Markup(note_html), errata=(),
        sha256=draft.sha256, html=Markup(r.html), headings=r.headings, commit=None,
        amended_by=draft.amended_by,
        previous=current.key, diff_from_previous=urls.draft(draft.slug) + "diff/",
        diff_with_current=urls.draft(draft.slug) + "diff/",
    )


def short_html(rendered: Mapping[str, RenderedText], markdown: str) -> str:
    """A change notice's or a note's HTML (rendered by its SHA-256); "" when it is blank."""
    return rendered[body_sha256(markdown)].html if markdown.strip() else ""


def changes(doc: Document, diffs: Mapping[tuple[str, str], DocumentDiff]) -> dict[str, str]:
    """Each version's change class against the version before it (the first has none)."""
    return {v.key: diffs[(prev.sha256, v.sha256)].change
            for prev, v in zip(doc.versions, doc.versions[1:])
            if (prev.sha256, v.sha256) in diffs}
