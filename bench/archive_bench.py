"""The build benchmark, in one run: our builds against two peers, on three archives.

Archives (made in ``bench/out/``, each a git repository with one commit, like a real project):

* ``sample``: the bundled sample (7 versions of the NOREL privacy policy, ~11 KB each);
* ``ja 2×20×40KB``: 2 Japanese documents × 20 versions × ~40 KB (``bench/make_archive.py``);
* ``en 1×17×45KB``: 1 English document × 17 versions × ~45 KB (rate 0.04: about six
  paragraphs reworded per version, anywhere in the text; a major revision every fourth
  version);
* ``en-clustered``: the same, but each version's rewordings fall in whole sections taken at
  random (``make_archive.py --clustered``), as when an amendment rewrites what a new law or
  product concerns;
* ``github``: the real 17-version history in ``$GITHUB_FIXTURE`` (default
  ``/work/shared/fixtures/github-privacy-en``), copied and committed; only cold and nothing
  changed (its files are not edited).

For each, whole processes (``python build.py build -q``), timed from start to exit:

* ``cold``: no cache, no output;
* ``nothing changed``: the same build again;
* ``notice edited``: after the change notice (``summary``) of one version was edited;
* ``cache, no output``: the output folder removed, the cache kept;
* ``version added``: after one more version of the first document was added;

and the peers, on the same versions: ``mkdocs build`` of the version texts as plain pages,
and ``bench/peer_script.py`` (markdown-it-py for each version, ``difflib.HtmlDiff().make_file``
for each consecutive pair). Scenarios run in rounds (one of each per round, the cache cleared
at the start of a round), so that a busy machine slows all of them alike. Printed: the
median and range of the wall times, the median CPU time (user + system, children included),
the peak memory (the largest resident set of any one process, and the peak of the sum over
the process tree sampled every 5 ms: an upper bound, shared pages are counted in each
process), and ratios; then which targets are met. Last, cold builds of the English archive
against the peer script at several amendment rates (``--en-rates``).

    python bench/archive_bench.py [--runs 3] [--only sample,ja,en,en-clustered,github]
        [--en-rates 0.02,0.1]
"""

from __future__ import annotations

import argparse
import compileall
import datetime as dt
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import make_archive  # noqa: E402

PYTHON = sys.executable
BUILD = str(REPO / "build.py")
AS_OF = "2026-11-26"
GITHUB_FIXTURE = Path(os.environ.get("GITHUB_FIXTURE", "/work/shared/fixtures/github-privacy-en"))
PAGE = os.sysconf("SC_PAGE_SIZE")
_TRASH: list[Path] = []  # the folder old outputs are moved into (set by main)


def set_aside(path: Path) -> None:
    """Move ``path`` (if there) into the trash folder, emptied when the benchmark ends.

    Not deleted now: on this machine's ext4 without a journal, the kernel skips inodes freed
    in the last ~35 s when it allocates new ones, at one inode-table lookup each, so deleting
    the last build's ~300 files made the next build's file creations cost ~1 ms each instead
    of ~0.1 ms (``write_site``: 0.30–0.39 s right after such a delete, 0.10 s 40 s later). A
    real cold build does not follow the deletion of its own output, so no timed run here
    does either (the builds' own deletions, such as replacing an older output, still count);
    every builder measured gets the same treatment."""
    if path.exists():
        trash = _TRASH[0]
        trash.mkdir(parents=True, exist_ok=True)
        os.rename(path, trash / f"{sum(1 for _ in trash.iterdir())}-{path.name}")


def empty_trash() -> None:
    shutil.rmtree(_TRASH[0], ignore_errors=True)


# --- measuring one process ---------------------------------------------------------------


@dataclass
class Run:
    wall: float
    cpu: float
    max_rss_mb: float  # the largest resident set of one process of the tree
    tree_mb: float  # the peak of the sum of resident sets over the tree (sampled)


