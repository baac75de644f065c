"""What a diff far apart costs against a neighbouring one: alignment and views, per pair.

On the 1×1000×20KB archive of ``scale_bench.py`` (made in ``--work`` when missing): a run of
40 neighbouring versions, 600–700 amendments before the last, each compared with the last
version (as a build compares every version with the current one), against 40 consecutive
pairs. Printed: milliseconds per pair to align (``diff_blocks``) and to make the views
(``pack_views``: redline, side by side, 新旧対照表, summary, compressed), in one process.

    python bench/far_pairs.py [--work bench/out/scale]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import make_archive  # noqa: E402

from policy_archive.content import load  # noqa: E402
from policy_archive.diff.align import diff_blocks  # noqa: E402
from policy_archive.foundation.model import RenderedText  # noqa: E402
from policy_archive.site import comparisons  # noqa: E402
from policy_archive.text import render  # noqa: E402


def per_pair(pairs: Sequence[tuple[RenderedText, RenderedText]], site: object
             ) -> tuple[float, float]:
    """(ms to align, ms to make the views) per pair."""
    job = comparisons.DiffJob("a", "b", "old", "new")
    start = time.perf_counter()
    diffs = [diff_blocks(a.blocks, b.blocks) for a, b in pairs]
    aligned = time.perf_counter()
    for d in diffs:
        comparisons.pack_views(d, site, job)  # type: ignore[arg-type]
    done = time.perf_counter()
    return ((aligned - start) * 1000 / len(pairs), (done - aligned) * 1000 / len(pairs))


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--work", type=Path, default=HERE / "out" / "scale")
    args = p.parse_args(argv)
    root = args.work / "1×1000×20KB"
    if not (root / "versions").is_dir():
        make_archive.write_archive(root, make_archive.Spec(1, 1000, 20_000, "ja"))
    archive = load.load_archive(root, dt.date(2026, 12, 3))
    versions = archive.documents[0].versions
    rendered: dict[str, RenderedText] = {}

    def r(k: int) -> RenderedText:
        v = versions[k]
        if v.sha256 not in rendered:
            rendered[v.sha256] = render.render_markdown(v.body)
        return rendered[v.sha256]

    last = r(len(versions) - 1)
    far = [(r(k), last) for k in range(300, 340)]
    near = [(r(k), r(k + 1)) for k in range(500, 540)]
    fa, fv = per_pair(far, archive.site)
    na, nv = per_pair(near, archive.site)
    print(f"{len(versions)} versions; ms per pair")
    print(f"far apart (600–700 amendments): align {fa:5.1f}  views {fv:5.1f}  "
          f"total {fa + fv:5.1f}")
    print(f"neighbours:                     align {na:5.1f}  views {nv:5.1f}  "
          f"total {na + nv:5.1f}")
    print(f"far ÷ neighbours: align {fa / na:.1f}×, views {fv / nv:.1f}×, "
          f"total {(fa + fv) / (na + nv):.1f}×")
    return 0


if __name__ == "__main__":
    sys.exit(main())
