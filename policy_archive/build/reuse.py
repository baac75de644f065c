"""Which documents a build takes from the last build into the same output folder: decided
once, by :func:`decide`, into a :class:`Reuse` record the later stages read.

Every page of a document (``<slug>/…``, ``<lang>/<slug>/…``, ``search/<slug>.json``) is made
of what :func:`document_inputs` hashes; the build stamp records the hashes of the last build
into an output folder. A document with the same hash is *unchanged*: each file of its pages
that the folder still holds as that build left it is *reused* (hard-linked into the new
output, not rendered). Site-wide files (start page, feeds of all, ``versions.json``,
sitemap, search page) are always written.

When every file of an unchanged document is there as it was left, the build *skips* it: it
neither renders nor compares its texts, nor decides its pages, and the site-wide pages show
it as the last build saw it (:class:`SkippedDocument`: its view model without texts,
headings and section histories, which only its own pages show); its files are *linked*.
Not for a document whose texts link to other pages (a link's warning depends on the other
pages), nor on a site with translations (their pages are decided together).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from ..content.provenance import GitHistory
from ..foundation import inputs, urls
from ..foundation.errors import Problem
from ..foundation.files import digest, folder_parts
from ..foundation.model import Archive, Translation, Version
from ..output.templates import template_dirs
from ..runtime.cache import code_version

if TYPE_CHECKING:
    from ..site.models import DocumentView, Page, SitePages


def document_inputs(root: Path, archive: Archive, history: GitHistory) -> dict[str, str]:
    """A hash per document of everything its pages (``<slug>/…``, ``<lang>/<slug>/…``) are
    made of: the program and templates, ``site.yaml``, every document's slug and title (the
    footer), and its own versions, drafts and translations as loaded (periods and statuses
    included), the days around the build date on which its pages change, and the git
    history of its files. A document whose hash is the last build's keeps its files."""
    folders = template_dirs(root)
    common: list[str | bytes] = [
        code_version(), digest(*folder_parts(folders, lambda n, folder: folder)),
        inputs.digest(root / "content" / "site.yaml", root),
        repr([(d.slug, d.title) for d in archive.documents]), repr(archive.site),
        str(history.in_git)]
    out = {}
    for d in archive.documents:
        own: list[Version | Translation] = [
            *d.versions, *(x for x in archive.drafts if x.slug == d.slug),
            *(x for x in archive.translations if x.slug == d.slug)]
        days = sorted(set(d.days()))
        around = ([x for x in days if x <= archive.as_of][-1:],
                  [x for x in days if x > archive.as_of][:1])
        parts = [*common, d.slug, repr(around)]
        for v in own:  # the body by its hash, which the version holds
            parts += [repr(v._replace(body="")), repr(history.last.get(v.source)),
                      repr(history.modified.get(v.source))]
        out[d.slug] = digest(*parts)
    return out


def owner(rel: str, slugs: Sequence[str], languages: Sequence[str]) -> str | None:
    """The document a site file belongs to (by its place), or None for a site-wide one."""
    head, _, rest = rel.partition("/")
    if head in languages:
        rel = rest
        head, _, rest = rel.partition("/")
    if head + "/" == urls.search() and rest.endswith(".json"):  # its search index
        head, rest = rest.removesuffix(".json"), "index"
    return head if head in slugs and rest else None


class SkippedDocument(NamedTuple):
    """What a build saw of a document whose texts link to no other page: for a later build
    that skips it (:func:`decide`)."""

    inputs: str  # its :func:`document_inputs`
    view: DocumentView  # without texts, headings and section histories (``without_texts``)
    paths: tuple[str, ...]  # its pages' site paths
    indexable: tuple[str, ...]  # those in the sitemap
    warnings: tuple[Problem, ...]  # about its texts (:mod:`.lint`)


