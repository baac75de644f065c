"""``build.py serve``: a live preview on 127.0.0.1.

Builds, serves the output folder (``preview.py``: only to this machine's own names, only
files inside the folder), watches content/, versions/ and templates/ and rebuilds on
change; open pages reload by themselves.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import threading
import time
from pathlib import Path

from ..build.pipeline import build, preload
from ..foundation.clock import build_date
from ..foundation.errors import ContentError
from ..foundation.i18n import counted
from ..runtime.cache import Cache, default_folder
from . import preview

WATCHED = ("content", "versions", "templates")


def _snapshot(root: Path) -> dict[str, float]:
    out: dict[str, float] = {}
    for name in WATCHED:
        folder = root / name
        if folder.is_dir():
            for p in folder.rglob("*"):
                if p.is_file():
                    try:
                        out[str(p)] = p.stat().st_mtime_ns
                    except OSError:
                        pass
    return out


def _rebuild(root: Path, out: Path, as_of: dt.date, drafts: bool, cache: Cache,
             state: preview.Generation) -> None:
    start = time.perf_counter()
    try:  # jobs=1: the server's threads are running, and a threaded process must not fork
        result = build(root, out, as_of, drafts=drafts, cache=cache, jobs=1)
    except ContentError as e:
        _failed(e, state, out)
        return
    if result.up_to_date and not state.problems:  # a file was saved unchanged
        return
    print(f"rebuilt {counted(result.pages, 'page')} in {time.perf_counter() - start:.2f} s",
          flush=True)
    state.bump()


def _failed(error: ContentError, state: preview.Generation, out: Path) -> None:
    """A build that failed: its problems said, and shown in every page until fixed."""
    for p in error.problems:
        print(p, file=sys.stderr)
    print("not rebuilt: fix the errors above (the pages show them until then)",
          file=sys.stderr, flush=True)
    state.bump((str(p) for p in error.problems if p.severity == "error"), out)


def base_path(root: Path) -> str:
    """The path of the site's ``base_url`` (``/legal/``), where it is served; ``/`` when
    ``site.yaml`` cannot be read (its problems are said by the build)."""
    from ..content.load import load_site

    site = load_site(root, [])
    return site.base_path if site is not None else "/"


def serve(root: Path, out: Path, as_of_arg: str | None, port: int, *, drafts: bool,
          cache: Cache | None = None) -> int:
    as_of = build_date(as_of_arg, os.environ)
    cache = Cache(default_folder(root)) if cache is None else cache
    state = preview.Generation()
    prefix = base_path(root)
    server = preview.start(out, port, state, prefix)  # a port in use is said before building
    seen = _snapshot(root)  # before the first build: an edit made during it is not missed
    try:
        build(root, out, as_of, drafts=drafts, cache=cache)
    except ContentError as e:  # served all the same: the pages say what to fix
        _failed(e, state, out)
    except BaseException:
        server.server_close()
        raise
    preload()  # what rebuilds need, loaded now rather than on the first edit
    print(f"serving {out} on http://127.0.0.1:{server.server_address[1]}{prefix} "
          "(Ctrl-C to stop)", flush=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        while True:
            time.sleep(0.05)
            now = _snapshot(root)
            if now != seen:
                seen = now
                _rebuild(root, out, as_of, drafts, cache, state)
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        server.server_close()
    return 0
