"""``build.py serve``: the live preview rebuilds on a change and reloads the open page.

The server runs as its own process on a copy of the sample in ``tmp_path``, on a free port;
the page is open in headless Chromium (the session's ``browser`` from conftest.py: Python
Playwright driving /usr/bin/chromium). A version file is edited and the new text must show
in the open page within a second.
"""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from projects import BUILD_PY, REPO

EDITED = "versions/privacy/2023-04-14.md"
OLD = "東京都千代田区丸の内二丁目7番2号"
NEW = "東京都港区芝浦一丁目1番1号（ライブプレビューの確認）"
# How fast the edit shows is measured in bench/serve_bench.py (target: under a second);
# here the page must only reload by itself with the new text.


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    process: subprocess.Popen[str]
    url: str
    root: Path
    port: int
    log: Path  # what the server printed (stdout and stderr)


@contextmanager
def running_server(tmp_path: Path) -> Iterator[Server]:
    """``serve`` on a copy of the sample in ``tmp_path``, once its first build is done."""
    root = tmp_path / "project"
    for name in ("content", "versions"):
        shutil.copytree(REPO / name, root / name)
    site = root / "content" / "site.yaml"  # served at the host's root (its base_url's path)
    site.write_text(site.read_text("utf-8").replace("https://norel.jp/policies/",
                                                    "https://norel.jp/"), "utf-8")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-u", str(BUILD_PY), "serve", "--root", str(root), "--port",
             str(port), "--as-of", "2026-11-26"],
            stdout=out, stderr=subprocess.STDOUT, text=True, env=env, cwd=tmp_path)
    try:
        deadline = time.monotonic() + 120
        while "serving " not in log.read_text() and proc.poll() is None \
                and time.monotonic() < deadline:
            time.sleep(0.05)  # the line is printed once the first build is done
        assert "serving " in log.read_text(), log.read_text()
        yield Server(proc, f"http://127.0.0.1:{port}/", root, port, log)
    finally:
        os.kill(proc.pid, signal.SIGTERM)  # the server this test started, by its pid
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    with running_server(tmp_path) as s:
        yield s


def open_and_wait_for_changes(browser: Any, url: str) -> Any:
    """Open ``url``; return once its reload script is waiting for the next change."""
    page = browser.new_page()
    with page.expect_request(lambda r: "/__live/wait?since=" in r.url
                             and not r.url.endswith("since=")):
        page.goto(url)
    return page


def test_an_edit_shows_in_the_open_page(server: Server, browser: Any) -> None:
    page = open_and_wait_for_changes(browser, server.url + "privacy/")
    assert OLD in page.inner_text("body")

    path = server.root / EDITED
    text = path.read_text("utf-8")
    assert OLD in text
    start = time.perf_counter()
    path.write_text(text.replace(OLD, NEW), "utf-8")
    page.wait_for_function("text => document.body && document.body.innerText.includes(text)",
                           arg=NEW, timeout=10_000, polling="raf")
    latency = time.perf_counter() - start
    print(f"\nlive reload: the edit showed in the open page after {latency * 1000:.0f} ms")
    assert OLD not in page.inner_text("body")
    page.close()


def test_the_preview_leaves_the_site_folder_alone(server: Server) -> None:
    """A preview (of drafts, of unsaved work, at another date) is not the site to publish."""
    assert not (server.root / "site").exists()
    preview = server.root / ".cache" / "policy_archive" / "preview"
    assert (preview / "privacy" / "index.html").is_file()
    assert (preview.parent / ".gitignore").read_text("utf-8").endswith("\n*\n")


def test_a_broken_edit_keeps_the_last_good_pages(server: Server, browser: Any) -> None:
    page = open_and_wait_for_changes(browser, server.url + "privacy/")
    path = server.root / EDITED
    good = path.read_text("utf-8")
    path.write_text(good.replace("effective: 2023-04-14", "effective: 2023-02-30"), "utf-8")
    time.sleep(1.0)  # a rebuild is tried and fails: no reload, the page stays
    assert OLD in page.inner_text("body")
    path.write_text(good.replace(OLD, NEW), "utf-8")
    page.wait_for_function("text => document.body.innerText.includes(text)", arg=NEW,
                           timeout=10_000)
    page.close()


# --- probes: who is answered, and what a request path can reach -----------------------------
# One server for every probe; each is sent over a raw socket (a path http.client would refuse
# to send goes out as it is) and read back with http.client, and after each the server must
# still answer a good request.

SECRET = "not part of the site"
#: Every response of the preview carries the site's headers (as _headers gives them).
SITE_HEADERS = ("Content-Security-Policy", "Permissions-Policy", "Cross-Origin-Opener-Policy",
                "X-Content-Type-Options", "Referrer-Policy")


