"""The build, top to bottom: load → lock → render → diff → decide the pages → write.

Each step is a call into the module that owns it; this one only passes values along. What
was computed before comes from the cache (:mod:`.cache`, keyed by content hashes), what is
missing is computed across cores when there is enough of it (:mod:`.workers`), and when no
input changed since the last build into the same output folder, and the folder still holds
what that build wrote, nothing is done; a document whose own inputs did not change is left as
that build wrote it, and not looked at (:mod:`.reuse`). Nothing here reads the clock
(``as_of`` is given).
"""

from __future__ import annotations

import datetime as dt
import pickle
from collections.abc import Callable, Collection, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from ..content.provenance import GitHistory, git_history, rewrite_warnings
from ..content.records import check_records
from ..foundation import urls
from ..foundation.errors import ContentError, Problem
from ..foundation.files import digest, folder_parts, sha256_text
from ..foundation.model import Archive, RenderedText, SiteConfig, Translation, Version
from ..output.staging import folder_state, remove_stale_temporaries
from ..output.templates import template_dirs
from ..runtime import workers
from ..runtime.cache import BlockRefs, Cache, default_folder
from ..runtime.progress import Progress
from . import reuse

if TYPE_CHECKING:
    from ..diff.result import DocumentDiff
    from ..site.comparisons import DiffJob, DiffViews
    from ..site.models import Page, SitePages

Warn = Callable[[Problem], None]
#: Work goes to other processes only from this much of it (below, starting them and passing
#: the results back costs more than it saves; bench/README.md): characters of Markdown in
#: chunks not seen in an earlier text, and characters of HTML on the two sides of the diffs.
PARALLEL_MARKDOWN_CHARS = 400_000
PARALLEL_DIFF_CHARS = 500_000
#: ... and characters of the texts the pages show (a diff page's two texts).
PARALLEL_PAGE_CHARS = 2_000_000
#: Runs of neighbouring items per process: smaller runs balance the processes at the end.
RUNS_PER_JOB = 4


class Plan(NamedTuple):
    archive: Archive
    site: SitePages  # every page, decided (rendered when written), but the skipped documents'
    views: Callable[[DiffJob], DiffViews]  # a diff page's views
    texts: tuple[int, int] = (0, 0)  # (rendered anew, in all)
    diffs: tuple[int, int] = (0, 0)  # (computed anew, in all)
    #: What this build takes from the last one (:func:`.reuse.decide`).
    reuse: reuse.Reuse = reuse.Reuse({})
    #: What a later build may skip of each document (:func:`.reuse.for_next_build`).
    skippable: Mapping[str, reuse.SkippedDocument] = {}


def plan_site(root: Path, as_of: dt.date, *, drafts: bool = False, warn: Warn | None = None,
              cache: Cache | None = None, jobs: int = 1, progress: Progress | None = None,
              history: GitHistory | None = None, last: reuse.LastBuild | None = None) -> Plan:
    """Every page the site will hold, decided (:func:`write_plan` renders and writes them);
    raises ContentError on bad input. ``last``: what the last build into the output left;
    the documents it lets this build skip (:func:`.reuse.decide`) are neither rendered nor
    compared, their pages left out."""
    # the stages, imported here: a build with nothing to do needs none of them
    from ..content import load
    from ..site import comparisons, decide, multilingual
    from ..text import lint

    cache = cache or Cache(None)
    progress = progress or Progress()
    archive = load.load_archive(root, as_of, drafts=drafts, warn=warn)
    lock_problems = check_records(root, archive)  # what publish would refuse
    if lock_problems:
        raise ContentError(lock_problems)
    history = history or git_history(root, version_files(root))
    taken = reuse.decide(archive, reuse.document_inputs(root, archive, history), last)
    skip = frozenset(taken.skipped)
    texts = markdown_texts(archive, skip=skip)
    rendered, texts_new = render_texts(texts, cache, jobs, progress)
    shown = comparisons.comparisons(archive)
    translated = multilingual.comparisons(archive)
    groups = {(j.a, j.b): c[0] for c, j in shown.items()}
    groups.update(((j.a, j.b), c[1]) for c, j in translated.items())
    looked_at = {c: j for c, j in shown.items() if c[0] not in skip}  # the skipped: left out
    computed = diff_texts(list(dict.fromkeys([*looked_at.values(), *translated.values()])),
                          rendered, archive.site,
                          step_pairs(archive, list(translated.values()), skip=skip), cache,
                          jobs, progress, groups)
    diffs = computed.retained
    reason_problems = _reason_problems(archive, diffs)
    if reason_problems:
        raise ContentError(reason_problems)
    for w in rewrite_warnings(archive, history):
        if warn:
            warn(w)
    files_of = {}
    if archive.site.downloads:
        from ..site.downloads import site_downloads

        files_of = site_downloads(archive, diffs, {c: comparisons.table_path(c) for c in looked_at},
                                  cache, progress)
    site = decide.decide(archive, rendered, diffs, shown, history, files_of, taken.views(),
                         taken.paths(indexable=True))
    paths = lint.site_paths(archive, [*(p.path for p in site.pages), *taken.paths()], shown)
    warnings = {d.slug: (taken.skipped[d.slug].warnings if d.slug in skip else
                         tuple(lint.document_warnings(archive, d, rendered, paths)))
                for d in archive.documents}
    for found in warnings.values():
        for w in found:
            if warn:
                warn(w)
    return Plan(archive, site, comparisons.views_source(computed.views), (texts_new, len(texts)),
                (computed.computed, computed.pairs), taken,
                reuse.for_next_build(archive, site, taken, warnings))


