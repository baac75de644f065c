"""``build.py publish``: commit the built site as the next commit of a pages branch.

Like ghp-import, and nothing more: the tree is exactly the site (less the output folder's
marker, :data:`.outfolder.MARKER`) plus ``.nojekyll``, history is
kept, the working tree and the index are untouched (a temporary index file is used), an
unchanged site makes no commit, and a named remote gets the branch pushed. Git runs with
fixed argument lists.
"""

from __future__ import annotations

import datetime as dt
import filecmp
import os
import tempfile
from pathlib import Path

from ..foundation.errors import ContentError, Problem, UsageError
from ..output.outfolder import MARKER


def publish(root: Path, site: Path, branch: str, remote: str | None, message: str,
            as_of: dt.date) -> str:
    import git  # GitPython

    try:
        return _publish(root, site, branch, remote, message, as_of)
    except git.GitCommandError as e:
        detail = (e.stderr or str(e)).strip().replace("\n", " ")
        raise ContentError.single(".", 1, f"git refused to publish: {detail}") from None


def _publish(root: Path, site: Path, branch: str, remote: str | None, message: str,
             as_of: dt.date) -> str:
    import git

    if not (site / "index.html").is_file():
        raise UsageError(f"{site} holds no built site: run 'policy-archive build' first")
    _refuse_drafts(root, site)
    if not branch or branch.startswith("-") or any(c in branch for c in " ~^:?*[\\"):
        raise UsageError(f"--branch {branch!r} is not a valid branch name")
    _refuse_tampering(root, site, as_of)
    try:
        repo = git.Repo(root, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        raise ContentError.single(".", 1, "the project is not in a git repository: "
                                          "publishing commits to a branch of it") from None
    g = repo.git
    ref = f"refs/heads/{branch}"
    with tempfile.TemporaryDirectory(prefix="publish-index-") as tmp:
        env = {**os.environ, "GIT_DIR": str(repo.git_dir),
               "GIT_INDEX_FILE": os.path.join(tmp, "index"), "GIT_WORK_TREE": str(site)}
        g.execute(["git", "-C", str(site), "add", "--all", "--force", "--", ".",
                   f":(exclude){MARKER}"], env=env)  # the marker is for builds, not readers
        if not (site / ".nojekyll").exists():
            empty = Path(tmp) / "empty"
            empty.write_bytes(b"")
            blob = g.execute(["git", "hash-object", "-w", str(empty)], env=env)
            g.execute(["git", "update-index", "--add", "--cacheinfo",
                       f"100644,{blob},.nojekyll"], env=env)
        tree = g.execute(["git", "write-tree"], env=env)
    local = parent = _commit_of(g, ref)
    if parent is None and remote:
        # A fresh clone (a CI checkout) has the pages branch only as <remote>/<branch>:
        # continue its history, and compare with what it publishes.
        parent = _commit_of(g, f"refs/remotes/{remote}/{branch}")
    if parent:
        _refuse_rewrites(g, parent, site, branch)
    _refuse_unbuilt(root, site, as_of)
    if parent and g.execute(["git", "rev-parse", f"{parent}^{{tree}}"]) == tree:
        result = f"{branch}: unchanged ({parent[:10]}), no new commit"
        if local is None:  # the remote's branch already holds this site: nothing to push
            return result
    else:
        args = ["git", "commit-tree", tree, "-m", message]
        if parent:
            args += ["-p", parent]
        commit = g.execute(args, env=_identity(repo))
        # The old value guards against a concurrent change; none when the branch is new here.
        g.execute(["git", "update-ref", ref, commit] + ([local] if local else [""]))
        result = f"{branch}: committed {commit[:10]}"
    if remote:
        g.execute(["git", "push", "--quiet", remote, f"{ref}:{ref}"])
        result += f", pushed to {remote}"
    return result


def _refuse_drafts(root: Path, site: Path) -> None:
    """A site built with ``--drafts`` (or by ``serve --drafts``) holds previews of texts that
    are not released: they are never published."""
    previews = sorted(site.glob("*/draft/index.html"))
    if previews:
        shown = [_shown(root, p) for p in previews]
        raise ContentError([
            Problem(path, 1, "a preview of an unreleased draft: this site was built with "
                             "--drafts. Build it again without --drafts, then publish")
            for path in shown])


def _commit_of(g: object, ref: str) -> str | None:
    import git

    try:
        found: str = g.execute(["git", "rev-parse", "--verify", "--quiet", ref])  # type: ignore[attr-defined]
        return found or None
    except git.GitCommandError:
        return None


def _refuse_rewrites(g: object, parent: str, site: Path, branch: str) -> None:
    """A version the pages branch already publishes keeps its text, unless an erratum that
    the published record does not hold yet records the correction; and it stays published
    (:func:`.records.refusals`, the rule ``check`` and ``build`` apply too). Checked against
    the branch itself, so a rewritten lock file does not hide a rewrite."""
    import json

    import git

    from ..content.records import branch_witness, of_versions_json, refusals

    try:
        before = g.execute(["git", "show", f"{parent}:versions.json"],  # type: ignore[attr-defined]
                           stdout_as_string=False)
    except git.GitCommandError:
        return  # the branch holds no record of this tool: nothing to compare with
    witness = branch_witness(before, branch, parent)
    if witness is None:
        return
    now = of_versions_json(json.loads((site / "versions.json").read_bytes()))
    problems = refusals(witness, now, "the site")
    if problems:
        raise ContentError(problems)


def _refuse_tampering(root: Path, site: Path, as_of: dt.date) -> None:
    """The site is published only as built: ``verify`` (against the project, as of the
    build date the site must match) finds nothing."""
    from ..verify.site import verify

    findings = verify(site, root, as_of)
    if findings:
        raise ContentError([Problem(_shown(root, site / f.path) if f.in_site else f.path, 1,
                                    f"{f.message} (publish commits only a site that verify "
                                    "passes: build it again)") for f in findings]
                           + [_stale(root, site, len(findings))])


def _refuse_unbuilt(root: Path, site: Path, as_of: dt.date) -> None:
    """Every file of the site is the one the sources build today, byte for byte: the sources
    are built again into ``<cache>/publish-check/`` (incremental, so cheap when the site is
    current) and compared file by file. A file edited, added or removed after the build, or a
    site older than its sources or than a version that has taken effect since, is refused."""
    from ..build.pipeline import build
    from ..runtime.cache import Cache, default_folder

    folder = default_folder(root)
    check = folder / "publish-check"
    build(root, check, as_of, cache=Cache(folder))
    built, published = _files(check) - {MARKER}, _files(site) - {MARKER}  # not published
    differ = sorted(rel for rel in built | published
                    if rel not in built or rel not in published
                    or not filecmp.cmp(check / rel, site / rel, shallow=False))
    if differ:
        raise ContentError([Problem(_shown(root, site / rel), 1,
                                    _difference(rel in built, rel in published))
                            for rel in differ] + [_stale(root, site, len(differ))])


def _stale(root: Path, site: Path, n: int) -> Problem:
    """The refusal as a whole, after the files: publish never builds (it commits the site
    that was built, looked at and verified), and never commits one its sources outdate."""
    from ..foundation.i18n import counted

    return Problem(_shown(root, site), 1,
                   f"not published: {counted(n, 'difference')} from the site its sources "
                   "build today (the site is older than its sources, or was changed after "
                   "its build). Run 'policy-archive build', then publish")


def _difference(built: bool, published: bool) -> str:
    what = ("is not part of the site the sources build" if not built else
            "is missing: the sources build it" if not published else
            "differs from what the sources build")
    return (f"{what} (edited after the build, or built from other sources or on another "
            "day): build it again, then publish")


def _files(folder: Path) -> set[str]:
    """The relative paths of the regular files under ``folder``; anything else (a link, a
    FIFO) is named with a trailing NUL, so it never matches a built file."""
    found: set[str] = set()
    for base, dirs, names in os.walk(folder):
        for name in names:
            path = Path(base, name)
            regular = path.is_file() and not path.is_symlink()
            found.add(path.relative_to(folder).as_posix() + ("" if regular else "\0"))
    return found


def _shown(root: Path, path: Path) -> str:
    return os.path.relpath(path, root) if path.is_relative_to(root) else str(path)


def _identity(repo: object) -> dict[str, str]:
    """The environment for commit-tree: a fallback identity when git has none configured,
    and SOURCE_DATE_EPOCH as the commit date when it is set (reproducible commits)."""
    env = dict(os.environ)
    reader = repo.config_reader()  # type: ignore[attr-defined]
    if not reader.get_value("user", "name", "") and "GIT_AUTHOR_NAME" not in env:
        env.update(GIT_AUTHOR_NAME="policy_archive", GIT_COMMITTER_NAME="policy_archive")
    if not reader.get_value("user", "email", "") and "GIT_AUTHOR_EMAIL" not in env:
        env.update(GIT_AUTHOR_EMAIL="policy-archive@localhost",
                   GIT_COMMITTER_EMAIL="policy-archive@localhost")
    epoch = env.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        env.update(GIT_AUTHOR_DATE=f"@{epoch} +0000", GIT_COMMITTER_DATE=f"@{epoch} +0000")
    return env
