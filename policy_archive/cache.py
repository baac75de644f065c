"""The on-disk cache: results keyed by the hashes of their inputs, reused across builds.

Three things are kept:

* ``markdown``: a Markdown text rendered to blocks and HTML (:class:`~.model.RenderedText`),
  keyed by the SHA-256 of the text;
* ``views``: the diff of two texts in all its presentations (summary, redline, side by
  side, 新旧対照表), keyed by the hashes of the two texts plus the language, column order
  and labels shown. The diff itself is not kept: reading a pickled diff back takes longer
  than computing it again (3.9 ms against 2.2 ms for two 40 KB versions);
* ``jinja``: the project's own compiled templates (Jinja2 bytecode), checked against the
  template source (the built-in templates' are kept with the program: :data:`PROGRAM_FOLDER`);

plus one ``stamp`` per output folder: the hash of every input of the last build into it (of
its build date, the period between the days on which something was due around it), and the
hash of every file it wrote, so that a build with nothing changed can stop early (see
:mod:`~.builder`).

``markdown`` and ``views`` entries live in one pack file per kind (``<cache dir>/<kind>/pack``),
read once and written once per build (:meth:`Cache.save`, streaming the values pickled one
at a time) with the entries that build used, each with its own SHA-256. Creating a file is
the costliest thing a cold build asks of some disks (here, ext4 without a journal: ~1 ms a
file soon after many were deleted nearby, see bench/README.md), and a pack also keeps the
cache from growing with entries no build uses any more. ``jinja`` and ``stamp`` entries are
one file each (``<cache dir>/<kind>/<key>``): a project's own templates are compiled into
the cache by another process while the build runs.

Every key also holds :func:`code_version`, a hash of this package's source and of the
versions of the libraries whose behaviour shapes the output, so a changed program never
reuses old results. A file is written to a temporary file and renamed into place, and is
stored with the SHA-256 of its content: an entry (or pack) that is missing, truncated,
corrupt or unreadable is a miss (it is computed again), never an error. A cache folder that
cannot be written just stops caching. Entries are pickles: the cache folder is trusted like
the project's own ``__pycache__``.

The default folder is ``<root>/.cache/policy_archive/`` (it ignores itself in git).
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import pickle
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from . import parallel

V = TypeVar("V")

MAGIC = b"policy-archive-cache-1\n"
#: A pack: this, then per entry its key (64 characters), the payload's length (8 bytes, little
#: endian), its SHA-256 and the payload.
PACK_MAGIC = b"policy-archive-pack-1\n"
_ENTRY_HEAD = 64 + 8 + 32
#: Libraries whose code shapes the output: a new version of any of them is a new program.
LIBRARIES = ("markdown_it", "mdurl", "nh3", "cydifflib", "jinja2", "markupsafe", "yaml")
PACKAGE = Path(__file__).resolve().parent


def digest(*parts: str | bytes) -> str:
    """SHA-256 of ``parts``, each length-prefixed so that no two lists of parts collide."""
    h = hashlib.sha256()
    for p in parts:
        b = p.encode("utf-8") if isinstance(p, str) else p
        h.update(len(b).to_bytes(8, "little"))
        h.update(b)
    return h.hexdigest()


@lru_cache(maxsize=1)
def code_version() -> str:
    """A hash of this package's source files and of the installed versions of LIBRARIES
    (found without importing them: the path, size and modification time of each one's
    ``__init__`` file, which an upgrade rewrites)."""
    parts: list[str | bytes] = [sys.version]
    for path in sorted(PACKAGE.glob("*.py")):
        parts += [path.name, path.read_bytes()]
    for name in LIBRARIES:
        spec = importlib.util.find_spec(name)
        origin = spec.origin if spec is not None and spec.origin else ""
        try:
            st = os.stat(origin)
            parts += [name, origin, f"{st.st_size}:{st.st_mtime_ns}"]
        except OSError:
            parts += [name, "missing"]
    return digest(*parts)


def default_folder(root: Path) -> Path:
    return root / ".cache" / "policy_archive"


def ignore_in_git(folder: Path) -> None:
    """Make git ignore ``folder`` (the build cache, the live preview)."""
    marker = folder / ".gitignore"
    if not marker.exists():
        folder.mkdir(parents=True, exist_ok=True)
        marker.write_text("# written by policy_archive: the build cache\n*\n", encoding="utf-8")


class _Unpickled:
    """A value put into a pack during this build, pickled when the pack is written."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value


