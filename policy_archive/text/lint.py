"""Warnings about texts that render, but probably not as their authors meant.

``check`` (and every build) reports them as ``path:line: warning: …``; ``check --strict``
fails on them. What the renderer noticed in a text (:attr:`.model.RenderedText.notes`), and
links that lead nowhere: a relative link that names no page of the site (relative links in
a version's text are read from the document's address, ``/<slug>/``, and written so that
they lead to the same place from every address the version is shown at), and an in-page
``#link`` to no id of the page.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Iterator, Mapping

from ..foundation import urls
from ..foundation.errors import Problem
from ..foundation.model import Archive, Document, RenderedText, Translation, Version

_ID = re.compile(r'\s(?:id|name)="([^"]*)"')


def text_warnings(version: Version | Translation, rendered: RenderedText,
                  site_paths: Collection[str]) -> Iterator[Problem]:
    """The warnings about one version's (or translation's) text, at lines of its file."""

    def at(line: int, message: str) -> Problem:
        return Problem(version.source, version.body_line + line - 1, message, "warning")

    for note in rendered.notes:
        yield at(note.line, note.message)
    ids = set(_ID.findall(rendered.html))
    home = urls.document(version.slug)
    if isinstance(version, Translation):  # read from the document's address in its language
        home = urls.in_language(version.language, home)
    for block in rendered.blocks:
        for _, _, href in block.links:
            if href.startswith("#"):
                if href[1:] and href[1:] not in ids:
                    yield at(block.line, f"the link {href} leads to no part of this text "
                                         "(no heading or element has that id)")
                continue
            target = urls.resolve(home, href)
            if target is not None and urls.page_path(target) not in site_paths:
                yield at(block.line, f"the relative link {href} leads to no page of the site "
                                     f"(read from /{home}, it names /{target}); link to a "
                                     "page the site has, or use a full https:// address")


def site_paths(archive: Archive, page_paths: Iterable[str],
               diffs: Iterable[tuple[str, str, str]]) -> set[str]:
    """Every path the site will hold a page or file at (what a relative link may name)."""
    paths = set(page_paths) | {"versions.json", "sitemap.xml", "robots.txt", "404.html",
                               urls.feed(), "feed.xml"}
    for slug, a, b in diffs:
        paths.update(urls.diff(slug, a, b, view) for view in urls.DIFF_VIEWS)
    for d in archive.documents:
        paths.add(urls.feed(d.slug))
        paths.update(urls.notice(d.slug, v.key) for v in d.versions)
    return paths


def document_warnings(archive: Archive, doc: Document, rendered: Mapping[str, RenderedText],
                      paths: Collection[str]) -> Iterator[Problem]:
    """The warnings about the texts of one document: its versions', draft's and
    translations'."""
    every: list[Version | Translation] = [
        *doc.versions, *(x for x in archive.drafts if x.slug == doc.slug),
        *(x for x in archive.translations if x.slug == doc.slug)]
    for v in every:
        found = dict.fromkeys(text_warnings(v, rendered[v.sha256], paths))  # each once
        yield from sorted(found, key=lambda p: p.line)
