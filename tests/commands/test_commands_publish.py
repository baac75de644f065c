"""Trustworthy publishing: provenance, the lock, drafts and release, reproducible and
atomic output, and the pages branch."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from projects import REPO, git, make_project, run_build, tree_bytes, version_text, write
from support.building import run_in_process


def build(root: Path, out: Path, *extra: str, as_of: str = "2022-01-01") -> None:
    r = run_in_process("build", "--root", str(root), "--out", str(out), "--as-of", as_of, *extra)
    assert r.code == 0, r.err


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = make_project(tmp_path / "proj")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "content")
    return root


def test_provenance_in_git(repo: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(repo, out)
    head = git(repo, "rev-parse", "HEAD")
    page = (out / "privacy" / "2021-06-01" / "index.html").read_text("utf-8")
    assert f'<code title="{head}">{head[:10]}</code>' in page
    assert '<time datetime="2021-06-01">' in page
    v = json.loads((out / "versions.json").read_text("utf-8"))["documents"][0]["versions"][1]
    assert (v["commit"], v["commit_date"]) == (head, "2021-06-01")
    assert v["sha256"] in page


def test_outside_git_the_build_works_and_says_so(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p")
    build(root, tmp_path / "o")
    page = (tmp_path / "o" / "privacy" / "index.html").read_text("utf-8")
    assert "git管理外" in page
    assert json.loads((tmp_path / "o" / "versions.json").read_text())["documents"][0][
        "versions"][0]["commit"] is None


def test_rewritten_version_in_git_history_warns(repo: Path, tmp_path: Path) -> None:
    v1 = repo / "versions" / "privacy" / "2020-01-01.md"
    v1.write_text(v1.read_text() + "\nAdded later.\n")
    git(repo, "commit", "-qam", "rewrite", env={"GIT_COMMITTER_DATE": "2021-07-01T00:00:00Z"})
    r = run_in_process("check", "--root", str(repo), "--as-of", "2022-01-01")
    assert "versions/privacy/2020-01-01.md:1: warning: was changed in git on 2021-07-01" in r.err


def test_lock_tamper_and_erratum(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p")
    out = tmp_path / "o"
    r = run_in_process("lock", "--root", str(root), "--as-of", "2022-01-01")
    assert r.code == 0 and "2 entries recorded" in r.out, r.err
    lock = json.loads((root / "content" / "versions.lock.json").read_text())
    assert set(lock["versions"]) == {"privacy/2020-01-01", "privacy/2021-06-01"}
    build(root, out)
    before = tree_bytes(out)

    path = root / "versions" / "privacy" / "2020-01-01.md"
    write(path, version_text("2020-01-01", "# Privacy\n\nFirst text, quietly edited.\n"))
    r = run_in_process("build", "--root", str(root), "--out", str(out), "--as-of", "2022-01-01")
    assert r.code == 1
    assert "versions/privacy/2020-01-01.md:4: the text of this version changed after it was " \
           "locked on 2022-01-01" in r.err
    assert tree_bytes(out) == before

    write(path, "---\neffective: 2020-01-01\nerrata:\n  - date: 2022-01-02\n"
                "    reason: Typo in the first text\n---\n# Privacy\n\n"
                "First text, quietly edited.\n")
    build(root, out, as_of="2022-01-03")
    page = (out / "privacy" / "2020-01-01" / "index.html").read_text("utf-8")
    assert "Typo in the first text" in page and '<time datetime="2022-01-02">' in page
    r = run_in_process("lock", "--root", str(root), "--as-of", "2022-01-03")
    assert "1 entry recorded" in r.out
    assert json.loads((root / "content" / "versions.lock.json").read_text())["versions"][
        "privacy/2020-01-01"]["locked"] == "2022-01-03"


def test_draft_preview_and_release(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p")
    write(root / "content" / "privacy.md", "---\nnote: Internal draft\n---\n# Privacy\n\n"
                                           "Third text.\n")
    out = tmp_path / "o"
    build(root, out, "--drafts")
    draft = (out / "privacy" / "draft" / "index.html").read_text("utf-8")
    assert '<meta name="robots" content="noindex">' in draft and "Third text." in draft
    diff = (out / "privacy" / "draft" / "diff" / "index.html").read_text("utf-8")
    assert "Third" in diff and "<ins>" in diff
    for f in ("feed.xml", "privacy/feed.xml", "sitemap.xml", "versions.json"):
        assert "draft" not in (out / f).read_text("utf-8"), f
    build(root, tmp_path / "plain")
    assert not (tmp_path / "plain" / "privacy" / "draft").exists()

    r = run_in_process("release", "privacy", "--root", str(root), "--effective", "2023-01-01",
                       "--announced", "2022-12-01", "--summary", "Third text replaces the second.")
    assert r.code == 0, r.err
    released = (root / "versions" / "privacy" / "2023-01-01.md").read_text("utf-8")
    assert released.startswith("---\neffective: 2023-01-01\nannounced: 2022-12-01\nsummary: |\n"
                               "  Third text replaces the second.\nnote: |\n  Internal draft\n"
                               "---\n# Privacy\n\nThird text.\n")
    again = run_in_process("release", "privacy", "--root", str(root), "--effective", "2023-01-01",
                           "--summary", "x")
    assert again.code == 1 and "never overwritten" in again.err
    build(root, out, as_of="2023-01-01")
    assert json.loads((out / "versions.json").read_text())["documents"][0]["current"] == \
        "2023-01-01"


def test_reproducible_output(tmp_path: Path) -> None:
    outs = []
    for i, (tz, seed) in enumerate([("UTC", "0"), ("Asia/Tokyo", "12345")]):
        cwd = tmp_path / f"cwd{i}"
        cwd.mkdir()
        out = tmp_path / f"out{i}"
        r = run_build("build", "--root", str(REPO), "--out", str(out), "--as-of", "2026-11-26",
                      cwd=cwd, env={"TZ": tz, "PYTHONHASHSEED": seed, "LC_ALL": "C.UTF-8"})
        assert r.code == 0, r.err
        outs.append(tree_bytes(out))
    assert outs[0].keys() == outs[1].keys()
    assert [k for k in outs[0] if outs[0][k] != outs[1][k]] == []


def test_failed_build_leaves_output_and_no_temporary(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p")
    out = tmp_path / "o"
    build(root, out)
    before = tree_bytes(out)
    killed = subprocess.Popen(["true"])  # a build whose process is gone
    killed.wait()
    stale = tmp_path / f".o.tmp-{killed.pid}-killed"  # named as Staging names it
    stale.mkdir()
    # A template that fails only on the archive page: rendering fails midway.
    write(root / "templates" / "archive.html", "{{ undefined_function() }}")
    r = run_in_process("build", "--root", str(root), "--out", str(out), "--as-of", "2022-01-01")
    assert r.code == 1 and "templates/archive.html:1: template error" in r.err
    assert tree_bytes(out) == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".o.")) == []


def test_publish_to_pages_branch(repo: Path, tmp_path: Path) -> None:
    remote = tmp_path / "remote.git"
    subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True)
    git(repo, "remote", "add", "origin", str(remote))
    (repo / "notes.txt").write_text("untracked work\n")
    index_before = (repo / ".git" / "index").read_bytes()
    status_before = git(repo, "status", "--porcelain")
    build(repo, repo / "site")
    r = run_in_process("publish", "--root", str(repo), "--remote", "origin")
    assert r.code == 0 and "committed" in r.out and "pushed to origin" in r.out, r.err
    files = set(git(repo, "ls-tree", "-r", "--name-only", "gh-pages").splitlines())
    assert files == set(tree_bytes(repo / "site")) - {".policy-archive"} | {".nojekyll"}
    assert git(remote, "rev-parse", "gh-pages") == git(repo, "rev-parse", "gh-pages")
    again = run_in_process("publish", "--root", str(repo), "--remote", "origin")
    assert "no new commit" in again.out
    assert git(repo, "rev-list", "--count", "gh-pages") == "1"
    (repo / "site" / "extra.html").write_text("<!DOCTYPE html><title>x</title>")
    added = run_in_process("publish", "--root", str(repo))
    assert added.code == 1, added.err
    assert added.err.startswith("site/extra.html:1: is not part of the site the sources build")
    (repo / "site" / "extra.html").unlink()
    version = sorted((repo / "versions").glob("*/*.md"))[-1]
    version.write_text(version.read_text("utf-8").replace("summary: ", "summary: Edited. "),
                       "utf-8")
    git(repo, "commit", "-qam", "a summary edited")
    index_before = (repo / ".git" / "index").read_bytes()  # publish leaves it as it is now
    stale = run_in_process("publish", "--root", str(repo), "--message", "second")
    assert stale.code == 1 and "differs from what the sources build" in stale.err, stale.err
    assert git(repo, "rev-list", "--count", "gh-pages") == "1"
    build(repo, repo / "site")
    second = run_in_process("publish", "--root", str(repo), "--message", "second")
    assert second.code == 0, second.err
    assert git(repo, "rev-list", "--count", "gh-pages") == "2"
    assert (repo / ".git" / "index").read_bytes() == index_before
    status_after = git(repo, "status", "--porcelain").splitlines()
    assert [ln for ln in status_after if ln != "?? site/"] == status_before.splitlines()
    assert git(repo, "rev-parse", "--abbrev-ref", "HEAD") == "main"


def test_a_site_with_draft_previews_is_never_published(repo: Path) -> None:
    write(repo / "content" / "privacy.md", "# Privacy\n\nAn unreleased text.\n")
    build(repo, repo / "site", "--drafts")
    r = run_in_process("publish", "--root", str(repo))
    assert r.code == 1
    assert r.err.startswith("site/privacy/draft/index.html:1: a preview of an unreleased "
                            "draft"), r.err
    assert "without --drafts" in r.err
    with pytest.raises(subprocess.CalledProcessError):  # no branch was made
        git(repo, "rev-parse", "--verify", "gh-pages")
    build(repo, repo / "site")
    again = run_in_process("publish", "--root", str(repo))
    assert again.code == 0 and "committed" in again.out, again.err
    files = git(repo, "ls-tree", "-r", "--name-only", "gh-pages").splitlines()
    assert files and not any("/draft/" in f for f in files)


def test_staged_but_uncommitted_version_is_not_credited_to_the_last_commit(
        repo: Path, tmp_path: Path) -> None:
    v2 = repo / "versions" / "privacy" / "2021-06-01.md"
    v2.write_text(v2.read_text() + "\nStaged, not committed.\n")
    git(repo, "add", "-A")
    out = tmp_path / "out"
    build(repo, out)
    page = (out / "privacy" / "2021-06-01" / "index.html").read_text("utf-8")
    assert "まだコミットされていない変更" in page
    assert "<code title=" not in page
    older = (out / "privacy" / "2020-01-01" / "index.html").read_text("utf-8")
    assert "<code title=" in older


def test_unchanged_files_are_linked_and_the_others_written(tmp_path: Path) -> None:
    from policy_archive.output.staging import write_site

    out = tmp_path / "o"
    assert write_site(out, [("a/index.html", b"kept"), ("index.html", b"first")]) == 2
    kept = os.stat(out / "a" / "index.html").st_ino
    files = [("a/index.html", b"kept"), ("b/c/index.html", b"new"), ("index.html", b"second")]
    assert write_site(out, files) == 2  # b/c and index.html written, a linked
    assert tree_bytes(out) == {"a/index.html": b"kept", "b/c/index.html": b"new",
                               "index.html": b"second"}
    assert os.stat(out / "a" / "index.html").st_ino == kept
    assert [p.name for p in tmp_path.iterdir()] == ["o"]  # no temporary folder left


def test_a_file_that_cannot_be_written_fails_the_build_and_keeps_the_output(
        tmp_path: Path) -> None:
    from policy_archive.output.staging import write_site

    out = tmp_path / "o"
    assert write_site(out, [("index.html", b"first"), ("a/index.html", b"kept")]) == 2
    before = tree_bytes(out)
    with pytest.raises(OSError):
        write_site(out, [("a/index.html", b"kept"),  # unchanged: to be linked, on success
                         ("b", b"a file"), ("b/index.html", b"under a file: cannot be written")])
    assert tree_bytes(out) == before
    assert os.stat(out / "a" / "index.html").st_nlink == 1  # never linked
    assert [p.name for p in tmp_path.iterdir()] == ["o"]  # no temporary folder left
    assert write_site(out, [("a/index.html", b"kept"), ("index.html", b"second")]) == 1
    # one written, one linked from the output
    assert (out / "index.html").read_bytes() == b"second"
    assert os.stat(out / "a" / "index.html").st_nlink == 1  # the old output is gone
