"""``publish`` never publishes a stale site: after a source edit without a rebuild (or on a
later day, when another version has taken effect) it exits 1, says so, and neither commits
nor pushes. It refuses rather than builds: it commits the site that was built, looked at and
verified, never one the user has not seen."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from projects import git, make_project, version_text, write
from support.building import build_project, run_in_process

AS_OF = "2022-01-01"


def _new_version(root: Path) -> None:
    write(root / "versions" / "privacy" / "2021-12-01.md",
          version_text("2021-12-01", "# Privacy\n\nThird text.\n", summary="Third."))


def _title(root: Path) -> None:
    site = root / "content" / "site.yaml"
    site.write_text(site.read_text("utf-8").replace("Example Policies", "Renamed"), "utf-8")


EDITS: list[tuple[str, Callable[[Path], None], str]] = [
    ("a new version", _new_version, AS_OF),
    ("the site's title", _title, AS_OF),
    ("nothing, but a version takes effect", lambda root: None, "2023-01-01"),
]


def test_publish_after_a_source_edit_without_a_build_exits_1_and_pushes_nothing(
        tmp_path: Path) -> None:
    root = make_project(tmp_path / "proj", {"privacy": {
        "2020-01-01": "# Privacy\n\nFirst.\n", "2021-06-01": "# Privacy\n\nSecond.\n",
        "2022-06-01": "# Privacy\n\nUpcoming.\n"}})
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", str(remote))
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "content")
    git(root, "remote", "add", "origin", str(remote))
    build_project(root, root / "site", AS_OF)
    first = run_in_process("publish", "--root", str(root), "--remote", "origin",
                           "--as-of", AS_OF)
    assert first.code == 0, first.err
    published = git(remote, "rev-parse", "gh-pages")
    for what, edit, day in EDITS:
        edit(root)
        r = run_in_process("publish", "--root", str(root), "--remote", "origin",
                           "--as-of", day)
        assert r.code == 1, (what, r.out, r.err)
        assert "site:1: not published:" in r.err and "older than its sources" in r.err, what
        assert "Traceback" not in r.err
        assert git(remote, "rev-parse", "gh-pages") == published, what
        assert git(root, "rev-parse", "gh-pages") == published, what
        git(root, "checkout", "-q", "--", ".")
        git(root, "clean", "-qfd", "versions")
    build_project(root, root / "site", "2023-01-01")  # built again: it publishes
    done = run_in_process("publish", "--root", str(root), "--remote", "origin",
                          "--as-of", "2023-01-01")
    assert done.code == 0 and "pushed to origin" in done.out, done.err
    assert git(remote, "rev-parse", "gh-pages") != published
