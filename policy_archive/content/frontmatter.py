"""Reading text files and YAML as people write them, keeping line numbers for every value.

Files may start with a UTF-8 BOM and use CRLF line ends. YAML is composed into nodes (safe:
no tags, no objects) with the timestamp resolver removed, so dates stay text until the loader
checks them, and the loader knows the line of every key and value.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import Path
from typing import NamedTuple

import yaml

from ..foundation.clock import parse_iso_date
from ..foundation.errors import ContentError, Problem
from ..foundation.inputs import read_bytes


class _Loader(yaml.SafeLoader):
    """SafeLoader without implicit timestamps (dates are checked by the loader)."""


class _FastLoader(getattr(yaml, "CSafeLoader", _Loader)):  # type: ignore[misc]
    """The same on libyaml's parser, which is faster; its error messages are terser, so a
    text it rejects is parsed again by :class:`_Loader` for the message."""


_Loader.yaml_implicit_resolvers = _FastLoader.yaml_implicit_resolvers = {
    ch: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for ch, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def read_text(path: Path, shown: str, root: Path | None = None) -> str:
    """UTF-8 text with BOM dropped and line ends normalised to ``\\n``; a project file
    inside ``root`` (None: a file named on the command line), read by :mod:`.inputs`."""
    raw = read_bytes(path, shown, root)
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
    """Compose YAML into nodes; errors carry the file's line number. Nesting deeper than
    :data:`MAX_YAML_DEPTH` and tags other than :data:`ALLOWED_TAGS` are refused."""
    _check_depth(yaml_text, shown, first_line)
    node = _compose(yaml_text, shown, first_line)
    if node is not None:
        _check_nodes(node, shown, first_line)
    return node


def _compose(yaml_text: str, shown: str, first_line: int) -> yaml.Node | None:
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
    except yaml.reader.ReaderError as e:  # a character YAML does not allow, at its line
        line = first_line + yaml_text[: e.position].count("\n")
        raise ContentError.single(shown, line, f"YAML error: character {e.character!r} is not "
                                               "allowed in YAML: remove it") from None
    except yaml.YAMLError as e:
        raise ContentError.single(shown, first_line, f"YAML error: {e}") from None
    except RecursionError:
        raise ContentError.single(shown, first_line, _TOO_DEEP) from None


#: The deepest nesting of lists and mappings read. libyaml composes recursively in C, so
#: 30,000 nested ``[`` would crash the process: the events are counted first (its parser
#: does not recurse).
MAX_YAML_DEPTH = 50
_TOO_DEEP = (f"YAML error: lists or mappings are nested more than {MAX_YAML_DEPTH} levels "
             "deep; settings need a few levels at most")
#: The tags a value may carry: YAML's plain kinds. Any other (``!!python/…``, ``!!binary``,
#: ``!!set``, a tag of one's own) is refused, never constructed.
ALLOWED_TAGS = frozenset(f"tag:yaml.org,2002:{kind}" for kind in (
    "str", "int", "float", "bool", "null", "seq", "map", "merge", "value"))


def _check_depth(yaml_text: str, shown: str, first_line: int) -> None:
    depth = 0
    try:
        for event in yaml.parse(yaml_text, Loader=_FastLoader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_YAML_DEPTH:
                    raise ContentError.single(shown, first_line + event.start_mark.line,
                                              _TOO_DEEP)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        return  # not YAML: composing it says where


#: What only an escape (``"\\ud800"``, ``"\\0"``) can put in a YAML text, and no page or
#: feed can carry: control characters, halves of UTF-16 pairs, U+FFFE and U+FFFF.
_UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def _node_problem(node: yaml.Node) -> str | None:
    if node.tag not in ALLOWED_TAGS:
        tag = node.tag.replace("tag:yaml.org,2002:", "!!")
        return (f"YAML tag {tag!r} is not allowed: write plain text, numbers, lists and "
                "'key: value' settings")
    bad = _UNWRITABLE.search(node.value) if isinstance(node, yaml.ScalarNode) else None
    if bad is not None:
        return (f"a value holds the character U+{ord(bad.group()):04X} (written as an escape), "
                "which no page or feed can carry: remove it")
    return None


def _check_nodes(top: yaml.Node, shown: str, first_line: int) -> None:
    """Every node's tag is one of ALLOWED_TAGS and no text holds what cannot be written."""
    problems, seen, todo = [], set(), [top]
    while todo:  # by hand, not recursively: aliases may make the graph cyclic
        node = todo.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        message = _node_problem(node)
        if message is not None:
            problems.append(Problem(shown, node_line(node, first_line), message))
        if isinstance(node, yaml.SequenceNode):
            todo.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            todo.extend(n for pair in node.value for n in pair)
    if problems:
        raise ContentError(sorted(problems))


