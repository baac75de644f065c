"""An output folder is the tool's own, or refused (issue 33, "--out deletes whatever it
names"): ``build``, ``serve`` and ``publish`` refuse an ``--out`` or ``--cache-dir`` that is or
holds the project, lies in a folder the build reads, is a file or a link, or holds what no
build made, with exit status 2, a message naming the path and the rule, and nothing changed
anywhere (every file's SHA-256 and every entry of the whole test folder, before and after)."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from projects import git, make_project, write
from support.building import run_in_process
from support.forked import run_forked

AS_OF = "2024-01-01"
MARKER = ".policy-archive"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project built once into its default ``site/`` (so it has a cache too), with its own
    ``templates/``, and a folder of someone else's files beside it."""
    w = tmp_path_factory.mktemp("template")
    root = make_project(w / "proj")
    write(root / "templates" / "static" / "extra.css", "p { margin: 0 }\n")
    r = run_in_process("build", "--root", str(root), "--as-of", AS_OF, "-q")
    assert r.code == 0, r.err
    write(w / "docs" / "thesis.txt", "years of work\n")
    write(w / "notes.txt", "a file\n")
    return w


@pytest.fixture
def work(template: Path, tmp_path: Path) -> Path:
    w = tmp_path / "w"
    shutil.copytree(template, w, symlinks=True)
    return w


def digest(folder: Path) -> dict[str, str]:
    """Every entry under ``folder``: a file's SHA-256, a link's target, ``dir`` or the kind."""
    out: dict[str, str] = {}
    for base, dirs, files in os.walk(folder):
        for name in [*dirs, *files]:
            path = os.path.join(base, name)
            rel = os.path.relpath(path, folder)
            if os.path.islink(path):
                out[rel] = "link " + os.readlink(path)
            elif os.path.isdir(path):
                out[rel] = "dir"
            elif os.path.isfile(path):
                with open(path, "rb") as f:
                    out[rel] = hashlib.sha256(f.read()).hexdigest()
            else:
                out[rel] = "special"
    return out


# Each case: (set up in the work folder w, return the value of the option), the rule the
# message must name.
Setup = Callable[[Path], str]


def _link(w: Path, name: str, target: Path) -> str:
    os.symlink(target, w / name)
    return str(w / name)


def _fifo(w: Path) -> str:
    os.mkfifo(w / "fifo")
    return str(w / "fifo")


def _legacy_with(w: Path, extra: str) -> str:
    """An earlier build's folder, made to look like a previous version's (no marker), with a
    file of someone else's at its top."""
    shutil.copytree(w / "proj" / "site", w / "old", symlinks=True)
    (w / "old" / MARKER).unlink()
    write(w / "old" / extra, "mine\n")
    return str(w / "old")


def _fake_record(w: Path) -> str:
    """A folder with the files a build writes, but a versions.json of another shape."""
    for name in ("index.html", "sitemap.xml"):
        write(w / "fake" / name, "x")
    write(w / "fake" / "versions.json", json.dumps({"documents": "none"}))
    return str(w / "fake")


def _wrong_marker(w: Path) -> str:
    write(w / "marked" / MARKER, "something else\n")
    write(w / "marked" / "data.txt", "precious\n")
    return str(w / "marked")


def _shared_templates(w: Path, out: str) -> str:
    """The project's templates/ is a link to a folder outside it; the option names ``out``
    (relative to that folder)."""
    shutil.move(w / "proj" / "templates", w / "shared" / "tpl")
    os.symlink(w / "shared" / "tpl", w / "proj" / "templates")
    return str((w / "shared" / "tpl" / out).resolve())


