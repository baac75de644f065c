"""Live preview latency: from saving a version file to the new text in the open page.

Starts ``build.py serve`` on a copy of the sample (127.0.0.1, a free port), opens the
current policy in headless Chromium, then edits the current version's text ``--edits``
times, each time timing until the page shows the new text. Prints the median and range.

    python bench/serve_bench.py [--edits 9]
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
EDITED = "versions/privacy/2023-04-14.md"
ANCHOR = "東京都千代田区丸の内二丁目7番2号"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=9)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "project"
        for name in ("content", "versions"):
            shutil.copytree(ROOT / name, root / name)
        port = free_port()
        proc = subprocess.Popen(
            [sys.executable, "-u", str(ROOT / "build.py"), "serve", "--root", str(root),
             "--port", str(port), "--as-of", "2026-11-26"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            assert proc.stdout is not None and proc.stdout.readline().startswith("serving")
            latencies = measure(root, f"http://127.0.0.1:{port}/privacy/", args.edits)
        finally:
            os.kill(proc.pid, signal.SIGTERM)  # the server started here, by its pid
            proc.wait(timeout=10)
    ms = [x * 1000 for x in latencies]
    print(f"live reload, {len(ms)} edits of {EDITED}: median {statistics.median(ms):.0f} ms "
          f"(min {min(ms):.0f}, max {max(ms):.0f}); target < 1000 ms: "
          f"{'met' if statistics.median(ms) < 1000 else 'NOT met'}")
    return 0


def measure(root: Path, url: str, edits: int) -> list[float]:
    path = root / EDITED
    out = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page()
        previous = ANCHOR
        for i in range(edits):
            with page.expect_request(lambda r: "/__live/wait?since=" in r.url
                                     and not r.url.endswith("since=")):
                page.goto(url)
            marker = f"{ANCHOR}（編集{i + 1}）"
            start = time.perf_counter()
            path.write_text(path.read_text("utf-8").replace(previous, marker), "utf-8")
            page.wait_for_function("t => document.body.innerText.includes(t)", arg=marker,
                                   timeout=15_000, polling="raf")
            out.append(time.perf_counter() - start)
            previous = marker
        browser.close()
    return out


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
