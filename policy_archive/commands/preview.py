"""The preview's HTTP side (``build.py serve``): who is answered, and with which file.

Only this machine's own names are answered (``Host: 127.0.0.1:PORT`` or ``localhost:PORT``;
403 otherwise, a missing Host too), so a page of another site cannot read the preview,
drafts included, through a name of its own that resolves to 127.0.0.1 (DNS rebinding). A
request target is mapped by :func:`locate`, a pure function that never raises, to a regular
file inside the output folder or to a status: 400 for a target that is not a clean path,
404 for what lies outside the folder (``..``, a symlink out) or is no regular file, 414 for
an overlong one. Every response carries the site's own headers (``hosting.SITE_HEADERS``).
HTML pages get one script tag for ``/__live/reload.js`` (served from this host, so the
pages' CSP allows it; never written into the built site), which long-polls ``/__live/wait``.
"""

from __future__ import annotations

import re
import sys
import threading
from collections.abc import Iterable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import NamedTuple, cast
from urllib.parse import parse_qs, unquote

from ..foundation.errors import UsageError
from ..site.hosting import SITE_HEADERS

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
RELOAD_TAG = b'<script src="/__live/reload.js"></script>\n</body>'
#: The longest request target answered (the site's addresses are far shorter): else 414.
MAX_TARGET = 2048
#: How long a long poll waits for a rebuild before answering the same generation.
WAIT_SECONDS = 25
_TARGET = re.compile(r"/[!-~]*")  # printable ASCII: no space, no control character
_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
TEXT = "; charset=utf-8"
CONTENT_TYPES = {
    ".html": "text/html" + TEXT, ".css": "text/css" + TEXT, ".js": "text/javascript" + TEXT,
    ".json": "application/json", ".xml": "application/xml" + TEXT, ".txt": "text/plain" + TEXT,
    ".md": "text/markdown" + TEXT, ".svg": "image/svg+xml", ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".webp": "image/webp",
    ".gif": "image/gif", ".avif": "image/avif", ".ico": "image/x-icon",
    ".woff2": "font/woff2", ".woff": "font/woff", ".ttf": "font/ttf", ".otf": "font/otf",
}


class Located(NamedTuple):
    """What a request target leads to: a file (200), a folder's address with its slash
    (301, ``location``) or an error status."""

    status: HTTPStatus
    file: Path | None = None
    location: str = ""


def host_allowed(hosts: list[str] | None, port: int) -> bool:
    """Whether the request's Host headers name this preview: exactly one, this machine's."""
    if not hosts or len(hosts) != 1:
        return False
    names = {f"127.0.0.1:{port}", f"localhost:{port}"}
    if port == 80:  # a browser leaves the default port out
        names |= {"127.0.0.1", "localhost"}
    return hosts[0].strip().lower() in names


def locate(site: Path, target: str) -> Located:
    """Where the request target ``target`` leads in the folder ``site`` (an absolute,
    resolved path). Never raises, never leaves ``site``, never names anything but a
    regular file."""
    if len(target) > MAX_TARGET:
        return Located(HTTPStatus.REQUEST_URI_TOO_LONG)
    path = target.partition("?")[0]
    if not _TARGET.fullmatch(target) or _BAD_PERCENT.search(path):
        return Located(HTTPStatus.BAD_REQUEST)
    try:
        decoded = unquote(path, errors="strict")
    except UnicodeDecodeError:
        return Located(HTTPStatus.BAD_REQUEST)
    if _CONTROL.search(decoded):
        return Located(HTTPStatus.BAD_REQUEST)
    parts = decoded[1:].split("/")
    if any(p in ("", ".", "..") for p in parts[:-1]) or parts[-1] in (".", ".."):
        return Located(HTTPStatus.NOT_FOUND)
    return _inside(site, parts, path)


def _inside(site: Path, parts: list[str], path: str) -> Located:
    """The regular file ``parts`` names in ``site`` (a folder: its index.html), following
    symlinks only as far as they stay inside."""
    try:
        found = site.joinpath(*parts).resolve(strict=True)
        if found.is_relative_to(site) and found.is_dir():
            if parts[-1]:
                return Located(HTTPStatus.MOVED_PERMANENTLY, location=path + "/")
            found = (found / "index.html").resolve(strict=True)
        elif not parts[-1]:  # a file's name with a slash after it
            return Located(HTTPStatus.NOT_FOUND)
        if found.is_relative_to(site) and found.is_file():
            return Located(HTTPStatus.OK, found)
    except (OSError, RuntimeError, ValueError):  # missing, too long, a symlink loop
        pass
    return Located(HTTPStatus.NOT_FOUND)