def render_plan(root: Path, plan: Plan, cache: Cache | None, warn: Warn | None = None
                ) -> tuple[Callable[[Page], bytes], dict[str, tuple[str, bytes]]]:
    """``(render(page) -> bytes, the static assets)`` for the pages of ``plan``; ``warn``:
    told of a project template's variable no page is given (``check``)."""
    from ..output.templates import site_renderer
    from ..runtime.cache import jinja_bytecode_cache

    return site_renderer(root, jinja_bytecode_cache(cache), plan.site.pages, plan.site.common,
                         plan.views, warn)


def write_plan(root: Path, out: Path, plan: Plan, cache: Cache, jobs: int, progress: Progress
               ) -> tuple[int, int, int]:
    """Render every page and write it, then the assets, and swap the whole in for ``out``
    (:class:`.staging.Staging`), across ``jobs`` processes when the pages show enough text
    (in runs of neighbours, by cost); the files ``plan.reuse`` reuses or links are linked
    from the current output instead. (files, written anew, pages linked so)."""
    from ..output.outfolder import MARKER, MARKER_TEXT
    from ..output.staging import Staging

    render, assets = render_plan(root, plan, cache)
    assets = {**assets, MARKER: (MARKER, MARKER_TEXT)}  # the folder known as a build's
    pages = plan.site.pages
    reused = [urls.file_of(p.path) in plan.reuse.reused for p in pages]
    cost = [1 if r else _page_cost(p) for p, r in zip(pages, reused)]
    sharing = jobs > 1 and sum(cost) >= PARALLEL_PAGE_CHARS
    linked = plan.reuse.linked
    stage = Staging(out)

    def one(i: int) -> tuple[str, str] | None:
        rel = urls.file_of(pages[i].path)
        return stage.link(rel) if reused[i] else stage.put(rel, render(pages[i]))

    try:
        links = workers.map_runs(one, len(pages), jobs=jobs if sharing else 1,
                                 cost=cost.__getitem__, tick=progress.stage("pages", len(pages)),
                                 what="writing pages")
        links += [stage.put(path, data) for path, data in assets.values()]
        links += [stage.link(rel) for rel in linked]
        to_link = [link for link in links if link is not None]
        files = len(pages) + len(assets) + len(linked)
        written = files - len(to_link) + stage.finish(to_link)
    except BaseException:
        stage.discard()
        raise
    return files, written, sum(reused) + len(linked)


def _page_cost(page: Page) -> int:
    """About how much a page costs to write: the texts it shows (a diff page's two)."""
    shown = [page.context.get(k) for k in (("a", "b") if page.diff else ("v",))]
    return 500 + sum(len(getattr(v, "html", "")) for v in shown)


def _reason_problems(archive: Archive, diffs: Mapping[tuple[str, str], DocumentDiff]
                     ) -> list[Problem]:
    """A reason (``reasons:``) that names no section changed since the version before is
    an error at its line: a typo, or a section that did not change."""
    from ..present.rows import changed_sections, unmatched_reasons
    from ..site.comparisons import steps

    amended = {c: p for d in archive.documents for c, p in steps(archive, d).items()}
    # every version against the one before, then the drafts: the order of the problems
    pairs = [p for c, p in sorted(amended.items(), key=lambda item: item[0][2] == "draft")]
    problems = []
    for d in archive.documents:
        if d.versions and d.versions[0].reasons:
            first = d.versions[0]
            problems.append(Problem(first.source, first.reasons[0].line,
                                    "'reasons' explain changes, and this first version has "
                                    "no version before it: remove them"))
    for a, b in pairs:
        diff = diffs.get((a.sha256, b.sha256))
        if not b.reasons or diff is None:
            continue
        names = "、".join(s.title for s in changed_sections(diff) if s.title) or "none"
        for r in unmatched_reasons(diff, b.reasons):
            problems.append(Problem(b.source, r.line,
                                    f"'reasons' names {r.section!r}, but no section of that "
                                    f"heading (or id) changed since {a.key}; the changed "
                                    f"sections are: {names}"))
    return problems


