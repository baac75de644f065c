"""The pages of each translation language: the original's shape under ``/<lang>/``.

For every language of ``site.yaml``'s ``languages`` after the first (the original, which
governs), this decides: the start page, each document's current translation, every version
(a translation, or a page saying it has none and linking the original), the revision
history, the compare page, the diffs between translated versions (labelled as diffs of
translations), the published texts (``text.md``) and the feeds; and, for every page of the
site, its ``hreflang`` alternates and the language switch. View models are those of
:mod:`.models`, built from the translations' texts rendered by the same renderer.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Mapping, Sequence
from typing import Any, NamedTuple

from markupsafe import Markup

from ..content import integrity
from ..content.provenance import GitHistory
from ..diff.result import DocumentDiff
from ..foundation import i18n, urls
from ..foundation.model import (Archive, Document, Heading, RenderedText, SiteConfig,
                                Translation, Version)
from . import notices
from .comparisons import DiffJob, diff_pairs
from .models import (NOINDEX, CompareInfo, DocumentView, Page, TranslationInfo, VersionView,
                     short_html)
from .pagelist import diff_pages

#: (language, slug, older key, newer key): a diff of two translations shown on the site.
TranslatedComparison = tuple[str, str, str, str]


class LanguageSite(NamedTuple):
    """One translation language's documents, as its pages show them."""

    language: str
    docs: tuple[DocumentView, ...]
    #: slug -> the (older, newer) pairs of translated versions with diff pages
    pairs: Mapping[str, Sequence[tuple[str, str]]]
    #: (slug, key) -> the translation of that version
    translations: Mapping[tuple[str, str], Translation]


def translations_in(archive: Archive, language: str) -> dict[tuple[str, str], Translation]:
    return {(t.slug, t.key): t for t in archive.translations if t.language == language}


def translated_pairs(doc: Document, keys: Collection[str], limit: int) -> list[tuple[str, str]]:
    """The pairs of :func:`.comparisons.diff_pairs` among the versions translated (``keys``)."""
    return diff_pairs(doc._replace(versions=tuple(v for v in doc.versions if v.key in keys)),
                      limit)


def _keys(doc: Document, translations: Mapping[tuple[str, str], Translation]) -> set[str]:
    return {v.key for v in doc.versions if (doc.slug, v.key) in translations}


def comparisons(archive: Archive) -> dict[TranslatedComparison, DiffJob]:
    """Every diff of two translations the site shows, with its labels in that language."""
    out = {}
    limit = archive.site.compare_all_pairs_up_to
    for language in archive.site.translation_languages:
        found = translations_in(archive, language)
        for d in archive.documents:
            by_key = {v.key: v for v in d.versions}
            for a, b in translated_pairs(d, _keys(d, found), limit):
                out[(language, d.slug, a, b)] = _diff_job(
                    language, by_key[a], by_key[b], found[(d.slug, a)], found[(d.slug, b)])
    return out


def _diff_job(language: str, a: Version, b: Version, ta: Translation, tb: Translation
              ) -> DiffJob:
    t = i18n.Translator(language)
    return DiffJob(ta.sha256, tb.sha256,
                   t("diff_old", period=i18n.period(a.effective, a.effective_to, language)),
                   t("diff_new", period=i18n.period(b.effective, b.effective_to, language)),
                   language=language)


def notice_wording(site: SiteConfig, language: str) -> str:
    """What a translated page says about the original prevailing: the site's wording for
    ``language``, else the default one."""
    given = dict(site.translation_notice).get(language, "")
    original = i18n.language_name(site.all_languages[0], language)
    return given or i18n.Translator(language)("translation_notice", original=original)


# --- view models ---------------------------------------------------------------------------


def language_sites(archive: Archive, rendered: Mapping[str, RenderedText],
                   diffs: Mapping[tuple[str, str], DocumentDiff],
                   history: GitHistory) -> list[LanguageSite]:
    """Each translation language's documents and pairs (none for a site in one language)."""
    out = []
    limit = archive.site.compare_all_pairs_up_to
    for language in archive.site.translation_languages:
        found = translations_in(archive, language)
        pairs = {d.slug: translated_pairs(d, _keys(d, found), limit) for d in archive.documents}
        docs = tuple(document_view(archive.site, d, language, found, pairs[d.slug], rendered,
                                   diffs, history) for d in archive.documents)
        out.append(LanguageSite(language, docs, pairs, found))
    return out


def _title(doc: Document, found: Mapping[tuple[str, str], Translation]) -> str:
    """A document's title in a language: its current translation's (else the latest
    translation's, else the original's)."""
    chosen = [doc.current] if doc.current is not None else []
    for v in [*chosen, *reversed(doc.versions)]:
        t = found.get((doc.slug, v.key))
        if t is not None:
            return t.title
    return doc.title


