"""Speed without changing the output: the build cache, the nothing-changed fast path, work
across processes, lazy imports and the progress bar.

Counts, not timings: a build reports how many texts it rendered and diffs it computed anew
(``BuildResult.texts``/``diffs``), and whether it found nothing to do (``up_to_date``).
Timings are measured by ``bench/archive_bench.py``.
"""

from __future__ import annotations

import datetime as dt
import io
import os
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

from policy_archive import parallel
from policy_archive import progress as progress_module
from policy_archive.builder import BuildResult, build
from policy_archive.cache import MAGIC, Cache
from policy_archive.errors import ContentError

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
    import hashlib

    payload = b"\x80\x05not a pickle at all"
    p.write_bytes(MAGIC + hashlib.sha256(payload).digest() + payload)


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
    assert {p.relative_to(cache).parts[0] for p in cache_files(cache)} == {
        "markdown", "views", "jinja", "stamp"}
    assert cache_files(program_folder, "jinja")
    for p in entries:
        damage(p)
    again = run(root, tmp_path / "o1", cache)  # the damaged stamp: not "nothing changed"
    assert not again.up_to_date
    if damage is _flip_a_byte:  # the last entry of each pack: only it is computed again
        assert (again.texts[0], again.diffs[0]) == (1, 1)
    else:
        assert (again.texts, again.diffs) == (cold.texts, cold.diffs)  # all computed again
    run(root, tmp_path / "o2", None)
    assert tree_bytes(tmp_path / "o1") == tree_bytes(tmp_path / "o2")
    if damage is not _a_folder:  # entries are written again: the next build reuses them
        third = run(root, tmp_path / "o3", cache)
        assert (third.texts[0], third.diffs[0]) == (0, 0)


def test_one_pack_per_kind_holds_what_the_last_build_used(tmp_path: Path) -> None:
    root = sample_copy(tmp_path / "p")
    cache = tmp_path / "c"
    cold = run(root, tmp_path / "o", cache)
    assert len(cache_files(cache, "markdown")) == len(cache_files(cache, "views")) == 1
    assert len(Cache(cache)._pack("markdown")) == cold.texts[1]
    assert len(Cache(cache)._pack("views")) == cold.diffs[1]
    current = sorted((root / "versions" / "privacy").glob("*.md"))[-1]
    current.write_text(current.read_text(encoding="utf-8").replace("当社は、", "弊社は、", 1),
                       encoding="utf-8")
    edited = run(root, tmp_path / "o", cache)
    assert edited.texts[0] == 1  # the one edited text, the others from the pack
    assert len(Cache(cache)._pack("markdown")) == edited.texts[1]  # the old text is gone
    assert len(Cache(cache)._pack("views")) == edited.diffs[1]


@pytest.fixture
def program_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where the built-in templates are compiled to, for this test only."""
    from policy_archive import cache as cache_module

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
    from policy_archive import cache as cache_module

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
    from policy_archive import cache as cache_module

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
    done = subprocess.run([sys.executable, str(BUILD_PY), "build", "--root", str(root),
                           "--out", str(tmp_path / "o"), "--as-of", "2026-11-26"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert cache_files(root / ".cache" / "policy_archive")
    status = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"],
                            cwd=root, capture_output=True, text=True, check=True).stdout
    assert ".cache" not in status


# --- several processes, the same bytes ---------------------------------------------------


FORK_COUNTER = textwrap.dedent("""
    import datetime, sys, threading
    from pathlib import Path
    from policy_archive import parallel
    from policy_archive.builder import build
    from policy_archive.cache import Cache
    forks = []
    real = parallel._Child.__init__
    def counting(self, fn):
        # never fork while another thread runs (the site writer starts after the last fork)
        assert threading.active_count() == 1, [t.name for t in threading.enumerate()]
        forks.append(1)
        real(self, fn)
    parallel._Child.__init__ = counting
    root, out, jobs, cache = sys.argv[1:5]
    from policy_archive import builder
    builder.PARALLEL_MARKDOWN_CHARS = 20_000  # the medium archive has ~40K new characters
    r = build(Path(root), Path(out), datetime.date(2026, 11, 26), jobs=int(jobs),
              cache=Cache(Path(cache) if cache != "-" else None))
    print(len(forks), r.texts[0], r.diffs[0], r.pages)