# --- render: every Markdown text once, by its hash ---------------------------------------


class Text(NamedTuple):
    markdown: str
    slug: str  # of its document: the cache keeps each document's texts together


def markdown_texts(archive: Archive, skip: Collection[str] = ()) -> dict[str, Text]:
    """Every Markdown text of the site (bodies, drafts, translations, change notices, notes)
    by SHA-256, in the order of the archive (neighbouring versions share most of their
    text); but those of the documents in ``skip``."""
    texts: dict[str, Text] = {}
    every: list[Version | Translation] = [*(v for d in archive.documents for v in d.versions),
                                         *archive.drafts, *archive.translations]
    for v in every:
        if v.slug in skip:
            continue
        texts.setdefault(v.sha256, Text(v.body, v.slug))
        for small in (v.summary, v.note):
            if small.strip():
                texts.setdefault(sha256_text(small),
                                 Text(small, v.slug))
    return texts


def render_texts(texts: Mapping[str, Text], cache: Cache, jobs: int, progress: Progress
                 ) -> tuple[dict[str, RenderedText], int]:
    """Every text rendered, or taken from the cache; and how many were rendered anew."""
    from ..text import render
    from ..text.chunks import forget_parsed

    rendered = {sha: cache.get("markdown", cache.key("markdown", sha), RenderedText, t.slug)
                for sha, t in texts.items()}
    todo = [sha for sha, r in rendered.items() if r is None]
    tick = progress.stage("texts", len(texts))
    tick(len(texts) - len(todo))
    sharing = jobs > 1 and _new_chars(texts, set(todo)) >= PARALLEL_MARKDOWN_CHARS
    done = workers.map_runs(lambda i: render.render_markdown(texts[todo[i]].markdown),
                            len(todo), jobs=jobs if sharing else 1,
                            cost=lambda i: len(texts[todo[i]].markdown),
                            runs_per_job=RUNS_PER_JOB, tick=tick, what="rendering Markdown")
    for sha, r in zip(todo, done):
        rendered[sha] = r
        cache.put("markdown", cache.key("markdown", sha), r, texts[sha].slug)
    cache.release("markdown")
    if jobs > 1:
        forget_parsed()  # not copied into the processes that compute the diffs
    return {sha: r for sha, r in rendered.items() if r is not None}, len(todo)


def _new_chars(texts: Mapping[str, Text], todo: set[str]) -> int:
    """Characters of the texts in ``todo`` in chunks not seen in an earlier text (read only
    as far as needed to tell whether there are PARALLEL_MARKDOWN_CHARS)."""
    from ..text.chunks import chunks

    seen: set[str] = set()
    new = 0
    for sha, text in texts.items():
        for _, part in chunks(text.markdown):
            if part not in seen:
                seen.add(part)
                new += len(part) if sha in todo else 0
        if new >= PARALLEL_MARKDOWN_CHARS:
            break
    return new


# --- diff: each pair of texts once ------------------------------------------------------