@pytest.fixture(scope="module")
def probed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server whose output folder holds symlinks to a file and a folder outside it."""
    tmp = tmp_path_factory.mktemp("probed")
    outside = tmp / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(SECRET, "utf-8")
    with running_server(tmp) as s:
        preview = s.root / ".cache" / "policy_archive" / "preview"
        (preview / "leak.txt").symlink_to(outside / "secret.txt")
        (preview / "leakdir").symlink_to(outside, target_is_directory=True)
        (preview / "privacy" / "loop").symlink_to(preview / "privacy" / "loop")
        yield s


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes


def ask(port: int, target: bytes, hosts: list[bytes] | None = None,
        method: bytes = b"GET") -> Answer:
    """Send one request as these bytes; ``hosts`` None: ``Host: 127.0.0.1:PORT``."""
    hosts = [f"127.0.0.1:{port}".encode()] if hosts is None else hosts
    head = b"".join([method, b" ", target, b" HTTP/1.1\r\n",
                     *(b"Host: " + h + b"\r\n" for h in hosts), b"Connection: close\r\n\r\n"])
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(head)
        response = http.client.HTTPResponse(sock, method=method.decode())
        response.begin()
        return Answer(response.status, dict(response.getheaders()), response.read())


def still_answers(server: Server) -> None:
    assert ask(server.port, b"/privacy/").status == 200, "the server stopped answering"
    printed = server.log.read_text()
    assert "Traceback" not in printed and "request failed" not in printed, printed


HOSTILE_HOSTS = [  # (case, Host header values; {port} is the server's)
    ("another name", ["evil.example"]),
    ("another name, same port", ["evil.example:{port}"]),
    ("a name that starts like ours", ["127.0.0.1.evil:{port}"]),
    ("localhost under another name", ["localhost.evil.example:{port}"]),
    ("user info before ours", ["evil.example@127.0.0.1:{port}"]),
    ("another port", ["127.0.0.1:{other}"]),
    ("localhost, another port", ["localhost:{other}"]),
    ("no port", ["127.0.0.1"]),
    ("IPv6 loopback (not listened on)", ["[::1]:{port}"]),
    ("empty", [""]),
    ("missing", []),
    ("ours, then another", ["127.0.0.1:{port}", "evil.example:{port}"]),
    ("ours twice", ["127.0.0.1:{port}", "127.0.0.1:{port}"]),
]
PROBED = [b"/", b"/privacy/", b"/__live/reload.js", b"/__live/wait?since=", b"/nothing"]


@pytest.mark.parametrize("hosts", [h for _, h in HOSTILE_HOSTS],
                         ids=[name for name, _ in HOSTILE_HOSTS])
def test_another_host_is_refused(probed: Server, hosts: list[str]) -> None:
    port = probed.port
    values = [h.format(port=port, other=port + 1).encode() for h in hosts]
    for target in PROBED:
        for method in (b"GET", b"HEAD"):
            answer = ask(port, target, values, method)
            assert answer.status == 403, (target, method, answer)
            if method == b"GET":
                assert answer.body.startswith(b"403 Forbidden")
                assert b"<" not in answer.body and SECRET.encode() not in answer.body
    still_answers(probed)


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost:{port}", "LocalHost:{port}",
                                  " 127.0.0.1:{port} "])
def test_this_machines_names_are_answered(probed: Server, host: str) -> None:
    answer = ask(probed.port, b"/privacy/", [host.format(port=probed.port).encode()])
    assert answer.status == 200
    assert b'<script src="/__live/reload.js"></script>' in answer.body
    assert answer.headers["Content-Type"] == "text/html; charset=utf-8"


HOSTILE_PATHS = [  # (case, request target, status)
    ("percent-encoded NUL", b"/%00", 400),
    ("percent-encoded NUL inside a page's name", b"/privacy/%00index.html", 400),
    ("raw NUL", b"/\x00", 400),
    ("raw control character", b"/privacy/\x01", 400),
    ("encoded line break (header injection)", b"/%0d%0aSet-Cookie:%20x=1", 400),
    ("raw byte above ASCII", b"/\xff", 400),
    ("percent sign alone", b"/%", 400),
    ("percent with one digit", b"/%a", 400),
    ("percent with non-hex digits", b"/%zz", 400),
    ("encoded byte that is not UTF-8", b"/%ff", 400),
    ("encoded surrogate", b"/%ed%a0%80", 400),
    ("overlong UTF-8 for a dot", b"/%c0%ae%c0%ae/etc/passwd", 400),
    ("not a path: absolute form", b"http://evil.example/", 400),
    ("not a path: asterisk", b"*", 400),
    ("a long path", b"/" + b"a" * 3000, 414),
    ("a very long path", b"/" + b"a" * 70_000, 414),
    ("a name longer than a file name may be", b"/" + b"a" * 300 + b"/", 404),
    ("a long path of short names", b"/a" * 1000, 404),
    ("dot-dot", b"/../../../../etc/passwd", 404),
    ("dot-dot after a folder", b"/privacy/../../../etc/passwd", 404),
    ("encoded dot-dot", b"/%2e%2e/%2e%2e/etc/passwd", 404),
    ("encoded dot-dot, upper case", b"/%2E%2E/%2E%2E/etc/passwd", 404),
    ("half-encoded dot-dot", b"/.%2e/.%2e/etc/passwd", 404),
    ("encoded slashes and dot-dots", b"/privacy%2f..%2f..%2f..%2fetc%2fpasswd", 404),
    ("dot-dot at the end", b"/privacy/..", 404),
    ("a single dot", b"/./privacy/", 404),
    ("a backslash dot-dot", b"/..\\..\\etc\\passwd", 404),
    ("two slashes (another host for a browser)", b"//evil.example/", 404),
    ("two slashes before a folder (redirected on this host)", b"//privacy", 301),
    ("an absolute file path", b"//etc/passwd", 404),
    ("symlink to a file outside", b"/leak.txt", 404),
    ("symlink to a folder outside", b"/leakdir/secret.txt", 404),
    ("symlink to a folder outside, as a folder", b"/leakdir", 404),
    ("symlink loop", b"/privacy/loop", 404),
    ("a folder without index.html (no listing)", b"/static/", 404),
    ("a file's name with a slash after it", b"/robots.txt/", 404),
    ("the site's _headers is a file like any other", b"/_headers", 200),
    ("NUL in the query only", b"/privacy/?q=%00", 200),
    ("a long-poll with a hostile generation", b"/__live/wait?since=%ff%00", 200),
    ("a folder without its slash", b"/privacy", 301),
]


@pytest.mark.parametrize("target,status", [(t, s) for _, t, s in HOSTILE_PATHS],
                         ids=[name for name, _, _ in HOSTILE_PATHS])
def test_no_path_leaves_the_site_or_breaks_the_server(probed: Server, target: bytes,
                                                      status: int) -> None:
    answer = ask(probed.port, target)
    assert answer.status == status, answer
    assert SECRET.encode() not in answer.body
    assert b"root:" not in answer.body
    if status == 301:  # to the folder's address on this host, never "//" (another host)
        assert answer.headers["Location"] == "/privacy/"
    still_answers(probed)


@pytest.mark.parametrize("request_line", [b"GET /privacy/", b"GET  HTTP/1.1"])
def test_an_http_0_9_request_gets_no_page(probed: Server, request_line: bytes) -> None:
    """A request without a version (HTTP/0.9: no headers, so no Host) is refused too."""
    with socket.create_connection(("127.0.0.1", probed.port), timeout=30) as sock:
        sock.sendall(request_line + b"\r\n\r\n")
        answer = b"".join(iter(lambda: sock.recv(65536), b""))
    assert answer.split(b":")[0] in (b"403 Forbidden", b"400 Bad Request"), answer
    still_answers(probed)


@pytest.mark.parametrize("method", [b"POST", b"PUT", b"DELETE", b"OPTIONS", b"PROPFIND"])
def test_other_methods_are_not_implemented(probed: Server, method: bytes) -> None:
    assert ask(probed.port, b"/privacy/", method=method).status == 501
    still_answers(probed)


@pytest.mark.parametrize("target,kind", [
    (b"/privacy/", "text/html; charset=utf-8"),
    (b"/__live/reload.js", "text/javascript; charset=utf-8"),
    (b"/__live/wait?since=", "text/plain; charset=utf-8"),
    (b"/versions.json", "application/json"),
    (b"/nothing/here", "text/html; charset=utf-8"),  # the site's 404.html
    (b"/%00", "text/plain; charset=utf-8"),
])
def test_every_answer_carries_the_site_headers(probed: Server, target: bytes,
                                               kind: str) -> None:
    answer = ask(probed.port, target)
    assert answer.headers["Content-Type"] == kind
    built = (probed.root / ".cache" / "policy_archive" / "preview" / "_headers").read_text()
    for name in SITE_HEADERS:
        assert f"  {name}: {answer.headers[name]}\n" in built, name
    assert "require-trusted-types-for 'script'" in answer.headers["Content-Security-Policy"]


# --- the mapping from request target to file, on its own --------------------------------

@pytest.fixture(scope="module")
def small_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site folder with a page, a file, an empty folder and symlinks in and out."""
    tmp = tmp_path_factory.mktemp("locate")
    site = tmp / "site"
    (site / "privacy").mkdir(parents=True)
    (site / "privacy" / "index.html").write_text("<p>page</p>")
    (site / "robots.txt").write_text("User-agent: *\n")
    (site / "empty").mkdir()
    (tmp / "outside.txt").write_text(SECRET)
    (site / "out.txt").symlink_to(tmp / "outside.txt")
    (site / "in.txt").symlink_to(site / "robots.txt")
    os.mkfifo(site / "fifo")
    return site.resolve()