OUT_REFUSED: list[tuple[str, Setup, str]] = [
    ("the project", lambda w: str(w / "proj"), "is the project folder"),
    ("the project, relative", lambda w: "proj/.", "is the project folder"),
    ("content/", lambda w: str(w / "proj" / "content"), "is content/"),
    ("inside content/, missing", lambda w: str(w / "proj" / "content" / "new"),
     "lies inside content/"),
    ("versions/", lambda w: str(w / "proj" / "versions"), "is versions/"),
    ("inside versions/", lambda w: str(w / "proj" / "versions" / "privacy"),
     "lies inside versions/"),
    ("templates/", lambda w: str(w / "proj" / "templates"), "is templates/"),
    ("templates/static", lambda w: str(w / "proj" / "templates" / "static"),
     "lies inside templates/"),
    ("linked templates/, where it is", lambda w: _shared_templates(w, "."), "is templates/"),
    ("what holds linked templates/", lambda w: _shared_templates(w, ".."), "holds templates/"),
    ("the project's parent", lambda w: str(w), "holds the project"),
    ("the project's parent, with ..", lambda w: str(w / "proj" / ".."), "holds the project"),
    ("an unrelated folder", lambda w: str(w / "docs"), "no build made it"),
    ("a regular file", lambda w: str(w / "notes.txt"), "is a regular file"),
    ("a file in the project", lambda w: str(w / "proj" / "content" / "site.yaml"),
     "is a regular file"),
    ("a FIFO", _fifo, "is not a folder"),
    ("under a file", lambda w: str(w / "notes.txt" / "site"), "which is not a folder"),
    ("a link to a folder", lambda w: _link(w, "ln", w / "docs"), "is a symbolic link"),
    ("a link to an earlier build", lambda w: _link(w, "ln", w / "proj" / "site"),
     "is a symbolic link"),
    ("a link to nothing", lambda w: _link(w, "ln", w / "missing"), "is a symbolic link"),
    ("a link with a slash", lambda w: _link(w, "ln", w / "docs") + "/", "is a symbolic link"),
    ("under a link into content/",
     lambda w: _link(w, "ln", w / "proj" / "content") + "/site", "lies inside content/"),
    ("the build cache", lambda w: str(w / "proj" / ".cache" / "policy_archive"),
     "no build made it"),
    ("the cache's parent", lambda w: str(w / "proj" / ".cache"),
     "holds the build cache|no build made it"),  # publish uses no cache
    ("a marker of other bytes", _wrong_marker, "no build made it"),
    ("a versions.json of another shape", _fake_record, "no build made it"),
    ("an old build with a file added", lambda w: _legacy_with(w, "CNAME"), "no build made it"),
]


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """The command in this process; ``serve`` in a process of its own (it starts a server
    when nothing is refused: the timeout fails such a case), forked from one that has the
    package imported."""
    if args[0] != "serve":
        r = run_in_process(*args, cwd=cwd)
        return subprocess.CompletedProcess(list(args), r.code, r.out, r.err)
    code, err = run_forked(*args, cwd=cwd, timeout=60)
    return subprocess.CompletedProcess(list(args), code, "", err)


COMMANDS = {
    "build": ["build", "--as-of", AS_OF],
    "serve": ["serve", "--as-of", AS_OF, "--port", "0"],
    "publish": ["publish"],
}


def refused(work: Path, option: str, setup: Setup, rule: str, command: str,
            extra: tuple[str, ...] = ()) -> None:
    given = setup(work)
    before = digest(work)
    r = run(*COMMANDS[command], "--root", str(work / "proj"), option, given, *extra, cwd=work)
    assert r.returncode == 2, (r.stdout, r.stderr)
    first = r.stderr.splitlines()[0]
    assert f"{option} {Path(given)}: " in first, r.stderr
    assert any(one in first for one in rule.split("|")), r.stderr
    assert "Traceback" not in r.stderr
    assert digest(work) == before


@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize(("setup", "rule"), [c[1:] for c in OUT_REFUSED],
                         ids=[c[0] for c in OUT_REFUSED])
def test_an_output_folder_not_ours_is_refused_and_nothing_changes(
        work: Path, setup: Setup, rule: str, command: str) -> None:
    refused(work, "--out", setup, rule, command)


def _cache_link(w: Path) -> str:
    return _link(w, "cl", w / "proj" / ".cache" / "policy_archive")


