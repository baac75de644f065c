"""The benchmarks' archives (bench/make_archive.py): the two amendment patterns; what
scale_bench counts as the pages a new current version replaces."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))
import make_archive  # noqa: E402
from make_synthetic import Unit  # noqa: E402

UNITS = make_archive.en_units(40_000, "Privacy Statement", 0)


def _section_of(units: list[Unit]) -> list[int]:
    """The index of the section (``h2``) each unit is in."""
    out, head = [], 0
    for k, u in enumerate(units):
        head = k if u.kind == "h2" else head
        out.append(head)
    return out


def _reworded(seed: int, clustered: bool) -> tuple[int, int]:
    """(paragraphs and items of UNITS gone from the next version, sections they were in)."""
    new, _ = make_archive.en_amend(UNITS, seed, 0.04, dt.date(2020, 1, 1),
                                   major=seed % 4 == 0, clustered=clustered)
    kept = set(new)
    gone = [k for k, u in enumerate(UNITS) if k > 1 and u.kind in ("p", "li") and u not in kept]
    section = _section_of(UNITS)
    return len(gone), len({section[k] for k in gone})


@pytest.mark.parametrize("seed", range(1, 9))
def test_clustered_edits_are_as_many_but_in_fewer_sections(seed: int) -> None:
    scattered, clustered = _reworded(seed, False), _reworded(seed, True)
    assert clustered[0] == scattered[0] >= 4
    assert 2 * clustered[1] <= scattered[1]
    if seed % 4:  # a minor version: its rewordings and the dropped paragraph, ≤ 3 sections
        assert clustered[1] <= 3


@pytest.mark.parametrize("clustered", [False, True])
def test_same_arguments_same_versions(clustered: bool) -> None:
    spec = make_archive.Spec(1, 5, 20_000, "en", rate=0.04, clustered=clustered)
    first = make_archive.document_versions(spec, 0)
    assert first == make_archive.document_versions(spec, 0)
    assert len(set(first)) == 5


def test_the_patterns_give_different_archives() -> None:
    spec = make_archive.Spec(1, 5, 20_000, "en", rate=0.04)
    scattered = make_archive.document_versions(spec, 0)
    clustered = make_archive.document_versions(
        make_archive.Spec(1, 5, 20_000, "en", rate=0.04, clustered=True), 0)
    assert scattered[0] == clustered[0]  # the same first version, amended otherwise
    assert scattered[1:] != clustered[1:]


@pytest.mark.parametrize("language", ["ja", "en"])
def test_a_long_history_stays_near_its_size(language: str) -> None:
    """300 versions (past the 166 the growing amendments once allowed): every version near
    the asked size, dates distinct and in order, within the years a build shows as past."""
    spec = make_archive.Spec(1, 300, 20_000, language)
    texts = make_archive.document_versions(spec, 0)
    sizes = [len(t.encode()) for t in texts]
    assert len(texts) == 300 and len(set(texts)) == 300
    assert 0.8 * spec.size <= min(sizes) and max(sizes) <= 1.25 * spec.size
    dates = [make_archive.effective_date(k, spec) for k in range(300)]
    assert dates == sorted(set(dates)) and dates[-1] < dt.date(2026, 1, 1)


def test_a_short_history_keeps_its_dates_and_texts() -> None:
    """The benchmark's 20-version archives are the ones measured before: unchanged."""
    spec = make_archive.Spec(2, 20, 40_000, "ja")
    assert make_archive.effective_date(19, spec) == make_archive.effective_date(19)
    assert make_archive.first_size(spec) == int(40_000 * (1 - 0.006 * 20))


def test_the_bytes_against_the_current_version_are_those_of_its_diff_folders(
        sample_site: Path) -> None:
    """scale_bench's floor for "version added": the pages of every diff whose newer side is
    the current version (the sample: six of its 21 diffs), and nothing else."""
    import json

    import scale_bench

    index = json.loads((sample_site / "versions.json").read_text(encoding="utf-8"))
    doc = index["documents"][0]
    folders = sorted(sample_site.glob(f"{doc['slug']}/diff/*/{doc['current']}"))
    assert len(folders) == len(doc["versions"]) - 1 == 6
    expected = sum(f.stat().st_size for folder in folders for f in folder.rglob("*")
                   if f.is_file())
    assert scale_bench.against_current(sample_site, doc["slug"]) == expected
    assert 0 < expected < scale_bench.output_size(sample_site)[0]
