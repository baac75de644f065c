"""Reading text files and YAML as people write them, keeping line numbers for every value.

Files may start with a UTF-8 BOM and use CRLF line ends. YAML is composed into nodes (safe:
no tags, no objects) with the timestamp resolver removed, so dates stay text until the loader
checks them, and the loader knows the line of every key and value.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import NamedTuple

import yaml

from .errors import ContentError


class _Loader(yaml.SafeLoader):
    """SafeLoader without implicit timestamps (dates are checked by the loader)."""


class _FastLoader(getattr(yaml, "CSafeLoader", _Loader)):  # type: ignore[misc]
    """The same on libyaml's parser, which is faster; its error messages are terser, so a
    text it rejects is parsed again by :class:`_Loader` for the message."""


_Loader.yaml_implicit_resolvers = _FastLoader.yaml_implicit_resolvers = {
    ch: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for ch, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def read_text(path: Path, shown: str) -> str:
    """UTF-8 text with BOM dropped and line ends normalised to ``\\n``."""
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise ContentError.single(shown, 1, f"cannot be read: {e.strerror}") from None
    if b"\x00" in raw:
        raise ContentError.single(
            shown, 1, "is a binary file, not text: save it as plain UTF-8 text"
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        hint = ""
        try:
            raw.decode("cp932")
            hint = " (it looks like Shift_JIS)"
        except UnicodeDecodeError:
            pass
        raise ContentError.single(
            shown, line, f"is not UTF-8 text{hint}: save the file with UTF-8 encoding"
        ) from None
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


class Split(NamedTuple):
    """A Markdown file split into its front matter and its body."""

    yaml_text: str | None  # None when the file has no front matter
    body: str
    body_line: int  # 1-based line where the body starts


_OPEN = re.compile(r"---[ \t]*\n")
_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*$\n?", re.M)


def split_front_matter(text: str, shown: str, *, required: bool) -> Split:
    if not _OPEN.match(text):
        if required:
            raise ContentError.single(
                shown, 1,
                "has no front matter: the file must start with a line '---', then "
                "'effective: YYYY-MM-DD' and the other settings, then a line '---'",
            )
        return Split(None, text, 1)
    start = text.index("\n") + 1
    close = _CLOSE.search(text, start)
    if close is None:
        raise ContentError.single(
            shown, 1, "front matter is not closed: add a line '---' after the settings"
        )
    yaml_text = text[start : close.start()]
    body = text[close.end() :]
    body_line = text[: close.end()].count("\n") + 1
    return Split(yaml_text, body, body_line)


def compose(yaml_text: str, shown: str, first_line: int) -> yaml.Node | None:
    """Compose YAML into nodes; errors carry the file's line number."""
    try:
        return yaml.compose(yaml_text, Loader=_FastLoader)  # type: ignore[no-any-return]
    except yaml.YAMLError:
        pass
    try:
        return yaml.compose(yaml_text, Loader=_Loader)  # type: ignore[no-any-return]
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = first_line + (mark.line if mark else 0)
        what = e.problem or "is not valid YAML"
        raise ContentError.single(
            shown, line, f"YAML error: {what}; check indentation, colons and quotes"
        ) from None
    except yaml.YAMLError as e:
        raise ContentError.single(shown, first_line, f"YAML error: {e}") from None


def node_line(node: yaml.Node, first_line: int) -> int:
    return first_line + node.start_mark.line


def construct(node: yaml.Node) -> object:
    """Plain Python value of a node (scalars resolved as YAML would, dates left as text)."""
    loader = _Loader("")
    try:
        return loader.construct_object(node, deep=True)  # type: ignore[no-untyped-call]
    finally:
        loader.dispose()  # type: ignore[no-untyped-call]
