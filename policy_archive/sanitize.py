"""The allow-list for raw HTML found in policy Markdown (nh3, the Ammonia sanitiser).

Real policy files carry a little markup: ``<br>`` in table cells and address blocks,
``<a id>`` anchors, emphasis, sometimes ``<span>``/``<div>`` wrappers. That passes. Anything
active (scripts, event handlers, script URLs, frames, styles, forms, embedded objects) and
every comment is dropped. Script and style contents are dropped with their tags; for other
disallowed tags only the tag goes and the text stays visible.
"""

from __future__ import annotations

from html.parser import HTMLParser

import nh3

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


def sanitize(html: str) -> str:
    """Return ``html`` with only allow-listed markup; comments and active content removed."""
    # No rel is added: ``target`` is not allowed, so links cannot open a window that could
    # reach back (and nh3's rel on an ``<a id>`` anchor would be invalid HTML).
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(DROP_WITH_CONTENT),
        attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        strip_comments=True,
        link_rel=None,
    )


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def visible_text(html: str) -> str:
    """The text a reader sees in sanitised ``html``: tags dropped, entities decoded."""
    collector = _TextCollector()
    collector.feed(html)
    collector.close()
    return "".join(collector.parts)
