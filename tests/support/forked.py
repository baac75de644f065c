"""The command line in a process of its own, forked from a server that imported the package
once (multiprocessing's forkserver): a crash (a signal, a traceback) ends only that process,
as it would end ``python build.py``, without the ~0.25 s of start-up and imports each time.

For tests about surviving input that might kill the process; tests of the real entry point
(``build.py``, its exit status as the shell sees it) start it with ``run_build``.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from policy_archive.commands.cli import main

_SERVER = multiprocessing.get_context("forkserver")
_SERVER.set_forkserver_preload(["support.forked"])  # and so the package


def _child(target: Callable[[list[str]], int], args: list[str], err_path: str,
           cwd: str) -> None:
    """In the child: stdout to nowhere, stderr to ``err_path``, then ``target(args)``'s
    result as the exit status (an uncaught exception is printed there, exit status 1)."""
    os.chdir(cwd)
    with open(os.devnull, "w") as null, open(err_path, "w", encoding="utf-8") as err:
        os.dup2(null.fileno(), 1)
        os.dup2(err.fileno(), 2)
    sys.exit(target(args))


def run_in_fork(target: Callable[[list[str]], int], *args: str, cwd: Path | None = None,
                timeout: float = 120) -> tuple[int, str]:
    """(exit status, stderr) of ``target(args)`` (a module-level function) in a forked
    process: negative when a signal ended it, as ``subprocess`` reports it. The process has
    the environment the test process had when the server started."""
    with tempfile.TemporaryDirectory() as tmp:
        err = Path(tmp) / "stderr"
        process = _SERVER.Process(target=_child, args=(target, list(args), str(err),
                                                       str(cwd or Path.cwd())))
        process.start()
        process.join(timeout)
        if process.exitcode is None:
            process.kill()
            process.join()
            raise TimeoutError(f"{target.__name__}{args} ran over {timeout} s")
        return process.exitcode, err.read_text("utf-8", errors="backslashreplace")


def run_forked(*args: str, cwd: Path | None = None, timeout: float = 120) -> tuple[int, str]:
    """``python build.py *args`` as :func:`run_in_fork` runs it."""
    return run_in_fork(main, *args, cwd=cwd, timeout=timeout)