class LastBuild(NamedTuple):
    """What the last build into the output folder left, and the folder as it is now."""

    documents: Mapping[str, str]  # its :func:`document_inputs`
    output: Mapping[str, tuple[int, ...]]  # the folder as it left it (:func:`.folder_state`)
    skippable: bytes  # ``{slug: SkippedDocument}`` pickled (:func:`for_next_build`)
    state: Mapping[str, tuple[int, ...]]  # the folder now


class Reuse(NamedTuple):
    """What this build takes from the last one (:func:`decide`); the stages read only this."""

    inputs: Mapping[str, str]  # this build's :func:`document_inputs`
    skipped: Mapping[str, SkippedDocument] = {}  # documents not looked at, by slug
    reused: frozenset[str] = frozenset()  # files of unchanged documents, as left: linked
    linked: tuple[str, ...] = ()  # every file of the skipped documents' pages

    def views(self) -> dict[str, DocumentView]:
        """The skipped documents' view models, by slug, for the site-wide pages."""
        return {slug: k.view for slug, k in self.skipped.items()}

    def paths(self, indexable: bool = False) -> list[str]:
        """The site paths of the skipped documents' pages (those in the sitemap)."""
        return [x for k in self.skipped.values() for x in (k.indexable if indexable else k.paths)]


def decide(archive: Archive, inputs: Mapping[str, str], last: LastBuild | None) -> Reuse:
    """Which documents are unchanged since ``last`` (their inputs are its inputs), which
    files of theirs are reused (the folder holds them as ``last`` left them), and which
    documents are skipped (every file of their pages so held: see the module's docstring)."""
    if last is None:
        return Reuse(inputs)
    intact = {rel for rel, st in last.output.items() if last.state.get(rel) == st}
    slugs = [d.slug for d in archive.documents]
    languages = archive.site.translation_languages
    unchanged = {s for s in slugs if s not in languages and last.documents.get(s) == inputs[s]}
    reused = frozenset(rel for rel in intact if owner(rel, slugs, languages) in unchanged)
    skipped = {} if languages else _skipped(slugs, inputs, _unpickled(last.skippable), intact)
    linked = sorted(f for k in skipped.values() for f in map(urls.file_of, k.paths))
    return Reuse(inputs, skipped, reused, tuple(linked))


def _unpickled(data: bytes) -> dict[str, SkippedDocument]:
    import pickle

    try:
        seen = pickle.loads(data) if data else {}
    except Exception:  # noqa: BLE001 - written by another version of a class
        return {}
    return seen if isinstance(seen, dict) else {}


def _skipped(slugs: Sequence[str], inputs: Mapping[str, str],
             seen: Mapping[str, SkippedDocument], intact: set[str]
             ) -> dict[str, SkippedDocument]:
    """The documents whose inputs are those the last build saw (``seen``) and every file
    of whose pages is ``intact``, each as that build saw it."""
    out = {}
    for slug in slugs:
        k = seen.get(slug)
        if (k is not None and k.inputs == inputs.get(slug) and k.paths
                and all(rel in intact for rel in map(urls.file_of, k.paths))):
            out[slug] = k
    return out


def for_next_build(archive: Archive, site: SitePages, reuse: Reuse,
                   warnings: Mapping[str, tuple[Problem, ...]]
                   ) -> dict[str, SkippedDocument]:
    """What a later build may skip of each document whose texts link to no page: its
    inputs, its view model without texts, its pages' paths and its warnings."""
    slugs = [d.slug for d in archive.documents]
    languages = archive.site.translation_languages
    own: dict[str, list[Page]] = {}
    for page in site.pages:
        slug = owner(urls.file_of(page.path), slugs, languages)
        if slug is not None:
            own.setdefault(slug, []).append(page)
    out = dict(reuse.skipped)
    for doc in site.common["documents"]:
        if doc.slug in reuse.skipped or doc.slug in site.common["relative_link_docs"]:
            continue
        mine = own.get(doc.slug, [])
        out[doc.slug] = SkippedDocument(
            reuse.inputs[doc.slug], doc.without_texts(), tuple(p.path for p in mine),
            tuple(p.path for p in mine if p.template and not p.flags.noindex),
            warnings[doc.slug])
    return out