def diff_texts(jobs_shown: Sequence[DiffJob], rendered: Mapping[str, RenderedText],
               site: SiteConfig, retain: set[tuple[str, str]], cache: Cache, jobs: int,
               progress: Progress, groups: Mapping[tuple[str, str], str] | None = None
               ) -> Diffs:
    """Every diff shown: its views, packed (:func:`.comparisons.pack_views`), from the cache or
    computed; and the alignments of the pairs in ``retain`` (what later stages read: each
    version against the one before, drafts, translations), by their texts' SHA-256s. An
    alignment is computed only when a view or a retained pair needs it and the cache has not
    got it. Retained alignments travel and are stored pickled with :class:`.cache.BlockRefs`
    (the others are needed again only for views not stored); the views of a diff are stored
    by everything they show but the column labels, which are filled in when its pages are
    written (:func:`.comparisons.views_source`), so that a version added after a pair's newer
    side leaves its views stored. ``groups``: each pair's document (the cache keeps each
    document's entries together). Longer than most: looking up, computing and storing share
    the lookups' results, which would otherwise be passed between three functions."""
    from ..diff.align import diff_blocks
    from ..diff.result import DocumentDiff
    from ..site.comparisons import pack_views

    refs = BlockRefs(rendered)
    group = (groups or {}).get
    pairs = list(dict.fromkeys((j.a, j.b) for j in jobs_shown))
    stored = {p: cache.get("diff", cache.key("diff", *p), bytes, group(p, "")) for p in pairs}
    diffs = {p: _load_diff(refs, stored[p], DocumentDiff) for p in pairs if p in retain}
    views = {j: cache.get("views", _views_key(cache, site, j), bytes, group((j.a, j.b), ""))
             for j in jobs_shown}
    todo = [j for j in jobs_shown
            if views[j] is None or ((j.a, j.b) in retain and diffs[(j.a, j.b)] is None)]
    new_pairs = {(j.a, j.b) for j in todo if stored[(j.a, j.b)] is None}
    tick = progress.stage("diffs", len(jobs_shown))
    tick(len(jobs_shown) - len(todo))
    cost = [len(rendered[j.a].html) + len(rendered[j.b].html) for j in todo]
    sharing = jobs > 1 and sum(cost) >= PARALLEL_DIFF_CHARS

    def compute(i: int) -> tuple[bytes | None, DocumentDiff | None, bytes]:
        """(the alignment if computed here, pickled when it goes to the cache or to another
        process; the alignment as it is when it stays here and is retained; the views)."""
        job = todo[i]
        pair = (job.a, job.b)
        known = stored[pair]
        diff = diffs.get(pair) or _load_diff(refs, known, DocumentDiff)  # a bad one: a miss
        data = None
        if diff is None:
            diff = diff_blocks(rendered[job.a].blocks, rendered[job.b].blocks)
            if pair in retain and (sharing or cache.enabled):
                data = refs.dumps(diff)
        packed = pack_views(diff, site, job)
        return data, (None if sharing or pair not in retain else diff), packed

    done = workers.map_runs(compute, len(todo), jobs=jobs if sharing else 1,
                            cost=cost.__getitem__, runs_per_job=RUNS_PER_JOB, tick=tick,
                            what="comparing versions")
    for job, (data, diff, packed) in zip(todo, done):
        pair = (job.a, job.b)
        if data is not None:
            cache.put("diff", cache.key("diff", *pair), data, group(pair, ""))
        if pair in retain and diffs.get(pair) is None:
            if diff is None:  # from another process, or stored
                source = data if data is not None else stored[pair]
                assert source is not None
                diff = refs.loads(source)
            diffs[pair] = diff
        views[job] = packed
        cache.put("views", _views_key(cache, site, job), packed, group(pair, ""))
    cache.release("diff")
    cache.release("views")
    return Diffs({k: d for k, d in diffs.items() if d is not None},
                 {j: v for j, v in views.items() if v is not None}, len(new_pairs), len(pairs))


class Diffs(NamedTuple):
    retained: dict[tuple[str, str], DocumentDiff]  # the alignments later stages read
    views: dict[DiffJob, bytes]  # every diff shown, its views packed
    computed: int  # alignments computed anew
    pairs: int  # alignments in all


def _views_key(cache: Cache, site: SiteConfig, job: DiffJob) -> str:
    from ..site.comparisons import stored_job

    return cache.key("views", repr(tuple(stored_job(job))), site.language,
                     site.comparison_columns)


def step_pairs(archive: Archive, translated: Sequence[DiffJob], skip: Collection[str] = ()
               ) -> set[tuple[str, str]]:
    """The pairs whose alignments the stages after the diffs read: each version and the one
    before it, each draft and the version it would replace, and the diffs of translations
    (none of the documents in ``skip``)."""
    from ..site.comparisons import steps

    out = {(a.sha256, b.sha256) for d in archive.documents if d.slug not in skip
           for a, b in steps(archive, d).values()}
    return out | {(j.a, j.b) for j in translated}


def _load_diff(refs: BlockRefs, data: bytes | None, expected: type[DocumentDiff]
               ) -> DocumentDiff | None:
    """A stored alignment, or None when there is none or it cannot be read (a miss)."""
    if data is None:
        return None
    try:
        diff = refs.loads(data)
    except Exception:  # noqa: BLE001 - damaged, or from another version of a class
        return None
    return diff if isinstance(diff, expected) else None


# --- the whole build ---------------------------------------------------------------------


