#!/usr/bin/env python3
"""Time ``build.py import git`` of the GitHub Privacy Statement's 89 commits.

    .venv/bin/python bench/import_bench.py --runs 5

Clones ``../shared/fixtures/github-privacy-git/history.bundle`` into ``bench/out/import/``
(git-ignored) and times whole processes (``python build.py import git …``, start to exit),
each into a fresh project, and the same with ``--dry-run`` and with ``--date commit``.
Prints the median and the range of the wall times per scenario.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BUNDLE = REPO.parent / "shared" / "fixtures" / "github-privacy-git" / "history.bundle"
OUT = REPO / "bench" / "out" / "import"
PATHS = ("Policies/privacy-policies/github-general-privacy-statement.md",
         "Policies/privacy-policies/github-privacy-statement.md")
SCENARIOS = {"import git (effective-line)": (), "import git --dry-run": ("--dry-run",),
             "import git --date commit": ("--date", "commit")}


def fresh_project(root: Path) -> Path:
    if root.exists():
        shutil.rmtree(root)
    (root / "content").mkdir(parents=True)
    (root / "content" / "site.yaml").write_text(
        "title: Bench\nbase_url: /\nlanguage: en\ndocuments:\n  - slug: privacy\n"
        "    title: Privacy\n", encoding="utf-8")
    return root


def timed(history: Path, extra: Sequence[str]) -> float:
    root = fresh_project(OUT / "project")
    args = [sys.executable, str(REPO / "build.py"), "import", "git", str(history),
            *(a for p in PATHS for a in ("--path", p)), "--slug", "privacy",
            "--root", str(root), *extra]
    start = time.perf_counter()
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=5, help="runs per scenario (default: 5)")
    args = p.parse_args(argv)
    if not BUNDLE.is_file():
        print(f"{BUNDLE} is not here", file=sys.stderr)
        return 1
    history = OUT / "history"
    if not history.is_dir():
        subprocess.run(["git", "clone", "-q", str(BUNDLE), str(history)], check=True)
    print(f"| scenario | median s | min–max s |  ({args.runs} runs each)\n|---|---:|---:|")
    for name, extra in SCENARIOS.items():
        times = [timed(history, extra) for _ in range(args.runs)]
        print(f"| {name} | {statistics.median(times):.2f} | "
              f"{min(times):.2f}–{max(times):.2f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
