"""Where every page lives, and links between pages that work from any sub-path.

Paths are site-relative and end in ``/`` for pages (written as ``index.html``). Links are
made relative to the linking page, so the site works under any prefix of ``base_url`` and
from the file system.
"""

from __future__ import annotations

import posixpath
from functools import lru_cache

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


def draft(slug: str) -> str:
    return f"{slug}/draft/"


def diff(slug: str, a: str, b: str, view: str = "inline") -> str:
    base = f"{slug}/diff/{a}/{b}/"
    return base if view == "inline" else f"{base}{view}/"


def feed(slug: str | None = None) -> str:
    return f"{slug}/feed.xml" if slug else "feed.xml"


def notice(slug: str, key: str) -> str:
    return f"{slug}/{key}/notice.txt"


def file_of(path: str) -> str:
    """The file a page path is written to."""
    return path + "index.html" if path == "" or path.endswith("/") else path


@lru_cache(maxsize=1 << 16)
def relative(from_path: str, to_path: str) -> str:
    """A link from the page at ``from_path`` to ``to_path`` (both site-relative).

    What ``posixpath.relpath`` gives, computed on the path segments (a page has a few
    dozen links, the same ones at the same depth: relpath, which makes both paths absolute
    and normalises them, took a quarter of the time pages took to render)."""
    from_dir = from_path if from_path.endswith("/") or from_path == "" else \
        posixpath.dirname(from_path) + "/"
    fragment = ""
    if "#" in to_path:
        to_path, fragment = to_path.split("#", 1)
        fragment = "#" + fragment
    if to_path == from_dir:
        rel = "."
    else:
        here = [p for p in from_dir.split("/") if p]
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
