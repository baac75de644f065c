"""The archive-scale benchmark: long histories and many documents, against `mkdocs build`.

Archives (``bench/make_archive.py``, Japanese, each a git repository with one commit):

* ``1×N×20KB`` for N in ``--versions`` (default 10, 100, 300, 1000): one document whose
  history grows; from 84 versions on, the oldest sections are deleted as new ones come, so
  versions far apart share little (the hard case for "against the current version");
* ``50×10×40KB``: fifty documents of ten versions each.

For each, whole processes (``python build.py build -q``, ``CI=true``), in rounds: **cold**
(no cache, no output), **version added** (one more current version of the first
document, on the cache and output of the cold build; removed afterwards) and **mkdocs
build** of the same versions as plain pages (as in ``archive_bench.py``). Printed: median
wall time, CPU time, the peak memory of the whole process tree (sampled every 5 ms, every
process's resident set summed: an upper bound, pages shared after ``fork`` count in each),
the output's bytes and files, the share of those bytes in the pages of the diffs against the
first document's current version (which its new current version replaces, whatever else is
reused), the ratios, and which targets are met.

    python bench/scale_bench.py [--runs 1] [--versions 10,100,300,1000] [--no-documents]
"""

from __future__ import annotations

import argparse
import compileall
import datetime as dt
import json
import os
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import archive_bench as ab  # noqa: E402
import make_archive  # noqa: E402


def output_size(site: Path) -> tuple[int, int]:
    """(bytes, files) under ``site``."""
    total = files = 0
    for base, _, names in os.walk(site):
        for name in names:
            total += os.path.getsize(os.path.join(base, name))
            files += 1
    return total, files


def against_current(site: Path, slug: str) -> int:
    """Bytes of the pages of the diffs against document ``slug``'s current version (read
    from ``versions.json`` as a reader would): what a new current version of it replaces,
    whatever else a build reuses."""
    index = json.loads((site / "versions.json").read_text(encoding="utf-8"))
    base = index["base_url"].rstrip("/") + "/"
    folders = {diff["url"] for doc in index["documents"] if doc["slug"] == slug
               for diff in doc["diffs"] if diff["to"] == doc["current"]}
    return sum(output_size(site / url[len(base):])[0] for url in folders)


def run_archive(work: Path, name: str, spec: make_archive.Spec, runs: int) -> dict[str, object]:
    root = work / name
    ab.set_aside(root)
    make_archive.write_archive(root, spec, git=True)
    archive = ab.Archive(name, root, spec, runs)
    mkdocs = ab.mkdocs_project(archive)
    results: dict[str, list[ab.Run]] = {"cold": [], "version added": [], "mkdocs build": []}
    size, current = (0, 0), 0
    for _ in range(runs):
        ab.set_aside(root / ".cache")
        ab.set_aside(root / "site")
        results["cold"].append(ab.measure(ab.our_build(archive)))
        size = output_size(root / "site")
        current = against_current(root / "site", make_archive.slug_of(0))
        added = make_archive.add_version(root, spec, 0)
        results["version added"].append(ab.measure(ab.our_build(archive)))
        added.unlink()
        ab.set_aside(mkdocs / "site")
        results["mkdocs build"].append(ab.measure([ab.PYTHON, "-m", "mkdocs", "build", "-q"],
                                                  mkdocs))
    return {"name": name, "results": results, "bytes": size[0], "files": size[1],
            "current": current}


def report(rows: Sequence[dict[str, object]]) -> list[str]:
    head = (f"{'archive':<14} {'scenario':<14} {'median s':>8} {'CPU s':>7} {'tree MB':>8} "
            f"{'÷ cold':>7} {'÷ mkdocs':>8}   output")
    lines = [head, "-" * len(head)]
    verdicts = []
    for row in rows:
        results: dict[str, list[ab.Run]] = row["results"]  # type: ignore[assignment]
        cold, mk = ab.med(results["cold"]), ab.med(results["mkdocs build"])
        for scenario, runs in results.items():
            m = ab.med(runs)
            out = (f"{int(row['bytes']) / 2**20:.0f} MB, {row['files']} files"  # type: ignore[call-overload]
                   if scenario == "cold" else
                   f"{int(row['current']) / int(row['bytes']):.0%} of it against the current"  # type: ignore[call-overload]
                   if scenario == "version added" else "")
            lines.append(f"{row['name']:<14} {scenario:<14} {m:8.2f} {ab.med(runs, 'cpu'):7.1f} "
                         f"{max(r.tree_mb for r in runs):8.0f} {m / cold:7.2f} {m / mk:8.2f}   "
                         f"{out}")
        lines.append("")
        tree = max(r.tree_mb for s in ("cold", "version added") for r in results[s])
        added = ab.med(results["version added"])
        bound = 0.10 if str(row["name"]).startswith("50×") else 0.50
        if str(row["name"]) in ("1×1000×20KB", "50×10×40KB"):
            for ok, text in (
                    (cold <= mk, f"{row['name']} cold {cold:.1f} s ≤ mkdocs {mk:.1f} s"),
                    (added <= bound * cold, f"{row['name']} version added {added:.1f} s ≤ "
                                            f"{bound:.0%} of cold ({added / cold:.0%})"),
                    (tree < 1024, f"{row['name']} process tree {tree:.0f} MB < 1 GB")):
                verdicts.append(f"[{'met' if ok else 'MISSED'}] {text}")
    return lines + verdicts


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=1)
    p.add_argument("--versions", default="10,100,300,1000")
    p.add_argument("--no-documents", action="store_true", help="skip 50×10×40KB")
    p.add_argument("--work", type=Path, default=HERE / "out" / "scale")
    args = p.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    ab._TRASH.append(args.work / ".trash")
    compileall.compile_dir(str(HERE.parent / "policy_archive"), quiet=1)
    specs = [(f"1×{n}×20KB", make_archive.Spec(1, n, 20_000, "ja"))
             for n in (int(v) for v in args.versions.split(",") if v)]
    if not args.no_documents:
        specs.append(("50×10×40KB", make_archive.Spec(50, 10, 40_000, "ja")))
    started = time.time()
    print(f"{dt.datetime.now():%Y-%m-%d %H:%M}, {os.cpu_count()} cores, Python "
          f"{sys.version.split()[0]}, load average {os.getloadavg()[0]:.2f} at start", flush=True)
    rows = []
    for name, spec in specs:
        rows.append(run_archive(args.work, name, spec, args.runs))
        sizes = [f.stat().st_size for f in (args.work / name / "versions").glob("*/*.md")]
        print(f"{name}: {len(sizes)} versions, mean {statistics.mean(sizes):.0f} bytes, done at "
              f"{time.time() - started:.0f} s", flush=True)
    print(f"load average {os.getloadavg()[0]:.2f} at the end\n")
    print("\n".join(report(rows)))
    ab.empty_trash()
    return 0


if __name__ == "__main__":
    sys.exit(main())
