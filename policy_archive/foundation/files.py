"""Hashes and writes every module shares: a text's SHA-256, a hash of parts or of folders,
a file written whole or not at all.

One implementation of each, so that two places never hash the same thing two ways.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Sequence
from pathlib import Path

from .inputs import digest as file_digest


def sha256_text(text: str) -> str:
    """SHA-256 of ``text`` in UTF-8, as hex: how texts are named everywhere."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def digest(*parts: str | bytes) -> str:
    """SHA-256 of ``parts``, each length-prefixed so that no two lists of parts collide."""
    h = hashlib.sha256()
    for p in parts:
        b = p.encode("utf-8") if isinstance(p, str) else p
        h.update(len(b).to_bytes(8, "little"))
        h.update(b)
    return h.hexdigest()


def folder_parts(folders: Sequence[Path], top: Callable[[int, Path], Path]
                 ) -> list[str | bytes]:
    """Every file under ``folders`` (in a fixed order) as two parts for :func:`digest`: its
    name (the folder's number and the path in it, any bytes) and its content's hash, read
    as a project file under ``top(number, folder)`` (:func:`.inputs.digest`: a file it
    refuses hashes as a marker)."""
    parts: list[str | bytes] = []
    for n, folder in enumerate(folders):
        for base, dirs, names in os.walk(folder):
            dirs.sort()
            for name in sorted(names):
                path = os.path.join(base, name)
                parts.append(os.fsencode(f"{n}:{os.path.relpath(path, folder)}"))
                parts.append(file_digest(path, top(n, folder)))
    return parts


def write_atomically(path: Path, data: bytes, mode: int = 0o644) -> None:
    """Write ``data`` to ``path`` whole or not at all: into a temporary file beside it,
    renamed over it; the temporary file is removed on failure."""
    import tempfile

    fd, tmp = tempfile.mkstemp(prefix=f".{path.name[:16]}.", suffix=".tmp",
                               dir=path.parent if str(path.parent) else ".")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def write_new(path: Path, data: bytes, mode: int = 0o666) -> None:
    """Write ``data`` to ``path`` whole, where no file is: into a temporary file beside it,
    then hard-linked as ``path``, which raises FileExistsError when a file appeared there
    meanwhile (nothing is ever overwritten); the temporary file is removed either way.
    ``mode`` is masked by the umask, as for any new file."""
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    with os.fdopen(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode), "wb") as f:
        f.write(data)
    try:
        os.link(tmp, path)
    finally:
        tmp.unlink()


def remove_tree(folder: Path | str) -> None:
    """Remove ``folder`` and everything in it, ignoring what is gone already: its top-level
    entries by several threads at once (on ext4 a site's thousands of page folders come
    down about ten times faster so: bench/README.md)."""
    import shutil
    from concurrent.futures import ThreadPoolExecutor

    try:
        entries = [e.path for e in os.scandir(folder) if e.is_dir(follow_symlinks=False)]
    except OSError:
        return
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(lambda path: shutil.rmtree(path, ignore_errors=True), entries))
    shutil.rmtree(folder, ignore_errors=True)
