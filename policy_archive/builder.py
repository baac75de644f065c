"""The build, top to bottom: load, render, diff, decide the pages, render them, write.

Nothing here reads the clock: the build date arrives as ``as_of``.

Fast, without changing a byte of the output (bench/README.md has the figures):

* the git history is read in a child process while the texts are rendered and diffed;
* rendered texts, diffs and their views, and compiled templates come from the on-disk cache
  (:mod:`.cache`) when their inputs did not change; what is missing is computed across cores
  (:mod:`.parallel`), each diff together with its three pages, which the process that
  computed it renders and writes (only their paths come back);
* when no input changed since the last build into the same output folder (the files under
  ``content/``, ``versions/`` and the templates, the program, the git history; the build
  date only if it left the period between two days on which a version was announced, took
  effect or was corrected, see :attr:`.model.Archive.updated`) and the folder still holds
  exactly what that build wrote, nothing is done;
* markdown-it-py, Jinja2, PyYAML and the diff engine are imported only when something is
  built (the history is read by plain ``git`` processes; GitPython only publishes);
* while another process renders Markdown, this one prepares the templates; while it computes
  diffs and renders their pages, this one renders the pages that need no diff; the garbage
  collector is paused meanwhile.
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import os
import pickle
import sys
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from markupsafe import Markup

from . import parallel, urls
from .cache import Cache, default_folder, digest
from .errors import ContentError, Problem
from .i18n import period
from .model import Archive, Document, RenderedText, SiteConfig, Version
from .output import (PARALLEL_PAGES, Sink, SiteWriter, compile_templates, environment,
                     folder_state, remove_stale_temporaries, template_dirs)
from .pages import DocumentView, Page, VersionView, diff_pairs, site_pages, version_views
from .progress import Progress
from .provenance import GitHistory, check_lock, git_history, read_lock, rewrite_warnings

if TYPE_CHECKING:
    import jinja2

Warn = Callable[[Problem], None]
#: Work is shared out across cores only from this much of it (below, starting processes
#: costs more than it saves; see bench/README.md): characters of Markdown in chunks not
#: seen in an earlier text; for the diffs with their pages, characters of HTML of the two
#: sides of the diffs to compute, or :data:`.output.PARALLEL_PAGES` pages in all (the
#: sample's 21 diffs, 177 K, and 89 pages: whole builds 0.355 s shared out against 0.45 s
#: in one process, alternating, 16 each).
PARALLEL_MARKDOWN_CHARS = 100_000
PARALLEL_DIFF_CHARS = 500_000
#: With more than two processes, texts and diffs are shared out in this many runs of
#: neighbours per process (two take them from the two ends; see :func:`.parallel.map_items`).
#: Since results stream back as they are done, smaller runs balance the processes better at
#: the end: 4 against 2, whole two-process builds alternating, 15 each: en 0.79 against
#: 0.84 s and 0.98 against 0.98 s, ja 2.03 against 2.11 s; 8: en 0.82 s.
RUNS_PER_JOB = 4


class Plan(NamedTuple):
    archive: Archive
    files: list[str]  # output paths (the bytes went to the sink as they were rendered)
    pages: int
    texts: tuple[int, int] = (0, 0)  # (rendered anew, in all)
    diffs: tuple[int, int] = (0, 0)  # (computed anew, in all)


class DiffViews(NamedTuple):
    """The presentations of one diff, as HTML."""

    summary: str
    inline: str
    side_by_side: str
    table: str


class DiffJob(NamedTuple):
    """A diff to show: the SHA-256 of the older and the newer text, and the column labels."""

    a: str
    b: str
    old_label: str
    new_label: str


def plan_site(root: Path, as_of: dt.date, *, drafts: bool = False, warn: Warn | None = None,
              cache: Cache | None = None, jobs: int = 1, progress: Progress | None = None,
              history: parallel.Deferred[GitHistory] | None = None,
              env: jinja2.Environment | None = None,
              sink: Callable[[str, bytes], None] | None = None,
              writer: SiteWriter | None = None) -> Plan:
    """Everything the site will hold, in memory; raises ContentError on bad input.

    ``history``: the git history, when it is being read in another process; ``env``: the
    templates, when they are being compiled into the cache in another process; ``sink``:
    given each file as it is rendered, never before the last process is forked."""
    from .load import load_archive
    from .output import check_templates, page_renderer, static_assets

    cache = cache or Cache(None)
    computed_before = (cache.stats["markdown computed"], cache.stats["views computed"])
    progress = progress or Progress()
    if history is None:
        history = parallel.background(git_history, root, version_files(root), fork=False)
    archive = load_archive(root, as_of, drafts=drafts, warn=warn)
    lock_problems = check_lock(archive, read_lock(root))
    if lock_problems:
        raise ContentError(lock_problems)

    texts = _markdown_texts(archive)
    limit = archive.site.compare_all_pairs_up_to
    pairs = {d.slug: diff_pairs(d, limit) for d in archive.documents}

    def before_diffs() -> None:
        """Done here while other processes render Markdown (or before it)."""
        nonlocal env
        if any(pairs.values()) or archive.drafts:
            _diff_engine()
        env = env or environment(root, cache)
        compile_templates(env, reverse=False)  # loaded now rather than before the pages

    rendered = _render_all(texts, cache, jobs, progress, side=before_diffs)
    assert env is not None
    comparisons = _comparisons(archive, pairs)

    # What every page needs, before the work is shared out: the children render pages too.
    git = history.result()
    for w in rewrite_warnings(archive, git):
        if warn:
            warn(w)
    text_html = {(d.slug, v.key): (_small_html(v.summary, rendered),
                                   _small_html(v.note, rendered))
                 for d in archive.documents for v in d.versions}
    sources = {(d.slug, v.key): v.source for d in archive.documents for v in d.versions}
    commits = {src: git.last.get(src) for src in sources.values()}
    docs = [DocumentView(d.slug, d.title, version_views(d, _by_key(d, rendered), text_html,
                                                        commits, pairs[d.slug]))
            for d in archive.documents]
    drafts_shown = _drafts_shown(archive, docs, rendered)
    pages = site_pages(archive, docs, pairs, commits, sources)
    for doc in docs:
        if doc.slug in drafts_shown:
            pages.append(_draft_page(archive, doc, drafts_shown[doc.slug][1]))
    indexable = [p.path for p in pages if p.template and not p.context.get("noindex")]
    indexable += [urls.diff(slug, a, b) for slug, a, b in comparisons if b != "draft"]
    assets = static_assets(root)
    common = {"site": archive.site, "documents": docs, "as_of": archive.as_of,
              "updated": archive.updated, "in_git": git.in_git}
    render = page_renderer(env, common, assets)
    check_templates(env, [*(p.template for p in pages if p.template), "diff.html", "404.html"])
    if warn:
        from .lint import archive_warnings, site_paths

        for w in archive_warnings(archive, rendered,
                                  site_paths(archive, (p.path for p in pages), comparisons)):
            warn(w)
    by_slug = {doc.slug: doc for doc in docs}

    def diff_pages(key: tuple[str, str, str], views: DiffViews) -> list[Page]:
        slug, a, b = key
        doc = by_slug[slug]
        if b == "draft":
            current, draft = drafts_shown[slug]
            return _diff_pages(archive, doc, current, draft, views, draft=True)
        by_key = {v.key: v for v in doc.versions}
        return _diff_pages(archive, doc, by_key[a], by_key[b], views)

    def other_pages() -> list[Page]:
        """The pages that need no diff (rendered here while other processes diff)."""
        from . import notices

        summaries = {k: s for k, (s, _) in text_html.items()}
        out = list(pages)
        for d, doc in zip(archive.documents, docs):
            for v in doc.versions:
                src = d.version(v.key)
                assert src is not None
                out.append(Page(urls.notice(d.slug, v.key), None,
                                text=notices.notice_text(archive.site, doc, v, src.summary)))
            out.append(Page(urls.feed(d.slug), None,
                            text=notices.feed_xml(archive.site, docs, d.slug, summaries)))
        out.append(Page(urls.feed(), None,
                        text=notices.feed_xml(archive.site, docs, None, summaries)))
        return out + _host_pages(archive, indexable)

    files, page_count, computed = _diffs_and_pages(
        comparisons, rendered, archive.site, cache, jobs, progress, render=render,
        diff_pages=diff_pages, other_pages=other_pages, other_count=len(pages), sink=sink,
        writer=writer)
    for name, (path, data) in assets.items():
        files.append(path)
        if sink is not None:
            sink(path, data)
    return Plan(archive, files, page_count,
                texts=(cache.stats["markdown computed"] - computed_before[0], len(texts)),
                diffs=(computed, len(set(comparisons.values()))))


# --- render: every Markdown text once, by its hash ---------------------------------------


def _markdown_texts(archive: Archive) -> dict[str, str]:
    """Every Markdown text of the site (bodies, drafts, change notices, notes) by SHA-256."""
    texts: dict[str, str] = {}
    for v in [*(v for d in archive.documents for v in d.versions), *archive.drafts]:
        texts[v.sha256] = v.body
        for small in (v.summary, v.note):
            if small.strip():
                texts[_sha(small)] = small
    return texts


def _render_all(texts: Mapping[str, str], cache: Cache, jobs: int, progress: Progress, *,
                side: Callable[[], object] | None = None) -> dict[str, RenderedText]:
    """Every text rendered (or taken from the cache). In the order of the archive, so that
    a process renders neighbouring versions, which share most chunks (:mod:`.render`); the
    work is shared out by the characters in chunks not seen in an earlier text. ``side()``:
    see :meth:`.cache.Cache.map`."""
    shas = list(texts)

    def worth_sharing(todo: Sequence[int]) -> bool:
        """Whether the missing texts hold PARALLEL_MARKDOWN_CHARS in chunks not seen in an
        earlier text (read in order, and only as far as needed to tell)."""
        from .render import chunks

        missing, seen, new = set(todo), set(), 0
        for i, s in enumerate(shas):
            for _, part in chunks(texts[s]):
                if part not in seen:
                    seen.add(part)
                    new += len(part) if i in missing else 0
            if new >= PARALLEL_MARKDOWN_CHARS:
                return True
        return False

    def compute(i: int) -> RenderedText:
        from .render import render_markdown

        return render_markdown(texts[shas[i]])

    values = cache.map("markdown", [cache.key("markdown", s) for s in shas], compute,
                       jobs=jobs, tick=progress.stage("texts", len(shas)),
                       worth_sharing=worth_sharing,
                       cost=lambda i: len(texts[shas[i]]), prepare=_markdown_engine,
                       runs_per_job=RUNS_PER_JOB, side=side)
    if jobs > 1 and "policy_archive.render" in sys.modules:
        sys.modules["policy_archive.render"].forget_parsed()  # not copied into the forks
    return dict(zip(shas, values))


def _markdown_engine() -> None:
    """Import markdown-it-py and nh3 (before the work is shared out, so once)."""
    from . import render  # noqa: F401


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _small_html(markdown: str, rendered: Mapping[str, RenderedText]) -> str:
    return rendered[_sha(markdown)].html if markdown.strip() else ""


def _by_key(doc: Document, rendered: Mapping[str, RenderedText]) -> dict[tuple[str, str],
                                                                         RenderedText]:
    return {(doc.slug, v.key): rendered[v.sha256] for v in doc.versions}


# --- diff: each pair once, by the hashes of its texts -------------------------------------


def _draft_of(archive: Archive, doc: Document) -> tuple[Version, Version] | None:
    """(the version a document's draft is compared with, the draft), if it has one."""
    draft = next((x for x in archive.drafts if x.slug == doc.slug), None)
    base = doc.current or (doc.versions[-1] if doc.versions else None)
    return (base, draft) if draft is not None and base is not None else None


def _comparisons(archive: Archive, pairs: Mapping[str, Sequence[tuple[str, str]]]
                 ) -> dict[tuple[str, str, str], DiffJob]:
    """(slug, older key, newer key or "draft") -> the diff shown for it."""
    out = {}
    for d in archive.documents:
        by_key = {v.key: v for v in d.versions}
        for a, b in pairs[d.slug]:
            out[(d.slug, a, b)] = _diff_job(archive.site, by_key[a], by_key[b])
        with_draft = _draft_of(archive, d)
        if with_draft is not None:
            base, draft = with_draft
            out[(d.slug, base.key, "draft")] = _diff_job(archive.site, base, draft, draft=True)
    return out


def _diff_job(site: SiteConfig, a: Version, b: Version, *, draft: bool = False) -> DiffJob:
    lang = site.language
    ja = lang == "ja"
    old_label = (f"旧：{period(a.effective, a.effective_to, lang)}" if ja
                 else f"Old: {period(a.effective, a.effective_to, lang)}")
    new_label = ("新：ドラフト" if ja else "New: draft") if draft else (
        f"新：{period(b.effective, b.effective_to, lang)}" if ja
        else f"New: {period(b.effective, b.effective_to, lang)}")
    return DiffJob(a.sha256, b.sha256, old_label, new_label)


def _diff_engine() -> None:
    """Import the diff engine and the views (before the work is shared out, so once)."""
    from . import diff, views  # noqa: F401


def _unlike(job: DiffJob, rendered: Mapping[str, RenderedText]) -> int:
    """How much work a diff is, roughly: the blocks found in only one of the two texts
    (two distant versions take far longer to compare than two consecutive ones)."""
    a = {b.text for b in rendered[job.a].blocks}
    b = {b.text for b in rendered[job.b].blocks}
    return len(a ^ b)


def _views(job: DiffJob, rendered: Mapping[str, RenderedText], site: SiteConfig) -> DiffViews:
    from . import views
    from .diff import diff_blocks

    lang = site.language
    diff = diff_blocks(rendered[job.a].blocks, rendered[job.b].blocks)
    return DiffViews(
        summary=views.summary_html(diff, lang),
        inline=views.inline_html(diff, lang),
        side_by_side=views.side_by_side_html(diff, lang, job.old_label, job.new_label),
        table=views.amendment_table_html(diff, lang, site.comparison_columns),
    )


def _diffs_and_pages(comparisons: Mapping[tuple[str, str, str], DiffJob],
                     rendered: Mapping[str, RenderedText], site: SiteConfig, cache: Cache,
                     jobs: int, progress: Progress, *, render: Callable[[Page], bytes],
                     diff_pages: Callable[[tuple[str, str, str], DiffViews], list[Page]],
                     other_pages: Callable[[], list[Page]], other_count: int,
                     sink: Sink | None, writer: SiteWriter | None = None
                     ) -> tuple[list[str], int, int]:
    """Each diff once (by the hashes of its texts; its views from the cache, or computed and
    stored), and the pages showing it rendered by the same process, which writes them itself
    when ``writer`` is given (else they come back for ``sink``); meanwhile this process renders
    ``other_pages()`` (about ``other_count`` of them). Returns the files' paths, the number of
    pages and the number of diffs computed."""
    diff_jobs = list(dict.fromkeys(comparisons.values()))
    shown_by: dict[DiffJob, list[tuple[str, str, str]]] = {}
    for key, job in comparisons.items():
        shown_by.setdefault(job, []).append(key)
    keys = [cache.key("views", j.a, j.b, site.language, site.comparison_columns, j.old_label,
                      j.new_label) for j in diff_jobs]
    known: list[DiffViews | None] = [cache.get("views", k) for k in keys]
    missing = [i for i, v in enumerate(known) if v is None]
    keep = cache.enabled

    here = os.getpid()

    def make(i: int) -> tuple[tuple[bytes, bytes] | None, list[tuple[str, bytes | bool]]]:
        """(the views pickled for the cache with their SHA-256, if they were computed; the
        files, or, in another process, the paths it wrote with whether it wrote them)."""
        views, payload = known[i], None
        if views is None:
            views = _views(diff_jobs[i], rendered, site)
            if keep:
                data = pickle.dumps(views, protocol=pickle.HIGHEST_PROTOCOL)
                payload = (data, hashlib.sha256(data).digest())
        files = [(urls.file_of(page.path), render(page))
                 for key in shown_by[diff_jobs[i]] for page in diff_pages(key, views)]
        if writer is None or os.getpid() == here:
            return payload, list(files)
        return payload, [(path, writer.write_here(path, data)) for path, data in files]

    files: list[str] = []
    count = len(urls.DIFF_VIEWS) * len(comparisons)
    tick = progress.stage("pages", len(diff_jobs))  # a diff with its pages counts one

    def give(path: str, data: bytes) -> None:
        files.append(path)
        if sink is not None:
            sink(path, data)

    def taken(i: int, result: tuple[tuple[bytes, bytes] | None,
                                    list[tuple[str, bytes | bool]]]) -> None:
        payload, made = result
        if payload:
            cache.put_bytes("views", keys[i], *payload)
        for path, data in made:
            if isinstance(data, bytes):
                give(path, data)
            else:
                assert writer is not None
                writer.adopt(path, data)
                files.append(path)
        made.clear()  # the bytes are the writer's now: not kept with the map's results

    def side() -> Iterator[None]:
        nonlocal count
        others = other_pages()
        count += len(others)
        progress.grow(len(others))
        for page in others:
            give(urls.file_of(page.path), render(page))
            tick(1)
            yield

    def cost(i: int) -> float:
        job = diff_jobs[i]
        pages = (len(rendered[job.a].html) + len(rendered[job.b].html)) / 2_000
        return pages + (_unlike(job, rendered) if known[i] is None else 0)

    work = sum(len(rendered[diff_jobs[i].a].html) + len(rendered[diff_jobs[i].b].html)
               for i in missing)
    shared = work >= PARALLEL_DIFF_CHARS or count + other_count >= PARALLEL_PAGES
    if missing:
        _diff_engine()
    if writer is not None and shared:
        writer.open_for_others()
    parallel.map_items(make, range(len(diff_jobs)), jobs=jobs if shared else 1, tick=tick,
                       cost=cost, runs_per_job=RUNS_PER_JOB, on_result=taken, side=side)
    cache.stats["views computed"] += len(missing)
    return files, count, len(missing)


# --- pages -------------------------------------------------------------------------------


def _diff_pages(archive: Archive, doc: DocumentView, a: VersionView, b: VersionView,
                diff: DiffViews, *, draft: bool = False) -> list[Page]:
    ja = archive.site.language == "ja"
    slug = doc.slug
    bkey = "draft" if draft else b.key
    base_path = urls.draft(slug) + "diff/" if draft else urls.diff(slug, a.key, bkey)
    paths = {"inline": base_path, "side-by-side": base_path + "side-by-side/",
             "table": base_path + "table/"}
    titles = {"inline": "見え消し（赤字）" if ja else "Redline",
              "side-by-side": "左右比較" if ja else "Side by side",
              "table": "新旧対照表" if ja else "Comparison table (新旧対照表)"}
    bodies = {"inline": diff.inline, "side-by-side": diff.side_by_side, "table": diff.table}
    view_links = [(name, titles[name], paths[name]) for name in urls.DIFF_VIEWS]
    pages = []
    for name in urls.DIFF_VIEWS:
        heading = (f"{doc.title}：{a.key} → {'ドラフト' if draft else b.key}（{titles[name]}）"
                   if ja else f"{doc.title}: {a.key} → {'draft' if draft else b.key} "
                              f"({titles[name]})")
        pages.append(Page(paths[name], "diff.html", {
            "doc": doc, "a": a, "b": b, "view": name, "view_title": titles[name],
            "page_title": heading, "page_heading": heading, "views": view_links,
            "summary": Markup(diff.summary), "body": Markup(bodies[name]), "draft": draft,
            "noindex": draft or name != "inline",
        }))
    return pages


def _drafts_shown(archive: Archive, docs: Sequence[DocumentView],
                  rendered: Mapping[str, RenderedText]
                  ) -> dict[str, tuple[VersionView, VersionView]]:
    """slug -> (the version the draft is compared with, the draft as a version)."""
    shown = {}
    for d, doc in zip(archive.documents, docs):
        with_draft = _draft_of(archive, d)
        if with_draft is not None:
            base, draft = with_draft
            current = next(v for v in doc.versions if v.key == base.key)
            shown[doc.slug] = (current, _draft_view(draft, rendered[draft.sha256], current,
                                                    _small_html(draft.summary, rendered),
                                                    _small_html(draft.note, rendered)))
    return shown


def _draft_page(archive: Archive, doc: DocumentView, view: VersionView) -> Page:
    return Page(urls.draft(doc.slug), "version.html", {
        "doc": doc, "v": view, "is_draft": True, "noindex": True,
        "page_title": f"{view.title}（ドラフト）" if archive.site.language == "ja"
        else f"{view.title} (draft)"})


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


def _host_pages(archive: Archive, indexable: Sequence[str]) -> list[Page]:
    from . import hosting

    return [
        Page("sitemap.xml", None, text=hosting.sitemap_xml(archive.site, indexable)),
        Page("robots.txt", None, text=hosting.robots_txt(archive.site)),
        Page("_headers", None, text=hosting.headers_file(archive.site)),
        Page(".nojekyll", None, text=""),
        Page("404.html", "404.html", {"page_title": "404", "noindex": True,
                                      "link_base": "", "absolute_links": True}),
    ]


# --- the whole build ---------------------------------------------------------------------


def preload() -> None:
    """Import every stage now: a long-running process (``serve``) pays for it once, up front,
    and not on the first rebuild (a build with nothing to do imports none of them)."""
    from . import hosting, load, notices, output, render, views  # noqa: F401
    from .diff import diff_blocks  # noqa: F401
    import jinja2  # noqa: F401
    import json, queue, shutil, subprocess, tempfile  # noqa: F401, E401 - writing, git


class BuildResult(NamedTuple):
    pages: int
    files: int
    written: int
    texts: tuple[int, int] = (0, 0)  # Markdown texts (rendered anew, in all)
    diffs: tuple[int, int] = (0, 0)  # diffs (computed anew, in all)
    up_to_date: bool = False  # nothing had changed: nothing was done


class _Stamp(NamedTuple):
    """What the last build into an output folder read, wrote and said."""

    inputs: str
    #: The build dates that give the same site: from the last day a version was announced,
    #: took effect or was corrected, up to (not including) the next (None: no bound).
    period: tuple[dt.date | None, dt.date | None]
    history: str
    output: dict[str, tuple[int, ...]]
    result: BuildResult
    warnings: tuple[Problem, ...]


def version_files(root: Path) -> list[str]:
    """``versions/<slug>/*.md`` relative to ``root``: the files whose history is read."""
    folder = root / "versions"
    if not folder.is_dir():
        return []
    return sorted(p.relative_to(root).as_posix() for p in folder.glob("*/*.md"))


def _inputs(root: Path, drafts: bool) -> str:
    """A hash of everything a build reads, except the build date and the git history."""
    parts: list[str | bytes] = [str(drafts)]
    folders = [root / "content", root / "versions", *template_dirs(root)]
    for n, folder in enumerate(folders):
        for base, dirs, names in os.walk(folder):
            dirs.sort()
            for name in sorted(names):
                path = os.path.join(base, name)
                parts.append(f"{n}:{os.path.relpath(path, folder)}")
                try:
                    with open(path, "rb") as f:
                        parts.append(hashlib.sha256(f.read()).digest())
                except OSError:
                    parts.append(b"unreadable")
    return digest(*parts)


def _within(day: dt.date, period: tuple[dt.date | None, dt.date | None]) -> bool:
    first, after = period
    return (first is None or first <= day) and (after is None or day < after)


def _history_digest(history: GitHistory) -> str:
    return digest(repr(sorted(history.last.items())), repr(sorted(history.modified.items())),
                  str(history.in_git))


#: The cyclic garbage collector is paused while a site is built: what a build makes holds
#: no reference cycles worth collecting (the Japanese benchmark archive peaks at 160 MB
#: either way), and its full collections took ~20 ms of an English build (~3 % in
#: alternating runs). Reference counting still frees everything as usual.
PAUSE_GC = True


def build(root: Path, out: Path, as_of: dt.date, *, drafts: bool = False,
          warn: Warn | None = None, cache: Cache | None = None, jobs: int | None = None,
          progress: Progress | None = None) -> BuildResult:
    """Build the site into ``out``, atomically; do nothing when nothing changed.

    ``cache``: the build cache (default ``<root>/.cache/policy_archive``; ``Cache(None)`` for
    none). ``jobs``: processes to use (default: one per core; 1 in a threaded program).
    """
    collecting = gc.isenabled()
    if PAUSE_GC:
        gc.disable()
    try:
        return _build(root, out, as_of, drafts=drafts, warn=warn, cache=cache, jobs=jobs,
                      progress=progress)
    finally:
        if collecting:
            gc.enable()


def _build(root: Path, out: Path, as_of: dt.date, *, drafts: bool, warn: Warn | None,
           cache: Cache | None, jobs: int | None, progress: Progress | None) -> BuildResult:
    out = out.resolve()
    cache = Cache(default_folder(root)) if cache is None else cache
    progress = progress or Progress()
    jobs = parallel.jobs_for(jobs)
    remove_stale_temporaries(out)
    history = parallel.background(git_history, root, version_files(root), fork=jobs > 1)
    background: list[parallel.Deferred[Any]] = [history]
    try:
        stamp_key = cache.key("stamp", str(out))
        inputs = _inputs(root, drafts)
        last = cache.get("stamp", stamp_key)
        if (isinstance(last, _Stamp) and last.inputs == inputs and _within(as_of, last.period)
                and last.output == folder_state(out)
                and last.history == _history_digest(history.result())):
            for w in last.warnings:
                if warn:
                    warn(w)
            return last.result._replace(written=0, up_to_date=True)

        warnings: list[Problem] = []

        def collect(problem: Problem) -> None:
            warnings.append(problem)
            if warn:
                warn(problem)

        env = None
        if jobs > 1 and cache.enabled and len(template_dirs(root)) > 1:
            # The project's own templates are compiled on another core meanwhile (the
            # built-in ones are compiled once per installation).
            env = environment(root, cache)
            background.append(parallel.background(compile_templates, env))
        # Files are written by a thread as the pages are rendered, and the cache by others
        # (the rendered texts from the first page on, once no process will be forked any
        # more; the diffs' views, which come with their pages, after the last); the files
        # are swapped in at once.
        writer = SiteWriter(out)
        saving: list[threading.Thread] = []

        def save(*kinds: str) -> None:
            saving.append(threading.Thread(target=cache.save, args=(kinds,),
                                           name="cache-writer"))
            saving[-1].start()

        def sink(rel: str, data: bytes) -> None:
            if not saving:
                save("markdown")
            writer.add(rel, data)

        try:
            try:
                plan = plan_site(root, as_of, drafts=drafts, warn=collect, cache=cache,
                                 jobs=jobs, progress=progress, history=history, env=env,
                                 sink=sink, writer=writer)
                if not saving:
                    save("markdown")
                save(*(k for k in Cache.PACKED if k != "markdown"))
                written = writer.finish()
            except BaseException:
                writer.abort()
                raise
            progress.stage("writing", len(plan.files))(len(plan.files))
            for work in background:
                work.result()
            result = BuildResult(plan.pages, len(plan.files), written, plan.texts, plan.diffs)
            period = (plan.archive.updated, plan.archive.next_update)
            stamp = _Stamp(inputs, period, _history_digest(history.result()), folder_state(out),
                           result, tuple(warnings))
            cache.put("stamp", stamp_key, stamp)  # while the packs may still be written
            return result
        finally:
            for thread in saving:
                thread.join()
    finally:
        for work in background:
            work.cancel()
        progress.close()
