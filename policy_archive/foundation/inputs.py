"""Reading the project's own files, and nothing else.

Every input a build reads — ``content/site.yaml``, version files, translations, drafts, the
lock file, templates and static files — goes through :func:`read_bytes`. A file must

- lie in the project: its real path (every symbolic link followed) is inside the project's
  root. A link from one place in the project to another is allowed (the text published is
  still the project's own, committed with it); a link that leads outside is refused;
- be a regular file: a FIFO, a device or a socket is refused from ``stat`` alone, never
  opened (a FIFO would block, ``/dev/zero`` never ends); the file is opened non-blocking and
  checked again on the open descriptor, so a file swapped in between is refused too;
- hold at most :data:`MAX_INPUT_BYTES`; no more than that is ever read.

Refusals are :class:`~.errors.ContentError` at line 1 of the file, as ``path: message``.
"""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

from .errors import ContentError

#: The largest input file read, in bytes (8 MiB): a policy's text is some hundred KB.
MAX_INPUT_BYTES = 8 * 1024 * 1024

_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
          (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
          (stat.S_ISSOCK, "a socket"))
_FLAGS = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)


def inside(path: Path | str, root: Path | str) -> bool:
    """Whether ``path``, every link followed, lies in the folder ``root`` (or is it)."""
    return _within(os.path.realpath(path), root)


def _within(real: str, root: Path | str) -> bool:
    top = os.path.realpath(root)
    return real == top or real.startswith(top.rstrip(os.sep) + os.sep)


def outside_problem(path: Path, root: Path) -> str | None:
    """The message for ``path`` when it leads out of the project ``root``, else None."""
    real = os.path.realpath(path)
    return None if _within(real, root) else _outside(real)


def _outside(real: str) -> str:
    return (f"is a link to {real}, outside the project: only the project's own files are "
            "read; copy the file into the project instead")


def _kind(mode: int) -> str | None:
    """What a non-regular file is ("a FIFO (named pipe)"), None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def _refuse_mode(mode: int, shown: str) -> None:
    kind = _kind(mode)
    if kind is not None:
        raise ContentError.single(shown, 1, f"is {kind}, not a regular file: only regular "
                                            "files are read")


def _refuse_size(size: int, shown: str) -> None:
    if size > MAX_INPUT_BYTES:
        raise ContentError.single(shown, 1, f"is larger than {MAX_INPUT_BYTES // 1024 // 1024}"
                                            " MiB, the most an input file may hold")


def read_bytes(path: Path, shown: str, root: Path | None) -> bytes:
    """The bytes of the project file ``path`` (``shown`` in messages), inside ``root``;
    ``root`` None: a file named on the command line, read from anywhere, but still only a
    regular file within the size cap. Raises ContentError."""
    real = os.path.realpath(path)
    if root is not None and not _within(real, root):
        raise ContentError.single(shown, 1, _outside(real))
    try:
        _refuse_mode(os.stat(real).st_mode, shown)
        fd = os.open(real, _FLAGS)
    except OSError as e:
        raise ContentError.single(shown, 1, f"cannot be read: {e.strerror}") from None
    with os.fdopen(fd, "rb") as f:
        info = os.fstat(f.fileno())
        _refuse_mode(info.st_mode, shown)
        _refuse_size(info.st_size, shown)
        data = f.read(MAX_INPUT_BYTES + 1)
    _refuse_size(len(data), shown)
    return data


def digest(path: Path | str, root: Path) -> bytes:
    """SHA-256 of a project file for change detection; a file :func:`read_bytes` refuses
    gives a fixed marker instead (the build that reads it reports why)."""
    try:
        return hashlib.sha256(read_bytes(Path(path), str(path), root)).digest()
    except ContentError:
        return b"refused"
