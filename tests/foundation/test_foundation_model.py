"""The content model: periods, statuses and the build date."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from projects import make_project

from policy_archive.content.frontmatter import body_sha256
from policy_archive.content.load import load_archive
from policy_archive.foundation.clock import build_date
from policy_archive.foundation.errors import UsageError

D = dt.date.fromisoformat
DATES = ["2016-08-01", "2020-06-08", "2022-04-01", "2030-01-01"]


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return make_project(tmp_path, {"privacy": {d: f"# P\n\nText of {d}.\n" for d in DATES}})


@pytest.mark.parametrize("as_of,statuses", [
    ("2016-07-31", ["upcoming", "upcoming", "upcoming", "upcoming"]),
    ("2016-08-01", ["current", "upcoming", "upcoming", "upcoming"]),
    ("2020-06-07", ["current", "upcoming", "upcoming", "upcoming"]),
    ("2020-06-08", ["past", "current", "upcoming", "upcoming"]),
    ("2026-11-26", ["past", "past", "current", "upcoming"]),
    ("2029-12-31", ["past", "past", "current", "upcoming"]),
    ("2030-01-01", ["past", "past", "past", "current"]),
])
def test_statuses_follow_the_build_date(root: Path, as_of: str, statuses: list[str]) -> None:
    doc = load_archive(root, D(as_of)).documents[0]
    assert [v.status for v in doc.versions] == statuses
    current = doc.current
    assert (current.key if current else None) == next(
        (d for d, s in zip(DATES, statuses) if s == "current"), None)


def test_periods_end_the_day_before_the_next_version(root: Path) -> None:
    doc = load_archive(root, D("2026-11-26")).documents[0]
    assert [v.effective_to for v in doc.versions] == [
        D("2020-06-07"), D("2022-03-31"), D("2029-12-31"), None]


def test_announced_is_absent_unless_given_and_sha_is_of_the_body(root: Path) -> None:
    v = load_archive(root, D("2026-11-26")).documents[0].versions[0]
    assert v.announced is None  # the record holds only what the file says
    assert v.sha256 == body_sha256("# P\n\nText of 2016-08-01.\n")


@pytest.mark.parametrize("as_of,env,expected", [
    ("2020-01-02", {"SOURCE_DATE_EPOCH": "0"}, "2020-01-02"),
    (None, {"SOURCE_DATE_EPOCH": "1681430400"}, "2023-04-14"),
    (None, {"SOURCE_DATE_EPOCH": "1681516799"}, "2023-04-14"),  # 23:59:59 UTC
    (None, {"SOURCE_DATE_EPOCH": "1681516800"}, "2023-04-15"),
])
def test_build_date_sources(as_of: str | None, env: dict[str, str], expected: str) -> None:
    assert build_date(as_of, env) == D(expected)


def test_build_date_defaults_to_today() -> None:
    assert build_date(None, {}) == dt.date.today()


@pytest.mark.parametrize("as_of,env", [("2023-02-30", {}), ("yesterday", {}),
                                       (None, {"SOURCE_DATE_EPOCH": "soon"})])
def test_bad_build_dates_are_usage_errors(as_of: str | None, env: dict[str, str]) -> None:
    with pytest.raises(UsageError):
        build_date(as_of, env)
