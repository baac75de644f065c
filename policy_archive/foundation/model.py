"""Plain immutable values passed between pipeline stages (named tuples: cheap to define at
start-up, to make by the thousand and to pickle)."""

from __future__ import annotations

import datetime as dt
from typing import Literal, NamedTuple

from .spans import Span

Status = Literal["past", "current", "upcoming"]
BlockKind = Literal["heading", "paragraph", "item", "row", "code", "html", "quote"]


class Erratum(NamedTuple):
    """A recorded correction of a version's text after it was locked."""

    date: dt.date
    reason: str


class DocumentSpec(NamedTuple):
    """A document declared in ``content/site.yaml``."""

    slug: str
    title: str


class Link(NamedTuple):
    """A link of the site's own header or footer (``theme:``), in one language or all."""

    text: str
    url: str
    language: str = ""  # "": on the pages of every language


class Theme(NamedTuple):
    """``theme:`` in ``content/site.yaml``, validated: the company's own look. Files are
    project paths under ``templates/``; colours are CSS colours, as given."""

    logo: str = ""
    logo_alt: str = ""
    #: The company's own site, linked from the logo ("" : the logo links the start page).
    home: str = ""
    #: (scheme "light"/"dark", role "primary"/"accent"/"text"/"background", CSS colour).
    colors: tuple[tuple[str, str, str], ...] = ()
    header_links: tuple[Link, ...] = ()
    footer_links: tuple[Link, ...] = ()
    footer: str = ""  # Markdown
    favicon: str = ""
    fonts: tuple[str, ...] = ()
    extra_css: tuple[str, ...] = ()
    #: (CSP directive, the sources ``site.yaml`` adds to it), e.g. ("img-src", ("https://x",)).
    csp: tuple[tuple[str, tuple[str, ...]], ...] = ()


class SiteConfig(NamedTuple):
    """``content/site.yaml``, validated."""

    title: str
    base_url: str
    language: str = "ja"
    documents: tuple[DocumentSpec, ...] = ()
    organization: str = ""
    contact: str = ""
    description: str = ""
    #: Order of the 新旧対照表 columns: "new-old" (改正後 left, the default) or "old-new".
    comparison_columns: str = "new-old"
    #: Pre-render every pair of versions for documents with at most this many versions: the
    #: n(n-1)/2 pairs stay within about twice the 2n-3 of steps and against the current
    #: version (21 against 11 at 7; 66 against 21 at 12).
    compare_all_pairs_up_to: int = 7
    #: The 新旧対照表 of each amendment offered as files too: "docx", "pdf".
    downloads: tuple[str, ...] = ()
    #: The site's languages, the original (which governs) first; () means ``(language,)``.
    languages: tuple[str, ...] = ()
    #: (language, wording) of the notice shown on translated pages, where the site gives one.
    translation_notice: tuple[tuple[str, str], ...] = ()
    #: The company's own look (``theme:``); None: the built-in one, unchanged.
    theme: Theme | None = None
    #: The paper of every printed page and exported file: "a4" or "letter" (``paper:``;
    #: by default a4 for a Japanese site, letter for an English one).
    paper: str = "a4"

    @property
    def all_languages(self) -> tuple[str, ...]:
        """Every language of the site, the original first."""
        return self.languages or (self.language,)

    @property
    def translation_languages(self) -> tuple[str, ...]:
        """The languages translations are published in (all but the original)."""
        return self.all_languages[1:]

    @property
    def base_path(self) -> str:
        """The path part of ``base_url``, always ending in ``/`` (``/`` for a host root)."""
        from urllib.parse import urlsplit

        path = urlsplit(self.base_url).path or "/"
        return path if path.endswith("/") else path + "/"


class Reason(NamedTuple):
    """Why one section changed (改定理由 / 備考): ``reasons:`` in a version's front matter."""

    section: str  # the section's heading text, or its id
    text: str
    line: int  # where the version file gives it


#: The effective date of a draft that does not give one yet: it sorts after every version,
#: and is shown as 施行日未定 (never as a date).
UNDATED = dt.date(9999, 12, 31)


class Version(NamedTuple):
    """One dated version of a document, as read from ``versions/<slug>/<date>.md``."""

    slug: str
    effective: dt.date
    title: str
    announced: dt.date | None  # None when the file does not say
    summary: str
    note: str
    errata: tuple[Erratum, ...]
    body: str
    sha256: str
    source: str  # path relative to the project root, with forward slashes
    body_line: int  # line of the source file where ``body`` starts (1-based)
    effective_to: dt.date | None = None
    status: Status = "past"
    #: Why its sections changed, for the 新旧対照表's third column (改定理由).
    reasons: tuple[Reason, ...] = ()
    #: The instrument that made this version (``amended_by: 平成30年法律第33号``), or "".
    amended_by: str = ""

    @property
    def key(self) -> str:
        return self.effective.isoformat()


class Translation(NamedTuple):
    """A translation of one version, as read from ``versions/<slug>/<date>.<lang>.md``."""

    slug: str
    key: str  # the effective date (YYYY-MM-DD) of the version it translates
    language: str
    title: str
    summary: str
    note: str
    translated: dt.date | None  # None when the file does not say
    body: str
    sha256: str
    source: str  # path relative to the project root, with forward slashes
    body_line: int


