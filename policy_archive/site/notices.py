"""Change notices: Atom feeds (RFC 4287) and the mail-ready ``notice.txt`` of each version.

Each entry carries the SHA-256 of its version's text, the hash chain value at that version
and the address of the text (:data:`INTEGRITY` elements). Entry ids are tag URIs made of the site's host, the version's effective date and its path:
they never change between builds or build dates. ``updated`` is the announced date. Feeds
are built with ElementTree, so they are well-formed whatever a summary holds (characters XML
cannot carry are dropped).
"""

from __future__ import annotations

import datetime as dt
import re
from html import escape
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from urllib.parse import urlsplit

from ..foundation import i18n, urls
from ..foundation.model import SiteConfig
from .models import DocumentView, VersionView

ATOM = "http://www.w3.org/2005/Atom"
#: Extension elements of an entry: the SHA-256 of the version's text and the hash chain value
#: at that version (:mod:`.integrity`), so a kept feed can prove a later rewrite.
INTEGRITY = "tag:policy-archive,2026:integrity"
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: str) -> str:
    return _NOT_XML.sub("", text)


def _host(site: SiteConfig) -> str:
    return urlsplit(site.base_url).hostname or "policy-archive.invalid"


def entry_id(site: SiteConfig, v: VersionView, paths: urls.Paths = urls) -> str:
    return f"tag:{_host(site)},{v.key}:{paths.version(v.slug, v.key).rstrip('/')}"


def _stamp(date: object) -> str:
    return f"{date}T00:00:00Z"


def _entry_title(language: str, doc: DocumentView, v: VersionView) -> str:
    return i18n.Translator(language)(
        "feed_entry_title", title=doc.title, date=i18n.long_date(v.effective, language))


def feed_xml(site: SiteConfig, docs: Sequence[DocumentView], slug: str | None,
             summary_html: Mapping[tuple[str, str], str], *, language: str | None = None,
             paths: urls.Paths = urls) -> str:
    """The Atom feed of one document (``slug``) or of all documents (``None``); in a
    translation ``language`` (its ``paths``), an untranslated version's entry says so and
    links the original."""
    lang = language or site.language
    t = i18n.Translator(lang)
    ET.register_namespace("", ATOM)
    ET.register_namespace("pa", INTEGRITY)
    feed = ET.Element(f"{{{ATOM}}}feed", {"xml:lang": lang})
    chosen = [d for d in docs if slug is None or d.slug == slug]
    entries = sorted(((v.announced or v.effective, v.effective, d, v) for d in chosen for v in d.versions),
                     key=lambda x: (x[0], x[1], x[2].slug), reverse=True)
    first = min((v.effective for d in chosen for v in d.versions), default=None)
    title = site.title if slug is None else f"{chosen[0].title} | {site.title}"
    ET.SubElement(feed, f"{{{ATOM}}}id").text = (
        f"tag:{_host(site)},{first}:{paths.feed(slug).removesuffix('feed.xml')}"
        f"{'' if slug else 'all/'}feed")
    ET.SubElement(feed, f"{{{ATOM}}}title").text = _clean(title)
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = _stamp(entries[0][0] if entries else first)
    ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "self", "type": "application/atom+xml",
                                            "href": site.base_url + paths.feed(slug)})
    ET.SubElement(feed, f"{{{ATOM}}}link", {
        "rel": "alternate", "type": "text/html",
        "href": site.base_url + (paths.document(slug) if slug else paths.start())})
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    ET.SubElement(author, f"{{{ATOM}}}name").text = _clean(site.organization or site.title)
    ET.SubElement(feed, f"{{{ATOM}}}generator").text = "policy_archive"
    for announced, _, d, v in entries:
        _add_entry(feed, site, t, paths, d, v, announced,
                   summary_html.get((d.slug, v.key), ""))
    ET.indent(feed)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"


