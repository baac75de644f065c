"""``import html FILE|file:///… --slug SLUG [--select CSS]``: versions a company once
published, saved as web pages, with the site's navigation around the policy.

The policy is the element ``--select`` names (a CSS selector, soupsieve), else the page's
``<main>``, ``<article>`` or ``[role=main]``: the navigation, header and footer around it
are left out and the report says which element was taken. It is dated like a Word file:
``--effective``, else a date line in the policy, else the page's title, else the file name.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urljoin, urlparse

from ..foundation.errors import ContentError, UsageError
from .dates import effective_line_date, parse_date
from .plan import Imported, words

if TYPE_CHECKING:
    from bs4 import Tag

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


def page_address(root: Tag, given: str | None) -> str:
    """The address the page was published at: ``--base-url``, else its ``<base href>``, its
    canonical link or its ``og:url``; "" when the page does not say."""
    if given:
        return given
    for selector, attr in (("base[href]", "href"), ("link[rel~=canonical][href]", "href"),
                           ('meta[property="og:url"][content]', "content")):
        el = root.select_one(selector)
        if el is not None and str(el[attr]).startswith(("http://", "https://")):
            return str(el[attr])
    return ""


def absolute_links(policy: Tag, address: str) -> list[str]:
    """Relative links of the policy made absolute against the page's address (a version's
    relative links would name pages of this site); the report's line on them."""
    relative = [a for a in policy.find_all("a", href=True)
                if not re.match(r"^(?:[a-z][a-z0-9+.-]*:|#|//)", str(a["href"]), re.I)]
    if not relative:
        return []
    if not address:
        return [f"{len(relative)} relative links kept as they are (check warns about them): "
                "give --base-url, the page's address, to make them absolute"]
    for a in relative:
        a["href"] = urljoin(address, str(a["href"]))
    return [f"{len(relative)} relative links made absolute against {address}"]


def select_policy(root: Tag, select: str | None, shown: str) -> tuple[Tag, str]:
    """The policy element, and the selector that found it."""
    for selector in ((select,) if select else DEFAULT_SELECTORS):
        try:
            hits = root.select(selector)
        except Exception as e:  # soupsieve's SelectorSyntaxError
            raise UsageError(f"--select {selector!r}: {e}") from None
        if len(hits) > 1:
            raise ContentError.single(shown, 1, f"{len(hits)} elements match {selector!r}: "
                                                "give --select naming the policy alone")
        if hits:
            return hits[0], selector
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


def import_html(given: str, select: str | None, effective: dt.date | None,
                base_url: str | None = None) -> Imported:
    from .htmlmd import soup, text_of, to_markdown

    path = local_path(given)
    root = soup(_read(path))
    title = root.title.get_text(" ", strip=True) if root.title else ""
    element, selector = select_policy(root, select, str(path))
    links = absolute_links(element, page_address(root, base_url))
    policy = element.decode_contents()
    text = text_of(policy)
    converted = to_markdown(policy)
    date, said = date_of(text, title, path, effective)
    details = (f"the policy is the element {selector!r}; the rest of the page is left out",
               f"dated by {said}", *links, *converted.left_out)
    return Imported(date=date, body=converted.markdown, source=str(path),
                    source_words=words(text), summary=f"Draft (edit): imported from "
                                                      f"{path.name}", details=details)
