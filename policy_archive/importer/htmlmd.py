"""HTML (from a Word file or a saved web page) to the Markdown of a version, for ``import``.

markdownify does the conversion (MIT-licensed, on BeautifulSoup; html2text, the other
choice, is GPL and has no option to read a first table row as its header). Before it runs,
footnotes become Markdown footnotes (``[^1]``) and images are taken out and named in the
report: a version's text holds no images of its own. Imported lazily by the importers.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from bs4 import BeautifulSoup, Tag


class Converted(NamedTuple):
    markdown: str
    left_out: tuple[str, ...]  # what the text does not hold, for the report


_MARK = "FOOTNOTEREF{}X"  # letters and digits only: markdownify escapes nothing in it


def soup(html: str) -> BeautifulSoup:
    from bs4 import BeautifulSoup

    return BeautifulSoup(html, "lxml")


def _footnotes(root: Tag) -> list[tuple[str, str]]:
    """Footnote references replaced by markers; the notes (marker number, HTML) taken out.
    Knows mammoth's shape (``<a href="#footnote-1">`` to ``<li id="footnote-1">``) and the
    common ``#fn1`` / ``#fnref1`` one of saved pages."""
    notes: list[tuple[str, str]] = []
    links: dict[str, list[Tag]] = {}
    for a in root.find_all("a", href=True):  # one pass: a page may hold many notes
        links.setdefault(str(a["href"]), []).append(a)
    for li in list(root.select('li[id^="footnote-"], li[id^="fn"]')):
        refs = links.pop(f"#{li.get('id', '')}", [])
        if not refs:
            continue
        n = str(len(notes) + 1)
        for a in refs:
            (a.parent if a.parent is not None and a.parent.name == "sup" else a).replace_with(
                _MARK.format(n))
        for back in li.select('a[href^="#footnote-ref"], a[href^="#fnref"]'):
            back.decompose()
        notes.append((n, li.decode_contents()))
        parent = li.parent
        li.decompose()
        if parent is not None and not parent.find("li"):
            parent.decompose()
    return notes


def _images(root: Tag) -> list[str]:
    named = []
    for i, img in enumerate(root.find_all("img"), 1):
        src = str(img.get("src", ""))
        kind = src[5:src.find(";")] if src.startswith("data:") else src or "no source"
        alt = str(img.get("alt", "")).strip()
        named.append(f"image {i} ({kind}{', alt text ' + repr(alt) if alt else ''}) "
                     "not imported: a version's text holds no images; add it by hand")
        if alt:
            img.replace_with(alt)
        else:
            img.decompose()
    return named


def _markdownify(html: str) -> str:
    from markdownify import markdownify

    text = markdownify(html, heading_style="ATX", bullets="-", table_infer_header=True,
                       escape_misc=False, strip=["span", "div", "section", "article", "main"])
    return str(text)


def to_markdown(html: str) -> Converted:
    """The Markdown of ``html``, and what it left out (named, for the report)."""
    root = soup(html)
    notes = _footnotes(root)
    left_out = _images(root)
    body = _markdownify(str(root))
    for n, note in notes:
        body = body.replace(_MARK.format(n), f"[^{n}]")
    body = re.sub(r"\n{3,}", "\n\n", body).strip() + "\n"
    if notes:
        body += "\n" + "".join(f"[^{n}]: {' '.join(_markdownify(note).split())}\n"
                               for n, note in notes)
    return Converted(body, tuple(left_out))


def text_of(html: str) -> str:
    """The words a reader sees in ``html`` (no scripts, no styles), for the every-word check."""
    root = soup(html)
    for el in root.find_all(["script", "style", "template", "noscript"]):
        el.decompose()
    return str(root.get_text("\n"))  # a line per element: date lines start lines
