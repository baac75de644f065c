"""A version's headings marked with the day their section last changed, linked to the diff.

The ``data-last-changed`` attribute is a contract (scripts and readers rely on it); the
visible mark beside it is decoration, hidden from assistive technology.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from html import escape

from ..diff.history import Change, Section
from ..foundation import i18n, urls

_HEADING = re.compile(r'<(h[1-6])( id="([^"]*)")?([^>]*)>')


def change_link(slug: str, change: Change) -> str | None:
    """Where the diff shows a section's change (a site path), if it changed after the first
    version."""
    if change.previous is None:
        return None
    anchor = f"#change-{change.change_number}" if change.change_number else ""
    return urls.diff(slug, change.previous, change.key) + anchor


def last_changed_html(html: str, slug: str, notices: Mapping[str, str],
                      sections: Sequence[Section], language: str) -> str:
    """A version's HTML with every heading marked ``data-last-changed`` (the contract) and
    showing the day, linked to the diff (decoration: hidden from assistive technology, which
    gets the same from the contents list, linked by ``aria-describedby``; ``notices``: each
    version's change notice by key, its title). Links are written from the document's
    address, as the text's own are (:func:`.urls.rebase_links`)."""
    if not sections:
        return html
    by_anchor = {s.anchor: s for s in sections}
    t = i18n.Translator(language)
    home = urls.document(slug)
    out: list[str] = []
    pos = 0
    current = sections[0].changes[-1]
    for m in _HEADING.finditer(html):
        section = by_anchor.get(m.group(3) or "")
        if section is not None:
            current = section.changes[-1]
        close = html.find(f"</{m.group(1)}>", m.end())
        if close < 0:
            continue
        day = current.key
        attrs = f'{m.group(2) or ""} data-last-changed="{day}"{m.group(4)}'
        if section is not None and len(sections) > 2 and section.level > 1:  # in the contents
            attrs += f' aria-describedby="lc-{escape(section.anchor)}"'
        out.append(html[pos:m.start()] + f"<{m.group(1)}{attrs}>" + html[m.end():close])
        if section is not None:
            out.append(_changed_mark(slug, current, notices.get(day, ""), t, home))
        pos = close
    out.append(html[pos:])
    return "".join(out)


def _changed_mark(slug: str, change: Change, notice: str, t: i18n.Translator,
                  home: str) -> str:
    day = i18n.long_date(dt.date.fromisoformat(change.key), t.language)
    link = change_link(slug, change)
    words = escape(t("section_amended" if link else "section_since", date=day))
    title = f' title="{escape(notice.strip())}"' if notice.strip() else ""
    if link is None:
        return f' <span class="last-changed" aria-hidden="true">{words}</span>'
    return (f' <a class="last-changed" href="{escape(urls.relative(home, link))}"'
            f' aria-hidden="true" tabindex="-1"{title}>{words}</a>')
