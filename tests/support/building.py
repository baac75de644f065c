"""Building projects for tests, in this process: the command line's ``main`` called directly.

A subprocess costs 0.3-0.7 s of start-up per build; most tests look at what a build wrote, not
at the program starting, so they build here. The call is made as ``build.py`` would make it:
in the repository folder, without ``SOURCE_DATE_EPOCH`` unless the test sets it, stdout and
stderr captured, the exit status returned, and one process (this one may run threads, and a
threaded process must not fork) unless the test asks for ``--jobs``. Tests of the command
line itself (exit status of the real process, a crash, the entry point) keep ``run_build``.
"""

from __future__ import annotations

import contextlib
import fcntl
import io
import os
import shutil
import signal
import threading
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import pytest
from projects import Run

ROOT = Path(__file__).resolve().parent.parent.parent
AS_OF = "2026-11-26"
#: 17 real versions of a public-domain privacy statement (CI has ../shared).
GITHUB = ROOT.parent / "shared" / "fixtures" / "github-privacy-en"


@contextlib.contextmanager
def _like_a_new_process(env: Mapping[str, str] | None, cwd: Path) -> Iterator[None]:
    """Environment, current folder and SIGTERM handler as ``run_build``'s child has them,
    put back afterwards (``main`` installs its own SIGTERM handler)."""
    saved_env, saved_cwd = dict(os.environ), os.getcwd()
    saved_term = signal.getsignal(signal.SIGTERM)
    os.environ.pop("SOURCE_DATE_EPOCH", None)
    os.environ.update(env or {})
    os.chdir(cwd)
    try:
        yield
    finally:
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)
        if saved_term is not None and threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, saved_term)


def _one_job(args: list[str]) -> list[str]:
    """``build`` (named or implied) without ``--jobs``/``-j`` gets ``--jobs 1``."""
    building = not args or args[0] == "build" or args[0].startswith("-")
    asked = any(a in ("-j", "--jobs") or a.startswith(("-j", "--jobs=")) for a in args)
    return [*args, "--jobs", "1"] if building and not asked else args


def run_in_process(*args: str, env: Mapping[str, str] | None = None,
                   cwd: Path = ROOT) -> Run:
    """``run_build(*args)`` without the subprocess: ``policy_archive``'s ``main(args)``."""
    from policy_archive.commands.cli import main

    out, err = _stream(), _stream("backslashreplace")  # as Python's own stderr
    with _like_a_new_process(env, cwd), contextlib.redirect_stdout(out), \
            contextlib.redirect_stderr(err):
        try:
            code = main(_one_job(list(args)))
        except SystemExit as e:  # --help, --version: argparse exits
            code = e.code if isinstance(e.code, int) else 0 if e.code is None else 1
    return Run(code, _text(out), _text(err))


def _stream(errors: str = "strict") -> io.TextIOWrapper:
    """A text stream with a ``buffer``, as a pipe's is (``diff`` writes bytes to it)."""
    return io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors=errors, write_through=True)


def _text(stream: io.TextIOWrapper) -> str:
    """What was written, read as ``subprocess.run(text=True)`` reads a pipe."""
    stream.flush()
    data = stream.buffer.getvalue()  # type: ignore[attr-defined]
    return data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")


def build_project(root: Path, out: Path, as_of: str = AS_OF, *extra: str) -> Run:
    """Build the project at ``root`` into ``out``; fail the test on a non-zero exit."""
    done = run_in_process("build", "--root", str(root), "--out", str(out), "--as-of", as_of,
                          "--quiet", *extra)
    if done.code != 0:
        pytest.fail(f"build of {root} failed (exit {done.code}):\n{done.out}{done.err}",
                    pytrace=False)
    return done


def built_once(tmp_path_factory: pytest.TempPathFactory, name: str,
               make: Callable[[Path], None]) -> Path:
    """The folder ``make(folder)`` fills, made once per test run however many pytest-xdist
    workers ask for it (the first makes it under a lock; the others wait, then read it): for
    the projects several test modules build alike. Read it, never change it."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # the run's folder, which every worker's own folder is in
    folder, done = base / "built-once" / name, base / "built-once" / f"{name}.done"
    folder.parent.mkdir(exist_ok=True)
    with open(folder.parent / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            if folder.exists():  # a worker failed making it: start again
                shutil.rmtree(folder)
            folder.mkdir()
            make(folder)
            done.touch()
    return folder


def github_built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """``GITHUB`` copied (a build writes .cache/ under its project) and built as of AS_OF,
    once per run: (project, site). Skips the test when ../shared is not here."""
    if not GITHUB.is_dir():
        pytest.skip("../shared/fixtures/github-privacy-en is not here")

    def make(folder: Path) -> None:
        shutil.copytree(GITHUB, folder / "project")
        build_project(folder / "project", folder / "site")

    folder = built_once(tmp_path_factory, "github", make)
    return folder / "project", folder / "site"


@pytest.fixture(scope="session")
def build_site() -> Callable[..., Run]:
    """``build_site(root, out, as_of=AS_OF, *extra_args)``: build any project folder."""
    return build_project


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled sample (NOREL privacy policy), built as of AS_OF; do not modify it."""
    return built_once(tmp_path_factory, "sample",
                      lambda folder: build_project(ROOT, folder / "site")) / "site"


@pytest.fixture(scope="session")
def sample_pages(sample_site: Path) -> list[str]:
    """Site-relative addresses of every HTML page of the sample (``privacy/`` etc.)."""
    from contract import html_files, page_path

    return [page_path(sample_site, f) for f in html_files(sample_site)]