""")


def build_counting_forks(root: Path, out: Path, jobs: int, cache: Path | None) -> list[int]:
    done = subprocess.run([sys.executable, "-c", FORK_COUNTER, str(root), str(out), str(jobs),
                           str(cache) if cache else "-"],
                          cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return [int(x) for x in done.stdout.split()]


@pytest.fixture(scope="module")
def medium(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """2 documents × 8 versions × 30 KB: enough work for every stage to be shared out."""
    root = tmp_path_factory.mktemp("medium")
    return make_archive.write_archive(root, make_archive.Spec(2, 8, 30_000))


def test_parallel_and_serial_builds_write_the_same_bytes(medium: Path, tmp_path: Path) -> None:
    forks, texts, diffs, pages = build_counting_forks(medium, tmp_path / "par", 2, None)
    # git history (the templates are not compiled aside without a cache), then the texts,
    # then the diffs with their pages, each shared out with one more process
    assert forks == 3 and pages > 120
    serial = build_counting_forks(medium, tmp_path / "ser", 1, None)
    assert serial[0] == 0 and serial[1:] == [texts, diffs, pages]
    assert tree_bytes(tmp_path / "par") == tree_bytes(tmp_path / "ser")


def test_cold_and_warm_parallel_builds_write_the_same_bytes(medium: Path,
                                                            tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cold = build_counting_forks(medium, tmp_path / "cold", 2, cache)
    warm = build_counting_forks(medium, tmp_path / "warm", 2, cache)
    assert cold[1] > 0 and cold[2] > 0 and warm[1:3] == [0, 0]
    assert tree_bytes(tmp_path / "cold") == tree_bytes(tmp_path / "warm")
    again = build_counting_forks(medium, tmp_path / "warm", 2, cache)
    assert again[0] == 1  # nothing changed: only the git history was read (beside)


def test_a_parallel_rebuild_links_what_other_processes_found_unchanged(
        medium: Path, tmp_path: Path) -> None:
    root = tmp_path / "m"
    shutil.copytree(medium, root)
    out, cache = tmp_path / "out", tmp_path / "cache"
    build_counting_forks(root, out, 2, cache)
    diff_pages = sorted(out.glob("*/diff/*/*/side-by-side/index.html"))
    inodes = {p: p.stat().st_ino for p in diff_pages}
    first = sorted((root / "versions").glob("*/*.md"))[0]
    text = first.read_text("utf-8")
    first.write_text(text.replace("\n---\n", "\nnote: An editorial note.\n---\n", 1), "utf-8")
    build_counting_forks(root, out, 2, cache)
    # The diff pages, written by either process, are unchanged: linked, not written again.
    assert len(diff_pages) > 20 and {p: p.stat().st_ino for p in diff_pages} == inodes
    version_page = out / first.parent.name / first.stem / "index.html"
    assert b"An editorial note." in version_page.read_bytes()
    build_counting_forks(root, tmp_path / "fresh", 1, None)
    assert tree_bytes(out) == tree_bytes(tmp_path / "fresh")


def test_a_template_failing_in_another_process_fails_the_build_and_keeps_the_output(
        medium: Path, tmp_path: Path) -> None:
    root = tmp_path / "m"
    shutil.copytree(medium, root)
    out = tmp_path / "out"
    build_counting_forks(root, out, 2, None)
    before = tree_bytes(out)
    # Fails on the diff pages of the pairs from one version in the middle: each process
    # has written the pages of other pairs into the temporary folder by then.
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


def test_sample_cold_and_warm_are_byte_identical(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    for name in ("cold", "warm"):
        done = subprocess.run([sys.executable, str(BUILD_PY), "build", "--out",
                               str(tmp_path / name), "--as-of", "2026-11-26", "--cache-dir",
                               str(cache)], capture_output=True, text=True, cwd=REPO)
        assert done.returncode == 0, done.stderr
    assert re.search(r"\(0 of \d+ texts rendered, 0 of 21 diffs computed\)", done.stdout)
    assert tree_bytes(tmp_path / "cold") == tree_bytes(tmp_path / "warm")


@settings(max_examples=200, deadline=None)
@given(frames=st.lists(st.one_of(st.integers(1, 5), st.binary(max_size=40)), max_size=12),
       final=st.binary(max_size=40), cuts=st.lists(st.integers(0, 400), max_size=8),
       spilled=st.booleans())
def test_what_a_child_sends_is_taken_apart_however_it_arrives(
        frames: list[int | bytes], final: bytes, cuts: list[int], spilled: bool) -> None:
    import pickle

    stream = b""
    spill = os.memfd_create("test") if spilled else None  # items there, lengths in the pipe
    for frame in frames:  # ticks (a count) and items sent ahead (pickled bytes)
        if isinstance(frame, int):
            stream += b"." * frame
        else:
            data = pickle.dumps(frame)
            stream += parallel._ITEM + len(data).to_bytes(8, "little")
            if spill is None:
                stream += data
            else:
                os.write(spill, data)
    stream += parallel._FINAL + pickle.dumps(("ok", final))
    child = object.__new__(parallel._Child)
    child.buffer, child.payload, child.in_payload, child.sent = bytearray(), [], False, []
    child.spill, child.spilled = spill, 0
    ticks: list[int] = []
    at = 0
    for cut in [*sorted(c for c in cuts if c < len(stream)), len(stream)]:
        child._take(stream[at:cut], ticks.append)  # the pipe gives any split of the stream
        at = max(at, cut)
    assert sum(ticks) == sum(f for f in frames if isinstance(f, int))
    assert child.items() == [f for f in frames if isinstance(f, bytes)]
    assert pickle.loads(b"".join(child.payload)) == ("ok", final)
    if spill is not None:
        os.close(spill)


@pytest.mark.parametrize("through", ["memory file", "pipe"])
def test_large_results_of_a_map_come_back_whole_and_once(through: str) -> None:
    # in a fresh process: no forking inside the (threaded) test runner
    code = textwrap.dedent("""
        import sys
        from policy_archive import parallel
        if sys.argv[1] == "pipe":
            parallel._memory_file = lambda: None  # as where there is no memfd_create
        def work(x):
            return str(x) * (50_000 + x)  # 100-500 KB each: more than a pipe holds
        got, ticks = {}, []
        def keep(i, value):
            assert i not in got
            got[i] = value
        out = parallel.map_items(work, list(range(60)), jobs=2, tick=ticks.append,
                                 on_result=keep)
        print(out == [work(x) for x in range(60)], sorted(got) == list(range(60)),
              all(got[i] == out[i] for i in got), sum(ticks))
    """)
    done = subprocess.run([sys.executable, "-c", code, through], cwd=REPO,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "True", "True", "60"]


def test_a_child_never_waits_for_the_parent_to_take_its_results() -> None:
    # The parent is busy with its side work (not reading) while a child makes 8 MB of
    # results, more than a pipe holds: the child finishes its items all the same, long
    # before the parent looks; results made meanwhile are taken between the side's steps.
    code = textwrap.dedent("""
        import os, time
        from policy_archive import parallel
        parent = os.getpid()
        def work(x):
            return (os.getpid() != parent, time.monotonic(), b"x" * 1_000_000)
        side_ended, seen_in_side = [], []
        got = {}
        def side():
            time.sleep(1.5)
            yield
            seen_in_side.append(len(got))
            side_ended.append(time.monotonic())
        out = parallel.map_items(work, list(range(16)), jobs=2,
                                 on_result=lambda i, v: got.setdefault(i, v), side=side)
        by_child = [t for in_child, t, _ in out if in_child]
        print(len(by_child) == 16, max(by_child) < side_ended[0] - 1.0,
              seen_in_side[0] == 16, all(len(v[2]) == 1_000_000 for v in out))
    """)
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "True", "True", "True"]


def test_two_processes_take_neighbours_from_the_two_ends() -> None:
    # in a fresh process: no forking inside the (threaded) test runner
    code = textwrap.dedent("""
        import os, time
        from policy_archive import parallel
        parent = os.getpid()
        def work(x):
            time.sleep(0.004 + 0.002 * (x % 3))  # long enough for both to take some
            return (x, os.getpid() == parent)
        got = []
        out = parallel.map_items(work, list(range(40)), jobs=2, runs_per_job=4,
                                 on_result=lambda i, v: got.append(i))
        here = [x for x, in_parent in out if in_parent]
        there = [x for x, in_parent in out if not in_parent]
        # one run each: the child from the front, this process from the back
        print([x for x, _ in out] == list(range(40)), sorted(got) == list(range(40)),
              there == list(range(len(there))), here == list(range(len(there), 40)),
              len(there) > 2 and len(here) > 2)
    """)
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True"] * 5


def test_without_a_shared_lock_two_processes_take_runs_from_the_pipe() -> None:
    # in a fresh process: no forking inside the (threaded) test runner
    code = textwrap.dedent("""
        import os, time
        from policy_archive import parallel
        parallel._Ends.make = classmethod(lambda cls, count: None)  # no memfd or lockf here
        parent = os.getpid()
        def work(x):
            time.sleep(0.005)  # long enough for the child to take runs too
            return x * x, os.getpid() == parent
        out = parallel.map_items(work, list(range(40)), jobs=2, runs_per_job=4,
                                 cost=lambda i: 40 - i)
        print([v for v, _ in out] == [x * x for x in range(40)],
              0 < sum(here for _, here in out) < 40)
    """)
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "True"]


def test_side_work_runs_after_the_forks_when_items_are_dealt_in_advance() -> None:
    # in a fresh process: no forking inside the (threaded) test runner
    code = textwrap.dedent("""
        import threading
        from policy_archive import parallel
        parallel._pipe_size = lambda fd: 0  # as if the items were too many for the pipe
        threads_at_fork = []
        real = parallel._Child.__init__
        def counting(self, fn):
            threads_at_fork.append(threading.active_count())
            real(self, fn)
        parallel._Child.__init__ = counting
        started, done = [], threading.Event()
        def side():  # starts a thread that lives on, as the build's writer does
            t = threading.Thread(target=done.wait)
            t.start()
            started.append(t)
            yield
        out = parallel.map_items(lambda x: x + 1, list(range(20)), jobs=2, side=side)
        done.set()
        started[0].join()
        print(out == list(range(1, 21)), threads_at_fork == [1], len(started) == 1)
    """)
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True"] * 3


def test_a_child_that_dies_is_replaced_by_doing_the_work_here() -> None:
    # in a fresh process: no forking inside the (threaded) test runner
    code = textwrap.dedent("""
        import os
        from policy_archive import parallel
        parent = os.getpid()
        def work(x):
            if x == 3 and os.getpid() != parent:
                os._exit(9)  # a worker killed half-way
            return x * x
        print(parallel.map_items(work, list(range(8)), jobs=2))
        got = {}
        def keep(i, value):
            assert i not in got  # once each
            got[i] = value
        print(parallel.map_items(work, list(range(8)), jobs=2, runs_per_job=2,
                                 cost=lambda i: 8 - i, on_result=keep))
        print(sorted(got.items()) == [(x, x * x) for x in range(8)])
        def fails():
            raise ValueError("in the child")
        try:
            parallel.background(fails).result()
        except ValueError as e:
            print("raised", e)
    """)
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [str([x * x for x in range(8)])] * 2 + [
        "True", "raised in the child"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 50), max_size=40), st.integers(1, 12))
def test_runs_of_neighbours_cover_every_item_once_in_order(costs: list[int],
                                                           wanted: int) -> None:
    runs = parallel._runs(len(costs), wanted, costs.__getitem__)
    assert [i for run in runs for i in run] == list(range(len(costs)))
    assert len(runs) <= max(wanted, 1) and all(runs[1:])
    if len(costs) >= wanted and len(set(costs)) == 1 and costs[0] > 0:
        assert len(runs) == wanted  # equal costs: equal runs
        assert max(map(len, runs)) - min(map(len, runs)) <= 1


# --- heavy imports only where needed -----------------------------------------------------


IMPORTS = textwrap.dedent("""
    import datetime, sys
    from pathlib import Path
    from policy_archive.builder import build
    from policy_archive.cache import Cache
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


