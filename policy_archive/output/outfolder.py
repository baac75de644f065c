"""Which folders a command may replace: an output folder is the tool's own, or refused.

A build replaces its output folder whole (:class:`.staging.Staging`), and the build cache
writes and removes files in its folder, so ``build``, ``serve`` and ``publish`` check
``--out`` and ``--cache-dir`` before anything is read or written (:func:`check_out`,
:func:`check_cache`). A folder is refused (a :class:`~.errors.UsageError`, exit status 2,
naming the rule) when it

* is a symbolic link, or is not a folder (a regular file, a FIFO, a device): what the path
  names is judged by where it really is, so a link above it (``/tmp`` on some systems) is
  followed, but the folder itself must not be a link, whose target could be anything;
* is the project folder, holds it, or is or lies inside a folder the build reads
  (``content/``, ``versions/``, ``templates/``, the built-in templates);
* (``--out``) is the build cache or holds it (the live preview's default folder lies
  inside the cache: that is allowed);
* holds anything and was not made by the tool: an output folder holds :data:`MARKER`
  (written by every build), or, when built by a version that wrote none, the files every
  build writes with a ``versions.json`` of the tool's shape (:func:`_legacy_site`); a cache
  holds the ``.gitignore`` the cache writes first (:data:`GITIGNORE`).

A missing or empty folder is always allowed (but not one under a file).
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Callable
from pathlib import Path

from ..foundation.errors import UsageError

#: The file every build writes into its output folder, and what it holds (fixed bytes: the
#: same input gives the same output). ``publish`` leaves it out of the pages branch.
MARKER = ".policy-archive"
MARKER_TEXT = b"policy-archive output folder: each build replaces this folder whole\n"
#: What the build cache writes into its folder first: git ignores the folder, and a folder
#: holding it is known to be a cache.

#: What a build by an earlier version (one that wrote no :data:`MARKER`) always wrote.
LEGACY_FILES = ("index.html", "sitemap.xml", "versions.json")
#: Top-level names such a build may have written, besides a folder per document.
LEGACY_NAMES = frozenset({*LEGACY_FILES, "404.html", "_headers", "robots.txt", "feed.xml",
                          ".nojekyll", "static", "search"})
#: A ``versions.json`` larger than this is no earlier build's record (it is not read).
LEGACY_RECORD_BYTES = 64 * 1024 * 1024


def check_out(root: Path, given: Path, cache: Path | None = None, flag: str = "--out"
              ) -> Path:
    """The real path of the output folder ``given``, or a UsageError saying which rule it
    breaks: see the module's docstring. ``cache``: the build cache in use (if any)."""
    real = _real_folder(given, flag)
    why = (_overlap(root, real, "the output") or _holds(real, cache, "the build cache")
           or _not_ours(real, _is_site, "no build made it: it holds no " + MARKER))
    if why:
        raise UsageError(f"{flag} {given}: {why}")
    return real


def check_cache(root: Path, given: Path, out: Path | None, flag: str = "--cache-dir"
                ) -> Path:
    """The real path of the cache folder ``given``, or a UsageError saying which rule it
    breaks; ``out``: the output folder's real path (when the command writes one)."""
    real = _real_folder(given, flag)
    why = (_overlap(root, real, "the build cache")
           or ("is the output folder: give the cache a folder of its own"
               if out is not None and out == real else None)
           or _not_ours(real, _is_cache, "it is not a build cache: it holds no .gitignore "
                                         "written by policy_archive"))
    if why:
        raise UsageError(f"{flag} {given}: {why}")
    return real


def _real_folder(given: Path, flag: str) -> Path:
    """``given`` resolved, when it is a folder or missing (below a folder), not a link."""
    if os.path.islink(given):
        raise UsageError(f"{flag} {given}: is a symbolic link (to {os.readlink(given)}): "
                         "what it names is replaced whole, and a link may point anywhere; "
                         "give the folder itself")
    real = given.resolve()
    try:
        mode = os.stat(real).st_mode
    except (FileNotFoundError, NotADirectoryError):
        above = _existing_ancestor(real)
        if not above.is_dir():
            raise UsageError(f"{flag} {given}: lies under {above}, which is not a folder: "
                             "give a folder") from None
        return real
    except OSError as e:
        raise UsageError(f"{flag} {given}: cannot be read ({e.strerror})") from None
    if not stat.S_ISDIR(mode):
        kind = "a regular file" if stat.S_ISREG(mode) else "not a folder"
        raise UsageError(f"{flag} {given}: is {kind}: what it names is replaced whole; give "
                         "a folder (a new or empty one, or one a build made)")
    return real