class _Pickled:
    """A value computed in another process, pickled there, with the SHA-256 of the bytes."""

    __slots__ = ("data", "digest")

    def __init__(self, data: bytes, digest: bytes) -> None:
        self.data = data
        self.digest = digest

    def __reduce__(self) -> tuple[type[_Pickled], tuple[bytes, bytes]]:
        return (_Pickled, (self.data, self.digest))


class Cache:
    """Pickled values by ``(kind, key)``; :attr:`stats` counts hits, misses and bad entries.

    ``Cache(None)`` is a cache that never holds anything (``--no-cache``).
    """

    #: Kinds kept in one pack file each.
    PACKED = ("markdown", "views")

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.stats: Counter[str] = Counter()
        self._writable = folder is not None
        self._folders: set[Path] = set()
        self._packs: dict[str, dict[str, bytes]] = {}  # kind -> key -> payload, as read
        self._used: dict[str, dict[str, bytes | _Unpickled]] = {}  # kind -> key -> this build's
        self._digests: dict[str, bytes] = {}  # key -> SHA-256 of its payload, when known

    @property
    def enabled(self) -> bool:
        return self.folder is not None

    def key(self, *parts: str | bytes) -> str:
        return digest(code_version(), *parts)

    def _path(self, kind: str, key: str) -> Path:
        assert self.folder is not None
        return self.folder / kind / key

    # --- raw bytes ------------------------------------------------------------------

    def get_bytes(self, kind: str, key: str) -> bytes | None:
        if self.folder is None:
            return None
        if kind in self.PACKED:
            found = self._pack(kind).get(key)
            if found is None:
                self.stats[f"{kind} miss"] += 1
                return None
            self._used.setdefault(kind, {})[key] = found
            self.stats[f"{kind} hit"] += 1
            return found
        data = self._read(self._path(kind, key), kind)
        if data is not None:
            self.stats[f"{kind} hit"] += 1
        return data

    def _read(self, path: Path, kind: str) -> bytes | None:
        """The payload of a file written by :meth:`_write`, or None (counted as a miss or a
        bad entry)."""
        try:
            data = path.read_bytes()
        except OSError:
            self.stats[f"{kind} miss"] += 1
            return None
        head = len(MAGIC) + 32
        if (len(data) < head or not data.startswith(MAGIC)
                or hashlib.sha256(data[head:]).digest() != data[len(MAGIC):head]):
            self.stats[f"{kind} bad"] += 1
            return None
        return data[head:]

    def _pack(self, kind: str) -> dict[str, bytes]:
        """The entries of a kind's pack file, read once per build; an entry whose checksum
        fails is left out, and so is everything after a damaged length."""
        if kind not in self._packs:
            entries: dict[str, bytes] = {}
            assert self.folder is not None
            try:
                data = (self.folder / kind / "pack").read_bytes()
            except OSError:
                data = b""
            if data and not data.startswith(PACK_MAGIC):
                self.stats[f"{kind} bad"] += 1
            pos = len(PACK_MAGIC) if data.startswith(PACK_MAGIC) else len(data)
            while pos < len(data):
                head, pos = data[pos:pos + _ENTRY_HEAD], pos + _ENTRY_HEAD
                size = int.from_bytes(head[64:72], "little")
                payload, pos = data[pos:pos + size], pos + size
                if len(head) < _ENTRY_HEAD or len(payload) < size:
                    self.stats[f"{kind} bad"] += 1  # cut short
                    break
                if hashlib.sha256(payload).digest() != head[72:]:
                    self.stats[f"{kind} bad"] += 1
                    continue
                key = head[:64].decode("ascii", "replace")
                entries[key] = payload
                self._digests[key] = head[72:]
            self._packs[kind] = entries
        return self._packs[kind]

    def put_bytes(self, kind: str, key: str, payload: bytes, digest: bytes | None = None
                  ) -> None:
        """Store ``payload``; ``digest``: its SHA-256, when the caller has it (e.g. from
        another process, so that writing the pack need not compute it)."""
        if self.folder is None or not self._writable:
            return
        if kind in self.PACKED:
            self._used.setdefault(kind, {})[key] = payload
            if digest is not None:
                self._digests[key] = digest
            return
        self._write(self._path(kind, key),
                    [MAGIC, digest or hashlib.sha256(payload).digest(), payload])

    def save(self, kinds: Iterable[str] = PACKED) -> None:
        """Write the pack of each of ``kinds`` whose entries this build changed: the entries
        it used or made, values pickled one at a time as they are written. (The next build,
        in ``serve``, starts afresh.)"""
        if self.folder is None or not self._writable:
            return
        used_by_kind = {kind: self._used.pop(kind) for kind in kinds if kind in self._used}
        for kind, used in sorted(used_by_kind.items()):
            if used.keys() == self._packs.get(kind, {}).keys():
                continue  # the same keys hold the same payloads (keys are content hashes)

            def parts(used: dict[str, bytes | _Unpickled] = used) -> Iterator[bytes]:
                yield PACK_MAGIC
                for key in sorted(used):
                    item = used[key]
                    payload = item if isinstance(item, bytes) else pickle.dumps(
                        item.value, protocol=pickle.HIGHEST_PROTOCOL)
                    digest = (self._digests.get(key) if isinstance(item, bytes) else None)
                    yield (key.encode("ascii").ljust(64, b"-")[:64]
                           + len(payload).to_bytes(8, "little")
                           + (digest or hashlib.sha256(payload).digest()))
                    yield payload

            self._write(self.folder / kind / "pack", parts())
            self._packs.pop(kind, None)  # read again when needed: its payloads, not values

    def _write(self, path: Path, parts: Iterable[bytes]) -> None:
        import tempfile

        key = path.name
        try:
            if path.parent not in self._folders:  # creating folders is slow on some disks
                path.parent.mkdir(parents=True, exist_ok=True)
                assert self.folder is not None
                ignore_in_git(self.folder)
                self._folders.add(path.parent)
            fd, tmp = tempfile.mkstemp(prefix=f".{key[:16]}.", suffix=".tmp", dir=path.parent)
        except OSError:
            self._writable = False  # read-only or not a folder: build on without caching
            return
        try:
            with os.fdopen(fd, "wb") as f:
                for part in parts:
                    f.write(part)
            os.replace(tmp, path)
        except OSError:  # disk full, or something else in the way: this entry is not kept
            try:
                os.unlink(tmp)
            except OSError:
                pass

    # --- values ---------------------------------------------------------------------

    def get(self, kind: str, key: str) -> Any | None:
        data = self.get_bytes(kind, key)
        if data is None:
            return None
        try:
            return pickle.loads(data)
        except Exception:  # written by another version of a class: compute it again
            self.stats[f"{kind} hit"] -= 1
            self.stats[f"{kind} bad"] += 1
            return None

    def put(self, kind: str, key: str, value: Any) -> None:
        if self.folder is None or not self._writable:
            return
        if kind in self.PACKED:  # pickled when the pack is written
            self._used.setdefault(kind, {})[key] = _Unpickled(value)
        else:
            self.put_bytes(kind, key, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))

    def map(self, kind: str, keys: Sequence[str], compute: Callable[[int], V], *, jobs: int,
            tick: parallel.Tick | None = None,
            worth_sharing: Callable[[Sequence[int]], bool] = lambda todo: True,
            cost: Callable[[int], float] | None = None,
            prepare: Callable[[], object] | None = None, runs_per_job: int = 0,
            side: Callable[[], object] | None = None) -> list[V]:
        """``compute(i)`` for every ``keys[i]``, or the value stored under it. What is
        missing is computed in ``jobs`` processes when ``worth_sharing(missing)`` (costliest
        first, by ``cost``; ``prepare()`` first, here, when anything is missing, e.g. to
        import what ``compute`` needs once for all processes), and stored; ``runs_per_job``
        and ``side``: see :func:`.parallel.map_items` (``side()`` is called in any case).
        ``stats[kind + " computed"]`` counts the computed."""
        values: list[Any] = [self.get(kind, k) for k in keys]
        todo = [i for i, v in enumerate(values) if v is None]
        if todo and prepare is not None:
            prepare()
        if tick is not None and len(todo) < len(keys):
            tick(len(keys) - len(todo))

        workers = jobs if jobs > 1 and todo and worth_sharing(todo) else 1
        ordered = (lambda k: cost(todo[k])) if cost else None
        if not todo and side is not None:
            parallel.run_side(side)
        here = os.getpid()
        keep = self.enabled and self._writable

        def run(i: int) -> V | _Pickled:
            """In another process, the value pickled with its checksum: those bytes go into
            the pack as they are, not pickled again here."""
            value = compute(i)
            if os.getpid() == here or not keep:
                return value
            data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
            return _Pickled(data, hashlib.sha256(data).digest())

        def take(k: int, value: V | _Pickled) -> None:
            """As each value comes (not all at the end, after the others are done)."""
            i = todo[k]
            if isinstance(value, _Pickled):
                self.put_bytes(kind, keys[i], value.data, value.digest)
                values[i] = pickle.loads(value.data)
            else:
                self.put(kind, keys[i], value)
                values[i] = value

        parallel.map_items(run, todo, jobs=workers, tick=tick, cost=ordered,
                           runs_per_job=runs_per_job, on_result=take,
                           side=side if todo else None)
        self.stats[f"{kind} computed"] += len(todo)
        return values


