"""Benchmark of the diff engine against ``difflib.HtmlDiff``, in one run.

    .venv/bin/python bench/diff_bench.py [--runs 7] [--size 1000000] [--skip-htmldiff]

For each pair of consecutive sample versions (``versions/privacy/*.md``) and for a synthetic
pair of ``--size`` bytes (``bench/make_synthetic.py``), the median of ``--runs`` runs of

* engine: ``render_markdown`` of both versions + ``diff_blocks`` (the work ``build.py diff``
  does after reading the files), and ``diff_blocks`` alone, with cydifflib and with the
  standard library's difflib as the matcher;
* ``difflib.HtmlDiff().make_file(a_lines, b_lines)`` (at most 3 runs: seconds each at 1 MB).

Then the peak memory (tracemalloc) of ``diff_blocks`` on synthetic pairs of 0.25/0.5/1 MB,
and ``diff_text`` on the changed blocks of the synthetic pair with either matcher. Prints
Markdown tables.
"""

from __future__ import annotations

import argparse
import compileall
import difflib
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from make_synthetic import make_pair  # noqa: E402

from policy_archive.diff import candidates, chars, similarity  # noqa: E402
from policy_archive.diff import matcher as matching  # noqa: E402
from policy_archive.diff.align import diff_blocks  # noqa: E402
from policy_archive.foundation.model import Block  # noqa: E402
from policy_archive.text.render import render_markdown  # noqa: E402


def blocks_of(markdown: str) -> tuple[Block, ...]:
    return render_markdown(markdown).blocks