def content_type(file: Path) -> str:
    return CONTENT_TYPES.get(file.suffix.lower(), "application/octet-stream")


class Generation:
    """The number of the latest build, and a wake-up for the long polls waiting on it."""

    def __init__(self) -> None:
        self.value = 0
        self.changed = threading.Condition()
        #: Why the latest build failed (``path:line: message`` lines), shown in every page
        #: until a build succeeds; () when it did.
        self.problems: tuple[str, ...] = ()
        #: The output folder the problems were found against (see :func:`folder_id`).
        self.failed_on: tuple[int, int] | None = None

    def bump(self, problems: Iterable[str] = (), site: Path | None = None) -> None:
        """A new generation: ``problems`` from a failed build of ``site``, or none."""
        with self.changed:
            self.value += 1
            self.problems = tuple(problems)
            self.failed_on = folder_id(site) if site is not None and self.problems else None
            self.changed.notify_all()

    def problems_for(self, site: Path) -> tuple[str, ...]:
        """The problems to show on ``site``'s pages: none once a later build has replaced
        the folder they were found against (its pages are newer than the problems)."""
        with self.changed:
            problems, failed_on = self.problems, self.failed_on
        return problems if failed_on is None or folder_id(site) == failed_on else ()

    def wait_past(self, since: str) -> str:
        """The generation once it is no longer ``since`` (or after WAIT_SECONDS)."""
        with self.changed:
            if since == str(self.value):
                self.changed.wait(timeout=WAIT_SECONDS)
            return str(self.value)


def folder_id(site: Path) -> tuple[int, int]:
    """Which folder ``site`` is now: a build writes a new one and renames it into place, so
    the id changes with every build that wrote; (0, 0) while there is none."""
    try:
        st = site.stat()
    except OSError:
        return (0, 0)
    return (st.st_dev, st.st_ino)


class PreviewHandler(BaseHTTPRequestHandler):
    """Answers GET and HEAD from the folder ``site`` (see the module's notes), at the
    addresses under ``prefix`` (the path of the site's ``base_url``), as the host will."""

    site: Path
    generation: Generation
    prefix: str = "/"
    timeout = 60  # seconds a connection may stay silent

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def version_string(self) -> str:
        return "policy-archive-preview"

    def do_GET(self) -> None:  # noqa: N802
        self._answer()

    def do_HEAD(self) -> None:  # noqa: N802
        self._answer()

    def _answer(self) -> None:
        port = cast(PreviewServer, self.server).server_port
        if not host_allowed(self.headers.get_all("Host"), port):
            self._plain(HTTPStatus.FORBIDDEN, "this preview answers only "
                        "http://127.0.0.1:PORT/ and http://localhost:PORT/")
            return
        path, _, query = self.path.partition("?")
        if path == "/__live/reload.js":
            self._send(HTTPStatus.OK, RELOAD_JS, CONTENT_TYPES[".js"])
        elif path == "/__live/wait":
            since = parse_qs(query).get("since", [""])[0]
            self._send(HTTPStatus.OK, self.generation.wait_past(since).encode(),
                       CONTENT_TYPES[".txt"])
        elif path == "/robots.txt" and self.prefix != "/":  # where crawlers read it
            self._file(locate(self.site.resolve(), "/robots.txt"))
        elif path == self.prefix.rstrip("/"):
            self._plain(HTTPStatus.MOVED_PERMANENTLY, "", [("Location", self.prefix)])
        elif path.startswith("/") and not path.startswith(self.prefix):
            self._file(Located(HTTPStatus.NOT_FOUND))
        else:  # under the prefix, or no path at all (refused by locate)
            inner = self.path[len(self.prefix) - 1:] if path.startswith("/") else self.path
            self._file(locate(self.site.resolve(), inner))

    def _file(self, found: Located) -> None:
        problems = self.generation.problems_for(self.site)
        if found.file is None and problems and found.status == HTTPStatus.NOT_FOUND:
            self._send(HTTPStatus.INTERNAL_SERVER_ERROR,  # no page built yet: the problems
                       problems_page(problems), CONTENT_TYPES[".html"])
            return
        if found.file is None and found.status == HTTPStatus.NOT_FOUND:
            page = self.site / "404.html"  # the site's own page, as a host serves it
            if page.is_file():
                data = page.read_bytes().replace(b"</body>", RELOAD_TAG, 1)
                self._send(HTTPStatus.NOT_FOUND, data, CONTENT_TYPES[".html"])
                return
        if found.file is None:
            location = self.prefix + found.location[1:] if found.location else ""
            self._plain(found.status, "", [("Location", location)] if location else [])
            return
        try:
            data = found.file.read_bytes()
        except OSError:  # gone since it was found (a rebuild swapped the folder)
            self._plain(HTTPStatus.NOT_FOUND)
            return
        if found.file.suffix == ".html":  # the page's own </body>: the last one (a text
            head, tag, tail = data.rpartition(b"</body>")  # may hold one inside an attribute)
            data = head + RELOAD_TAG + tail if tag else data
            if problems:  # the last good page, the build's problems on top
                data = data.replace(b"<body>", b"<body>\n" + problems_note(problems), 1)
        self._send(HTTPStatus.OK, data, content_type(found.file))

    def send_error(self, code: int, message: str | None = None,
                   explain: str | None = None) -> None:
        """A malformed request (the standard library's checks): a short plain answer."""
        self.close_connection = True
        self._plain(HTTPStatus(code), "", [("Connection", "close")])

    def _plain(self, status: HTTPStatus, why: str = "",
               extra: Iterable[tuple[str, str]] = ()) -> None:
        text = f"{status.value} {status.phrase}" + (f": {why}" if why else "") + "\n"
        self._send(status, text.encode(), CONTENT_TYPES[".txt"], extra)

    def _send(self, status: HTTPStatus, data: bytes, kind: str,
              extra: Iterable[tuple[str, str]] = ()) -> None:
        self.send_response(status)
        headers = [("Content-Type", kind), ("Content-Length", str(len(data))),
                   ("Cache-Control", "no-store"), *built_headers(self.site), *extra]
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)