CACHE_REFUSED: list[tuple[str, Setup, str]] = [
    ("the project", lambda w: str(w / "proj"), "is the project folder"),
    ("the project's parent", lambda w: str(w), "holds the project"),
    ("versions/", lambda w: str(w / "proj" / "versions"), "is versions/"),
    ("inside versions/", lambda w: str(w / "proj" / "versions" / "c"),
     "lies inside versions/"),
    ("content/", lambda w: str(w / "proj" / "content"), "is content/"),
    ("inside content/", lambda w: str(w / "proj" / "content" / "c"), "lies inside content/"),
    ("templates/", lambda w: str(w / "proj" / "templates"), "is templates/"),
    ("an unrelated folder", lambda w: str(w / "docs"), "not a build cache"),
    ("an earlier build", lambda w: str(w / "proj" / "site"), "holds no .gitignore"),
    ("a regular file", lambda w: str(w / "notes.txt"), "is a regular file"),
    ("a FIFO", _fifo, "is not a folder"),
    ("a link to the cache", _cache_link, "is a symbolic link"),
]


@pytest.mark.parametrize("command", ["build", "serve"])
@pytest.mark.parametrize(("setup", "rule"), [c[1:] for c in CACHE_REFUSED],
                         ids=[c[0] for c in CACHE_REFUSED])
def test_a_cache_folder_not_ours_is_refused_and_nothing_changes(
        work: Path, setup: Setup, rule: str, command: str) -> None:
    refused(work, "--cache-dir", setup, rule, command, ("--out", str(work / "new")))


@pytest.mark.parametrize("command", ["build", "serve"])
@pytest.mark.parametrize(("out", "cache", "rule"), [
    ("new", "new", "--cache-dir {w}/new: is the output folder"),
    ("new", "new/cache", "--out {w}/new: holds the build cache"),
    ("proj/site", "proj/site/c", "--out {w}/proj/site: holds the build cache"),
], ids=["the same folder", "the cache inside a new output", "the cache inside the site"])
def test_an_output_and_a_cache_that_hold_each_other_are_refused(
        work: Path, command: str, out: str, cache: str, rule: str) -> None:
    before = digest(work)
    r = run(*COMMANDS[command], "--root", str(work / "proj"), "--out", str(work / out),
            "--cache-dir", str(work / cache), cwd=work)
    assert r.returncode == 2, r.stderr
    assert rule.format(w=work) in r.stderr
    assert digest(work) == before


def _legacy(w: Path) -> str:
    """The project's site/ as the previous version of the tool left it: no marker."""
    (w / "proj" / "site" / MARKER).unlink()
    return str(w / "proj" / "site")


def _linked_parent(w: Path) -> str:
    (w / "real").mkdir()
    return _link(w, "up", w / "real") + "/site"


ALLOWED: list[tuple[str, Setup]] = [
    ("a missing folder", lambda w: str(w / "new" / "site")),
    ("an empty folder", lambda w: (w / "empty").mkdir() or str(w / "empty")),
    ("the default site/, built before", lambda w: str(w / "proj" / "site")),
    ("site/ built by the previous version", _legacy),
    ("inside the cache, as serve's preview",
     lambda w: str(w / "proj" / ".cache" / "policy_archive" / "preview")),
    ("a folder under a linked parent", _linked_parent),
]


@pytest.mark.parametrize("setup", [c[1] for c in ALLOWED], ids=[c[0] for c in ALLOWED])
def test_an_output_folder_of_ours_or_new_is_built(work: Path, setup: Setup) -> None:
    out = Path(setup(work))
    r = run("build", "--as-of", AS_OF, "--root", str(work / "proj"), "--out", str(out),
            cwd=work)
    assert r.returncode == 0, r.stderr
    assert (out / MARKER).read_bytes() == \
        b"policy-archive output folder: each build replaces this folder whole\n"
    assert (out / "versions.json").is_file()
    again = run("build", "--as-of", AS_OF, "--root", str(work / "proj"), "--out", str(out),
                cwd=work)
    assert again.returncode == 0, again.stderr  # and the folder is known as ours after


def test_the_default_site_of_the_previous_version_is_rebuilt_without_options(
        work: Path) -> None:
    _legacy(work)
    r = run("build", "--as-of", AS_OF, cwd=work / "proj")
    assert r.returncode == 0, r.stderr
    assert (work / "proj" / "site" / MARKER).is_file()


