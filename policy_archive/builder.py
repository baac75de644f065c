"""The build, top to bottom: load, render, diff, decide the pages, render them, write.

Nothing here reads the clock: the build date arrives as ``as_of``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup

from . import hosting, notices, urls, views
from .diff import DocumentDiff, diff_blocks
from .errors import ContentError, Problem
from .i18n import period
from .load import load_archive
from .model import Archive, Document, RenderedText, Version
from .output import (
    environment,
    remove_stale_temporaries,
    render_pages,
    static_assets,
    write_site,
)
from .pages import DocumentView, Page, VersionView, diff_pairs, site_pages, version_views
from .provenance import GitHistory, check_lock, git_history, read_lock, rewrite_warnings
from .render import render_markdown

Warn = Callable[[Problem], None]


@dataclass(frozen=True)
class Plan:
    archive: Archive
    files: dict[str, bytes]
    pages: int


def _render_all(archive: Archive) -> dict[tuple[str, str], RenderedText]:
    out = {}
    for doc in archive.documents:
        for v in doc.versions:
            out[(doc.slug, v.key)] = render_markdown(v.body)
    for d in archive.drafts:
        out[(d.slug, "draft")] = render_markdown(d.body)
    return out


def _small_html(markdown: str) -> str:
    return render_markdown(markdown).html if markdown.strip() else ""


def _diff_pages(archive: Archive, doc: DocumentView, a: VersionView, b: VersionView,
                diff: DocumentDiff, *, draft: bool = False) -> list[Page]:
    lang = archive.site.language
    ja = lang == "ja"
    slug = doc.slug
    bkey = "draft" if draft else b.key
    base_path = urls.draft(slug) + "diff/" if draft else urls.diff(slug, a.key, bkey)
    paths = {"inline": base_path, "side-by-side": base_path + "side-by-side/",
             "table": base_path + "table/"}
    titles = {"inline": "見え消し（赤字）" if ja else "Redline",
              "side-by-side": "左右比較" if ja else "Side by side",
              "table": "新旧対照表" if ja else "Comparison table (新旧対照表)"}
    old_label = (f"旧：{period(a.effective, a.effective_to, lang)}" if ja
                 else f"Old: {period(a.effective, a.effective_to, lang)}")
    new_label = ("新：ドラフト" if ja else "New: draft") if draft else (
        f"新：{period(b.effective, b.effective_to, lang)}" if ja
        else f"New: {period(b.effective, b.effective_to, lang)}")
    bodies = {
        "inline": lambda: views.inline_html(diff, lang),
        "side-by-side": lambda: views.side_by_side_html(diff, lang, old_label, new_label),
        "table": lambda: views.amendment_table_html(diff, lang,
                                                    archive.site.comparison_columns),
    }
    summary = views.summary_html(diff, lang)
    view_links = [(name, titles[name], paths[name]) for name in urls.DIFF_VIEWS]
    pages = []
    for name in urls.DIFF_VIEWS:
        heading = (f"{doc.title}：{a.key} → {'ドラフト' if draft else b.key}（{titles[name]}）"
                   if ja else f"{doc.title}: {a.key} → {'draft' if draft else b.key} "
                              f"({titles[name]})")
        pages.append(Page(paths[name], "diff.html", {
            "doc": doc, "a": a, "b": b, "view": name, "view_title": titles[name],
            "page_title": heading, "page_heading": heading, "views": view_links,
            "summary": Markup(summary), "body": Markup(bodies[name]()), "draft": draft,
            "noindex": draft or name != "inline",
        }))
    return pages


def plan_site(root: Path, as_of: dt.date, *, drafts: bool = False,
              warn: Warn | None = None) -> Plan:
    """Everything the site will hold, in memory; raises ContentError on bad input."""
    archive = load_archive(root, as_of, drafts=drafts, warn=warn)
    sources = {(d.slug, v.key): v.source for d in archive.documents for v in d.versions}
    history: GitHistory = git_history(root, sources.values())
    for w in rewrite_warnings(archive, history):
        if warn:
            warn(w)
    lock_problems = check_lock(archive, read_lock(root))
    if lock_problems:
        raise ContentError(lock_problems)

    rendered = _render_all(archive)
    text_html = {(d.slug, v.key): (_small_html(v.summary), _small_html(v.note))
                 for d in archive.documents for v in d.versions}
    limit = archive.site.compare_all_pairs_up_to
    pairs = {d.slug: diff_pairs(d, limit) for d in archive.documents}
    commits = {src: history.last.get(src) for src in sources.values()}
    docs = [DocumentView(d.slug, d.title,
                         version_views(d, rendered, text_html, commits, pairs[d.slug]))
            for d in archive.documents]

    pages = site_pages(archive, docs, pairs, commits, sources)
    for d, doc in zip(archive.documents, docs):
        by_key = {v.key: v for v in doc.versions}
        for a_key, b_key in pairs[d.slug]:
            diff = diff_blocks(rendered[(d.slug, a_key)].blocks, rendered[(d.slug, b_key)].blocks)
            pages += _diff_pages(archive, doc, by_key[a_key], by_key[b_key], diff)
        for v in doc.versions:
            src = d.version(v.key)
            assert src is not None
            pages.append(Page(urls.notice(d.slug, v.key), None,
                              text=notices.notice_text(archive.site, doc, v, src.summary)))
        pages += _draft_pages(archive, d, doc, rendered)
        pages.append(Page(urls.feed(d.slug), None, text=notices.feed_xml(
            archive.site, docs, d.slug, {k: s for k, (s, _) in text_html.items()})))
    pages.append(Page(urls.feed(), None, text=notices.feed_xml(
        archive.site, docs, None, {k: s for k, (s, _) in text_html.items()})))
    pages += _host_pages(archive, pages)

    env = environment(root)
    assets = static_assets(root)
    common = {"site": archive.site, "documents": docs, "as_of": archive.as_of,
              "in_git": history.in_git}
    files = render_pages(pages, env, common, assets)
    return Plan(archive, files, len(pages))


def _draft_pages(archive: Archive, d: Document, doc: DocumentView,
                 rendered: dict[tuple[str, str], RenderedText]) -> list[Page]:
    draft = next((x for x in archive.drafts if x.slug == d.slug), None)
    current = doc.current or (doc.versions[-1] if doc.versions else None)
    if draft is None or current is None:
        return []
    r = rendered[(d.slug, "draft")]
    view = _draft_view(draft, r, current, _small_html(draft.summary), _small_html(draft.note))
    diff = diff_blocks(rendered[(d.slug, current.key)].blocks, r.blocks)
    pages = [Page(urls.draft(d.slug), "version.html", {
        "doc": doc, "v": view, "is_draft": True, "noindex": True,
        "page_title": f"{draft.title}（ドラフト）" if archive.site.language == "ja"
        else f"{draft.title} (draft)"})]
    pages += _diff_pages(archive, doc, current, view, diff, draft=True)
    return pages


def _draft_view(draft: Version, r: RenderedText, current: VersionView, summary_html: str,
                note_html: str) -> VersionView:
    return VersionView(
        key="draft", slug=draft.slug, title=draft.title, effective=draft.effective,
        effective_to=None, announced=draft.announced, status="upcoming",
        summary_html=Markup(summary_html), note_html=Markup(note_html), errata=(),
        sha256=draft.sha256, html=Markup(r.html), headings=r.headings, commit=None, previous=current,
        diff_from_previous=urls.draft(draft.slug) + "diff/",
        diff_with_current=urls.draft(draft.slug) + "diff/",
    )


def _host_pages(archive: Archive, pages: list[Page]) -> list[Page]:
    indexable = [p.path for p in pages
                 if p.template and not p.context.get("noindex")]
    return [
        Page("sitemap.xml", None, text=hosting.sitemap_xml(archive.site, indexable)),
        Page("robots.txt", None, text=hosting.robots_txt(archive.site)),
        Page("_headers", None, text=hosting.headers_file(archive.site)),
        Page(".nojekyll", None, text=""),
        Page("404.html", "404.html", {"page_title": "404", "noindex": True,
                                      "link_base": "", "absolute_links": True}),
    ]


@dataclass(frozen=True)
class BuildResult:
    pages: int
    files: int
    written: int


def build(root: Path, out: Path, as_of: dt.date, *, drafts: bool = False,
          warn: Warn | None = None) -> BuildResult:
    remove_stale_temporaries(out)
    plan = plan_site(root, as_of, drafts=drafts, warn=warn)
    written = write_site(out, plan.files)
    return BuildResult(plan.pages, len(plan.files), written)