def document_view(site: SiteConfig, doc: Document, language: str,
                  found: Mapping[tuple[str, str], Translation],
                  pairs: Sequence[tuple[str, str]], rendered: Mapping[str, RenderedText],
                  diffs: Mapping[tuple[str, str], DocumentDiff],
                  history: GitHistory) -> DocumentView:
    """A document in ``language``: every version, translated or saying it is not."""
    paths = urls.LanguagePaths(language)
    available = set(pairs)
    current = doc.current
    title = _title(doc, found)
    notice = notice_wording(site, language)
    views: list[VersionView] = []
    previous: VersionView | None = None
    for v in doc.versions:
        t = found.get((doc.slug, v.key))
        info = TranslationInfo(language, site.all_languages[0], urls.version(doc.slug, v.key),
                               t.translated if t else None, notice, t is not None)
        base = VersionView(
            key=v.key, slug=doc.slug, title=title, effective=v.effective,
            effective_to=v.effective_to, announced=v.announced, status=v.status,
            summary_html=Markup(""), note_html=Markup(""), errata=(), sha256=v.sha256,
            html=Markup(""), headings=(), commit=None,
            previous=previous.key if previous else None,
            diff_from_previous=None, diff_with_current=None, translation=info)
        if t is None:
            view = base
        else:
            from_prev = change = None
            if previous is not None and (previous.key, v.key) in available:
                from_prev = paths.diff(doc.slug, previous.key, v.key)
                diff = diffs.get((previous.sha256, t.sha256))
                change = diff.change if diff is not None else None
            with_current = None
            if current is not None and current.key != v.key:
                a, b = sorted((v.key, current.key))
                with_current = paths.diff(doc.slug, a, b) if (a, b) in available else None
            r = rendered[t.sha256]
            view = base._replace(
                title=t.title, summary_html=Markup(short_html(rendered, t.summary)),
                note_html=Markup(short_html(rendered, t.note)), sha256=t.sha256, html=Markup(r.html),
                headings=r.headings, commit=history.last.get(t.source),
                diff_from_previous=from_prev, diff_with_current=with_current, change=change)
        views.append(view)
        previous = view
    return DocumentView(doc.slug, title, tuple(views))


def record(archive: Archive, languages: Sequence[LanguageSite]
           ) -> dict[tuple[str, str], dict[str, dict[str, str]]]:
    """``translations`` of each version in ``versions.json``: by language, the page, the
    SHA-256 of the translation's text, where that exact text is published, and the hash
    chain over the document's translations into that language (:mod:`.integrity`)."""
    out: dict[tuple[str, str], dict[str, dict[str, str]]] = {}
    base = archive.site.base_url
    for ls in languages:
        paths = urls.LanguagePaths(ls.language)
        chained = translation_chains(ls.translations)
        for (slug, key), t in sorted(ls.translations.items()):
            out.setdefault((slug, key), {})[ls.language] = {
                "url": urls.absolute(base, paths.version(slug, key)),
                "sha256": t.sha256,
                "text_url": urls.absolute(base, paths.text(slug, key)),
                "chain": chained[(slug, key)],
            }
    return out


def translation_chains(translations: Mapping[tuple[str, str], Translation]
                       ) -> dict[tuple[str, str], str]:
    """The chain value at each translation: over each document's translations into one
    language, oldest first, as over its originals."""
    out: dict[tuple[str, str], str] = {}
    for slug in sorted({s for s, _ in translations}):
        keys = sorted(k for s, k in translations if s == slug)
        values = integrity.chain((k, translations[(slug, k)].sha256) for k in keys)
        out.update(((slug, k), c) for k, c in zip(keys, values, strict=True))
    return out


# --- pages ----------------------------------------------------------------------------------


def language_pages(archive: Archive, languages: Sequence[LanguageSite]) -> list[Page]:
    """Every page of every translation language."""
    jobs = comparisons(archive)
    out: list[Page] = []
    for ls in languages:
        out += _pages(archive, ls, {(s, a, b): job for (lang, s, a, b), job in jobs.items()
                                    if lang == ls.language})
    return out


def _pages(archive: Archive, ls: LanguageSite, jobs: Mapping[tuple[str, str, str], DiffJob]
           ) -> list[Page]:
    site = archive.site
    language = ls.language
    paths = urls.LanguagePaths(language)
    t = i18n.Translator(language)
    common: dict[str, Any] = {"language": language, "documents": ls.docs}
    out = [Page(paths.start(), "start.html", {**common, "docs": ls.docs,
                                              "page_title": site.title})]
    for d in ls.docs:
        compare = CompareInfo(
            pairs={f"{a}/{b}": paths.diff(d.slug, a, b) for a, b in ls.pairs[d.slug]},
            all_pairs=len(d.versions) <= site.compare_all_pairs_up_to)
        base = {**common, "doc": d, "compare": compare}
        for v in d.versions:
            page = _version_page(ls, d, v, base, t)
            out.append(page)
            if v.status == "current" or (d.current is None and v is d.versions[0]):
                out.append(page._replace(path=paths.document(d.slug), context={
                    **page.context, "page_title": v.title,
                    "canonical_path": paths.document(d.slug)}))
            if v.translation is not None and v.translation.present:
                out.append(Page(paths.text(d.slug, v.key), None,
                                text=ls.translations[(d.slug, v.key)].body))
        out.append(Page(paths.archive(d.slug), "archive.html", {**base, "page_title": d.title}))
        out.append(Page(paths.compare(d.slug), "compare.html",
                        {**base, "page_title": d.title}, flags=NOINDEX))
        by_key = {v.key: v for v in d.versions}
        original = i18n.language_name(site.all_languages[0], language)
        for a, b in ls.pairs[d.slug]:
            out += diff_pages(site, d, by_key[a], by_key[b], jobs[(d.slug, a, b)],
                              paths=paths, extra={
                                  **common, "translation_diff": t("translation_diff",
                                                                  original=original)})
    out += feed_pages(site, ls)
    return out