#: Compiled built-in templates are kept beside the package's own bytecode, like its ``.pyc``
#: files: they are part of the program, so a build in another project, or a first build,
#: does not compile them again (a project's own templates go to its build cache). Keyed
#: like every entry (with :func:`code_version`); not writable: compiled each time.
PROGRAM_FOLDER = PACKAGE / "__pycache__" / "compiled-templates"


def jinja_bytecode_cache(cache: Cache | None) -> Any:
    """A ``jinja2.BytecodeCache``: a built-in template's compiled code in
    :data:`PROGRAM_FOLDER`, a project template's in ``cache`` (kind ``jinja``; none when it
    is disabled). Jinja checks the template source's checksum on load."""
    import jinja2

    from .resources import BUILTIN_TEMPLATES

    program = Cache(PROGRAM_FOLDER)
    builtin = str(BUILTIN_TEMPLATES) + os.sep
    store_of: dict[str, Cache] = {}  # bucket key -> where that template's code is kept

    class BytecodeCache(jinja2.BytecodeCache):
        def get_cache_key(self, name: str, filename: str | None = None) -> str:
            key = super().get_cache_key(name, filename)
            store_of[key] = program if filename and filename.startswith(builtin) \
                else cache if cache is not None else Cache(None)
            return key

        def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            store = store_of.get(bucket.key)
            data = store.get_bytes("jinja", store.key(bucket.key)) if store else None
            if data is not None:
                try:
                    bucket.bytecode_from_string(data)
                except Exception:
                    bucket.reset()

        def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            store = store_of.get(bucket.key)
            if store is not None:
                store.put_bytes("jinja", store.key(bucket.key), bucket.bytecode_to_string())

    return BytecodeCache()
