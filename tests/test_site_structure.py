"""The shape of ``policy_archive/site/``: no import cycle between the modules issue 34 names
(imports inside functions and under TYPE_CHECKING count: grimp sees them), nothing below
the site stage importing it; in every folder at most 12 modules of at most 600 lines."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

grimp = pytest.importorskip("grimp")

ROOT = Path(__file__).resolve().parent.parent
#: The stages below ``site/`` (foundation ← content ← text ← diff ← present ← site).
BELOW = ("foundation", "runtime", "content", "text", "diff", "present", "paper")


@pytest.fixture(scope="module")
def graph() -> object:
    sys.path.insert(0, str(ROOT))
    try:
        return grimp.build_graph("policy_archive", cache_dir=None)
    finally:
        sys.path.remove(str(ROOT))


@pytest.mark.parametrize("a, b", [
    ("site.decide", "site.multilingual"),  # was pages <-> multilingual (decide)
    ("site.pagelist", "site.multilingual"),
    ("site.decide", "site.downloads"),  # was pages <-> downloads (draft_of)
    ("site.comparisons", "site.downloads"),
    ("content.load", "content.translations"),
    ("site.pagelist", "site.notices"),  # notices, search: type-only links back up to pages
    ("site.pagelist", "site.search"),
    ("site.models", "output.templates"),  # output's type-only link to pages
    ("site.hosting", "output.templates"),  # hosting took CSP from output
])
def test_no_cycle_between(graph: object, a: str, b: str) -> None:
    a, b = f"policy_archive.{a}", f"policy_archive.{b}"
    both = [graph.chain_exists(importer=x, imported=y)  # type: ignore[attr-defined]
            for x, y in ((a, b), (b, a))]
    assert any(both), f"{a} and {b} are not linked at all: the case tests nothing"
    assert not all(both), f"{a} and {b} import each other"


def test_nothing_below_the_site_imports_it(graph: object) -> None:
    found = [(m, other) for m in graph.modules  # type: ignore[attr-defined]
             if m.split(".")[1:2] and m.split(".")[1] in BELOW
             for other in graph.find_modules_directly_imported_by(m)  # type: ignore[attr-defined]
             if other.startswith("policy_archive.site")]
    assert found == []


PACKAGE = ROOT / "policy_archive"
FOLDERS = sorted(p.parent.name for p in PACKAGE.glob("*/__init__.py"))


@pytest.mark.parametrize("folder", FOLDERS)
def test_every_folder_stays_small(folder: str) -> None:
    modules = sorted((PACKAGE / folder).glob("*.py"))  # __init__.py counted
    assert len(modules) <= 12, [p.name for p in modules]
    long = {p.name: n for p in modules
            if (n := len(p.read_text("utf-8").splitlines())) > 600}
    assert long == {}


def test_every_folder_is_installed_and_documented() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text("utf-8")
    architecture = (ROOT / "ARCHITECTURE.md").read_text("utf-8")
    missing = [f for f in FOLDERS if f'"policy_archive.{f}"' not in pyproject
               or f"**{f}/**" not in architecture]
    assert FOLDERS and missing == []


@pytest.mark.parametrize("name", ["ARCHITECTURE.md", "README.md", "CHANGELOG.md"])
def test_no_merge_left_half_done(name: str) -> None:
    lines = (ROOT / name).read_text("utf-8").splitlines()
    assert [ln for ln in lines if ln.startswith(("<<<<<<< ", ">>>>>>> "))] == []
