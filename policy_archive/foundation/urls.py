"""Where every page lives, and links between pages that work from any sub-path.

Paths are site-relative and end in ``/`` for pages (written as ``index.html``). Links are
made relative to the linking page, so the site works under any prefix of ``base_url`` and
from the file system.
"""

from __future__ import annotations

import posixpath
import re
from functools import lru_cache
from html import escape, unescape
from typing import Protocol

DIFF_VIEWS = ("inline", "side-by-side", "table")


def start() -> str:
    return ""


def document(slug: str) -> str:
    return f"{slug}/"


def version(slug: str, key: str) -> str:
    return f"{slug}/{key}/"


def archive(slug: str) -> str:
    return f"{slug}/versions/"


def compare(slug: str) -> str:
    return f"{slug}/compare/"


def history(slug: str) -> str:
    """The per-section history of a document (条項ごとの改正履歴)."""
    return f"{slug}/history/"


def search() -> str:
    """The search page across every version of every document (and its index files)."""
    return "search/"


def draft(slug: str) -> str:
    return f"{slug}/draft/"


def diff(slug: str, a: str, b: str, view: str = "inline") -> str:
    base = f"{slug}/diff/{a}/{b}/"
    return base if view == "inline" else f"{base}{view}/"


def feed(slug: str | None = None) -> str:
    return f"{slug}/feed.xml" if slug else "feed.xml"


def notice(slug: str, key: str) -> str:
    return f"{slug}/{key}/notice.txt"


def text(slug: str, key: str) -> str:
    """A version's published text: the exact body whose SHA-256 ``versions.json`` gives."""
    return f"{slug}/{key}/text.md"


def in_language(language: str, path: str) -> str:
    """Where the page at ``path`` lives in a translation language: under ``<language>/``."""
    return f"{language}/{path}"


class Paths(Protocol):
    """Where the pages of one language live: this module (the original) or
    :class:`LanguagePaths`."""

    def start(self) -> str: ...
    def document(self, slug: str) -> str: ...
    def version(self, slug: str, key: str) -> str: ...
    def archive(self, slug: str) -> str: ...
    def compare(self, slug: str) -> str: ...
    def history(self, slug: str) -> str: ...
    def search(self) -> str: ...
    def draft(self, slug: str) -> str: ...
    def diff(self, slug: str, a: str, b: str, view: str = "inline") -> str: ...
    def feed(self, slug: str | None = None) -> str: ...
    def notice(self, slug: str, key: str) -> str: ...
    def text(self, slug: str, key: str) -> str: ...


class LanguagePaths:
    """The addresses of one translation language: the same shape under ``<language>/``.
    Pages in that language are given this in place of this module (as ``paths``). The
    search page is the site's one, across every version of the original."""

    def __init__(self, language: str) -> None:
        self.language = language

    def _at(self, path: str) -> str:
        return in_language(self.language, path)

    def start(self) -> str:
        return self._at(start())

    def document(self, slug: str) -> str:
        return self._at(document(slug))

    def version(self, slug: str, key: str) -> str:
        return self._at(version(slug, key))

    def archive(self, slug: str) -> str:
        return self._at(archive(slug))

    def compare(self, slug: str) -> str:
        return self._at(compare(slug))

    def history(self, slug: str) -> str:
        return history(slug)  # clause history is the original's

    def search(self) -> str:
        return search()

    def draft(self, slug: str) -> str:
        return draft(slug)

    def diff(self, slug: str, a: str, b: str, view: str = "inline") -> str:
        return self._at(diff(slug, a, b, view))

    def feed(self, slug: str | None = None) -> str:
        return self._at(feed(slug))

    def notice(self, slug: str, key: str) -> str:
        return notice(slug, key)  # notices are the original's

    def text(self, slug: str, key: str) -> str:
        return self._at(text(slug, key))


def file_of(path: str) -> str:
    """The file a page path is written to."""
    return path + "index.html" if path == "" or path.endswith("/") else path


def _folder_of(from_path: str) -> str:
    """The folder (``a/b/``, or ``""``) of the address a page at ``from_path`` is read from."""
    return from_path if from_path.endswith("/") or from_path == "" else \
        posixpath.dirname(from_path) + "/"


def folders_of(from_path: str) -> list[str]:
    """The folders of the address a page at ``from_path`` is read from."""
    return [p for p in _folder_of(from_path).split("/") if p]


@lru_cache(maxsize=1 << 16)
def relative(from_path: str, to_path: str) -> str:
    """A link from the page at ``from_path`` to ``to_path`` (both site-relative).

    What ``posixpath.relpath`` gives, computed on the path segments (a page has a few
    dozen links, the same ones at the same depth: relpath, which makes both paths absolute
    and normalises them, took a quarter of the time pages took to render)."""
    from_dir = _folder_of(from_path)
    fragment = ""
    if "#" in to_path:
        to_path, fragment = to_path.split("#", 1)
        fragment = "#" + fragment
    if to_path == from_dir:
        rel = "."
    else:
        here = folders_of(from_path)
        there = [p for p in to_path.split("/") if p]
        if any(p in (".", "..") for p in (*here, *there)):  # not a path this site makes
            rel = posixpath.relpath("/" + to_path, "/" + from_dir)
        else:
            common = 0
            for a, b in zip(here, there):
                if a != b:
                    break
                common += 1
            rel = "/".join([".."] * (len(here) - common) + there[common:]) or "."
    if to_path.endswith("/") or to_path == "":
        rel = rel.rstrip("/") + "/"
    return rel + fragment


def absolute(base_url: str, path: str) -> str:
    return base_url + path


_RELATIVE = re.compile(r'(\s(?:href|src)=")(?![A-Za-z][A-Za-z0-9+.-]*:|/|#)([^"]+)"')


def resolve(base: str, href: str) -> str | None:
    """A relative link of a text read from the site path ``base``: the site path it names
    (query and fragment kept); None for a link that is not relative or leaves the site."""
    if not href or re.match(r"[A-Za-z][A-Za-z0-9+.-]*:|/|#", href):
        return None
    path, sep, rest = _cut(href)
    joined = posixpath.normpath(posixpath.join("/" + base, path))
    if not joined.startswith("/") or joined.startswith("/.."):
        return None
    joined = joined.lstrip("/")
    if joined and (path.endswith("/") or posixpath.basename(path) in ("", ".", "..")):
        joined += "/"
    return joined + sep + rest


def _cut(href: str) -> tuple[str, str, str]:
    m = re.search(r"[?#]", href)
    if not m:
        return href, "", ""
    return href[: m.start()], href[m.start()], href[m.start() + 1 :]


def page_path(target: str) -> str:
    """The page a resolved link target names (without query and fragment)."""
    return re.split(r"[?#]", target, maxsplit=1)[0]


def rebase_links(html: str, base: str, here: str) -> str:
    """``html`` written for the site path ``base`` (a version's text, read from its
    document's address), with its relative links made to work from the page at ``here``."""
    if ' href="' not in html and ' src="' not in html:
        return html

    def fix(m: re.Match[str]) -> str:
        target = resolve(base, unescape(m.group(2)))
        if target is None:
            return m.group(0)
        return f'{m.group(1)}{escape(relative(here, target))}"'

    return _RELATIVE.sub(fix, html)
