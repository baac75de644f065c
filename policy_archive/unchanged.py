"""Which files of the last build a new one keeps: those of documents that did not change.

Every page of a document (``<slug>/…``, ``<lang>/<slug>/…``) is made of what
:func:`document_inputs` hashes; the build stamp records the hashes of the last build into an
output folder, and a document with the same hash keeps the files that build wrote, when the
folder still holds them as it left them: they are linked into the new output, not rendered.
Site-wide files (start page, feeds of all, ``versions.json``, sitemap, search) are always
written.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from .cache import code_version, digest
from .model import Archive, Translation, Version
from .output import template_dirs
from .provenance import GitHistory


def document_inputs(root: Path, archive: Archive, history: GitHistory) -> dict[str, str]:
    """A hash per document of everything its pages (``<slug>/…``, ``<lang>/<slug>/…``) are
    made of: the program and templates, ``site.yaml``, every document's slug and title (the
    footer), and its own versions, drafts and translations as loaded (periods and statuses
    included), the days around the build date on which its pages change, and the git
    history of its files. A document whose hash is the last build's keeps its files."""
    folders = template_dirs(root)
    common = [code_version(), _folder_digest(folders),
              _file_digest(root / "content" / "site.yaml"),
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
        for v in own:
            parts += [repr(v), repr(history.last.get(v.source)),
                      repr(history.modified.get(v.source))]
        out[d.slug] = digest(*parts)
    return out


def _file_digest(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return "missing"


def _folder_digest(folders: Sequence[Path]) -> str:
    parts: list[str | bytes] = []
    for n, folder in enumerate(folders):
        for base, dirs, names in os.walk(folder):
            dirs.sort()
            for name in sorted(names):
                path = Path(base, name)
                parts += [f"{n}:{path.relative_to(folder)}", _file_digest(path)]
    return digest(*parts)


def owner(rel: str, slugs: Sequence[str], languages: Sequence[str]) -> str | None:
    """The document a site file belongs to (by its place), or None for a site-wide one."""
    head, _, rest = rel.partition("/")
    if head in languages:
        head = rest.partition("/")[0]
    return head if head in slugs and rest else None


def reusable(archive: Archive, documents: Mapping[str, str], last_documents: Mapping[str, str],
             last_output: Mapping[str, tuple[int, ...]], state: Mapping[str, tuple[int, ...]]
             ) -> Callable[[str], bool]:
    """``reuse(file)``: the file belongs to a document whose inputs (``documents``) are those
    of the last build into this folder (``last_documents``), and the folder (``state``, from
    :func:`.output.folder_state`) holds it as that build left it (``last_output``)."""
    slugs = [d.slug for d in archive.documents]
    languages = archive.site.translation_languages
    same = {s for s in slugs if s not in languages and documents.get(s) is not None
            and last_documents.get(s) == documents[s]}

    def reuse(rel: str) -> bool:
        old = last_output.get(rel)
        return (old is not None and state.get(rel) == old
                and owner(rel, slugs, languages) in same)

    return reuse
