"""The on-disk cache: data keyed by the hashes of their inputs, reused across builds.

Data, not presentation, in pickled dictionaries (``{key: value}``), one per kind and group:
``<cache dir>/<kind>.pickle``, or ``<cache dir>/<kind>/<group>.pickle`` where entries are
grouped (by document: a build that leaves a document's pages as they are reads and writes
none of its entries). Each is read when first asked for and written once per build with the
entries that build used (so it never grows with entries no build uses any more); one no
build asked for is left as it is:

* ``markdown``: a Markdown text rendered (:class:`~.model.RenderedText`), by the text's
  SHA-256;
* ``diff``: the alignment of two texts (:class:`~policy_archive.diff.result.DocumentDiff`), by their SHA-256s,
  pickled on its own with its blocks as references to the rendered texts (:class:`BlockRefs`);
* ``views``: a diff's views (HTML, compressed: :func:`.pages.pack_views`), by the two texts
  and the settings they show (not the column labels, filled in when a page is written), so
  that a new version recomputes only the views that show it.

Beside them, one file per entry (``<cache dir>/<kind>/<key>``): ``jinja``, the project's own compiled templates (the built-in ones
are kept with the program: :data:`PROGRAM_FOLDER`), and ``stamp``, per output folder, what
its last build read and wrote (see :mod:`.builder`).

Every file holds a magic line, an HMAC-SHA-256 of the rest, then the payload (a pickle, or a
template's code). Every key holds :func:`code_version`, so a changed program never reuses
old results. A file that is missing, damaged or unreadable, or an entry of the wrong type, is a miss (computed
again), never an error; a cache folder that cannot be written just stops caching. Entries
are pickles, and a pickle runs code, so a file is read only when it carries the HMAC of the
key kept with the program (:data:`KEY_FILE`, made once per installation): the cache folder
is inside the project, and what a repository brings along there is data no build of this
installation wrote, a miss. The default folder is ``<root>/.cache/policy_archive/`` (it
ignores itself in git).
"""

from __future__ import annotations

import hashlib
import hmac
import importlib.util
import io
import os
import pickle
import sys
from collections import Counter
from collections.abc import Collection, Mapping
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from ..foundation.files import digest, write_atomically, write_new
from ..foundation.resources import PACKAGE

if TYPE_CHECKING:
    from ..foundation.model import RenderedText

V = TypeVar("V")

MAGIC = b"policy-archive-cache-2\n"
#: Libraries whose code shapes the output: a new version of any of them is a new program.
LIBRARIES = ("markdown_it", "mdurl", "nh3", "cydifflib", "jinja2", "markupsafe", "yaml")


@lru_cache(maxsize=1)
def code_version() -> str:
    """A hash of this package's source files and of the installed versions of LIBRARIES
    (found without importing them: the path, size and modification time of each one's
    ``__init__`` file, which an upgrade rewrites)."""
    parts: list[str | bytes] = [sys.version]
    for path in sorted(PACKAGE.rglob("*.py")):
        parts += [path.relative_to(PACKAGE).as_posix(), path.read_bytes()]
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


#: What the cache writes into its folder first: git ignores the folder, and a folder holding
#: it is known to be a cache (:mod:`.output.outfolder`).
GITIGNORE = "# written by policy_archive: the build cache\n*\n"


def ignore_in_git(folder: Path) -> None:
    """Make git ignore ``folder`` (the build cache, the live preview)."""
    marker = folder / ".gitignore"
    if not marker.exists():
        folder.mkdir(parents=True, exist_ok=True)
        marker.write_text(GITIGNORE, encoding="utf-8")