LOCATED = [  # (target, status, file relative to the site or "")
    ("/", 404, ""), ("/privacy/", 200, "privacy/index.html"), ("/privacy", 301, ""),
    ("/privacy/index.html", 200, "privacy/index.html"), ("/robots.txt", 200, "robots.txt"),
    ("/robots.txt?x=1#y", 200, "robots.txt"), ("/in.txt", 200, "robots.txt"),
    ("/out.txt", 404, ""), ("/fifo", 404, ""), ("/empty/", 404, ""), ("/empty", 301, ""),
    ("/privacy/%69ndex.html", 200, "privacy/index.html"), ("/%2e%2e/outside.txt", 404, ""),
    ("/privacy/%2e%2e/robots.txt", 404, ""), ("/privacy%2f..%2frobots.txt", 404, ""),
    ("/privacy/index.html%00.txt", 400, ""), ("/a%2", 400, ""), ("privacy/", 400, ""),
]


@pytest.mark.parametrize("target,status,file", LOCATED)
def test_locate(small_site: Path, target: str, status: int, file: str) -> None:
    from policy_archive.commands.preview import locate

    found = locate(small_site, target)
    assert (found.status, found.file) == (status, small_site / file if file else None)


@settings(max_examples=400, deadline=None)
@given(st.text(st.characters(codec="utf-8"), max_size=60)
       | st.lists(st.sampled_from(["/", "..", ".", "%2e", "%2f", "%00", "%", "privacy",
                                   "out.txt", "in.txt", "fifo", "empty", "?", "%ff", "\\"]),
                  max_size=12).map("".join))