def _existing_ancestor(path: Path) -> Path:
    while not os.path.lexists(path) and path != path.parent:
        path = path.parent
    return path


def input_folders(root: Path) -> dict[str, Path]:
    """The folders a build reads, by the name a message gives them, as real paths."""
    from ..foundation.resources import BUILTIN_TEMPLATES

    named = {f"{name}/": (root / name).resolve() for name in ("content", "versions",
                                                              "templates")}
    return {**named, "the built-in templates": BUILTIN_TEMPLATES.resolve()}


def _overlap(root: Path, real: Path, what: str) -> str | None:
    """Why ``real`` may not be ``what``: it is or holds the project, or is or lies inside a
    folder the build reads; or None."""
    root = root.resolve()
    action, default = (("a build replaces it whole", "ROOT/site") if what == "the output"
                       else ("the cache writes and removes files in it",
                             "ROOT/.cache/policy_archive"))
    if real == root or root.is_relative_to(real):
        rule = "is the project folder" if real == root else f"holds the project {root}"
        return (f"{rule}: {action}, which would delete the project; give {what} a folder "
                f"of its own (as the default, {default})")
    for name, folder in input_folders(root).items():
        if real == folder or real.is_relative_to(folder) or folder.is_relative_to(real):
            rule = ("is" if real == folder else "lies inside" if real.is_relative_to(folder)
                    else "holds")
            return (f"{rule} {name}, which the build reads: {action}; give a folder outside "
                    "content/, versions/ and templates/")
    return None


def _holds(real: Path, other: Path | None, name: str) -> str | None:
    if other is not None and other != real and other.is_relative_to(real):
        return (f"holds {name} {other}: it would be replaced or removed with this folder; "
                "give folders that do not hold each other")
    return None


def _not_ours(real: Path, ours: Callable[[Path], bool], why: str) -> str | None:
    """Why the folder ``real`` may not be written: it holds entries and ``ours(real)`` says
    no tool's folder; or None (missing, empty, or the tool's)."""
    try:
        with os.scandir(real) as entries:
            empty = next(entries, None) is None
    except FileNotFoundError:
        return None
    except OSError as e:
        return f"cannot be read ({e.strerror})"
    if empty or ours(real):
        return None
    return (f"is a folder that holds files, and {why}; what is in it would be deleted. "
            "Give a new or empty folder (or empty this one yourself)")


def _regular(path: Path) -> bool:
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def _is_site(folder: Path) -> bool:
    """A build made ``folder``: it holds the marker, or is a site an earlier version built."""
    marker = folder / MARKER
    if _regular(marker) and marker.stat().st_size == len(MARKER_TEXT):
        return marker.read_bytes() == MARKER_TEXT
    return _legacy_site(folder)


def _legacy_site(folder: Path) -> bool:
    """A site built by a version that wrote no marker: the files every build wrote, a
    ``versions.json`` of the tool's shape, and nothing at the top but what a build wrote
    (those names and a folder per document or language)."""
    record = folder / "versions.json"
    if not all(_regular(folder / name) for name in LEGACY_FILES) \
            or record.stat().st_size > LEGACY_RECORD_BYTES:
        return False
    try:
        data = json.loads(record.read_bytes())
    except (OSError, ValueError, RecursionError):
        return False
    if not (isinstance(data, dict) and {"base_url", "title", "language", "documents"} <= set(data)
            and isinstance(data["documents"], list)
            and all(isinstance(d, dict) and isinstance(d.get("slug"), str)
                    and isinstance(d.get("versions"), list) for d in data["documents"])):
        return False
    from ..foundation.i18n import LANGUAGE_NAMES

    allowed = LEGACY_NAMES | {d["slug"] for d in data["documents"]} | set(LANGUAGE_NAMES)
    return all(entry in allowed for entry in os.listdir(folder))


def _is_cache(folder: Path) -> bool:
    from ..runtime.cache import GITIGNORE

    marker = folder / ".gitignore"
    return _regular(marker) and marker.stat().st_size < 1024 \
        and marker.read_bytes() == GITIGNORE.encode("utf-8")