class BlockRefs:
    """Pickles values that hold blocks of rendered texts (diffs), each block, and each
    text's tuple of blocks, as a reference ``(text SHA-256, index)``: small to pass between
    processes and to store, and read back as the very blocks this process holds. A
    reference to a text not in ``rendered`` fails to load (a miss)."""

    def __init__(self, rendered: Mapping[str, RenderedText]) -> None:
        self.rendered = rendered
        self.ids: dict[int, tuple[str, int]] = {}
        for sha, r in rendered.items():
            if r.blocks:
                self.ids[id(r.blocks)] = (sha, -1)
                self.ids.update((id(b), (sha, i)) for i, b in enumerate(r.blocks))

    def dumps(self, value: Any) -> bytes:
        f = io.BytesIO()
        p = pickle.Pickler(f, protocol=pickle.HIGHEST_PROTOCOL)
        p.persistent_id = lambda obj: self.ids.get(id(obj))  # type: ignore[method-assign]
        p.dump(value)
        return f.getvalue()

    def loads(self, data: bytes) -> Any:
        u = pickle.Unpickler(io.BytesIO(data))
        u.persistent_load = self._block  # type: ignore[method-assign]
        return u.load()

    def _block(self, ref: tuple[str, int]) -> Any:
        sha, i = ref
        blocks = self.rendered[sha].blocks
        return blocks if i < 0 else blocks[i]


class Cache:
    """Values by ``(kind, key)``; :attr:`stats` counts hits, misses and bad entries.

    ``Cache(None)`` is a cache that never holds anything (``--no-cache``).
    """

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.stats: Counter[str] = Counter()
        self._writable = folder is not None
        #: (kind, group) -> its dictionary as read, the keys it had, what this build used or
        #: made
        self._read: dict[tuple[str, str], dict[str, Any]] = {}
        self._read_keys: dict[tuple[str, str], set[str]] = {}
        self._used: dict[tuple[str, str], dict[str, Any]] = {}

    @property
    def enabled(self) -> bool:
        return self.folder is not None

    def key(self, *parts: str | bytes) -> str:
        return digest(code_version(), *parts)

    # --- data: one pickled dictionary per kind --------------------------------------

    def _entries(self, kind: str, group: str = "") -> dict[str, Any]:
        where = (kind, group)
        if where not in self._read:
            data = self._read_framed(self._dict_path(kind, group), kind)
            entries: Any = {}
            if data is not None:
                try:
                    entries = pickle.loads(data)
                except Exception:  # noqa: BLE001 - from another version of a class
                    self.stats[f"{kind} bad"] += 1
            self._read[where] = entries if isinstance(entries, dict) else {}
            self._read_keys[where] = set(self._read[where])
        return self._read[where]

    def release(self, kind: str) -> None:
        """Forget the entries of ``kind`` (every group) this build did not use (it will ask
        for no more): the memory they take is not held through the rest of the build."""
        for where in self._read:
            if where[0] == kind:
                self._read[where] = {}

    def _dict_path(self, kind: str, group: str = "") -> Path:
        assert self.folder is not None
        return self.folder / (f"{kind}/{group}.pickle" if group else f"{kind}.pickle")

    def keys(self, kind: str, group: str = "") -> set[str]:
        """The keys stored for ``kind`` (in ``group``)."""
        return set(self._entries(kind, group)) if self.folder is not None else set()

    def get(self, kind: str, key: str, expected: type[V], group: str = "") -> V | None:
        """The value stored under ``key`` if it is a ``expected``, else None (a miss)."""
        if self.folder is None:
            return None
        value = self._entries(kind, group).get(key)
        if not isinstance(value, expected):
            self.stats[f"{kind} miss"] += 1
            return None
        self.stats[f"{kind} hit"] += 1
        self._used.setdefault((kind, group), {})[key] = value
        return value

    def put(self, kind: str, key: str, value: Any, group: str = "") -> None:
        if self.folder is not None:
            self._used.setdefault((kind, group), {})[key] = value

    def save(self, groups: Collection[str] | None = None) -> None:
        """Write each dictionary whose keys this build changed; with ``groups`` (the
        documents there are), remove the grouped dictionaries of any other group."""
        if self.folder is None:
            return
        for (kind, group), used in sorted(self._used.items()):
            self._entries(kind, group)  # read, if no stage asked for it (its keys are known)
            if used.keys() != self._read_keys[(kind, group)]:
                self._write_framed(self._dict_path(kind, group),
                                   pickle.dumps(used, protocol=pickle.HIGHEST_PROTOCOL))
        if groups is not None and self._writable:
            for path in sorted(self.folder.glob("*/*.pickle")):
                if path.stem not in groups:
                    try:
                        path.unlink()
                    except OSError:
                        pass
        self._used.clear()
        self._read.clear()
        self._read_keys.clear()

    # --- files: one per entry ---------------------------------------------------------

    def read_file(self, kind: str, key: str) -> bytes | None:
        """The payload written by :meth:`write_file`, or None (missing or damaged)."""
        if self.folder is None:
            return None
        data = self._read_framed(self.folder / kind / key, kind)
        if data is not None:
            self.stats[f"{kind} hit"] += 1
        return data

    def write_file(self, kind: str, key: str, payload: bytes) -> None:
        if self.folder is not None:
            self._write_framed(self.folder / kind / key, payload)

    def _read_framed(self, path: Path, kind: str) -> bytes | None:
        """The payload of a file written by :meth:`_write_framed`, or None (counted as a
        miss or a bad entry)."""
        try:
            data = path.read_bytes()
        except OSError:
            self.stats[f"{kind} miss"] += 1
            return None
        head = len(MAGIC) + 32
        if (len(data) < head or not data.startswith(MAGIC)
                or not hmac.compare_digest(frame(data[head:])[:head], data[:head])):
            self.stats[f"{kind} bad"] += 1
            return None
        return data[head:]

    def _write_framed(self, path: Path, payload: bytes) -> None:
        self._write(path, frame(payload))

    def _write(self, path: Path, data: bytes) -> None:
        """Write ``data`` whole or not at all (:func:`.files.write_atomically`); a cache that
        cannot be written is built on without."""
        if not self._writable:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            assert self.folder is not None
            ignore_in_git(self.folder)
        except OSError:
            self._writable = False  # read-only or not a folder: build on without caching
            return
        try:
            write_atomically(path, data, 0o600)
        except OSError:  # disk full, or something else in the way: this entry is not kept
            pass


