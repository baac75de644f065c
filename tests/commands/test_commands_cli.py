"""The command line as tools people know behave: ``--version``; the project found by
looking upward from the current folder (as git finds its repository), named when it is
above; counts written as English writes them."""

from __future__ import annotations

from pathlib import Path

import pytest
from projects import make_project, run_build
from support.building import run_in_process

from policy_archive import __version__
from policy_archive.foundation.i18n import counted
from policy_archive.foundation.resources import find_project


def test_version_from_build_py_and_in_process() -> None:
    r = run_build("--version")
    assert (r.code, r.out, r.err) == (0, f"policy-archive {__version__}\n", "")
    assert run_in_process("--version").out == f"policy-archive {__version__}\n"


def test_commands_run_from_a_sub_folder_find_the_project_and_say_so(tmp_path: Path) -> None:
    root = make_project(tmp_path / "policies")
    here = root / "versions" / "privacy"
    r = run_build("check", "--strict", "--as-of", "2022-01-01", cwd=here)
    assert r.code == 0, r.err
    assert "checked 1 document, 2 versions: 0 warnings" in r.out  # this project, not the sample
    assert r.err == f"build.py: using the project at {root}\n"


def test_find_project_looks_upward_and_stops_at_the_nearest(tmp_path: Path) -> None:
    outer = make_project(tmp_path / "outer")
    inner = make_project(outer / "nested" / "inner")
    assert find_project(outer / "versions" / "privacy") == outer
    assert find_project(inner / "versions" / "privacy") == inner
    assert find_project(outer / "nested") == outer
    assert find_project(tmp_path) is None


@pytest.mark.parametrize(("n", "one", "many", "said"), [
    (0, "warning", None, "0 warnings"), (1, "warning", None, "1 warning"),
    (2, "problem", None, "2 problems"), (1, "entry", "entries", "1 entry"),
    (5, "entry", "entries", "5 entries"),
])
def test_counts_are_singular_for_one(n: int, one: str, many: str | None, said: str) -> None:
    assert counted(n, one, many) == said