def _tree(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    todo += [int(c) for c in f.read().split()]
        except OSError:
            pass
    return out


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as f:
            return int(f.read().split()[1]) * PAGE
    except (OSError, IndexError, ValueError):
        return 0


def measure(cmd: Sequence[str], cwd: Path | None = None) -> Run:
    env = {k: v for k, v in os.environ.items() if k not in ("SOURCE_DATE_EPOCH", "CI")}
    env["CI"] = "true"  # no progress bar
    peak = [0]
    start = time.perf_counter()
    proc = subprocess.Popen(list(cmd), cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], sum(_rss(p) for p in _tree(proc.pid)))
            time.sleep(0.005)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    done.set()
    sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
    if proc.returncode != 0:
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{err}")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024,  # KiB on Linux
               peak[0] / 2**20)


# --- the archives and their peers ------------------------------------------------------


@dataclass
class Archive:
    name: str
    root: Path
    spec: make_archive.Spec | None  # None: the sample
    runs: int
    first_slug: str = "privacy"
    edits: bool = True  # the notice edited and version added scenarios (not on real files)
    results: dict[str, list[Run]] = field(default_factory=dict)


def make(work: Path, which: str, runs: int) -> Archive:
    root = work / which
    if root.exists():
        set_aside(root)
    if which == "github":  # a real history (not in this repository): copied, then committed
        shutil.copytree(GITHUB_FIXTURE, root, ignore=shutil.ignore_patterns(".cache", "site"))
        make_archive.git_commit(root)
        return Archive("github 1×17 (real)", root, None, runs, edits=False)
    if which == "sample":
        root.mkdir(parents=True)
        for name in ("content", "versions"):
            shutil.copytree(REPO / name, root / name)
        make_archive.git_commit(root)
        return Archive("sample (7 versions)", root, None, runs)
    specs = {"ja": make_archive.Spec(2, 20, 40_000, "ja"),
             "en": make_archive.Spec(1, 17, 45_000, "en", rate=0.04),
             "en-clustered": make_archive.Spec(1, 17, 45_000, "en", rate=0.04, clustered=True)}
    spec = specs[which]
    make_archive.write_archive(root, spec, git=True)
    label = (f"{spec.language} {spec.documents}×{spec.versions}×{spec.size // 1000}KB"
             + (" clustered" if spec.clustered else ""))
    return Archive(label, root, spec, runs)


def mkdocs_project(archive: Archive) -> Path:
    """The same versions as plain MkDocs pages: docs/<slug>/<date>.md, the text only."""
    proj = archive.root.parent / (archive.root.name + "-mkdocs")
    set_aside(proj)
    for path in sorted((archive.root / "versions").glob("*/*.md")):
        text = path.read_text(encoding="utf-8")
        body = text[4:].partition("\n---\n")[2] if text.startswith("---\n") else text
        target = proj / "docs" / path.parent.name / path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(body, encoding="utf-8")
    (proj / "docs" / "index.md").write_text("# Versions\n", encoding="utf-8")
    (proj / "mkdocs.yml").write_text("site_name: Policies\n", encoding="utf-8")
    return proj


# --- the scenarios -------------------------------------------------------------------------


def our_build(archive: Archive, *extra: str) -> list[str]:
    return [PYTHON, BUILD, "build", "-q", "--root", str(archive.root), "--out",
            str(archive.root / "site"), "--as-of", AS_OF, *extra]


