"""Staging: a build's files written into a folder beside the output, then swapped in whole.

Files are written into a temporary folder beside the output (:class:`Staging`), those whose
bytes did not change hard-linked from the current output; the folder is swapped in with two
renames. A failed build leaves the previous output as it was; a killed one leaves a
temporary folder that the next build removes (:func:`remove_stale_temporaries`).
:func:`folder_state` tells a later build whether the output is still as this one left it.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterable, Sequence
from pathlib import Path

from ..foundation.files import remove_tree


def _alive(pid_text: str) -> bool:
    try:
        pid = int(pid_text)
    except ValueError:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return pid != os.getpid()


def remove_stale_temporaries(out: Path) -> None:
    """Remove folders left by builds that were killed (their process is gone)."""
    out = out.resolve()
    if not out.parent.is_dir():
        return
    for kind in ("tmp", "old"):
        stale = _left_by_dead(out, kind)
        for path in stale:
            remove_tree(path)


#: The names a :class:`Staging` gives what it leaves beside ``out``, by kind (after
#: ``.<out>.<kind>-``): the process id, then (a temporary folder) a suffix.
_LEFT_NAMES = {"tmp": r"(\d+)-[A-Za-z0-9_]+", "old": r"(\d+)"}


def _left_by_dead(out: Path, kind: str) -> list[str]:
    """The paths beside ``out`` named as a :class:`Staging` names its ``kind`` of leftover
    (``.<out>.<kind>-<pid>…``, a folder, never a link) whose process is gone. Nothing else
    beside ``out`` is ever named."""
    name = re.compile(re.escape(f".{out.name}.{kind}-") + _LEFT_NAMES[kind])
    with os.scandir(out.parent) as entries:
        return [e.path for e in entries if (m := name.fullmatch(e.name))
                and e.is_dir(follow_symlinks=False) and not _alive(m.group(1))]


class Staging:
    """A temporary folder beside ``out`` that the files of a build are written into, then
    swapped in for ``out`` with two renames (:meth:`finish`), or removed (:meth:`discard`).
    A file whose bytes are those of the same file in the current output is hard-linked from
    it instead, once every other file is written (a link changes the linked file's ctime: a
    failed build leaves the output as it was). A build killed meanwhile leaves a temporary
    folder that the next one removes (:func:`remove_stale_temporaries`). :meth:`put` may run
    in forked processes."""

    def __init__(self, out: Path) -> None:
        import tempfile

        self.out = out.resolve()
        self.out.parent.mkdir(parents=True, exist_ok=True)
        remove_stale_temporaries(self.out)
        self.tmp = tempfile.mkdtemp(prefix=f".{self.out.name}.tmp-{os.getpid()}-",
                                    dir=self.out.parent)
        self.fresh = not self.out.exists()  # no earlier output: nothing to compare
        self.files = 0
        self._folders = {self.tmp}

    def put(self, rel: str, data: bytes) -> tuple[str, str] | None:
        """Write one file; or, when the current output has the same bytes, return the
        (old, new) paths to link at the end."""
        self.files += 1
        old, target = self.link(rel)
        if not self.fresh and _unchanged(Path(old), data):
            return old, target
        with open(target, "wb") as f:
            f.write(data)
        return None

    def link(self, rel: str) -> tuple[str, str]:
        """The (old, new) paths to link at the end for a file known to be unchanged (the
        new one's folder made)."""
        target = os.path.join(self.tmp, rel)
        folder = os.path.dirname(target)
        if folder not in self._folders:
            os.makedirs(folder, exist_ok=True)
            self._folders.add(folder)
        return os.path.join(self.out, rel), target

    def finish(self, links: Sequence[tuple[str, str]]) -> int:
        """Link the unchanged files and swap the folder in; how many files were written anew
        (of those :meth:`put` here, less ``links``, which may come from any process)."""
        written = self._make_links(links)
        os.chmod(self.tmp, 0o755)
        if not self.out.exists():
            os.rename(self.tmp, self.out)
            return written
        old_dir = self.out.parent / f".{self.out.name}.old-{os.getpid()}"
        os.rename(self.out, old_dir)
        os.rename(self.tmp, self.out)
        remove_tree(old_dir)
        return written

    @staticmethod
    def _make_links(links: Sequence[tuple[str, str]]) -> int:
        """Hard-link each (old, new); how many had to be copied instead."""
        copied = 0
        for old, new in links:
            try:
                os.link(old, new)
            except OSError:  # gone meanwhile, or links not supported: write it
                Path(new).write_bytes(Path(old).read_bytes())
                copied += 1
        return copied

    def discard(self) -> None:
        """Remove the temporary folder."""
        remove_tree(self.tmp)


def write_site(out: Path, files: Iterable[tuple[str, bytes]]) -> int:
    """Write ``files`` (site path, bytes) through a :class:`Staging` folder; returns how
    many were written anew. On failure the temporary folder is removed."""
    stage = Staging(out)
    try:
        links = [link for rel, data in files if (link := stage.put(rel, data)) is not None]
        return stage.finish(links) + stage.files - len(links)
    except BaseException:
        stage.discard()
        raise


def _unchanged(old: Path, data: bytes) -> bool:
    try:
        return old.is_file() and old.stat().st_size == len(data) and old.read_bytes() == data
    except OSError:
        return False


def folder_state(out: Path) -> dict[str, tuple[int, ...]]:
    """Every file under ``out`` with its size, modification and change times and inode (any
    write, replacement or ``touch`` changes one of them), and every folder (``"dir/"``)."""
    state: dict[str, tuple[int, ...]] = {}
    prefix = len(str(out)) + 1

    def walk(folder: str) -> None:
        with os.scandir(folder) as entries:
            for e in entries:
                st = e.stat(follow_symlinks=False)
                rel = e.path[prefix:].replace(os.sep, "/")
                if stat.S_ISDIR(st.st_mode):
                    state[rel + "/"] = ()
                    walk(e.path)
                else:
                    state[rel] = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino,
                                  st.st_mode)
    try:
        walk(str(out))
    except OSError:
        return {}
    return state
