"""Reading a site ``verify`` is given as hostile input: only regular files inside its folder,
each of a bounded size, and a ``versions.json`` of the shape this tool writes.

A path is resolved (symbolic links followed) and must stay inside the site folder; what it
names must be a regular file (no device, FIFO or folder: it is opened non-blocking and
checked before a byte is read) of at most :data:`MAX_BYTES`. ``versions.json`` is parsed
with its nesting depth caught, and every key ``verify`` reads is checked for its type, so a
malformed record is a list of messages, never a traceback.
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NamedTuple

#: The largest file ``verify`` reads (16 MiB): the pages of a policy of 50 KB are well under
#: 1 MB, and a 1 MB policy's largest diff page a few MB.
MAX_BYTES = 16 * 1024 * 1024


class Unreadable(Exception):
    """A file ``verify`` does not (or cannot) read; the message says why."""


class SiteFolder:
    """A site folder, each of whose files is read at most once: a record that names one
    (large) file many times makes ``verify`` read it once, not many times, so its work grows
    with the size of the site, whatever the record says."""

    def __init__(self, path: Path) -> None:
        self.path = path.resolve()
        self._read: set[Path] = set()

    def read(self, rel: str) -> bytes:
        """The bytes of ``rel``, a regular file inside the folder of at most
        :data:`MAX_BYTES`, read for the first time; else :class:`Unreadable`."""
        real = self._inside(rel)
        if real in self._read:
            raise Unreadable("is named a second time in versions.json and is read only once")
        self._read.add(real)
        return _regular(real)

    def json(self, rel: str) -> Any:
        """``rel`` parsed as JSON; :class:`Unreadable` for what cannot be."""
        data = self.read(rel)
        try:
            return json.loads(data.decode("utf-8"))
        except UnicodeDecodeError as e:
            raise Unreadable(f"is not UTF-8 ({e.reason} at byte {e.start})") from None
        except RecursionError:
            raise Unreadable("is nested too deeply to be a record of this tool") from None
        except ValueError as e:
            raise Unreadable(f"is not JSON ({e})") from None

    def exists(self, rel: str) -> bool:
        """Whether ``rel`` names something inside the folder (nothing is read)."""
        try:
            self._inside(rel)
        except Unreadable:
            return False
        return True

    def _inside(self, rel: str) -> Path:
        try:
            real = (self.path / rel).resolve(strict=True)
        except (OSError, RuntimeError, ValueError):
            raise Unreadable("is missing") from None
        if not real.is_relative_to(self.path):
            raise Unreadable("lies outside the site folder (reached through '..', an absolute "
                             "path or a symbolic link) and is not read")
        return real


def _regular(real: Path) -> bytes:
    """The bytes of ``real`` if it is a regular file of at most :data:`MAX_BYTES` (opened
    without blocking and checked before a byte is read)."""
    try:
        fd = os.open(real, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW)
    except OSError as e:
        raise Unreadable(f"cannot be opened ({e.strerror})") from None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_BYTES:
        os.close(fd)
        raise Unreadable("is not a regular file (a folder, a device or a FIFO) and is not read"
                         if not stat.S_ISREG(info.st_mode) else
                         f"is larger than {MAX_BYTES} bytes, the most verify reads")
    with os.fdopen(fd, "rb") as f:
        data = f.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise Unreadable(f"is larger than {MAX_BYTES} bytes, the most verify reads")
    return data


# --- the shape of versions.json ----------------------------------------------------------


class Key(NamedTuple):
    type: type
    required: bool = False


_RECORD = {"base_url": Key(str, True), "documents": Key(list, True)}
_DOCUMENT = {"slug": Key(str, True), "versions": Key(list, True), "diffs": Key(list),
             "feed": Key(str)}
_VERSION = {"effective": Key(str, True), "sha256": Key(str, True), "chain": Key(str),
            "text_url": Key(str), "url": Key(str), "translations": Key(dict)}
_TRANSLATION = {"sha256": Key(str, True), "text_url": Key(str), "url": Key(str),
                "chain": Key(str)}
_DIFF = {"url": Key(str, True), "from": Key(str, True), "to": Key(str, True)}


def _typed(value: object, keys: Mapping[str, Key], where: str) -> list[str]:
    """What is wrong with ``value`` as an object with ``keys``."""
    if not isinstance(value, dict):
        return [f"{where} is {type(value).__name__}, not an object"]
    out = []
    for name, key in keys.items():
        if name not in value:
            if key.required:
                out.append(f"{where} has no '{name}'")
        elif not isinstance(value[name], key.type):
            out.append(f"{where}.{name} is {type(value[name]).__name__}, not "
                       f"{_NAMES[key.type]}")
    return out


_NAMES: dict[type, str] = {str: "a string", list: "a list", dict: "an object"}


def shape_problems(record: object) -> list[str]:
    """Every key ``verify`` reads with the wrong type (empty for a record of this tool)."""
    out = _typed(record, _RECORD, "the record")
    if out:
        return out
    assert isinstance(record, dict)
    for i, doc in enumerate(record["documents"]):
        where = f"documents[{i}]"
        out += _typed(doc, _DOCUMENT, where)
        if not isinstance(doc, dict):
            continue
        for j, v in enumerate(_list(doc.get("versions"))):
            out += _version_problems(v, f"{where}.versions[{j}]")
        for j, d in enumerate(_list(doc.get("diffs"))):
            out += _typed(d, _DIFF, f"{where}.diffs[{j}]")
    return out


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def _version_problems(v: object, where: str) -> list[str]:
    out = _typed(v, _VERSION, where)
    if out or not isinstance(v, dict):
        return out
    for lang, t in v.get("translations", {}).items():
        out += _typed(t, _TRANSLATION, f"{where}.translations.{lang}")
    return out
