"""Outside tools the tests use (java + the Nu Html Checker, axe-core, a Japanese font).

They are installed by ``bash scripts/test.sh``. When one is missing a test that needs it is
skipped with the reason, except in CI (``CI=true``), where a missing tool fails the test.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts"
IN_CI = os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def missing_tool(reason: str) -> None:
    """Skip the test, or fail it in CI, where every tool must be present."""
    hint = " (install with: bash scripts/test.sh)"
    if IN_CI:
        pytest.fail(f"{reason}: required when CI=true{hint}", pytrace=False)
    pytest.skip(reason + hint)


def dev_tool(name: str) -> str:
    """A command that requirements-dev.txt installs (pyproject-build, twine, zizmor, …):
    beside the running Python, else on PATH; missing, the test is skipped (failed in CI)."""
    import sys

    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.is_file() else shutil.which(name)
    if found is None:
        missing_tool(f"{name} is not installed (requirements-dev.txt)")
    assert found is not None
    return found


def _command(name: str, package: str) -> str:
    """The path of the command ``name``, which the Debian package ``package`` installs."""
    path = shutil.which(name)
    if path is None:
        missing_tool(f"{name} is not installed (Debian package '{package}')")
    assert path is not None
    return path


@pytest.fixture(scope="session")
def java() -> str:
    return _command("java", "default-jre-headless")


@pytest.fixture(scope="session")
def vnu(java: str) -> list[str]:
    """The command prefix that runs the Nu Html Checker."""
    if not VNU_JAR.is_file():
        missing_tool(f"{VNU_JAR.relative_to(ROOT)} is missing (run: npm ci --ignore-scripts)")
    # C1 only: a run of seconds never earns back C2's compiling (half the CPU on the sample)
    return [java, "-Xss16m", "-XX:TieredStopAtLevel=1", "-jar", str(VNU_JAR)]


@pytest.fixture(scope="session")
def axe_js() -> Path:
    if not AXE_JS.is_file():
        missing_tool(f"{AXE_JS.relative_to(ROOT)} is missing (run: npm ci --ignore-scripts)")
    return AXE_JS


@pytest.fixture(scope="session")
def japanese_font() -> None:
    """A Japanese font for chromium (layout and screenshots of the ja sample need one)."""
    fc_list = shutil.which("fc-list")
    found = subprocess.run([fc_list, ":lang=ja", "family"], capture_output=True,
                           text=True).stdout.strip() if fc_list else ""
    if not found:
        missing_tool("no Japanese font (Debian package 'fonts-noto-cjk')")


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """``test-artifacts/`` (git-ignored): screenshots and PDFs for people to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def soffice() -> str:
    """LibreOffice's command, a real reader of Word files (``--headless --convert-to pdf``)."""
    return _command("soffice", "libreoffice-writer-nogui")