def one_round(archive: Archive, k: int, mkdocs: Path) -> None:
    root = archive.root
    files = sorted((root / "versions" / archive.first_slug).glob("*.md"))
    notice_file = files[len(files) // 2]  # the one make_archive.edit_notice edits
    saved_notice = notice_file.read_bytes()

    def timed(name: str, cmd: Sequence[str], cwd: Path | None = None) -> None:
        archive.results.setdefault(name, []).append(measure(cmd, cwd))

    set_aside(root / ".cache")
    set_aside(root / "site")
    timed("cold", our_build(archive))
    timed("nothing changed", our_build(archive))
    if archive.edits:
        edits_round(archive, k, notice_file)
    notice_file.write_bytes(saved_notice)
    set_aside(mkdocs / "site")
    timed("peer: mkdocs build", [PYTHON, "-m", "mkdocs", "build", "-q"], mkdocs)
    set_aside(root.parent / "peer-out")
    timed("peer: script", [PYTHON, str(HERE / "peer_script.py"), str(root),
                           str(root.parent / "peer-out")])


def edits_round(archive: Archive, k: int, notice_file: Path) -> None:
    """The scenarios that change the archive: a notice edited, the output removed, a
    version added (undone at the end)."""
    root = archive.root

    def timed(name: str, cmd: Sequence[str]) -> None:
        archive.results.setdefault(name, []).append(measure(cmd))

    make_archive.edit_notice(root, archive.first_slug,
                             f"- Round {k}: the wording of this notice was corrected.")
    timed("notice edited", our_build(archive))
    set_aside(root / "site")
    timed("cache, no output", our_build(archive))
    spec = archive.spec or make_archive.Spec(1, 7, 11_000, "ja")
    added = add_version(archive, spec)
    timed("version added", our_build(archive))
    added.unlink()


def add_version(archive: Archive, spec: make_archive.Spec) -> Path:
    if archive.spec is not None:
        return make_archive.add_version(archive.root, spec, 0)
    # The sample: the current version again, amended, as the next one.
    folder = archive.root / "versions" / "privacy"
    last = sorted(folder.glob("*.md"))[-1]
    text = last.read_text(encoding="utf-8")
    effective = dt.date.fromisoformat(last.stem) + dt.timedelta(days=365)
    head, sep, body = text[4:].partition("\n---\n")
    front = "\n".join(
        f"effective: {effective}" if ln.startswith("effective:") else
        f"announced: {effective - dt.timedelta(days=14)}" if ln.startswith("announced:") else ln
        for ln in head.splitlines())
    path = folder / f"{effective}.md"
    path.write_text("---\n" + front + sep + body.replace("当社は、", "当社は、引き続き", 3),
                    encoding="utf-8")
    return path


# --- report ------------------------------------------------------------------------------


def med(runs: list[Run], attr: str = "wall") -> float:
    return float(statistics.median(getattr(r, attr) for r in runs))


def table(archives: list[Archive]) -> str:
    head = (f"{'archive':<22} {'scenario':<20} {'median s':>8} {'min–max s':>12} "
            f"{'CPU s':>6} {'max RSS MB':>10} {'tree MB':>8} {'÷ cold':>7} {'÷ mkdocs':>8} "
            f"{'÷ script':>8}")
    lines = [head, "-" * len(head)]
    for a in archives:
        cold = med(a.results["cold"])
        mk = med(a.results["peer: mkdocs build"])
        sc = med(a.results["peer: script"])
        for name, runs in a.results.items():
            m = med(runs)
            lines.append(
                f"{a.name:<22} {name:<20} {m:8.2f} "
                f"{min(r.wall for r in runs):5.2f}–{max(r.wall for r in runs):<6.2f} "
                f"{med(runs, 'cpu'):6.2f} {max(r.max_rss_mb for r in runs):10.0f} "
                f"{max(r.tree_mb for r in runs):8.0f} "
                f"{m / cold:7.2f} {m / mk:8.2f} {m / sc:8.2f}")
        lines.append("")
    return "\n".join(lines)


def targets(archives: dict[str, Archive]) -> list[str]:
    out = []

    def check(ok: bool, text: str) -> None:
        out.append(f"[{'met' if ok else 'MISSED'}] {text}")

    if "sample" in archives:
        r = archives["sample"].results
        mk = med(r["peer: mkdocs build"])
        for name in ("cold", "cache, no output"):
            check(med(r[name]) <= mk, f"sample, {name}: {med(r[name]):.2f} s ≤ mkdocs "
                                      f"{mk:.2f} s")
    if "ja" in archives:
        r = archives["ja"].results
        cold = med(r["cold"])
        check(cold < 30, f"ja 2×20×40KB cold: {cold:.2f} s < 30 s")
        limit = max(1.0, cold / 10)
        check(med(r["nothing changed"]) <= limit,
              f"ja nothing changed: {med(r['nothing changed']):.2f} s ≤ {limit:.2f} s")
        limit = max(1.5, cold / 4)
        check(med(r["notice edited"]) <= limit,
              f"ja notice edited: {med(r['notice edited']):.2f} s ≤ {limit:.2f} s")
        peak = max(run.tree_mb for runs in r.values() for run in runs
                   if runs is not r["peer: mkdocs build"] and runs is not r["peer: script"])
        check(peak < 500, f"ja peak memory (whole process tree): {peak:.0f} MB < 500 MB")
    for which in ("en", "en-clustered", "github"):
        if which in archives:
            a = archives[which]
            r = a.results
            sc = med(r["peer: script"])
            check(med(r["cold"]) < sc, f"{a.name} cold: {med(r['cold']):.2f} s < peer script "
                                       f"{sc:.2f} s")
    return out


def rate_sweep(work: Path, rates: Sequence[float], runs: int) -> str:
    """Cold builds of the English archive against the peer script, by amendment rate and
    pattern: the peer diffs consecutive versions only, line by line, so how much each version
    changes, and where, decides how it compares."""
    lines = [f"{'en 1×17×45KB, rate':<22} {'edits':<10} {'cold s':>7} {'CPU s':>6} "
             f"{'script s':>9} {'÷ script':>8}"]
    for rate, clustered in [(r, c) for c in (False, True) for r in rates]:
        root = work / f"en-rate-{rate}{'-clustered' if clustered else ''}"
        set_aside(root)
        make_archive.write_archive(
            root, make_archive.Spec(1, 17, 45_000, "en", rate=rate, clustered=clustered),
            git=True)
        a = Archive(f"en rate {rate}", root, None, runs)
        ours: list[Run] = []
        script: list[Run] = []
        for _ in range(runs):
            set_aside(root / ".cache")
            set_aside(root / "site")
            ours.append(measure(our_build(a)))
            set_aside(work / "peer-out")
            script.append(measure([PYTHON, str(HERE / "peer_script.py"), str(root),
                                   str(work / "peer-out")]))
        pattern = "clustered" if clustered else "scattered"
        lines.append(f"{rate:<22} {pattern:<10} {med(ours):7.2f} {med(ours, 'cpu'):6.2f} "
                     f"{med(script):9.2f} {med(ours) / med(script):8.2f}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=3, help="rounds (≥ 3 for medians)")
    p.add_argument("--only", default="sample,ja,en,en-clustered"
                   + (",github" if GITHUB_FIXTURE.is_dir() else ""))
    p.add_argument("--work", type=Path, default=HERE / "out")
    p.add_argument("--en-rates", default="0.02,0.04,0.1",
                   help="amendment rates of the English cold-build sweep ('' for none)")
    args = p.parse_args(argv)
    which = [w for w in args.only.split(",") if w]
    args.work.mkdir(parents=True, exist_ok=True)
    _TRASH.append(args.work / ".trash")  # one left by an interrupted run is emptied at the end
    # Byte-compile the program first, as an installed package (and every peer here) has its
    # .pyc files: under PYTHONDONTWRITEBYTECODE=1 each run would otherwise compile it anew.
    compileall.compile_dir(str(HERE.parent / "policy_archive"), quiet=1)
    archives = {w: make(args.work, w, args.runs) for w in which}
    started = time.time()
    print(f"{dt.datetime.now():%Y-%m-%d %H:%M}, {os.cpu_count()} cores, Python "
          f"{sys.version.split()[0]}, load average {os.getloadavg()[0]:.2f} at start",
          flush=True)
    for w, a in archives.items():
        mkdocs = mkdocs_project(a)
        sizes = [f.stat().st_size for f in (a.root / "versions").glob("*/*.md")]
        print(f"{a.name}: {len(sizes)} versions, {min(sizes)}–{max(sizes)} bytes "
              f"(mean {statistics.mean(sizes):.0f})", flush=True)
        for k in range(a.runs):
            one_round(a, k, mkdocs)
    print(f"load average {os.getloadavg()[0]:.2f} at the end; {time.time() - started:.0f} s\n")
    print(table(list(archives.values())))
    print("\n".join(targets(archives)))
    rates = [float(r) for r in args.en_rates.split(",") if r]
    if rates:
        print()
        print(rate_sweep(args.work, rates, args.runs))
    empty_trash()
    return 0


if __name__ == "__main__":
    sys.exit(main())