def _version_page(ls: LanguageSite, d: DocumentView, v: VersionView, base: Mapping[str, Any],
                  t: i18n.Translator) -> Page:
    path = urls.LanguagePaths(ls.language).version(d.slug, v.key)
    if v.translation is not None and v.translation.present:
        return Page(path, "version.html", {**base, "v": v, "page_title": t(
            "version_title", title=v.title, key=v.key)})
    return Page(path, "untranslated.html", {**base, "v": v, "page_title": t(
        "untranslated_title", title=v.title, key=v.key)})


def feed_pages(site: SiteConfig, ls: LanguageSite) -> list[Page]:
    """``/<lang>/feed.xml`` and each document's, with entries in that language."""
    paths = urls.LanguagePaths(ls.language)
    summaries = {(d.slug, v.key): str(v.summary_html) for d in ls.docs for v in d.versions}

    def feed(slug: str | None) -> Page:
        return Page(paths.feed(slug), None, text=notices.feed_xml(
            site, ls.docs, slug, summaries, language=ls.language, paths=paths))

    return [*(feed(d.slug) for d in ls.docs), feed(None)]


# --- alternates and the language switch -----------------------------------------------------

_ARTICLE = re.compile(r"^\s*(?:Article|Art\.|Section|§)\s*([0-9]+)\b", re.I)


def _number(h: Heading) -> str:
    m = _ARTICLE.match(h.text)
    return h.number or (m.group(1) if m else "")


def section_map(here: Sequence[Heading], there: Sequence[Heading]) -> dict[str, str]:
    """Each heading's id on one page -> the id of the same section on its page in another
    language (where they differ): by position when both texts have headings at the same
    levels, else by section number (第3条 = Article 3) where that is unambiguous."""
    if [h.level for h in here] == [h.level for h in there]:
        return {a.anchor: b.anchor for a, b in zip(here, there) if a.anchor != b.anchor}

    def numbered(headings: Sequence[Heading]) -> dict[tuple[int, str], str]:
        keys = [(h.level, _number(h)) for h in headings]
        return {k: h.anchor for k, h in zip(keys, headings) if k[1] and keys.count(k) == 1}

    theirs = numbered(there)
    return {anchor: theirs[k] for k, anchor in numbered(here).items()
            if k in theirs and theirs[k] != anchor}


def _headings(page: Page) -> tuple[Heading, ...]:
    v = page.context.get("v")
    return v.headings if isinstance(v, VersionView) and page.template == "version.html" else ()


def with_alternates(pages: Sequence[Page], site: SiteConfig) -> list[Page]:
    """Every HTML page with its ``hreflang`` alternates (the same page in each language
    where it exists, and ``x-default``: the original) and its language switch (to the same
    page, else the nearest page above it that the language has)."""
    original = site.all_languages[0]
    html = {p.path for p in pages if p.template and not p.flags.absolute_links}
    headings = {p.path: _headings(p) for p in pages if p.path in html}

    def split(path: str) -> tuple[str, str]:
        for language in site.translation_languages:
            if path.startswith(language + "/"):
                return language, path[len(language) + 1:]
        return original, path

    def at(language: str, path: str) -> str:
        return path if language == original else urls.in_language(language, path)

    def nearest(language: str, path: str) -> str:
        while path and at(language, path) not in html:
            path = path.rstrip("/").rpartition("/")[0]
            path = path + "/" if path else ""
        return at(language, path)

    out = []
    for p in pages:
        if p.path not in html:
            out.append(p)
            continue
        here, path = split(p.path)
        same = [(code, at(code, path)) for code in site.all_languages if at(code, path) in html]
        alternates = [(code, urls.absolute(site.base_url, target)) for code, target in same]
        if len(same) < 2:
            alternates = []
        elif same[0][0] == original:
            alternates.append(("x-default", alternates[0][1]))
        switch = []
        for code in site.all_languages:
            target = nearest(code, path)
            same_page = target == at(code, path)
            sections = section_map(headings[p.path], headings[target]) if same_page else {}
            switch.append((code, i18n.language_name(code, code), target, same_page,
                           code == here, json.dumps(sections, ensure_ascii=False,
                                                    sort_keys=True) if sections else ""))
        out.append(p._replace(context={**p.context, "alternates": alternates,
                                       "switch": switch}))
    return out
