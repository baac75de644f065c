"""Serving a built site over HTTP the way a static host does: under a sub-path, with the
site's ``404.html`` and ``_headers``, no folder listings."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest

#: The sample's base_url is https://norel.jp/policies/: serve it under the same sub-path.
SAMPLE_PREFIX = "/policies/"


def _header_rules(site: Path) -> list[tuple[str, list[tuple[str, str]]]]:
    """The site's ``_headers`` file (Netlify / Cloudflare Pages format), if any."""
    rules: list[tuple[str, list[tuple[str, str]]]] = []
    path = site / "_headers"
    if not path.is_file():
        return rules
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace():
            rules.append((line.strip(), []))
        elif rules and ":" in line:
            name, value = line.strip().split(":", 1)
            rules[-1][1].append((name.strip(), value.strip()))
    return rules


class _SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Serves ``site`` under ``prefix`` only, with the site's 404.html and _headers."""

    site: Path
    prefix: str
    rules: list[tuple[str, list[tuple[str, str]]]]
    log: list[str]

    def send_head(self) -> Any:
        url_path = unquote(urlsplit(self.path).path)
        if url_path == "/favicon.ico":
            # The browser asks the host root for an icon on its own; the host root is not
            # part of the site (it lives under the prefix), so answer "nothing", not 404.
            self.send_response(204)
            self.end_headers()
            return None
        if not url_path.startswith(self.prefix):
            self.send_error(404)
            return None
        return super().send_head()

    def translate_path(self, path: str) -> str:
        url_path = unquote(urlsplit(path).path)
        return super().translate_path("/" + url_path[len(self.prefix):])

    def list_directory(self, path: Any) -> None:  # a static host lists no folders
        self.send_error(404)
        return None

    def end_headers(self) -> None:
        url_path = unquote(urlsplit(self.path).path)
        for pattern, headers in self.rules:
            if (url_path.startswith(pattern[:-1]) if pattern.endswith("*")
                    else url_path == pattern):
                for name, value in headers:
                    self.send_header(name, value)
        super().end_headers()

    def send_error(self, code: int, message: str | None = None,
                   explain: str | None = None) -> None:
        page = self.site / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        self.log.append(f"{self.command} {self.path}")


@dataclass
class SiteServer:
    """A built site served at ``http://127.0.0.1:PORT{prefix}``."""

    base_url: str
    requests: list[str] = field(default_factory=list)

    def url(self, path: str = "") -> str:
        return self.base_url + path.lstrip("/")


@contextmanager
def serve_site(site: Path, prefix: str = SAMPLE_PREFIX) -> Iterator[SiteServer]:
    """Serve ``site`` on 127.0.0.1 (a free port) under the sub-path ``prefix``."""
    assert prefix.startswith("/") and prefix.endswith("/")
    log: list[str] = []
    handler = type("Handler", (_SiteHandler,), {
        "site": site, "prefix": prefix, "rules": _header_rules(site), "log": log})
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), partial(handler, directory=str(site)))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield SiteServer(f"http://127.0.0.1:{server.server_address[1]}{prefix}", log)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def site_server() -> Callable[..., Any]:
    """``with site_server(site_dir, prefix) as server:`` serves a site (see serve_site)."""
    return serve_site


@pytest.fixture(scope="session")
def sample_server(sample_site: Path) -> Iterator[SiteServer]:
    """The sample site at http://127.0.0.1:PORT/policies/ (its base_url's path)."""
    with serve_site(sample_site, SAMPLE_PREFIX) as server:
        yield server
