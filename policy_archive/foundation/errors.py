"""The one family of user-facing errors: problems with a path and a line.

Library code raises :class:`ContentError` (carrying every problem found); only the CLI turns
problems into ``path:line: message`` lines and exit codes.
"""

from __future__ import annotations

from typing import Literal, NamedTuple

Severity = Literal["error", "warning"]


class Problem(NamedTuple):
    """One thing wrong (or doubtful) in the input, at a place a person can open."""

    path: str
    line: int
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        label = "warning: " if self.severity == "warning" else ""
        return f"{self.path}:{self.line}: {label}{self.message}"


class ContentError(Exception):
    """The input cannot be built; ``problems`` lists every error found (and warnings met so far)."""

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    def __reduce__(self) -> tuple[type[ContentError], tuple[tuple[Problem, ...]]]:
        return ContentError, (self.problems,)  # raised in a worker, re-raised here whole

    @classmethod
    def single(cls, path: str, line: int, message: str) -> ContentError:
        return cls([Problem(path, line, message)])


class UsageError(Exception):
    """The command line was wrong (exit status 2)."""


class WorkerError(Exception):
    """A worker process died (killed, out of memory); the build stopped (exit status 1)."""