def _add_entry(feed: ET.Element, site: SiteConfig, t: i18n.Translator, paths: urls.Paths,
               d: DocumentView, v: VersionView, announced: dt.date, summary: str) -> None:
    """One version's entry: its page (in a translation language, the original too where
    translated), its diff, the record's hashes, and its change notice (``summary``)."""
    lang = t.language
    e = ET.SubElement(feed, f"{{{ATOM}}}entry")
    ET.SubElement(e, f"{{{ATOM}}}id").text = entry_id(site, v, paths)
    ET.SubElement(e, f"{{{ATOM}}}title").text = _clean(_entry_title(lang, d, v))
    ET.SubElement(e, f"{{{ATOM}}}updated").text = _stamp(announced)
    ET.SubElement(e, f"{{{ATOM}}}published").text = _stamp(announced)
    original = v.translation.original_path if v.translation else None
    present = v.translation is None or v.translation.present
    page = paths.version(d.slug, v.key) if present else str(original)
    link = {"rel": "alternate", "type": "text/html", "href": site.base_url + page}
    if v.translation is not None:  # in a translation language: say which language
        link["hreflang"] = lang if present else v.translation.original
    ET.SubElement(e, f"{{{ATOM}}}link", link)
    if v.translation is not None and present:
        ET.SubElement(e, f"{{{ATOM}}}link", {"rel": "alternate", "type": "text/html",
                                             "hreflang": v.translation.original,
                                             "href": site.base_url + str(original)})
    if v.diff_from_previous:
        ET.SubElement(e, f"{{{ATOM}}}link", {"rel": "related", "type": "text/html",
                                             "title": "diff",
                                             "href": site.base_url + v.diff_from_previous})
    if v.translation is None:  # the record's hashes: in the original's feeds
        ET.SubElement(e, f"{{{INTEGRITY}}}sha256").text = v.sha256
        ET.SubElement(e, f"{{{INTEGRITY}}}chain").text = v.chain
        ET.SubElement(e, f"{{{INTEGRITY}}}text",
                      {"href": site.base_url + urls.text(d.slug, v.key)})
    effective = i18n.long_date(v.effective, lang)
    lead = f"<p>{t('effective_from', date=effective)}</p>"
    if v.amended_by:
        lead += f"<p>{escape(t('amended_by_line', instrument=v.amended_by))}</p>"
    body = summary or f"<p>{t('first_version')}</p>"
    if not present and v.translation is not None:
        name = i18n.language_name(v.translation.original, lang)
        body = (f"<p>{escape(t('untranslated'))}</p><p><a href=\"{escape(site.base_url)}"
                f"{escape(v.translation.original_path)}\">"
                f"{escape(t('read_original', original=name))}</a></p>")
    content = ET.SubElement(e, f"{{{ATOM}}}content", {"type": "html"})
    content.text = _clean(lead + body)


def notice_text(site: SiteConfig, doc: DocumentView, v: VersionView, summary: str) -> str:
    """A plain-text notice to paste into a mail: what changes, when, where to read it."""
    lang = site.language
    t = i18n.Translator(lang)
    eff = i18n.long_date(v.effective, lang)
    prev = v.previous
    lines = [t("notice_heading" if prev else "notice_heading_first", title=doc.title)]
    if site.organization:
        lines.append(site.organization)
    lines.append("")
    verb = t("notice_verb_upcoming" if v.status == "upcoming" else "notice_verb_current")
    if prev and v.announced:
        lines.append(t("notice_revised", title=doc.title, date=eff, verb=verb,
                       announced=i18n.long_date(v.announced, lang)))
    elif prev:
        lines.append(t("notice_revised_unannounced", title=doc.title, date=eff, verb=verb))
    else:
        lines.append(t("notice_first", title=doc.title, date=eff))
    if v.amended_by:
        lines.append(f"{t('amended_by')}: {v.amended_by}" if lang != "ja"
                     else f"{t('amended_by')}：{v.amended_by}")
    lines += ["", t("notice_changes"), summary.strip() or t("notice_no_summary"), ""]
    lines.append(t("notice_new_text", date=eff, url=site.base_url + urls.version(doc.slug, v.key)))
    if prev:
        lines.append(t("notice_old_text", url=site.base_url + urls.version(doc.slug, prev)))
    if v.diff_from_previous:
        lines.append(t("notice_diff", url=site.base_url + v.diff_from_previous))
    lines.append(t("notice_all", url=site.base_url + urls.archive(doc.slug)))
    if site.contact:
        lines += ["", t("notice_contact", contact=site.contact)]
    return "\n".join(lines) + "\n"