def test_progress_bar_of_a_long_build_on_a_terminal(medium: Path, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "SOURCE_DATE_EPOCH")}
    # a cold serial build of the medium archive takes seconds: the bar shows
    shown = _build_on_a_terminal(medium, tmp_path / "a", env)
    assert "building ▕" in shown and "pages" in shown
    in_ci = _build_on_a_terminal(medium, tmp_path / "b", {**env, "CI": "true"})
    assert "building" not in in_ci
    logged = subprocess.run([sys.executable, str(BUILD_PY), "build", "--root", str(medium),
                             "--out", str(tmp_path / "c"), "--as-of", "2026-11-26",
                             "--no-cache"], capture_output=True, text=True, env=env)
    assert logged.returncode == 0 and logged.stderr == ""


def test_a_build_pauses_the_garbage_collector_and_restores_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import gc

    from policy_archive import builder

    seen: list[bool] = []

    def fake(*args: object, **kw: object) -> BuildResult:
        seen.append(gc.isenabled())
        if kw.get("drafts"):
            raise ContentError.single("x.md", 1, "broken")
        return BuildResult(0, 0, 0)

    monkeypatch.setattr(builder, "_build", fake)
    was = gc.isenabled()
    try:
        gc.enable()
        build(tmp_path, tmp_path / "o", AS_OF)
        assert seen == [False] and gc.isenabled()
        with pytest.raises(ContentError):
            build(tmp_path, tmp_path / "o", AS_OF, drafts=True)
        assert seen == [False, False] and gc.isenabled()  # restored after a failure too
        gc.disable()
        build(tmp_path, tmp_path / "o", AS_OF)
        assert not gc.isenabled()  # left as it was
    finally:
        (gc.enable if was else gc.disable)()