def preload() -> None:
    """Import every stage now: a long-running process (``serve``) pays for it once, up front,
    and not on the first rebuild (a build with nothing to do imports none of them)."""
    import shutil  # noqa: F401, E401 - writing, git

    import jinja2  # noqa: F401

    from ..content import load  # noqa: F401
    from ..output import staging, templates  # noqa: F401
    from ..site import decide  # noqa: F401
    from ..text import render  # noqa: F401


class BuildResult(NamedTuple):
    pages: int
    files: int
    written: int
    texts: tuple[int, int] = (0, 0)  # Markdown texts (rendered anew, in all)
    diffs: tuple[int, int] = (0, 0)  # diffs (computed anew, in all)
    up_to_date: bool = False  # nothing had changed: nothing was done
    reused_pages: int = 0  # pages of documents whose inputs did not change: linked


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
    #: :func:`.reuse.document_inputs` of that build.
    documents: dict[str, str] = {}
    #: What it saw of each document a later build may skip (``{slug: SkippedDocument}``
    #: pickled: read only when a build is to be done, for it holds view models).
    skippable: bytes = b""


def version_files(root: Path) -> list[str]:
    """``versions/<slug>/*.md`` relative to ``root``: the files whose history is read."""
    folder = root / "versions"
    if not folder.is_dir():
        return []
    return sorted(p.relative_to(root).as_posix() for p in folder.glob("*/*.md"))


def _inputs(root: Path, drafts: bool) -> str:
    """A hash of everything a build reads, except the build date and the git history."""
    folders = [root / "content", root / "versions", *template_dirs(root)]
    return digest(str(drafts), *folder_parts(folders, lambda n, folder: root if n < 2 else folder))


def _within(day: dt.date, period: tuple[dt.date | None, dt.date | None]) -> bool:
    first, after = period
    return (first is None or first <= day) and (after is None or day < after)


def _history_digest(history: GitHistory) -> str:
    return digest(repr(sorted(history.last.items())), repr(sorted(history.modified.items())),
                  str(history.in_git))


def build(root: Path, out: Path, as_of: dt.date, *, drafts: bool = False,
          warn: Warn | None = None, cache: Cache | None = None, jobs: int | None = None,
          progress: Progress | None = None) -> BuildResult:
    """Build the site into ``out``, atomically; do nothing when nothing changed.

    ``cache``: the build cache (default ``<root>/.cache/policy_archive``; ``Cache(None)`` for
    none). ``jobs``: processes to use (default: one per core; 1 in a threaded program).
    """
    out = out.resolve()
    cache = Cache(default_folder(root)) if cache is None else cache
    progress = progress or Progress()
    try:
        remove_stale_temporaries(out)
        stamp_key = cache.key("stamp", str(out))
        inputs = _inputs(root, drafts)
        last = _read_stamp(cache, stamp_key)
        history = git_history(root, version_files(root))
        state = folder_state(out)
        if (last is not None and last.inputs == inputs and _within(as_of, last.period)
                and last.output == state and last.history == _history_digest(history)):
            for w in last.warnings:
                if warn:
                    warn(w)
            return last.result._replace(written=0, up_to_date=True)

        warnings: list[Problem] = []

        def collect(problem: Problem) -> None:
            warnings.append(problem)
            if warn:
                warn(problem)

        jobs = workers.jobs_for(jobs)
        left = (reuse.LastBuild(last.documents, last.output, last.skippable, state)
                if last is not None else None)
        plan = plan_site(root, as_of, drafts=drafts, warn=collect, cache=cache, jobs=jobs,
                         progress=progress, history=history, last=left)
        files, written, linked = write_plan(root, out, plan, cache, jobs, progress)
        cache.save(groups=[d.slug for d in plan.archive.documents])
        pages = len(plan.site.pages) + len(plan.reuse.paths())
        result = BuildResult(pages, files, written, plan.texts, plan.diffs, reused_pages=linked)
        stamp = _Stamp(inputs, (plan.archive.updated, plan.archive.next_build),
                       _history_digest(history), folder_state(out), result, tuple(warnings),
                       dict(plan.reuse.inputs),
                       pickle.dumps(dict(plan.skippable), pickle.HIGHEST_PROTOCOL))
        cache.write_file("stamp", stamp_key, pickle.dumps(stamp, pickle.HIGHEST_PROTOCOL))
        return result
    finally:
        progress.close()


def _read_stamp(cache: Cache, key: str) -> _Stamp | None:
    data = cache.read_file("stamp", key)
    try:
        stamp = pickle.loads(data) if data is not None else None
    except Exception:  # noqa: BLE001 - written by another version of a class: rebuild
        return None
    return stamp if isinstance(stamp, _Stamp) else None
