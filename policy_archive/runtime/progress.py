"""A progress bar for long builds on a terminal; nothing at all in CI or in a log.

The bar is drawn on standard error only when it is a terminal and ``CI`` is not set, only
once the build has run for :data:`DELAY` seconds (a quick build prints nothing but its
summary), at most ten times a second, and erased when the build ends::

    building ▕█████████░░░░░░░░░░░▏ diffs 37/74
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from typing import TextIO

DELAY = 0.4
WIDTH = 24
Tick = Callable[[int], None]


def in_ci(environ: Mapping[str, str]) -> bool:
    """``CI`` set to anything but an empty string, ``0``, ``false`` or ``no``."""
    return environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def wanted(stream: TextIO, environ: Mapping[str, str]) -> bool:
    try:
        tty = stream.isatty()
    except (AttributeError, ValueError):
        tty = False
    return tty and not in_ci(environ)


class Progress:
    """Counts done per stage; draws them only if ``stream`` is given."""

    def __init__(self, stream: TextIO | None = None, *, delay: float = DELAY,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.stream = stream
        self.clock = clock
        self.start = clock()
        self.delay = delay
        self.last_draw = -1.0
        self.drawn = False
        self.name = ""
        self.done = 0
        self.total = 0

    def stage(self, name: str, total: int) -> Tick:
        """Start a stage of ``total`` steps; returns ``tick(n)`` to call as steps finish."""
        self.name, self.done, self.total = name, 0, total
        self._draw(force=True)

        def tick(n: int = 1) -> None:
            self.done = min(self.total, self.done + n)
            self._draw()
        return tick

    def grow(self, more: int) -> None:
        """The current stage has ``more`` steps than it was started with."""
        self.total += more
        self._draw()

    def _draw(self, force: bool = False) -> None:
        if self.stream is None:
            return
        now = self.clock()
        if now - self.start < self.delay or (not force and now - self.last_draw < 0.1
                                             and self.done < self.total):
            return
        self.last_draw = now
        filled = WIDTH * self.done // self.total if self.total else WIDTH
        bar = "█" * filled + "░" * (WIDTH - filled)
        self.stream.write(f"\r\x1b[Kbuilding ▕{bar}▏ {self.name} {self.done}/{self.total}")
        self.stream.flush()
        self.drawn = True

    def close(self) -> None:
        """Erase the bar (the summary line is printed in its place)."""
        if self.stream is not None and self.drawn:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
        self.drawn = False


def for_terminal(stream: TextIO, environ: Mapping[str, str] | None = None, *,
                 quiet: bool = False) -> Progress:
    """A drawing progress bar when ``stream`` is a terminal outside CI, else a silent one."""
    env = os.environ if environ is None else environ
    return Progress(stream if not quiet and wanted(stream, env) else None)
