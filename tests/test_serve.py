"""``build.py serve``: the live preview rebuilds on a change and reloads the open page.

The server runs as its own process on a copy of the sample in ``tmp_path``, on a free port;
the page is open in headless Chromium (the session's ``browser`` from conftest.py: Python
Playwright driving /usr/bin/chromium). A version file is edited and the new text must show
in the open page within a second.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

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


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    root = tmp_path / "project"
    for name in ("content", "versions"):
        shutil.copytree(REPO / name, root / name)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    proc = subprocess.Popen(
        [sys.executable, "-u", str(BUILD_PY), "serve", "--root", str(root), "--port", str(port),
         "--as-of", "2026-11-26"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env, cwd=tmp_path)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()  # printed once the first build is done
        assert line.startswith("serving "), line + proc.stdout.read()
        yield Server(proc, f"http://127.0.0.1:{port}/", root)
    finally:
        os.kill(proc.pid, signal.SIGTERM)  # the server this test started, by its pid
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()


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
