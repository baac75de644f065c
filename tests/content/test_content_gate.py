"""One integrity gate: ``check --strict`` fails on a project ``publish`` would refuse (a
published text rewritten with no erratum, a published version removed),
and an edit of a text in force that was reverted clears its warning."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from projects import make_project
from support.building import build_project, run_in_process

AS_OF = "2022-01-01"
V1 = "versions/privacy/2020-01-01.md"


def git(cwd: Path, *args: str, date: str = "2021-06-01T12:00:00+00:00") -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "T", "GIT_COMMITTER_EMAIL": "t@example.org",
           "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True,
                          env=env).stdout.strip()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = make_project(tmp_path / "proj")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "content", date="2020-01-01T12:00:00+00:00")
    return root


def _rewrite(root: Path) -> None:
    path = root / V1
    path.write_text(path.read_text("utf-8").replace("First text.", "First text, quietly "
                                                                   "changed."), "utf-8")


def _remove(root: Path) -> None:
    (root / V1).unlink()


REFUSED: list[tuple[str, Callable[[Path], None], str]] = [
    ("rewritten", _rewrite, f"{V1}:"),
    ("removed", _remove, f"{V1}:1: this version is"),
]


@pytest.mark.parametrize(("mutate", "said"), [c[1:] for c in REFUSED],
                         ids=[c[0] for c in REFUSED])
def test_check_strict_fails_where_publish_refuses(repo: Path, mutate: Callable[[Path], None],
                                                  said: str) -> None:
    assert run_in_process("lock", "--root", str(repo), "--as-of", AS_OF).code == 0
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "locked")
    build_project(repo, repo / "site", AS_OF)
    assert run_in_process("publish", "--root", str(repo), "--as-of", AS_OF).code == 0
    mutate(repo)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "changed")
    publish = run_in_process("publish", "--root", str(repo), "--as-of", AS_OF)
    check = run_in_process("check", "--strict", "--root", str(repo), "--as-of", AS_OF)
    assert publish.code == 1 and check.code == 1, (publish.err, check.err)
    assert said in check.err, check.err


def test_a_reverted_edit_of_a_text_in_force_clears_its_warning(repo: Path) -> None:
    original = (repo / V1).read_text("utf-8")
    _rewrite(repo)
    git(repo, "commit", "-qam", "edit", date="2021-07-01T12:00:00+00:00")
    warned = run_in_process("check", "--strict", "--root", str(repo), "--as-of", AS_OF)
    assert warned.code == 1 and f"{V1}:1: warning: was changed in git on 2021-07-01" in \
        warned.err, warned.err
    (repo / V1).write_text(original, "utf-8")
    git(repo, "commit", "-qam", "revert", date="2021-08-01T12:00:00+00:00")
    cleared = run_in_process("check", "--strict", "--root", str(repo), "--as-of", AS_OF)
    assert cleared.code == 0 and "0 warnings" in cleared.out, cleared.err
