"""Templates as untrusted input: a sandboxed Jinja environment, the project's templates read
through :mod:`.inputs`, and every template error as ``path:line``.

A project's ``templates/`` may override any built-in template, so whatever a template
does is done under Jinja's :class:`~jinja2.sandbox.SandboxedEnvironment` (no ``_``
attributes, no function globals, no ``str.format`` escapes), and it cannot reach a module
through a value it is given (``paths`` is a module: ``paths.posixpath.os`` would otherwise
lead to ``os.popen``). Errors, whether met compiling or rendering, name the template's own
file and line: Jinja's syntax errors carry them, and a runtime error's traceback holds the
template's frames at template lines.
"""

from __future__ import annotations

import traceback
import types
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import jinja2
from jinja2.exceptions import SecurityError
from jinja2.loaders import split_template_path
from jinja2.sandbox import SandboxedEnvironment

from ..foundation.errors import ContentError, Problem
from ..foundation.inputs import read_bytes


class SiteSandbox(SandboxedEnvironment):
    """Jinja's sandbox over the template ``folders`` (the project's first, read as project
    files of ``root``; ``builtin``, the program's own), and no module reached through a
    value: neither a module held as an attribute nor a name a module only imported."""

    def __init__(self, folders: Sequence[Path], root: Path, builtin: Path,
                 **options: Any) -> None:
        super().__init__(loader=loader(folders, root, builtin), **options)
        self.folders = tuple(folders)
        #: Jinja's verdict by (type, attribute): it depends on nothing else, and pages
        #: look up the same few attributes thousands of times.
        self._verdicts: dict[tuple[type, str], bool] = {}

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if isinstance(value, types.ModuleType):
            return False
        if isinstance(obj, types.ModuleType):
            return getattr(value, "__module__", None) == obj.__name__ and \
                bool(super().is_safe_attribute(obj, attr, value))
        key = (type(obj), attr)
        verdict = self._verdicts.get(key)
        if verdict is None:
            verdict = self._verdicts[key] = bool(super().is_safe_attribute(obj, attr, value))
        return verdict


class ProjectLoader(jinja2.BaseLoader):
    """Templates in the project's ``templates/`` folder, each read as a project file (inside
    the project, a regular file, within the size cap)."""

    def __init__(self, folder: Path, root: Path) -> None:
        self.folder, self.root = folder, root

    def get_source(self, environment: jinja2.Environment, template: str
                   ) -> tuple[str, str, Callable[[], bool]]:
        path = self.folder.joinpath(*split_template_path(template))
        if not path.exists() and not path.is_symlink():
            raise jinja2.TemplateNotFound(template)
        shown = path.relative_to(self.root).as_posix()
        try:
            source = read_bytes(path, shown, self.root).decode("utf-8")
        except UnicodeDecodeError:
            raise ContentError.single(shown, 1, "is not UTF-8 text: save the template with "
                                                "UTF-8 encoding") from None
        return source, str(path), lambda: True


#: The built-in templates are reachable under this prefix too, whatever a project
#: overrides: ``{% extends "policy_archive/base.html" %}`` in a project's ``base.html``.
NAMESPACE = "policy_archive"


def loader(folders: Sequence[Path], root: Path, builtin: Path) -> jinja2.BaseLoader:
    """The built-in templates under :data:`NAMESPACE`, then the project's folders through
    :class:`ProjectLoader`, the built-in one as it is."""
    own = jinja2.FileSystemLoader(str(builtin))
    return jinja2.ChoiceLoader([jinja2.PrefixLoader({NAMESPACE: own}), *(
        own if d == builtin else ProjectLoader(d, root) for d in folders)])


def _shown(filename: str | None, folders: Sequence[Path]) -> str | None:
    """``templates/<name>`` for a template file in one of ``folders``."""
    if not filename:
        return None
    path = Path(filename)
    for folder in folders:
        if path.is_relative_to(folder):
            return f"templates/{path.relative_to(folder).as_posix()}"
    return None


def _template_frame(error: BaseException, folders: Sequence[Path]) -> tuple[str, int] | None:
    """The innermost template frame of the error's traceback (Jinja rewrites a template's
    frames to its file and line)."""
    for frame in reversed(traceback.extract_tb(error.__traceback__)):
        shown = _shown(frame.filename, folders)
        if shown is not None:
            return shown, frame.lineno or 1
    return None