def built_headers(site: Path) -> tuple[tuple[str, str], ...]:
    """The headers the built site's ``_headers`` gives its pages (its theme's policy
    included), or the site's defaults before a first build."""
    try:
        lines = (site / "_headers").read_text("utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return SITE_HEADERS
    out = []
    for line in lines[1:]:
        if not line.startswith("  "):
            break  # the next rule (static/*): only the pages' headers
        name, _, value = line.strip().partition(": ")
        if name != "Cache-Control":
            out.append((name, value))
    return tuple(out) or SITE_HEADERS


def problems_note(problems: Iterable[str]) -> bytes:
    """What a page shows while the project does not build: the problems, as an alert."""
    from html import escape

    items = "".join(f"<li><code>{escape(p)}</code></li>\n" for p in problems)
    return ('<div class="preview-problems" role="alert" lang="en">\n<p><strong>The site '
            "does not build</strong> (this page is the last good one): fix these and save, "
            f"the page reloads by itself.</p>\n<ul>\n{items}</ul>\n</div>\n").encode("utf-8")


def problems_page(problems: Iterable[str]) -> bytes:
    """The page an address without a built page shows while the project does not build."""
    return (b'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            b"<title>The site does not build</title>\n</head>\n<body>\n"
            + problems_note(problems) + RELOAD_TAG + b"\n</html>\n")


class PreviewServer(ThreadingHTTPServer):
    """One thread per connection; a client that went away is no error worth a traceback."""

    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        error = sys.exc_info()[1]
        if not isinstance(error, (ConnectionError, TimeoutError)):
            print(f"serve: a request failed: {error!r}", file=sys.stderr)


def start(site: Path, port: int, generation: Generation, prefix: str = "/") -> PreviewServer:
    """A server for ``site`` on 127.0.0.1:``port`` (0: a free port) at the addresses under
    ``prefix``, listening, not yet serving; a port that cannot be had is a usage error."""
    if not 0 <= port <= 65535:
        raise UsageError(f"--port {port}: a port is a number from 0 (any free one) to 65535")
    handler = type("Handler", (PreviewHandler,), {"site": site, "generation": generation,
                                                  "prefix": prefix})
    try:
        return PreviewServer(("127.0.0.1", port), handler)
    except OSError as e:
        raise UsageError(f"--port {port}: cannot listen on 127.0.0.1:{port}: "
                         f"{e.strerror or e}") from None
