"""The allow-list for raw HTML found in policy Markdown (nh3, the Ammonia sanitiser).

Only real markup is markup: a name in angle brackets that is on the allow-list, dropped with
its content, or a (lower-case) HTML element name. Anything else (``<Data Protection
Officer>``, ``<EU Representative>``, ``<Your Name>``) is the text it reads as.

Real policy files carry a little markup: ``<br>`` in table cells and address blocks,
``<a id>`` anchors, emphasis, sometimes ``<span>``/``<div>`` wrappers. That passes. Anything
active (scripts, event handlers, script URLs, frames, styles, forms, embedded objects) and
every comment is dropped. Script and style contents are dropped with their tags; for other
disallowed tags only the tag goes and the text stays visible.
"""

from __future__ import annotations

import re
from html import escape
from html.parser import HTMLParser
from typing import NamedTuple

import nh3

from ..foundation.spans import VOID
from .markup import attrs_html

_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)")

ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "div", "dl",
        "dt", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "ins", "kbd", "li", "mark",
        "ol", "p", "pre", "q", "rp", "rt", "ruby", "s", "samp", "small", "span", "strong",
        "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul",
        "wbr",
    }
)
ALLOWED_ATTRIBUTES = {
    "*": {"id", "lang", "title"},
    "a": {"href", "name"},
    "abbr": {"title"},
    "ol": {"start", "type"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "time": {"datetime"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
DROP_WITH_CONTENT = frozenset({"script", "style", "template", "noscript", "iframe", "object"})
#: Other HTML (and embedded SVG/MathML) element names: markup that the sanitiser removes.
HTML_ELEMENTS = frozenset("""
address area article aside audio base bdi bdo big body button canvas center cite col
colgroup data datalist details dfn dialog embed fieldset figcaption figure font footer form
frame frameset head header hgroup html img input label legend link main map math menu meta
meter nav nobr output param picture progress rb rtc search section select slot source strike
summary svg textarea title track tt var video mglyph mtext mi mo mn ms annotation-xml
foreignobject desc image marquee blink plaintext xmp listing noembed noframes
""".split())


def is_markup(name: str) -> bool:
    """Whether ``<name …>`` in a policy text is HTML (kept or sanitised) rather than text."""
    low = name.lower()
    if low in ALLOWED_TAGS or low in DROP_WITH_CONTENT:
        return True
    return name == low and low in HTML_ELEMENTS


#: Allowed elements that a paragraph or a heading cannot hold: in one, the browser would
#: end the paragraph there and read the rest as something else than the sanitiser did.
BLOCK_TAGS = frozenset({
    "blockquote", "caption", "dd", "div", "dl", "dt", "h1", "h2", "h3", "h4", "h5", "h6",
    "hr", "li", "ol", "p", "pre", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
})


#: The deepest raw HTML that is sanitised as markup. A browser's parser nests no deeper
#: (Blink stops at 512); the sanitiser's time grows with the square of the depth.
MAX_DEPTH = 512
#: Elements that need no end tag (one ends where the next begins, or at its parent's end).
_SELF_ENDING = VOID | {"p", "li", "dt", "dd", "tr", "td", "th", "thead", "tbody", "tfoot",
                       "caption", "colgroup", "col", "rt", "rp", "option", "optgroup",
                       "html", "head", "body", "area", "base", "embed", "input", "link",
                       "meta", "source", "track", "param"}


def too_deep(html: str) -> bool:
    """Whether ``html`` may open elements more than :data:`MAX_DEPTH` deep (an upper bound:
    end tags that a browser implies are not counted)."""
    if html.count("<") <= MAX_DEPTH:
        return False
    depth = 0
    for m in _TAG.finditer(html):
        if m.group(2).lower() in _SELF_ENDING:
            continue
        depth = max(depth - 1, 0) if m.group(1) else depth + 1
        if depth > MAX_DEPTH:
            return True
    return False


def sanitize(html: str, phrasing: bool = False) -> str:
    """Return ``html`` with only allow-listed markup; comments and active content removed.
    ``phrasing``: for the inside of a paragraph or heading, block elements removed too
    (their text stays). HTML nested deeper than :data:`MAX_DEPTH` is its text alone."""
    if too_deep(html):
        return text_of(html)
    # No rel is added: ``target`` is not allowed, so links cannot open a window that could
    # reach back (and nh3's rel on an ``<a id>`` anchor would be invalid HTML).
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS - BLOCK_TAGS if phrasing else ALLOWED_TAGS),
        clean_content_tags=set(DROP_WITH_CONTENT),
        attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        strip_comments=True,
        link_rel=None,
    )




def removed_markup(raw: str, phrasing: bool = False) -> list[str]:
    """The names of the elements in ``raw`` that the sanitiser removes (each once, in order
    of appearance; attributes it drops are not reported); ``phrasing``: as :func:`sanitize`."""
    kept = ALLOWED_TAGS - BLOCK_TAGS if phrasing else ALLOWED_TAGS
    out: dict[str, None] = {}
    for m in _TAG.finditer(raw):
        low = m.group(2).lower()
        if is_markup(m.group(2)) and low not in kept:
            out[low] = None
    return list(out)


class _Text(HTMLParser):
    """The text of HTML, escaped: no markup, no comment, nothing of a script or style."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.dropping = ""  # the element whose content goes with it, while inside one

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if not self.dropping and tag in DROP_WITH_CONTENT:
            self.dropping = tag

    def handle_endtag(self, tag: str) -> None:
        if tag == self.dropping:
            self.dropping = ""

    def handle_data(self, data: str) -> None:
        if not self.dropping:
            self.out.append(escape(data, quote=False))


def text_of(html: str) -> str:
    """The text of ``html`` as HTML without any markup (what a too deep fragment shows)."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    return "".join(parser.out)


class TableRow(NamedTuple):
    """A row of a raw-HTML table: each cell's opening tag and inner HTML."""

    cells: tuple[tuple[str, str], ...]  # (tag with attributes, inner html)
    header: bool


class _TableSplitter(HTMLParser):
    """Cuts sanitised HTML into top-level pieces, and tables into rows."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pieces: list[str | TableRow] = []
        self.buf: list[str] = []
        self.depth = 0  # elements open outside any table
        self.table = 0  # tables open
        self.section = ""
        self.row: list[tuple[str, list[str]]] | None = None
        self.cell: list[str] | None = None

    def _emit(self, html: str) -> None:
        if self.cell is not None:
            self.cell.append(html)
        elif self.table == 0:
            self.buf.append(html)
            if self.depth == 0:
                self._flush()

    def _flush(self) -> None:
        piece = "".join(self.buf)
        self.buf.clear()
        if piece.strip():
            self.pieces.append(piece)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        opening = f"<{tag}{attrs_html(attrs)}>"
        if tag == "table" and self.cell is None:
            if self.table == 0:
                self._flush_open()
            self.table += 1
            return
        if self.table and self.cell is None:
            if tag in ("thead", "tbody", "tfoot"):
                self.section = tag
            elif tag == "tr":
                self.row = []
            elif tag in ("td", "th") and self.row is not None:
                self.cell = []
                self.row.append((opening, self.cell))
            elif tag == "caption":
                self.cell = []
                self.row = [("caption", self.cell)]
            return
        self._emit(opening)
        if tag not in VOID and self.table == 0 and self.cell is None:
            self.depth += 1

    def _flush_open(self) -> None:
        if self.depth == 0:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if self.table and (tag in ("td", "th") and self.cell is not None
                           and self.row and self.row[-1][0] != "caption"):
            self.cell = None
            return
        if self.table and tag == "caption" and self.row and self.row[0][0] == "caption":
            self.pieces.append("<p>" + "".join(self.row[0][1]) + "</p>")
            self.cell, self.row = None, None
            return
        if self.table and self.cell is None:
            if tag == "tr" and self.row is not None:
                cells = tuple((o, "".join(c)) for o, c in self.row)
                header = self.section == "thead" or bool(cells) and all(
                    o.startswith("<th") for o, _ in cells)
                self.pieces.append(TableRow(cells, header))
                self.row = None
            elif tag in ("thead", "tbody", "tfoot"):
                self.section = ""
            elif tag == "table":
                self.table -= 1
            return
        if tag in VOID:
            return
        if self.table == 0 and self.cell is None:
            self.depth = max(self.depth - 1, 0)
        self._emit(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        if self.table and self.cell is None:
            return  # white space between table parts
        self._emit(escape(data, quote=False))


def split_tables(html: str) -> list[str | TableRow] | None:
    """Sanitised HTML holding a table, cut into its pieces (HTML outside tables, and one
    :class:`TableRow` per row); None when it holds no table."""
    if "<table" not in html:
        return None
    splitter = _TableSplitter()
    splitter.feed(html)
    splitter.close()
    splitter._flush()
    return splitter.pieces

