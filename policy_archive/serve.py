"""``build.py serve``: a live preview on 127.0.0.1.

Builds, serves the output folder, watches content/, versions/ and templates/ and rebuilds on
change. Open pages reload by themselves: HTML responses get one script tag for
``/__live/reload.js`` (a file served from the project's own host, so the pages' CSP allows
it; it is never written into the built site), which long-polls ``/__live/wait``.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import threading
import time
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from .builder import build, preload
from .cache import Cache, default_folder
from .clock import build_date
from .errors import ContentError

RELOAD_JS = b"""(function () {
  "use strict";
  var id = null;
  function wait() {
    fetch("/__live/wait?since=" + encodeURIComponent(id || ""), { cache: "no-store" })
      .then(function (r) { return r.text(); })
      .then(function (next) {
        if (id !== null && next !== id) { location.reload(); return; }
        id = next; wait();
      })
      .catch(function () { setTimeout(wait, 1000); });
  }
  wait();
})();
"""
WATCHED = ("content", "versions", "templates")


class _State:
    def __init__(self) -> None:
        self.generation = 0
        self.changed = threading.Condition()
        self.last_error = ""

    def bump(self) -> None:
        with self.changed:
            self.generation += 1
            self.changed.notify_all()


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


class _Handler(SimpleHTTPRequestHandler):
    state: _State

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def do_GET(self) -> None:  # noqa: N802
        if self.path == "/__live/reload.js":
            self._send(RELOAD_JS, "text/javascript; charset=utf-8")
            return
        if self.path.startswith("/__live/wait"):
            since = self.path.partition("since=")[2]
            with self.state.changed:
                if since == str(self.state.generation):
                    self.state.changed.wait(timeout=25)
            self._send(str(self.state.generation).encode(), "text/plain; charset=utf-8")
            return
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if path.suffix == ".html" and path.is_file():
            html = path.read_bytes().replace(
                b"</body>", b'<script src="/__live/reload.js"></script>\n</body>', 1)
            self._send(html, "text/html; charset=utf-8")
            return
        super().do_GET()

    def _send(self, data: bytes, kind: str) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", kind)
        self.send_header("Cache-Control", "no-store")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def _rebuild(root: Path, out: Path, as_of: dt.date, drafts: bool, cache: Cache,
             state: _State) -> None:
    start = time.perf_counter()
    try:  # jobs=1: the server's threads are running, and a threaded process must not fork
        result = build(root, out, as_of, drafts=drafts, cache=cache, jobs=1)
    except ContentError as e:
        for p in e.problems:
            print(p, file=sys.stderr)
        print("not rebuilt: fix the errors above (the previous pages stay)", file=sys.stderr)
        return
    if result.up_to_date:  # a file was saved unchanged: nothing to reload
        return
    print(f"rebuilt {result.pages} pages in {time.perf_counter() - start:.2f} s", flush=True)
    state.bump()


def serve(root: Path, out: Path, as_of_arg: str | None, port: int, *, drafts: bool,
          cache: Cache | None = None) -> int:
    as_of = build_date(as_of_arg, os.environ)
    cache = Cache(default_folder(root)) if cache is None else cache
    state = _State()
    build(root, out, as_of, drafts=drafts, cache=cache)
    preload()  # what rebuilds need, loaded now rather than on the first edit
    handler = type("Handler", (_Handler,), {"state": state})
    server = ThreadingHTTPServer(("127.0.0.1", port), partial(handler, directory=str(out)))
    server.daemon_threads = True
    print(f"serving {out} on http://127.0.0.1:{server.server_address[1]}/ "
          "(Ctrl-C to stop)", flush=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    seen = _snapshot(root)
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
    return 0