def node_line(node: yaml.Node, first_line: int) -> int:
    return first_line + node.start_mark.line


def construct(node: yaml.Node) -> object:
    """Plain Python value of a node (scalars resolved as YAML would, dates left as text);
    None when YAML cannot make one (``!!int 'abc'``, a number of more digits than Python
    converts)."""
    loader = _Loader("")
    try:
        return loader.construct_object(node, deep=True)  # type: ignore[no-untyped-call]
    except (yaml.YAMLError, ValueError, TypeError, ArithmeticError, RecursionError):
        return None
    finally:
        loader.dispose()  # type: ignore[no-untyped-call]


def body_sha256(body: str) -> str:
    """SHA-256 of the Markdown text after the front matter (already normalised)."""
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


class Settings:
    """A YAML mapping node read key by key, reporting problems with their lines."""

    def __init__(self, node: yaml.Node, shown: str, first_line: int, problems: list[Problem],
                 allowed: tuple[str, ...], what: str) -> None:
        self.shown, self.first_line, self.problems = shown, first_line, problems
        self.line = node_line(node, first_line)
        self.values: dict[str, yaml.Node] = {}
        if not isinstance(node, yaml.MappingNode):
            self.error(self.line, f"{what} must be a list of 'key: value' settings")
            return
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            kline = node_line(key_node, first_line)
            if key not in allowed:
                import difflib

                near = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.6)
                hint = f" (did you mean '{near[0]}'?)" if near else ""
                self.error(kline, f"unknown setting '{key}' in {what}{hint}; "
                                  f"allowed: {', '.join(allowed)}")
            elif key in self.values:
                self.error(kline, f"'{key}' is given twice in {what}")
            else:
                self.values[key] = value_node

    def error(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.shown, line, message))

    def line_of(self, key: str) -> int:
        node = self.values.get(key)
        return node_line(node, self.first_line) if node is not None else self.line

    def text(self, key: str, *, required: bool = False, default: str = "") -> str:
        node = self.values.get(key)
        if node is None or (isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null")
                            and node.value in ("", "~", "null")):
            if required:
                self.error(self.line_of(key), f"'{key}' is required but missing")
            return default
        if not isinstance(node, yaml.ScalarNode):
            self.error(self.line_of(key), f"'{key}' must be text, not a list or a mapping")
            return default
        return str(node.value)

    def date(self, key: str, *, required: bool = False) -> dt.date | None:
        node = self.values.get(key)
        if node is None:
            if required:
                self.error(self.line, f"'{key}' is required but missing: add "
                                      f"'{key}: YYYY-MM-DD'")
            return None
        raw = str(node.value).strip() if isinstance(node, yaml.ScalarNode) else ""
        date = parse_iso_date(raw)
        if date is None:
            self.error(self.line_of(key), f"'{key}' must be a real date written YYYY-MM-DD, "
                                          f"not {raw or 'this'!r}")
        return date

    def integer(self, key: str, default: int, minimum: int) -> int:
        node = self.values.get(key)
        if node is None:
            return default
        value = construct(node)
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            self.error(self.line_of(key), f"'{key}' must be a whole number of at least "
                                          f"{minimum}")
            return default
        return value

    def sequence(self, key: str) -> list[yaml.Node]:
        node = self.values.get(key)
        if node is None:
            return []
        if not isinstance(node, yaml.SequenceNode):
            self.error(self.line_of(key), f"'{key}' must be a list (lines starting with '- ')")
            return []
        return list(node.value)


def read_front_matter(root: Path, path: Path, shown: str, problems: list[Problem],
                      if_empty: str) -> tuple[Split, yaml.Node] | None:
    """A file that must start with front matter: its parts and its YAML node, or None with
    the problems recorded (``if_empty``: what to say when the front matter is empty)."""
    try:
        split = split_front_matter(read_text(path, shown, root), shown, required=True)
        assert split.yaml_text is not None
        node = compose(split.yaml_text, shown, 2)
    except ContentError as e:
        problems.extend(e.problems)
        return None
    if node is None:
        problems.append(Problem(shown, 1, if_empty))
        return None
    return split, node
