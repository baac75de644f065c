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

from ..foundation.errors import ContentError
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


def loader(folders: Sequence[Path], root: Path, builtin: Path) -> jinja2.BaseLoader:
    """The project's folders through :class:`ProjectLoader`, the built-in one as it is."""
    return jinja2.ChoiceLoader([
        jinja2.FileSystemLoader(str(d)) if d == builtin else ProjectLoader(d, root)
        for d in folders])


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
