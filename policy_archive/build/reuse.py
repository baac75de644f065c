"""Which files of the last build a new one keeps: those of documents that did not change.

Every page of a document (``<slug>/…``, ``<lang>/<slug>/…``, ``search/<slug>.json``) is made
of what :func:`document_inputs` hashes; the build stamp records the hashes of the last build
into an output folder, and a document with the same hash keeps the files that build wrote,
when the folder still holds them as it left them: they are linked into the new output, not
rendered (:func:`reusable`). Site-wide files (start page, feeds of all, ``versions.json``,
sitemap, search page) are always written.

When every file of such a document is there as it was left, the build does not even look at
its texts (:func:`keepable`): it neither renders nor compares them, nor decides its pages,
and the site-wide pages show it as the last build saw it (:class:`Kept`: its view model
without texts, headings and section histories, which only its own pages show). Not for a
document whose texts link to other pages (a link's warning depends on the other pages), nor
on a site with translations (their pages are decided together).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from ..foundation import inputs, urls
from ..foundation.files import digest, folder_parts
from .cache import code_version
from ..foundation.errors import Problem
from ..foundation.model import Archive, Translation, Version
from ..output.templates import template_dirs
from ..content.provenance import GitHistory

if TYPE_CHECKING:
    from ..site.pages import DocumentView, VersionView


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


def reusable(archive: Archive, documents: Mapping[str, str], last_documents: Mapping[str, str],
             last_output: Mapping[str, tuple[int, ...]], state: Mapping[str, tuple[int, ...]]
             ) -> Callable[[str], bool]:
    """``reuse(file)``: the file belongs to a document whose inputs (``documents``) are those
    of the last build into this folder (``last_documents``), and the folder (``state``, from
    :func:`.staging.folder_state`) holds it as that build left it (``last_output``)."""
    slugs = [d.slug for d in archive.documents]
    languages = archive.site.translation_languages
    same = {s for s in slugs if s not in languages and documents.get(s) is not None
            and last_documents.get(s) == documents[s]}

    def reuse(rel: str) -> bool:
        old = last_output.get(rel)
        return (old is not None and state.get(rel) == old
                and owner(rel, slugs, languages) in same)

    return reuse


class Kept(NamedTuple):
    """What a build saw of a document whose texts link to no other page: for a later build
    that keeps its pages (:func:`keepable`)."""

    inputs: str  # its :func:`document_inputs`
    view: DocumentView  # without texts, headings and section histories (:func:`light`)
    paths: tuple[str, ...]  # its pages' site paths
    indexable: tuple[str, ...]  # those in the sitemap
    warnings: tuple[Problem, ...]  # about its texts (:mod:`.lint`)


def light(doc: DocumentView) -> DocumentView:
    """``doc`` as the site-wide pages show it: without what only its own pages show (each
    version's text, headings and section histories), and without the links between versions
    (``previous``), which :func:`relinked` restores."""
    from markupsafe import Markup

    versions = tuple(v._replace(html=Markup(""), headings=(), sections=(), previous=None)
                     for v in doc.versions)
    return doc._replace(versions=versions)


def relinked(doc: DocumentView) -> DocumentView:
    """``doc`` from :func:`light` with each version's ``previous`` restored (the version
    before it, as :func:`.pages.version_views` links them)."""
    versions: list[VersionView] = []
    for v in doc.versions:
        versions.append(v._replace(previous=versions[-1] if versions else None))
    return doc._replace(versions=tuple(versions))


def keepable(archive: Archive, documents: Mapping[str, str], last: Mapping[str, Kept],
             last_output: Mapping[str, tuple[int, ...]], state: Mapping[str, tuple[int, ...]]
             ) -> dict[str, Kept]:
    """The documents whose pages this build keeps without looking at their texts, each as
    the last build saw it: its inputs (``documents``) are those of the last build into this
    folder (``last``), and every file of its pages is in the folder (``state``) as that
    build left it (``last_output``)."""
    if archive.site.translation_languages:
        return {}
    out = {}
    for d in archive.documents:
        kept = last.get(d.slug)
        if (kept is not None and kept.inputs == documents.get(d.slug) and kept.paths
                and all(last_output.get(rel) is not None and state.get(rel) == last_output[rel]
                        for rel in map(urls.file_of, kept.paths))):
            out[d.slug] = kept._replace(view=relinked(kept.view))
    return out