def test_locate_never_raises_nor_leaves_the_site(small_site: Path, target: str) -> None:
    from policy_archive.commands.preview import locate

    found = locate(small_site, target)
    assert found.status in (200, 301, 400, 404, 414)
    if found.file is not None:
        assert found.file.is_relative_to(small_site) and found.file.is_file()
        assert SECRET not in found.file.read_text()
    assert not found.location.startswith("//")


@pytest.mark.parametrize("case", ["in use", "70000", "-1"])
def test_a_port_that_cannot_be_had_is_a_usage_error(tmp_path: Path, case: str) -> None:
    root = tmp_path / "project"
    for name in ("content", "versions"):
        shutil.copytree(REPO / name, root / name)
    site = root / "content" / "site.yaml"  # served at the host's root (its base_url's path)
    site.write_text(site.read_text("utf-8").replace("https://norel.jp/policies/",
                                                    "https://norel.jp/"), "utf-8")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1]) if case == "in use" else case
        done = subprocess.run([sys.executable, str(BUILD_PY), "serve", "--root", str(root),
                               "--port", port, "--as-of", "2026-11-26"],
                              capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done
    assert done.stderr.startswith(f"build.py: --port {port}: "), done.stderr
    assert "Traceback" not in done.stderr
    assert not (root / ".cache" / "policy_archive" / "preview").exists()


def test_a_failed_builds_problems_leave_the_pages_a_later_build_wrote(tmp_path: Path) -> None:
    """A build that wrote replaces the folder before the server hears of it: a page read in
    between is the new one, and must not carry the old failure's alert."""
    from policy_archive.commands.preview import Generation

    site = tmp_path / "site"
    site.mkdir()
    state = Generation()
    state.bump(["templates/base.html:2: template error"], site)
    assert state.problems_for(site) == ("templates/base.html:2: template error",)
    fresh = tmp_path / "site.new"
    fresh.mkdir()
    site.rename(tmp_path / "site.old")
    fresh.rename(site)  # as output/staging.py swaps a written build in
    assert state.problems_for(site) == ()
    state.bump(["templates/base.html:3: template error"], site)  # fails on the new one
    assert state.problems_for(site) == ("templates/base.html:3: template error",)
    state.bump()
    assert state.problems_for(site) == ()