class Document(NamedTuple):
    slug: str
    title: str
    versions: tuple[Version, ...]  # oldest first

    @property
    def current(self) -> Version | None:
        return next((v for v in self.versions if v.status == "current"), None)

    @property
    def upcoming(self) -> tuple[Version, ...]:
        return tuple(v for v in self.versions if v.status == "upcoming")

    def version(self, key: str) -> Version | None:
        return next((v for v in self.versions if v.key == key), None)

    def days(self) -> list[dt.date]:
        """Every day on which one of its versions is announced, takes effect or was
        corrected (what its pages show of the build date is the last of them)."""
        return [day for v in self.versions
                for day in (v.announced or v.effective, v.effective, *(e.date for e in v.errata))]

    def predecessor(self, version: Version) -> Version | None:
        i = self.versions.index(version)
        return self.versions[i - 1] if i > 0 else None


class Archive(NamedTuple):
    """Everything loaded and validated: the input of every later stage."""

    root: str
    site: SiteConfig
    documents: tuple[Document, ...]
    as_of: dt.date
    drafts: tuple[Version, ...] = ()
    #: Every translation of a version, ordered by document, version and language.
    translations: tuple[Translation, ...] = ()
    #: Versions announced after the build date: published nowhere until that day.
    embargoed: tuple[Version, ...] = ()

    def document(self, slug: str) -> Document | None:
        return next((d for d in self.documents if d.slug == slug), None)

    def _days(self) -> list[dt.date]:
        """Every day on which a version is announced, takes effect or was corrected."""
        return [day for d in self.documents for day in d.days()]

    @property
    def updated(self) -> dt.date | None:
        """The last such day on or before the build date (drafts aside); None before any.
        Between two such days the site is the same whatever the build date, so a daily build
        publishes only on them. What the pages show of the build date is this day."""
        return max((day for day in self._days() if day <= self.as_of), default=None)

    @property
    def updated_by_document(self) -> dict[str, dt.date]:
        """Each document's own :attr:`updated`: what its pages show, so that a new version of
        one document changes no page of another."""
        out = {}
        for d in self.documents:
            days = [day for day in d.days() if day <= self.as_of]
            if days:
                out[d.slug] = max(days)
        return out

    @property
    def next_update(self) -> dt.date | None:
        """The next such day after the build date: the next build that changes the site."""
        return min((day for day in self._days() if day > self.as_of), default=None)

    @property
    def next_build(self) -> dt.date | None:
        """The next day a build changes the site: :attr:`next_update`, or the day an
        embargoed version is announced (which the site itself does not tell)."""
        ends = [v.announced for v in self.embargoed if v.announced]
        return min((day for day in [*self._days(), *ends] if day > self.as_of), default=None)


class Block(NamedTuple):
    """One unit of policy text: a heading, a paragraph, a list item, a table row, ...

    ``text`` is exactly the text a reader sees in the rendered ``html`` (entities decoded,
    tags dropped); table cells are separated by a tab. The diff engine compares ``text``; the
    views show ``html`` for unchanged blocks. The concatenation of all blocks' ``text`` is the
    text of the whole rendered document.
    """

    kind: BlockKind
    text: str
    html: str
    level: int  # heading level (1-6), list depth (1-based), 0 otherwise
    section: tuple[str, ...]  # texts of the enclosing headings, outermost first
    section_id: str  # anchor id of the nearest heading ("" before the first heading)
    number: str  # recognised section number of a heading ("1", "10", "(2)"), else ""
    anchor: str  # the id of a heading, else ""
    line: int  # 1-based line in the Markdown text
    header: bool = False  # a table header row
    #: Inline markup over ``text`` (links, emphasis, breaks, images): see :mod:`.markup`.
    #: A row's spans are its cells' spans, placed in ``text`` (cells joined by tabs).
    spans: tuple[Span, ...] = ()
    #: What the block sits in, where that shows: ``ul``/``ol 3`` (list kind and start) for a
    #: list item, ``loose`` added for a loose list; "" otherwise.
    shape: str = ""

    def __hash__(self) -> int:
        # Equal blocks have equal texts, lines and HTML: hashing those (str hashes are
        # cached) is enough, and much cheaper than every field when blocks are memo keys.
        return hash((self.text, self.line, self.html))

    @property
    def look(self) -> tuple[object, ...]:
        """Everything that shows: two blocks with the same look render the same."""
        return (self.text, self.html, self.kind, self.level, self.header, self.shape)

    @property
    def links(self) -> tuple[tuple[int, int, str], ...]:
        """Where the block's links and images are and what they point to."""
        return tuple((s.start, s.end, s.href) for s in self.spans
                     if s.tag in ("a", "img", "") and s.href)


class Heading(NamedTuple):
    level: int
    text: str
    anchor: str
    number: str


class Note(NamedTuple):
    """Something in a text that renders, but probably not as its author meant."""

    line: int  # 1-based line in the Markdown text
    message: str


class RenderedText(NamedTuple):
    """A version's Markdown rendered once: the page HTML and the blocks the diff uses."""

    html: str
    blocks: tuple[Block, ...]
    headings: tuple[Heading, ...]
    notes: tuple[Note, ...] = ()