def frame(payload: bytes) -> bytes:
    """``payload`` after :data:`MAGIC` and its HMAC under this installation's key: damage
    is seen, and so is a file this installation did not write."""
    return MAGIC + hmac.new(_secret(), payload, hashlib.sha256).digest() + payload


#: The key cache files are signed with: kept with the program, never in a project.
KEY_FILE = PACKAGE / "__pycache__" / "cache-key"
_key: list[bytes] = []


def _secret() -> bytes:
    if not _key:
        _key.append(_read_or_make_key(KEY_FILE))
    return _key[0]


def _read_or_make_key(path: Path) -> bytes:
    """The 32 bytes in ``path``, written first when missing (whole, by a link, so another
    process never reads half); a program folder that cannot be written gets a key for this
    process only (its cache is then of use within the process)."""
    try:
        data = path.read_bytes()
        if len(data) == 32:
            return data
    except OSError:
        pass
    key = os.urandom(32)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_new(path, key, 0o600)
    except FileExistsError:  # another process made it first: use that one
        try:
            return path.read_bytes() if path.stat().st_size == 32 else key
        except OSError:
            return key
    except OSError:
        pass
    return key


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

    from ..foundation.resources import BUILTIN_TEMPLATES

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
            data = store.read_file("jinja", store.key(bucket.key)) if store else None
            if data is not None:
                try:
                    bucket.bytecode_from_string(data)
                except Exception:
                    bucket.reset()

        def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            store = store_of.get(bucket.key)
            if store is not None:
                store.write_file("jinja", store.key(bucket.key), bucket.bytecode_to_string())

    return BytecodeCache()