@pytest.mark.parametrize("cache", [
    lambda w: str(w / "new-cache"),
    lambda w: (w / "empty").mkdir() or str(w / "empty"),
    lambda w: str(w / "proj" / ".cache" / "policy_archive"),
], ids=["a missing folder", "an empty folder", "an earlier build's cache"])
def test_a_cache_folder_of_ours_or_new_is_used(work: Path, cache: Setup) -> None:
    folder = Path(cache(work))
    r = run("build", "--as-of", AS_OF, "--root", str(work / "proj"), "--out",
            str(work / "out"), "--cache-dir", str(folder), cwd=work)
    assert r.returncode == 0, r.stderr
    assert (folder / ".gitignore").is_file() and (folder / "markdown").is_dir()


def test_the_marker_is_not_published_and_an_old_site_publishes(work: Path) -> None:
    root = work / "proj"
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "content", "versions", "templates")
    git(root, "commit", "-qm", "content")
    assert run("build", "--as-of", AS_OF, "--root", str(root), cwd=work).returncode == 0
    _legacy(work)
    r = run("publish", "--root", str(root), cwd=work)
    assert r.returncode == 0, r.stderr
    first = git(root, "ls-tree", "-r", "--name-only", "gh-pages").splitlines()
    assert "versions.json" in first and MARKER not in first
    assert run("build", "--as-of", AS_OF, "--root", str(root), cwd=work).returncode == 0
    assert (root / "site" / MARKER).is_file()
    r = run("publish", "--root", str(root), cwd=work)
    assert r.returncode == 0, r.stderr
    assert "unchanged" in r.stdout  # the marker alone makes no new commit


def _dead_pid() -> int:
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid


def test_the_swap_removes_only_its_own_leftovers(work: Path) -> None:
    """Beside the output, a dead build's temporary and old folders go; anything else named
    like them (not a process id, a link, a file where a folder would be, a journal naming
    folders elsewhere) stays as it is."""
    pid = _dead_pid()
    proj = work / "proj"
    ours = [proj / f".site.tmp-{pid}-abc123", proj / f".site.old-{pid}"]
    for folder in ours:
        write(folder / "index.html", "left by a killed build")
    theirs = {
        ".site.tmp-backup/keep.txt": "mine",
        ".site.old-backup-2019/keep.txt": "mine",
        f".site.old-{pid}x/keep.txt": "mine",
        f".site.old-{pid}-notes/keep.txt": "mine",
    }
    for rel, text in theirs.items():
        write(proj / rel, text)
    write(proj / f".site.old-{pid}0", "a file, not a folder")
    os.symlink(work / "docs", proj / f".site.tmp-{pid}-link")
    journal = proj / f".site.moved-{pid}-.site.tmp-{pid}-zzz"
    journal.write_text(json.dumps({"staging": str(work / "docs"), "old": str(work / "docs"),
                                   "folders": ["../../docs"]}))
    os.mkfifo(proj / f".site.moved-{pid}-.site.tmp-{pid}-fifo")  # never opened: no hang
    mine = [os.path.relpath(f, work) for f in ours]
    kept = {k: v for k, v in digest(work).items()
            if not any(k == f or k.startswith(f + "/") for f in mine)}
    r = run("build", "--as-of", "2024-06-01", "--root", str(proj), cwd=work)
    assert r.returncode == 0, r.stderr
    after = digest(work)
    assert not any(f.exists() for f in ours)
    for rel, value in kept.items():
        if not rel.startswith(("proj/site", "proj/.cache")):
            assert after.get(rel) == value, rel


@pytest.mark.parametrize("make", [
    lambda w: (w / "notes.txt"),
    lambda w: Path(_link(w, "ln", w / "missing")),
], ids=["a regular file", "a link to nothing"])
def test_init_refuses_what_is_not_a_folder(work: Path, make: Callable[[Path], Path]) -> None:
    target = make(work)
    before = digest(work)
    r = run("init", str(target), "--as-of", AS_OF, "--package", "policy-archive==0.1.0",
            cwd=work)
    assert r.returncode == 1 and f"{target}:1: is a file" in r.stderr, r.stderr
    assert "Traceback" not in r.stderr
    assert digest(work) == before
