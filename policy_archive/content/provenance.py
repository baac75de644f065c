"""Provenance: which commit last changed each version file, and the lock of published hashes.

Git is run read-only, as two plain ``git`` processes (``log`` and ``status``) with fixed
argument lists; paths go after ``--``. Not through GitPython (which ``publish`` uses): its
import alone costs more than reading the history, and this runs in every build.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import NamedTuple

from ..foundation.clock import parse_iso_date
from ..foundation.errors import ContentError, Problem
from ..foundation.files import write_atomically
from ..foundation.model import Archive, Translation, Version

LOCK_FILE = "content/versions.lock.json"


class Commit(NamedTuple):
    hexsha: str
    date: dt.date  # the committer's date

    @property
    def short(self) -> str:
        return self.hexsha[:10]


class GitHistory(NamedTuple):
    """For each file: the last commit that changed it, and dates on which it was modified."""

    last: Mapping[str, Commit]
    modified: Mapping[str, tuple[dt.date, ...]]
    in_git: bool


def _repo_root(root: Path) -> Path | None:
    for p in (root.resolve(), *root.resolve().parents):
        if (p / ".git").exists():
            return p
    return None


def repo_prefix(root: Path) -> tuple[Path, str] | None:
    """The repository's top folder and ``root``'s path in it ("" or ending in "/")."""
    top = _repo_root(root)
    if top is None:
        return None
    prefix = root.resolve().relative_to(top).as_posix()
    return top, "" if prefix == "." else prefix + "/"


def git_history(root: Path, sources: Iterable[str]) -> GitHistory:
    """Read the history of ``sources`` (paths relative to ``root``) in one ``git log`` walk."""
    import subprocess  # here, not at start-up: the build reads git in a process of its own

    found = repo_prefix(root)
    wanted = set(sources)
    if found is None or not wanted:
        return GitHistory({}, {}, found is not None)
    top, prefix = found
    folders = ("--", f"{prefix}versions", f"{prefix}content")
    try:
        out = _git(top, "log", "--format=@%H %cs", "--name-status", "--no-renames", "HEAD",
                   *folders)
    except (OSError, subprocess.CalledProcessError):  # no commit yet, or no usable git
        return GitHistory({}, {}, True)
    last: dict[str, Commit] = {}
    modified: dict[str, list[dt.date]] = {}
    commit: Commit | None = None
    for line in out.splitlines():
        if line.startswith("@"):
            sha, _, day = line[1:].partition(" ")
            date = parse_iso_date(day)
            commit = Commit(sha, date) if date else None
        elif line and commit is not None:
            status, _, path = line.partition("\t")
            if not path.startswith(prefix):
                continue
            rel = path[len(prefix):]
            if rel in wanted:
                last.setdefault(rel, commit)
                if status.startswith("M"):
                    modified.setdefault(rel, []).append(commit.date)
    try:
        dirty = _changed_paths(_git(top, "status", "--porcelain=v1", "-z",
                                    "--untracked-files=all", *folders))
    except (OSError, subprocess.CalledProcessError):
        dirty = set()
    for rel in wanted:
        if prefix + rel in dirty:
            last.pop(rel, None)  # the working file is not the committed one
    return GitHistory(last, {k: tuple(v) for k, v in modified.items()}, True)


def _git(top: Path, *args: str) -> str:
    """The output of ``git args`` run in ``top`` (paths unquoted, as UTF-8)."""
    import subprocess

    return subprocess.run(["git", "-c", "core.quotePath=false", *args], cwd=top, check=True,
                          capture_output=True, encoding="utf-8", errors="surrogateescape",
                          stdin=subprocess.DEVNULL).stdout


def _changed_paths(porcelain: str) -> set[str]:
    """Paths (from the repository's top) that differ from HEAD: staged, unstaged or untracked,
    from ``git status --porcelain=v1 -z`` (a rename is followed by its old path)."""
    out: set[str] = set()
    entries = iter(porcelain.split("\0"))
    for entry in entries:
        if len(entry) < 4:
            continue
        out.add(entry[3:])
        if entry[0] in "RC":
            out.add(next(entries, ""))
    return out


def rewrite_warnings(archive: Archive, history: GitHistory) -> list[Problem]:
    """Warn when history shows a version file modified after the version took effect, and
    its text is no longer the one it had then (an edit reverted is no change)."""
    out = []
    for doc in archive.documents:
        for v in doc.versions:
            late = [d for d in history.modified.get(v.source, ()) if d > v.effective]
            if late and not v.errata and not _as_in_force(Path(archive.root), v):
                out.append(Problem(v.source, 1, f"was changed in git on {late[0].isoformat()}, "
                                   f"after it took effect ({v.effective.isoformat()}); a text "
                                   "in force must not change silently: record the correction "
                                   "in 'errata'", "warning"))
    return out


def _as_in_force(root: Path, v: Version) -> bool:
    """Whether ``v``'s text is the one its file held on the day it took effect (the last
    commit on or before it; else its first commit)."""
    import subprocess

    from .frontmatter import body_sha256, split_front_matter

    found = repo_prefix(root)
    if found is None:
        return False
    top, prefix = found
    try:
        log = _git(top, "log", "--format=%H %cs", "--no-renames", "HEAD", "--",
                   prefix + v.source).split()
    except (OSError, subprocess.CalledProcessError):
        return False
    commits = list(zip(log[::2], log[1::2], strict=True))
    then = next((sha for sha, day in commits if day <= v.effective.isoformat()),
                commits[-1][0] if commits else None)
    data = show_file(top, then, prefix + v.source) if then else None
    try:
        text = data.decode("utf-8").removeprefix("\ufeff").replace("\r\n", "\n") \
            if data is not None else None
        body = split_front_matter(text, v.source, required=True).body if text else None
    except (UnicodeDecodeError, ContentError):
        return False
    return body is not None and body_sha256(body) == v.sha256


# --- the lock of published hashes -------------------------------------------------------


class LockEntry(NamedTuple):
    sha256: str
    locked: dt.date


def read_lock(root: Path) -> dict[str, LockEntry]:
    """The lock file's entries: ``slug/date`` for a version, ``slug/date.lang`` for its
    translation into ``lang`` (a lock written before translations were locked has none)."""
    path = root / LOCK_FILE
    if not path.exists() and not path.is_symlink():  # a FIFO or a link is refused below
        return {}
    from ..foundation.inputs import read_bytes

    return parse_lock(read_bytes(path, LOCK_FILE, root), LOCK_FILE)


def parse_lock(data: bytes, shown: str) -> dict[str, LockEntry]:
    import json

    try:
        entries = json.loads(data.decode("utf-8"))["versions"]
        out = {}
        for key, e in entries.items():
            locked = parse_iso_date(e["locked"])
            if locked is None or not isinstance(e["sha256"], str):
                raise ValueError(key)
            out[key] = LockEntry(e["sha256"], locked)
        return out
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError) as e:
        raise ContentError.single(shown, 1, f"is not a valid lock file ({e}); restore it "
                                  "from git or run 'policy-archive lock'") from None


def committed_lock(root: Path) -> dict[str, LockEntry]:
    """The lock file as the last commit (``HEAD``) holds it; empty outside git or when the
    commit holds none."""
    found = repo_prefix(root)
    if found is None:
        return {}
    top, prefix = found
    data = show_file(top, "HEAD", prefix + LOCK_FILE)
    return parse_lock(data, f"{LOCK_FILE} (as committed)") if data is not None else {}


def show_file(top: Path, rev: str, path: str) -> bytes | None:
    """A file as commit ``rev`` holds it (``git show``), or None."""
    import subprocess

    try:
        return subprocess.run(["git", "show", f"{rev}:{path}"], cwd=top, check=True,
                              capture_output=True, stdin=subprocess.DEVNULL).stdout
    except (OSError, subprocess.CalledProcessError):
        return None


def lock_key(v: Version) -> str:
    return f"{v.slug}/{v.key}"


def translation_lock_key(t: Translation) -> str:
    return f"{t.slug}/{t.key}.{t.language}"


def write_lock(root: Path, archive: Archive, lock: Mapping[str, LockEntry]) -> int:
    """Record the hash of every version in force or past, and of each of its translations;
    returns how many entries changed. Entries are never removed."""
    entries = dict(lock)
    changed = 0
    published = {(v.slug, v.key) for d in archive.documents for v in d.versions
                 if v.status != "upcoming"}
    hashes = [(lock_key(v), v.sha256) for d in archive.documents for v in d.versions
              if (v.slug, v.key) in published]
    hashes += [(translation_lock_key(t), t.sha256) for t in archive.translations
               if (t.slug, t.key) in published]
    for key, sha256 in hashes:
        if key not in entries or entries[key].sha256 != sha256:
            entries[key] = LockEntry(sha256, archive.as_of)
            changed += 1
    data = {
        "comment": "SHA-256 of each published version's text; written by 'policy-archive "
                   "lock'. Commit this file.",
        "versions": {k: {"sha256": e.sha256, "locked": e.locked.isoformat()}
                     for k, e in sorted(entries.items())},
    }
    import json

    path = root / LOCK_FILE
    write_atomically(path, (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode())
    return changed
