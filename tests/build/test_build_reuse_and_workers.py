"""Speed without changing the output: the build cache, the nothing-changed fast path, work
across processes (the same bytes at any ``-j``; a worker that dies stops the build cleanly),
lazy imports and the progress bar.

Counts, not timings: a build reports how many texts it rendered and diffs it computed anew
(``BuildResult.texts``/``diffs``), and whether it found nothing to do (``up_to_date``).
Timings are measured by ``bench/archive_bench.py``.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import pickle
import pty
import re
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from projects import BUILD_PY, REPO, make_project, tree_bytes, write
from support.building import run_in_process

from policy_archive.build.pipeline import BuildResult, build
from policy_archive.foundation.errors import ContentError
from policy_archive.runtime import progress as progress_module
from policy_archive.runtime import workers
from policy_archive.runtime.cache import MAGIC, Cache

sys.path.insert(0, str(REPO / "bench"))
import make_archive  # noqa: E402

AS_OF = dt.date(2026, 11, 26)


def sample_copy(root: Path) -> Path:
    """The bundled sample (content/ and versions/), outside any git repository."""
    for name in ("content", "versions"):
        shutil.copytree(REPO / name, root / name)
    return root


def run(root: Path, out: Path, cache: Path | None, **kw: object) -> BuildResult:
    """Build in this process, serially (``jobs=1``: never fork inside the test runner)."""
    return build(root, out, AS_OF, cache=Cache(cache), jobs=1, **kw)  # type: ignore[arg-type]


def cache_files(folder: Path, kind: str | None = None) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.name != ".gitignore"
                  and (kind is None or p.relative_to(folder).parts[0] == kind))


# --- the cache is used, and used only when the inputs are the same ----------------------


def test_second_build_renders_and_diffs_nothing_anew(tmp_path: Path) -> None:
    root = sample_copy(tmp_path / "p")
    cold = run(root, tmp_path / "o1", tmp_path / "c")
    assert cold.texts[0] == cold.texts[1] > 7 and cold.diffs == (21, 21)
    warm = run(root, tmp_path / "o2", tmp_path / "c")  # another output folder: a full build
    assert not warm.up_to_date
    assert (warm.texts[0], warm.diffs[0]) == (0, 0)
    assert warm.texts[1] == cold.texts[1] and warm.pages == cold.pages
    assert tree_bytes(tmp_path / "o1") == tree_bytes(tmp_path / "o2")


def _body_edit(root: Path) -> None:
    path = root / "versions" / "privacy" / "2021-03-03.md"
    head, sep, body = path.read_text("utf-8")[4:].partition("\n---\n")
    path.write_text("---\n" + head + sep + body.replace("当社は、", "当社は、新たに", 1), "utf-8")


def _summary_edit(root: Path) -> None:
    path = root / "versions" / "privacy" / "2021-03-03.md"
    text = path.read_text("utf-8")
    head, sep, body = text[4:].partition("\n---\n")
    lines = head.splitlines()
    at = next(i for i, ln in enumerate(lines) if ln.startswith("summary:"))
    lines[at + 1] = "  - 変更内容の説明を書き直しました。"
    path.write_text("---\n" + "\n".join(lines) + sep + body, "utf-8")


def _template_edit(root: Path) -> None:
    text = (REPO / "templates" / "archive.html").read_text("utf-8")
    write(root / "templates" / "archive.html",
          text.replace("{% block content %}", "{% block content %}<p>TEMPLATE-EDIT</p>", 1))


def _as_of_edit(root: Path) -> None:
    pass  # the build date is changed by the test itself

#: A build date on which the sample's current version is still upcoming.
BEFORE_CURRENT = dt.date(2023, 4, 13)


# (what changes, texts rendered anew, diffs computed anew, a file whose bytes change)
INVALIDATION = [
    # 2021-03-03 is in 6 of the 21 pairs (all pairs are compared for 7 versions).
    ("version body", _body_edit, 1, 6, "privacy/2021-03-03/index.html"),
    ("change notice", _summary_edit, 1, 0, "privacy/2021-03-03/notice.txt"),
    ("template", _template_edit, 0, 0, "privacy/versions/index.html"),
    ("build date", _as_of_edit, 0, 0, "versions.json"),
]


def test_a_build_date_with_nothing_due_does_nothing(tmp_path: Path) -> None:
    """A scheduled daily build: until a version is announced, takes effect or is corrected
    the site is the same, and nothing is done; on that day it is built again."""
    root = sample_copy(tmp_path / "p")
    out, cache = tmp_path / "site", tmp_path / "cache"
    run(root, out, cache)
    before = tree_bytes(out)
    for day in (AS_OF + dt.timedelta(days=1), dt.date(2023, 4, 14), dt.date(2099, 1, 1)):
        later = build(root, out, day, cache=Cache(cache), jobs=1)
        assert later.up_to_date, day
    assert tree_bytes(out) == before
    earlier = build(root, out, BEFORE_CURRENT, cache=Cache(cache), jobs=1)  # not yet in force
    assert not earlier.up_to_date and tree_bytes(out) != before
    assert build(root, out, BEFORE_CURRENT - dt.timedelta(days=5),
                 cache=Cache(cache), jobs=1).up_to_date  # the same period: 2023-03-31 on
    on_the_day = build(root, out, dt.date(2023, 4, 14), cache=Cache(cache), jobs=1)
    assert not on_the_day.up_to_date and tree_bytes(out) == before


@pytest.mark.parametrize("what,edit,texts,diffs,changed", INVALIDATION,
                         ids=[c[0] for c in INVALIDATION])
def test_a_change_is_rebuilt_and_nothing_else(tmp_path: Path, what: str,
                                              edit: Callable[[Path], None], texts: int,
                                              diffs: int, changed: str) -> None:
    root = sample_copy(tmp_path / "p")
    out, cache = tmp_path / "site", tmp_path / "cache"
    run(root, out, cache)
    before = tree_bytes(out)
    edit(root)
    as_of = BEFORE_CURRENT if what == "build date" else AS_OF
    result = build(root, out, as_of, cache=Cache(cache), jobs=1)
    assert not result.up_to_date
    assert (result.texts[0], result.diffs[0]) == (texts, diffs)
    after = tree_bytes(out)
    assert after[changed] != before[changed]
    if what == "template":
        assert b"TEMPLATE-EDIT" in after[changed]
    # Whatever came from the cache, the output is what a build without a cache gives.
    fresh = tmp_path / "fresh"
    build(root, fresh, as_of, cache=Cache(None), jobs=1)
    assert tree_bytes(fresh) == after


def test_nothing_changed_does_nothing_and_says_the_same(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", {"privacy": {"2020-01-01": "# P\n\nOne.\n",
                                                     "2021-01-01": "# P\n\nTwo.\n"}})
    (root / "versions" / "privacy" / "2021-01-01.md").write_text(
        "---\neffective: 2021-01-01\n---\n# P\n\nTwo.\n", "utf-8")  # no summary: a warning
    out, cache = tmp_path / "o", tmp_path / "c"
    first: list[str] = []
    again: list[str] = []
    r1 = run(root, out, cache, warn=lambda p: first.append(str(p)))
    r2 = run(root, out, cache, warn=lambda p: again.append(str(p)))
    assert not r1.up_to_date and r2.up_to_date and r2.written == 0
    assert (r2.pages, r2.files) == (r1.pages, r1.files)
    assert first == again and "has no 'summary'" in first[0]


def _edit_output(out: Path) -> None:
    (out / "privacy" / "index.html").write_bytes(b"changed")


def _remove_output(out: Path) -> None:
    (out / "robots.txt").unlink()


def _add_output(out: Path) -> None:
    (out / "extra.html").write_text("x")


def _add_folder(out: Path) -> None:
    (out / "extra").mkdir()


def _touch_output(out: Path) -> None:
    os.utime(out / "versions.json")


def _replace_output(out: Path) -> None:
    data = (out / "robots.txt").read_bytes()
    (out / "robots.txt").unlink()
    (out / "robots.txt").write_bytes(data)


@pytest.mark.parametrize("tamper", [_edit_output, _remove_output, _add_output, _add_folder,
                                    _touch_output, _replace_output])
def test_output_that_was_changed_is_rebuilt(tmp_path: Path,
                                            tamper: Callable[[Path], None]) -> None:
    root = make_project(tmp_path / "p")
    out, cache = tmp_path / "o", tmp_path / "c"
    run(root, out, cache)
    expected = tree_bytes(out)
    tamper(out)
    result = run(root, out, cache)
    assert not result.up_to_date
    assert tree_bytes(out) == expected
    assert not (out / "extra").exists()


# --- a cache that cannot be trusted is not used ------------------------------------------


def _truncate(p: Path) -> None:
    p.write_bytes(p.read_bytes()[: len(MAGIC) + 10])


def _garbage(p: Path) -> None:
    p.write_bytes(os.urandom(200))


def _flip_a_byte(p: Path) -> None:
    data = bytearray(p.read_bytes())
    data[-5] ^= 0xFF
    p.write_bytes(bytes(data))


def _valid_frame_bad_pickle(p: Path) -> None:
    from policy_archive.runtime.cache import frame

    p.write_bytes(frame(b"\x80\x05not a pickle at all"))


def _empty(p: Path) -> None:
    p.write_bytes(b"")


def _a_folder(p: Path) -> None:
    p.unlink()
    p.mkdir()


@pytest.mark.parametrize("damage", [_truncate, _garbage, _flip_a_byte, _valid_frame_bad_pickle,
                                    _empty, _a_folder])
def test_damaged_cache_entries_are_ignored(tmp_path: Path, damage: Callable[[Path], None],
                                           program_folder: Path) -> None:
    root = sample_copy(tmp_path / "p")
    write(root / "templates" / "archive.html",  # a template of the project's own, too
          (REPO / "templates" / "archive.html").read_text(encoding="utf-8"))
    cache = tmp_path / "c"
    cold = run(root, tmp_path / "o1", cache)
    entries = cache_files(cache) + cache_files(program_folder)
    assert {p.relative_to(cache).as_posix() for p in cache_files(cache)
            if p.suffix == ".pickle"} == {
        "markdown/privacy.pickle", "diff/privacy.pickle", "views/privacy.pickle"}
    assert {p.relative_to(cache).parts[0] for p in cache_files(cache)} == {
        "markdown", "diff", "views", "jinja", "stamp"}
    assert cache_files(program_folder, "jinja")
    for p in entries:
        damage(p)
    again = run(root, tmp_path / "o1", cache)  # the damaged stamp: not "nothing changed"
    assert not again.up_to_date
    assert (again.texts, again.diffs) == (cold.texts, cold.diffs)  # all computed again
    run(root, tmp_path / "o2", None)
    assert tree_bytes(tmp_path / "o1") == tree_bytes(tmp_path / "o2")
    if damage is not _a_folder:  # entries are written again: the next build reuses them
        third = run(root, tmp_path / "o3", cache)
        assert (third.texts[0], third.diffs[0]) == (0, 0)


#: A pickle of an object whose class lived where no module is any more (as a cache entry of
#: the program before ``diff/engine.py`` was split holds): loading it raises an ImportError.
MOVED_CLASS = b"cpolicy_archive.diff.engine\nDocumentDiff\n)\x81."


def test_a_stored_diff_whose_class_moved_is_computed_again(tmp_path: Path) -> None:
    """Entries hold class paths: one under the right key and signed, whose class has moved
    since, is a miss (the alignment computed again), not an error, in every build after."""
    from policy_archive.runtime.cache import frame

    with pytest.raises(ImportError):
        pickle.loads(MOVED_CLASS)
    root = sample_copy(tmp_path / "p")
    cache = tmp_path / "c"
    run(root, tmp_path / "o1", cache)
    stored = cache / "diff" / "privacy.pickle"
    entries = pickle.loads(stored.read_bytes()[len(MAGIC) + 32:])
    assert entries
    stored.write_bytes(frame(pickle.dumps(dict.fromkeys(entries, MOVED_CLASS))))
    run(root, tmp_path / "o2", None)
    for out in ("o3", "o4"):
        run(root, tmp_path / out, cache)
        assert tree_bytes(tmp_path / out) == tree_bytes(tmp_path / "o2")


def test_one_file_per_kind_and_document_holds_what_the_last_build_used(tmp_path: Path
                                                                       ) -> None:
    root = sample_copy(tmp_path / "p")
    cache = tmp_path / "c"
    cold = run(root, tmp_path / "o", cache)
    assert [p.relative_to(cache).as_posix() for p in cache_files(cache)
            if p.suffix == ".pickle"] == [
        "diff/privacy.pickle", "markdown/privacy.pickle", "views/privacy.pickle"]
    assert len(Cache(cache).keys("markdown", "privacy")) == cold.texts[1]
    assert len(Cache(cache).keys("diff", "privacy")) == 6  # the steps, read by later stages
    assert len(Cache(cache).keys("views", "privacy")) == cold.diffs[1]  # every diff shown
    current = sorted((root / "versions" / "privacy").glob("*.md"))[-1]
    current.write_text(current.read_text(encoding="utf-8").replace("当社は、", "弊社は、", 1),
                       encoding="utf-8")
    edited = run(root, tmp_path / "o", cache)
    assert edited.texts[0] == 1  # the one edited text, the others from the cache
    assert len(Cache(cache).keys("markdown", "privacy")) == edited.texts[1]  # the old is gone
    assert len(Cache(cache).keys("diff", "privacy")) == 6
    assert len(Cache(cache).keys("views", "privacy")) == edited.diffs[1]  # old current's gone


def test_a_cached_diff_is_the_diff_computed_again(tmp_path: Path) -> None:
    """What the cache gives back is the alignment itself, with the rendered blocks."""
    from policy_archive.build.pipeline import diff_texts, markdown_texts, render_texts
    from policy_archive.content.load import load_archive
    from policy_archive.diff.align import diff_blocks
    from policy_archive.runtime.progress import Progress
    from policy_archive.site.comparisons import comparisons

    root = sample_copy(tmp_path / "p")
    archive = load_archive(root, AS_OF)
    shown = list(dict.fromkeys(comparisons(archive).values()))
    keep = {(j.a, j.b) for j in shown}
    results = []
    for _ in range(2):
        cache = Cache(tmp_path / "c")
        rendered, _ = render_texts(markdown_texts(archive), cache, 1, Progress())
        results.append(diff_texts(shown, rendered, archive.site, keep, cache, 1, Progress()))
        cache.save()
        assert results[-1].retained.keys() == keep
        for (a, b), diff in results[-1].retained.items():
            assert diff.a is rendered[a].blocks and diff.b is rendered[b].blocks
            assert diff.ops == diff_blocks(rendered[a].blocks, rendered[b].blocks).ops
    assert results[0].computed == 21 and results[1].computed == 0  # then from the cache
    assert results[0].views == results[1].views  # the same views, stored


def test_only_the_alignments_later_stages_read_are_kept(tmp_path: Path) -> None:
    """A diff against the current version needs its alignment only for its views: it is
    not held after them; each version against the one before it is."""
    from policy_archive.build.pipeline import diff_texts, markdown_texts, render_texts, step_pairs
    from policy_archive.content.load import load_archive
    from policy_archive.runtime.progress import Progress
    from policy_archive.site.comparisons import comparisons

    root = sample_copy(tmp_path / "p")
    archive = load_archive(root, AS_OF)
    shown = list(dict.fromkeys(comparisons(archive).values()))
    steps = step_pairs(archive, [])
    rendered, _ = render_texts(markdown_texts(archive), Cache(None), 1, Progress())
    result = diff_texts(shown, rendered, archive.site, steps, Cache(None), 1, Progress())
    assert result.retained.keys() == steps and len(steps) == 6
    assert len(result.views) == 21 and result.pairs == 21


@pytest.fixture
def program_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where the built-in templates are compiled to, for this test only."""
    from policy_archive.runtime import cache as cache_module

    folder = tmp_path / "program"
    monkeypatch.setattr(cache_module, "PROGRAM_FOLDER", folder)
    return folder