def template_error(error: Exception, template: str, env: jinja2.Environment,
                   writing: str | None = None) -> ContentError:
    """``error`` met compiling or rendering ``template`` in ``env`` (while writing the file
    ``writing``) as a problem at the template's file and line."""
    folders: Sequence[Path] = getattr(env, "folders", ())
    if isinstance(error, jinja2.TemplateSyntaxError):
        shown = _shown(error.filename, folders) or f"templates/{error.name or template}"
        return ContentError.single(shown, error.lineno or 1, f"template error: {error.message}")
    shown, line = _template_frame(error, folders) or (f"templates/{template}", 1)
    what = ("the template sandbox refused it: " if isinstance(error, SecurityError)
            else "" if isinstance(error, jinja2.TemplateError)
            else "a template includes or extends itself: " if isinstance(error, RecursionError)
            else f"{type(error).__name__}: ")
    where = f" while writing {writing}" if writing else ""
    return ContentError.single(shown, line, f"template error{where}: {what}{error}")


#: Names a template may use without being given them: Jinja's own.
JINJA_NAMES = frozenset({"loop", "super", "self", "varargs", "kwargs", "caller"})
_REFERENCES = (jinja2.nodes.Extends, jinja2.nodes.Include, jinja2.nodes.Import,
               jinja2.nodes.FromImport)


def project_templates(env: jinja2.Environment, builtin: Path) -> list[str]:
    """The names of the templates in the project's own folders (``static/`` aside)."""
    names: set[str] = set()
    for folder in getattr(env, "folders", ()):
        if folder != builtin:
            names.update(p.relative_to(folder).as_posix() for p in folder.rglob("*.html")
                         if p.is_file() and p.relative_to(folder).parts[0] != "static")
    return sorted(names)


def check_sources(env: jinja2.Environment, names: Sequence[str], builtin: Path,
                  known: frozenset[str] | None = None) -> tuple[list[Problem], list[Problem]]:
    """``(errors, warnings)`` of the project's templates among ``names`` and those they
    extend, include or import: syntax errors, a template named that does not exist, and
    (``known``: the names pages are given) a variable no page is given, each at its line."""
    errors: list[Problem] = []
    warnings: list[Problem] = []
    if known is not None:  # what the built-in templates read is given where it matters
        known = known | builtin_names(env, builtin)
    todo, seen = list(names), set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            source, filename, _ = env.loader.get_source(env, name)  # type: ignore[union-attr]
        except jinja2.TemplateNotFound:
            continue  # a page's own template, missing: said where the page is rendered
        shown = _shown(filename, [f for f in getattr(env, "folders", ()) if f != builtin])
        if shown is None:
            continue  # a built-in template
        try:
            tree = env.parse(source, name, filename)
            errors.extend(_missing(env, tree, shown, todo))
            if known is not None:
                warnings.extend(_undefined(tree, shown, known | set(env.globals)))
        except jinja2.TemplateSyntaxError as e:
            errors.append(Problem(shown, e.lineno or 1, f"template error: {e.message}"))
        except RecursionError:
            errors.append(Problem(shown, 1, "template error: nested too deeply to read"))
    return sorted(errors), sorted(warnings)


def builtin_names(env: jinja2.Environment, builtin: Path) -> frozenset[str]:
    """Every variable the built-in templates read (a copy of one reads the same)."""
    from jinja2 import meta

    names: set[str] = set()
    for path in sorted(builtin.glob("*.html")):
        names |= meta.find_undeclared_variables(env.parse(path.read_text("utf-8")))
    return frozenset(names)


def _missing(env: jinja2.Environment, tree: jinja2.nodes.Template, shown: str,
             todo: list[str]) -> list[Problem]:
    """A template named by ``extends``/``include``/``import`` that is nowhere; each found
    one queued on ``todo``."""
    out = []
    for node in tree.find_all(_REFERENCES):
        target = getattr(node, "template", None)
        if not isinstance(target, jinja2.nodes.Const) or not isinstance(target.value, str):
            continue
        try:
            env.loader.get_source(env, target.value)  # type: ignore[union-attr]
        except jinja2.TemplateNotFound:
            if not getattr(node, "ignore_missing", False):
                what = type(node).__name__.lower().replace("fromimport", "from … import")
                out.append(Problem(shown, node.lineno, f"template error: {what} names "
                                   f"{target.value!r}, which is neither in templates/ nor "
                                   f"built in (the built-in ones are also "
                                   f"'{NAMESPACE}/<name>')"))
        else:
            todo.append(target.value)
    return out


def _undefined(tree: jinja2.nodes.Template, shown: str, known: set[str] | frozenset[str]
               ) -> list[Problem]:
    """Each variable the template reads that it neither sets nor is given, at its first line."""
    from jinja2 import meta

    unknown = meta.find_undeclared_variables(tree) - known - JINJA_NAMES
    first: dict[str, int] = {}
    for node in tree.find_all(jinja2.nodes.Name):
        if node.name in unknown and node.ctx == "load":
            first[node.name] = min(first.get(node.name, node.lineno), node.lineno)
    return [Problem(shown, line, f"the template reads {name!r}, a variable no page is given "
                                 "(it renders as nothing): check its spelling", "warning")
            for name, line in sorted(first.items(), key=lambda item: item[1])]
