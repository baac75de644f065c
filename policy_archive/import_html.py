"""``import html FILE|file:///… --slug SLUG [--select CSS]``: versions a company once
published, saved as web pages, with the site's navigation around the policy.

The policy is the element ``--select`` names (a CSS selector, soupsieve), else the page's
``<main>``, ``<article>`` or ``[role=main]``: the navigation, header and footer around it
are left out and the report says which element was taken. It is dated like a Word file:
``--effective``, else a date line in the policy, else the page's title, else the file name.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from urllib.parse import unquote, urlparse

from .errors import ContentError, UsageError
from .import_dates import effective_line_date, parse_date
from .importing import Imported, words

#: Where a page keeps its main text, tried in this order when no ``--select`` is given.
DEFAULT_SELECTORS = ("main", "article", "[role=main]")


def local_path(given: str) -> Path:
    """A file name, or a ``file://`` address of a local file (nothing is fetched)."""
    if "://" not in given:
        return Path(given)
    url = urlparse(given)
    if url.scheme != "file" or url.netloc not in ("", "localhost"):
        raise UsageError(f"{given}: only saved pages are imported (a file, or a file:// "
                         "address); save the page first")
    return Path(unquote(url.path))


def _read(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as e:
        raise ContentError.single(str(path), 1, f"cannot be read: {e.strerror}") from None
    from bs4 import UnicodeDammit

    return str(UnicodeDammit(data, ["utf-8"]).unicode_markup)


def select_policy(page: str, select: str | None, shown: str) -> tuple[str, str, str]:
    """The policy element's HTML, the selector that found it, and the page's title."""
    from .htmlmd import soup

    root = soup(page)
    title = root.title.get_text(" ", strip=True) if root.title else ""
    for selector in ((select,) if select else DEFAULT_SELECTORS):
        try:
            hits = root.select(selector)
        except Exception as e:  # soupsieve's SelectorSyntaxError
            raise UsageError(f"--select {selector!r}: {e}") from None
        if len(hits) > 1:
            raise ContentError.single(shown, 1, f"{len(hits)} elements match {selector!r}: "
                                                "give --select naming the policy alone")
        if hits:
            return hits[0].decode_contents(), selector, title
    tried = select or ", ".join(DEFAULT_SELECTORS)
    raise ContentError.single(shown, 1, f"no element matches {tried}: give --select with "
                                        "the CSS selector of the policy text")


def date_of(text: str, title: str, path: Path, effective: dt.date | None
            ) -> tuple[dt.date, str]:
    if effective is not None:
        return effective, "--effective"
    line = effective_line_date(text)
    if line is not None:
        return line[0], f"the date line {line[1]!r}"
    for where, said in (("the page's title", title), ("the file name", path.name)):
        date = parse_date(said)
        if date is not None:
            return date, f"{where} {said!r}"
    raise ContentError.single(str(path), 1, "no date in the policy, its title or its name: "
                                            "give --effective YYYY-MM-DD")


def import_html(given: str, select: str | None, effective: dt.date | None) -> Imported:
    from .htmlmd import text_of, to_markdown

    path = local_path(given)
    policy, selector, title = select_policy(_read(path), select, str(path))
    text = text_of(policy)
    converted = to_markdown(policy)
    date, said = date_of(text, title, path, effective)
    details = (f"the policy is the element {selector!r}; the rest of the page is left out",
               f"dated by {said}", *converted.left_out)
    return Imported(date=date, body=converted.markdown, source=str(path),
                    source_words=words(text), summary=f"Draft (edit): imported from "
                                                      f"{path.name}", details=details)