def test_builtin_templates_are_compiled_once_for_every_project(tmp_path: Path,
                                                               program_folder: Path) -> None:
    first = sample_copy(tmp_path / "first")
    run(first, tmp_path / "o1", tmp_path / "c1")
    compiled = {p.name: p.stat().st_mtime_ns for p in cache_files(program_folder, "jinja")}
    builtin = list((REPO / "templates").glob("*.html"))
    assert len(compiled) == len(builtin)
    assert not cache_files(tmp_path / "c1", "jinja")  # nothing of the project's own
    second = make_project(tmp_path / "second")  # another project, no cache: not compiled again
    write(second / "templates" / "archive.html", "{% extends 'base.html' %}")
    run(second, tmp_path / "o2", tmp_path / "c2")
    assert {p.name: p.stat().st_mtime_ns
            for p in cache_files(program_folder, "jinja")} == compiled
    assert len(cache_files(tmp_path / "c2", "jinja")) == 1  # its own template, in its cache
    run(second, tmp_path / "o3", None)  # --no-cache: the built-in ones are still used
    assert tree_bytes(tmp_path / "o3") == tree_bytes(tmp_path / "o2")


def test_compiled_templates_that_cannot_be_kept_are_compiled_each_time(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from policy_archive.runtime import cache as cache_module

    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setattr(cache_module, "PROGRAM_FOLDER", blocker / "program")
    root = sample_copy(tmp_path / "p")
    run(root, tmp_path / "o1", None)
    monkeypatch.undo()
    run(root, tmp_path / "o2", None)
    assert tree_bytes(tmp_path / "o1") == tree_bytes(tmp_path / "o2")


def test_cache_that_cannot_be_written_is_not_an_error(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p")
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = run(root, tmp_path / "o", blocker / "cache")
    assert result.files > 0 and not result.up_to_date
    assert tree_bytes(tmp_path / "o")


def test_cache_entries_from_another_program_version_are_not_used(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from policy_archive.runtime import cache as cache_module

    root = sample_copy(tmp_path / "p")
    run(root, tmp_path / "o1", tmp_path / "c")
    monkeypatch.setattr(cache_module, "code_version", lambda: "another program")
    again = run(root, tmp_path / "o2", tmp_path / "c")
    assert again.texts[0] == again.texts[1] and again.diffs[0] == again.diffs[1]


def test_a_failed_build_keeps_output_and_the_next_one_builds(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p")
    out, cache = tmp_path / "o", tmp_path / "c"
    run(root, out, cache)
    before = tree_bytes(out)
    write(root / "templates" / "archive.html", "{{ undefined_function() }}")
    with pytest.raises(ContentError):
        run(root, out, cache)
    assert tree_bytes(out) == before
    shutil.rmtree(root / "templates")
    assert run(root, out, cache).up_to_date  # inputs as before the failed build


def test_default_cache_folder_is_ignored_by_git(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p")
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    done = run_in_process("build", "--root", str(root), "--out", str(tmp_path / "o"),
                          "--as-of", "2026-11-26")
    assert done.code == 0, done.err
    assert cache_files(root / ".cache" / "policy_archive")
    status = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"],
                            cwd=root, capture_output=True, text=True, check=True).stdout
    assert ".cache" not in status


# --- several processes, the same bytes ---------------------------------------------------


BUILD_IN_PROCESS = textwrap.dedent("""
    import datetime, sys
    from pathlib import Path
    from policy_archive.build import pipeline as builder
    from policy_archive.build.pipeline import build
    from policy_archive.runtime.cache import Cache
    root, out, jobs, cache = sys.argv[1:5]
    builder.PARALLEL_MARKDOWN_CHARS = 20_000  # the medium archive has ~40K new characters
    builder.PARALLEL_PAGE_CHARS = 20_000
    r = build(Path(root), Path(out), datetime.date(2026, 11, 26), jobs=int(jobs),
              cache=Cache(Path(cache) if cache != "-" else None))
    print(r.texts[0], r.diffs[0], r.pages)
""")


def build_with_jobs(root: Path, out: Path, jobs: int, cache: Path | None) -> list[int]:
    """Build in a process of its own (never fork inside the test runner): [texts rendered
    anew, diffs computed anew, pages], every stage shared out when ``jobs > 1``."""
    done = subprocess.run([sys.executable, "-c", BUILD_IN_PROCESS, str(root), str(out),
                           str(jobs), str(cache) if cache else "-"],
                          cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return [int(x) for x in done.stdout.split()]


@pytest.fixture(scope="module")
def medium(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """2 documents × 8 versions × 30 KB: enough work for every stage to be shared out."""
    root = tmp_path_factory.mktemp("medium")
    return make_archive.write_archive(root, make_archive.Spec(2, 8, 30_000))


def test_any_number_of_processes_writes_the_same_bytes(medium: Path, tmp_path: Path) -> None:
    counts = {jobs: build_with_jobs(medium, tmp_path / f"j{jobs}", jobs, None)
              for jobs in (1, 2, 3)}
    assert counts[1] == counts[2] == counts[3] and counts[1][2] > 120
    assert tree_bytes(tmp_path / "j1") == tree_bytes(tmp_path / "j2") == tree_bytes(
        tmp_path / "j3")


def test_cold_and_warm_parallel_builds_write_the_same_bytes(medium: Path,
                                                            tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cold = build_with_jobs(medium, tmp_path / "cold", 2, cache)
    warm = build_with_jobs(medium, tmp_path / "warm", 2, cache)
    assert cold[0] > 0 and cold[1] > 0 and warm[:2] == [0, 0]
    assert tree_bytes(tmp_path / "cold") == tree_bytes(tmp_path / "warm")


def test_a_rebuild_links_the_files_that_did_not_change(medium: Path, tmp_path: Path) -> None:
    root = tmp_path / "m"
    shutil.copytree(medium, root)
    out, cache = tmp_path / "out", tmp_path / "cache"
    build_with_jobs(root, out, 2, cache)
    diff_pages = sorted(out.glob("*/diff/*/*/side-by-side/index.html"))
    inodes = {p: p.stat().st_ino for p in diff_pages}
    first = sorted((root / "versions").glob("*/*.md"))[0]
    text = first.read_text("utf-8")
    first.write_text(text.replace("\n---\n", "\nnote: An editorial note.\n---\n", 1), "utf-8")
    build_with_jobs(root, out, 2, cache)
    # The diff pages are unchanged: linked, not written again.
    assert len(diff_pages) > 20 and {p: p.stat().st_ino for p in diff_pages} == inodes
    version_page = out / first.parent.name / first.stem / "index.html"
    assert b"An editorial note." in version_page.read_bytes()
    build_with_jobs(root, tmp_path / "fresh", 1, None)
    assert tree_bytes(out) == tree_bytes(tmp_path / "fresh")


def test_a_template_failing_on_some_diff_pages_fails_the_build_and_keeps_the_output(
        medium: Path, tmp_path: Path) -> None:
    root = tmp_path / "m"
    shutil.copytree(medium, root)
    out = tmp_path / "out"
    build_with_jobs(root, out, 2, None)
    before = tree_bytes(out)
    # Fails on the diff pages of the pairs from one version in the middle, after the pages
    # of other pairs were rendered.
    middle = sorted((root / "versions").glob("*/*.md"))[4].stem
    write(root / "templates" / "diff.html",
          '{% extends "base.html" %}{% block content %}'
          f"{{% if a.key == '{middle}' %}}{{{{ undefined_function() }}}}{{% endif %}}"
          "{{ body }}{% endblock %}")
    done = subprocess.run([sys.executable, str(BUILD_PY), "build", "--root", str(root),
                           "--out", str(out), "--as-of", "2026-11-26", "--jobs", "2",
                           "--no-cache"], capture_output=True, text=True, cwd=REPO,
                          timeout=300)
    assert done.returncode == 1
    assert re.search(r"^templates/diff\.html:1: template error while writing "
                     r"\S+/diff/\S+: ", done.stderr, re.M), done.stderr
    assert tree_bytes(out) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out.")] == []


DYING_WORKER = textwrap.dedent("""
    import os, sys
    from policy_archive.build import pipeline as builder
    from policy_archive.diff import align as diff
    from policy_archive.output import staging as output
    from policy_archive.text import render
    from policy_archive.commands.cli import main
    stage, args = sys.argv[1], sys.argv[2:]
    builder.PARALLEL_MARKDOWN_CHARS = builder.PARALLEL_DIFF_CHARS = 0  # always shared out
    builder.PARALLEL_PAGE_CHARS = 0
    parent = os.getpid()
    module, name = {"render": (render, "render_markdown"), "diff": (diff, "diff_blocks"),
                    "pages": (output.Staging, "put")}[stage]
    real = getattr(module, name)

    def dies_in_a_worker(*a, **kw):
        if os.getpid() != parent:
            os._exit(9)  # killed half-way, as by the kernel when memory runs out
        return real(*a, **kw)

    setattr(module, name, dies_in_a_worker)
    sys.exit(main(args))
""")


@pytest.mark.parametrize("stage,doing", [("render", "rendering Markdown"),
                                         ("diff", "comparing versions"),
                                         ("pages", "writing pages")])
def test_a_worker_that_dies_stops_the_build_with_a_clear_error_and_keeps_the_output(
        medium: Path, tmp_path: Path, stage: str, doing: str) -> None:
    out = tmp_path / "out"
    build_with_jobs(medium, out, 1, None)
    before = tree_bytes(out)
    done = subprocess.run([sys.executable, "-c", DYING_WORKER, stage, "build", "--root",
                           str(medium), "--out", str(out), "--as-of", "2026-11-26",
                           "--jobs", "2", "--cache-dir", str(tmp_path / "cache")],
                          capture_output=True, text=True, cwd=REPO, timeout=300)
    assert done.returncode == 1, done.stderr
    assert done.stderr.splitlines() == [
        f"build.py: a worker process died while {doing}; nothing was written "
        "(run again, or with --jobs 1 to work in one process)"]
    assert tree_bytes(out) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out.")] == []
    assert not (tmp_path / "cache" / "stamp").exists()  # the next build starts afresh


def test_sample_cold_and_warm_are_byte_identical(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    for name in ("cold", "warm"):
        done = run_in_process("build", "--root", str(REPO), "--out", str(tmp_path / name),
                              "--as-of", "2026-11-26", "--cache-dir", str(cache))
        assert done.code == 0, done.err
    assert re.search(r"\(0 of \d+ texts rendered, 0 of 21 diffs computed\)", done.out)
    assert tree_bytes(tmp_path / "cold") == tree_bytes(tmp_path / "warm")


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 50), max_size=40), st.integers(1, 12))
def test_runs_of_neighbours_cover_every_item_once_in_order(costs: list[int],
                                                           wanted: int) -> None:
    runs = workers.runs(costs, wanted)
    assert [i for run in runs for i in run] == list(range(len(costs)))
    assert len(runs) <= max(wanted, 1) and all(runs)
    if len(costs) >= wanted and len(set(costs)) == 1 and costs[0] > 0:
        assert len(runs) == wanted  # equal costs: equal runs
        assert max(map(len, runs)) - min(map(len, runs)) <= 1


# --- heavy imports only where needed -----------------------------------------------------


IMPORTS = textwrap.dedent("""
    import datetime, sys
    from pathlib import Path
    from policy_archive.build.pipeline import build
    from policy_archive.runtime.cache import Cache
    root, out, cache = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
    r = build(root, out, datetime.date(2026, 11, 26), cache=Cache(cache), jobs=2)
    heavy = ("jinja2", "markdown_it", "yaml", "git", "cydifflib", "nh3")
    print(r.up_to_date, *sorted(m for m in heavy if m in sys.modules))
""")


def test_nothing_changed_imports_no_heavy_library(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p")
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    args = [sys.executable, "-c", IMPORTS, str(root), str(tmp_path / "o"), str(tmp_path / "c")]
    first = subprocess.run(args, cwd=REPO, capture_output=True, text=True, check=True).stdout
    again = subprocess.run(args, cwd=REPO, capture_output=True, text=True, check=True).stdout
    # A full build needs the stages; GitPython is only ever imported in the child.
    assert first.split()[0] == "False"
    assert {"jinja2", "markdown_it", "yaml"} <= set(first.split()) and "git" not in first
    assert again.split() == ["True"]


# --- the progress bar: on a terminal only, never in CI -----------------------------------


class FakeStream(io.StringIO):
    def __init__(self, tty: bool) -> None:
        super().__init__()
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


@pytest.mark.parametrize("tty,env,drawn", [
    (True, {}, True),
    (True, {"CI": "true"}, False),
    (True, {"CI": "1"}, False),
    (True, {"CI": ""}, True),
    (True, {"CI": "false"}, True),
    (False, {}, False),
    (False, {"CI": "true"}, False),
])
def test_progress_bar_only_on_a_terminal_outside_ci(tty: bool, env: dict[str, str],
                                                    drawn: bool) -> None:
    stream = FakeStream(tty)
    bar = progress_module.for_terminal(stream, env)
    bar.delay = 0
    tick = bar.stage("pages", 4)
    for _ in range(4):
        tick(1)
    bar.close()
    text = stream.getvalue()
    assert ("building ▕" in text) == drawn
    if drawn:
        assert "pages 4/4" in text and text.endswith("\r\x1b[K")  # erased at the end


def test_progress_bar_waits_before_drawing_and_is_quiet_when_asked() -> None:
    now = [0.0]
    stream = FakeStream(True)
    bar = progress_module.Progress(stream, clock=lambda: now[0])
    tick = bar.stage("texts", 10)
    tick(5)
    assert stream.getvalue() == ""  # a quick build draws nothing
    now[0] = 1.0
    tick(1)
    assert "texts 6/10" in stream.getvalue()
    now[0] = 2.0
    bar.grow(4)  # steps found once the stage had started
    assert stream.getvalue().endswith("texts 6/14")
    quiet = progress_module.for_terminal(FakeStream(True), {}, quiet=True)
    assert quiet.stream is None


def _build_on_a_terminal(root: Path, out: Path, env: dict[str, str]) -> str:
    """Run build.py with stderr on a pseudo-terminal; what it wrote there."""
    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, str(BUILD_PY), "build", "--root", str(root),
                             "--out", str(out), "--as-of", "2026-11-26", "--no-cache",
                             "--jobs", "1"], stdout=subprocess.DEVNULL, stderr=slave,
                            env=env, cwd=REPO)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    assert proc.wait(timeout=300) == 0
    return b"".join(chunks).decode("utf-8", "replace")


def test_progress_bar_of_a_long_build_on_a_terminal(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "SOURCE_DATE_EPOCH")}
    # a cold serial build of the Japanese benchmark archive takes about a second: the bar
    # shows
    medium = make_archive.write_archive(tmp_path / "large", make_archive.Spec(2, 20, 40_000))
    shown = _build_on_a_terminal(medium, tmp_path / "a", env)
    assert "building ▕" in shown and "pages" in shown
    in_ci = _build_on_a_terminal(medium, tmp_path / "b", {**env, "CI": "true"})
    assert "building" not in in_ci
    logged = subprocess.run([sys.executable, str(BUILD_PY), "build", "--root", str(medium),
                             "--out", str(tmp_path / "c"), "--as-of", "2026-11-26",
                             "--no-cache"], capture_output=True, text=True, env=env)
    assert logged.returncode == 0 and logged.stderr == ""
