"""The direction of dependencies between the subpackages, as import-linter checks it.

The contract is ``[tool.importlinter]`` in pyproject.toml (a ``layers`` contract). Its graph
(grimp) holds imports inside functions too, so a back-edge hidden in a function is found.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT = Path(sys.executable).with_name("lint-imports")


def lint(project: Path) -> subprocess.CompletedProcess[str]:
    if not LINT.exists():
        pytest.fail("lint-imports is missing: pip install -r requirements-dev.txt")
    env = {**os.environ, "PYTHONPATH": str(project)}
    return subprocess.run([str(LINT), "--no-cache"], cwd=project, env=env, text=True,
                          capture_output=True, timeout=120)


def copy_of_package(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "policy_archive", tmp_path / "policy_archive",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_package_keeps_its_layers() -> None:
    r = lint(ROOT)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "1 kept, 0 broken" in r.stdout


@pytest.mark.parametrize(("module", "edge", "reported"), [
    # a stage importing a later one at the top of a module
    ("content/load.py", "from ..site import decide\n", "policy_archive.content is not allowed "
                                                       "to import policy_archive.site"),
    # the same, hidden in a function (as the old cycles were)
    ("foundation/clock.py", "def _late() -> None:\n    from ..commands import cli\n",
     "policy_archive.foundation is not allowed to import policy_archive.commands"),
])
def test_a_back_edge_breaks_the_contract(tmp_path: Path, module: str, edge: str,
                                         reported: str) -> None:
    project = copy_of_package(tmp_path)
    path = project / "policy_archive" / module
    path.write_text(path.read_text("utf-8") + "\n\n" + edge, "utf-8")
    r = lint(project)
    assert r.returncode == 1, r.stdout + r.stderr
    assert reported in r.stdout, r.stdout