def body(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    if text.startswith("---\n"):
        end = text.find("\n---\n", 4)
        if end >= 0:
            return text[end + 5 :]
    return text


class Timing(float):
    """A median in ms that prints as ``median (min)``: this VM's timings are noisy."""

    fastest: float

    def __format__(self, spec: str) -> str:
        return f"{float(self):{spec}} ({self.fastest:{spec}})"


def forget() -> None:
    """Empty what the engine keeps in the process (parsed chunks, memoised char ops and
    similarities), so that every run measures the work of a first run."""
    from policy_archive.present import inline, side_by_side
    from policy_archive.text.chunks import forget_parsed

    forget_parsed()
    for memo in (chars.diff_text, similarity._ratio, candidates._bigrams, similarity._words,
                 inline._equal_inline, side_by_side._equal_sbs_row):
        memo.cache_clear()


def median_ms(fn: Callable[[], object], runs: int) -> Timing:
    times = []
    for _ in range(runs):
        forget()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    timing = Timing(statistics.median(times) * 1000)
    timing.fastest = min(times) * 1000
    return timing


@contextmanager
def matcher(cls: type[difflib.SequenceMatcher[object]]) -> Iterator[None]:
    """Run the engine with another SequenceMatcher class (private hook, for measuring)."""
    saved = matching._Matcher
    matching._Matcher = cls
    try:
        yield
    finally:
        matching._Matcher = saved


def pairs(size: int) -> list[tuple[str, str, str]]:
    paths = sorted((ROOT / "versions" / "privacy").glob("*.md"))
    out = [(f"{p.stem} → {q.stem}", body(p), body(q)) for p, q in zip(paths, paths[1:])]
    a, b = make_pair(size)
    out.append((f"synthetic {size / 1e6:g} MB", a, b))
    return out


def compare(runs: int, size: int, htmldiff: bool) -> None:
    cy = matching._Matcher
    print("Times in ms: median (fastest).\n")
    print("| pair | KB | blocks | render+diff | diff (cydifflib) | diff (difflib) "
          "| HtmlDiff | HtmlDiff ÷ render+diff | HtmlDiff ÷ diff |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, a, b in pairs(size):
        blocks_a, blocks_b = blocks_of(a), blocks_of(b)
        engine = median_ms(lambda: diff_blocks(blocks_of(a), blocks_of(b)), runs)
        only = median_ms(lambda: diff_blocks(blocks_a, blocks_b), runs)
        with matcher(difflib.SequenceMatcher):
            pure = median_ms(lambda: diff_blocks(blocks_a, blocks_b), runs)
        assert matching._Matcher is cy
        html = ratio = ratio_diff = "—"
        if htmldiff:
            lines_a, lines_b = a.splitlines(), b.splitlines()
            slow = median_ms(lambda: difflib.HtmlDiff().make_file(lines_a, lines_b),
                             min(runs, 3))  # fmt: skip
            html, ratio = f"{slow:.1f}", f"{float(slow) / float(engine):.1f}×"
            ratio_diff = f"{float(slow) / float(only):.1f}×"
        print(f"| {name} | {len(a.encode()) / 1000:.0f} | {len(blocks_a)} | {engine:.1f} "
              f"| {only:.1f} | {pure:.1f} | {html} | {ratio} | {ratio_diff} |")


HTMLDIFF_PROCESS = (
    "import difflib, sys\n"
    "a = open(sys.argv[1], encoding='utf-8').read().splitlines()\n"
    "b = open(sys.argv[2], encoding='utf-8').read().splitlines()\n"
    "sys.stdout.write(difflib.HtmlDiff().make_file(a, b))\n"
)


def processes(size: int, runs: int) -> None:
    """Whole processes on the synthetic pair: ``build.py diff --format html`` against a
    process that runs ``HtmlDiff().make_file`` (the issue's target: at most a fifth)."""
    a, b = make_pair(size)
    compileall.compile_dir(str(ROOT / "policy_archive"), quiet=1)  # as installed: .pyc exist
    with tempfile.TemporaryDirectory() as tmp:
        pa, pb = Path(tmp) / "a.md", Path(tmp) / "b.md"
        pa.write_text(a, encoding="utf-8")
        pb.write_text(b, encoding="utf-8")
        ours_cmd = [sys.executable, str(ROOT / "build.py"), "diff", str(pa), str(pb),
                    "--format", "html"]
        peer_cmd = [sys.executable, "-c", HTMLDIFF_PROCESS, str(pa), str(pb)]
        ours: list[float] = []
        peer: list[float] = []
        for _ in range(runs):  # alternate, so load on the machine slows both alike
            for cmd, times in ((ours_cmd, ours), (peer_cmd, peer)):
                start = time.perf_counter()
                subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
                times.append(time.perf_counter() - start)
    mo, mp = statistics.median(ours), statistics.median(peer)
    print(f"\nWhole processes on the {size / 1e6:g} MB pair, median of {runs} "
          "(seconds):\n")
    print("| process | median s | min–max s |\n|---|---:|---:|")
    print(f"| build.py diff --format html | {mo:.2f} | {min(ours):.2f}–{max(ours):.2f} |")
    print(f"| HtmlDiff().make_file | {mp:.2f} | {min(peer):.2f}–{max(peer):.2f} |")
    print(f"\nours ÷ HtmlDiff = {mo / mp:.2f} (target ≤ 0.20: "
          f"{'met' if mo <= 0.2 * mp else 'NOT met'})")


def memory(size: int) -> None:
    print("\n| synthetic size | blocks | diff_blocks peak (tracemalloc) | bytes per input byte |")
    print("|---:|---:|---:|---:|")
    for fraction in (0.25, 0.5, 1.0):
        a, b = make_pair(int(size * fraction))
        blocks_a, blocks_b = blocks_of(a), blocks_of(b)
        diff_blocks(blocks_a, blocks_b)  # warm caches (regex, imports)
        tracemalloc.start()
        result = diff_blocks(blocks_a, blocks_b)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        del result
        n = len(a.encode())
        print(f"| {n / 1e6:.2f} MB | {len(blocks_a)} | {peak / 1e6:.2f} MB | {peak / n:.2f} |")


def text_ops(size: int, runs: int) -> None:
    """``diff_text`` on the synthetic pair's changed blocks, and on the same blocks with
    their first and last characters also changed (no common prefix/suffix to trim)."""
    a, b = make_pair(size)
    result = diff_blocks(blocks_of(a), blocks_of(b))
    changed = [(op.a.text, op.b.text) for op in result.ops
               if op.op in ("changed", "moved") and op.a and op.b]  # fmt: skip
    untrimmed = [("甲" + x + "乙", "丙" + y + "丁") for x, y in changed]
    print()
    for name, texts in (("changed blocks", changed), ("…edited at both ends", untrimmed)):
        def run(texts: list[tuple[str, str]] = texts) -> None:
            for x, y in texts:
                chars.diff_text(x, y)

        def tokens_only(texts: list[tuple[str, str]] = texts) -> None:
            for x, y in texts:
                chars.tokenize(x)
                chars.tokenize(y)

        cy = median_ms(run, runs * 3)
        with matcher(difflib.SequenceMatcher):
            pure = median_ms(run, runs * 3)
        tok = median_ms(tokens_only, runs * 3)
        print(f"diff_text on {len(texts)} {name} of the synthetic pair: cydifflib {cy:.2f} ms, "
              f"difflib {pure:.2f} ms, of which tokenising {tok:.2f} ms")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--skip-htmldiff", action="store_true")
    args = parser.parse_args(argv)
    print(f"Python {sys.version.split()[0]}, {args.runs} runs of each\n")
    compare(args.runs, args.size, not args.skip_htmldiff)
    if not args.skip_htmldiff:
        processes(args.size, min(args.runs, 5))
    memory(args.size)
    text_ops(args.size, args.runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
