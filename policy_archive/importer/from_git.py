"""``import git REPO --path FILE [--path OLDER …]``: a policy kept as one file in git, cut
into dated versions.

The file is followed through its moves: renames git sees (``git log --follow``) and the
older paths given, for moves it does not see. Each commit's text is dated by the date line
it carries (``effective-line``, or the user's ``--date-pattern``) or by the commit's own
date (``commit``, as a tracker records); the commits carrying the same date fold into one
version, the last text committed with it, with the commit as its provenance and the commit
messages as a draft summary. The source's own front matter goes to the report, not the text.
GitPython is imported here only, so the other commands start as fast as before.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from ..content.frontmatter import split_front_matter
from ..foundation.errors import ContentError, UsageError
from ..foundation.i18n import counted
from .dates import effective_line_date
from .plan import Imported, markdown_words

if TYPE_CHECKING:
    import git


class GitOptions(NamedTuple):
    repo: Path
    paths: tuple[str, ...]  # the file's path now first, then its older paths
    date: str  # "effective-line" or "commit"
    commit_date: str = "author"  # with date "commit": "author" or "committer"
    pattern: re.Pattern[str] | None = None  # --date-pattern
    since: dt.date | None = None
    until: dt.date | None = None
    rev: str = "HEAD"


class Touch(NamedTuple):
    """A commit that changed the file: its path after the commit, and how (git's letter)."""

    sha: str
    path: str
    status: str  # A, M, D, R (git saw a rename from ``old``), C
    old: str = ""


class Dated(NamedTuple):
    touch: Touch
    date: dt.date
    body: str
    said: str  # the date line, or which commit date
    stripped: str  # the source's front matter, as the report shows it


def open_repo(path: Path) -> git.Repo:
    import git

    try:
        return git.Repo(path)
    except (git.NoSuchPathError, git.InvalidGitRepositoryError):
        hint = (" (a bundle? clone it first: git clone FILE DIR)" if path.is_file() else "")
        raise UsageError(f"{path}: not a git repository{hint}") from None


def _log(repo: git.Repo, *args: str) -> str:
    """``git log`` with paths written as they are (not quoted octal, for 規約.md)."""
    import git

    try:
        return str(repo.git.execute(["git", "-c", "core.quotePath=false", "log", *args]))
    except git.GitCommandError as e:
        raise UsageError(f"git log {' '.join(args)}: {str(e.stderr).strip()}") from None


def touches(repo: git.Repo, paths: Sequence[str], rev: str) -> list[Touch]:
    """Every commit of ``rev``'s first-parent line (the published one: a merge counts as the
    commit that brought its text in) that changed the file at any of ``paths``, following
    renames git sees, oldest first."""
    found: dict[str, Touch] = {}
    for path in paths:
        out = _log(repo, "--first-parent", "-m", "--follow", "-M", "--name-status",
                   "--format=%x01%H", rev, "--", path)
        for touch in _parse_log(out):
            if found.get(touch.sha, Touch("", "", "D")).status == "D":
                found[touch.sha] = touch  # a commit that moves the file: where it went
    if not found:
        raise UsageError(f"no commit of {rev} changes {' or '.join(paths)}: check --path")
    order = _log(repo, "--first-parent", "--reverse", "--format=%H", rev).split()
    position = {sha: i for i, sha in enumerate(order)}
    return sorted(found.values(), key=lambda t: position.get(t.sha, -1))


def _parse_log(out: str) -> list[Touch]:
    result = []
    for chunk in out.split("\x01")[1:]:
        lines = [ln for ln in chunk.splitlines() if ln.strip()]
        if len(lines) < 2:
            continue  # a merge, shown without its changes
        fields = lines[1].split("\t")
        status = fields[0][:1]
        result.append(Touch(lines[0].strip(), fields[-1], status,
                            fields[1] if status in "RC" and len(fields) > 2 else ""))
    return result


def moves(found: Sequence[Touch]) -> list[str]:
    """The report's lines on each move of the file."""
    out = []
    for before, after in zip(found, found[1:], strict=False):
        if after.status in "RC" and after.old:
            out.append(f"moved {after.old} -> {after.path} in {after.sha[:12]} "
                       "(a rename git sees)")
        elif after.path != before.path:
            out.append(f"moved {before.path} -> {after.path} in {after.sha[:12]} (given "
                       "with --path: git does not see it as a rename)")
    return out


def _text(repo: git.Repo, touch: Touch) -> str:
    data: bytes = (repo.commit(touch.sha).tree / touch.path).data_stream.read()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise ContentError.single(f"{touch.path}@{touch.sha[:12]}", 1, "is not UTF-8 text: "
                                  "an import takes UTF-8 files only") from None
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def _strip_front_matter(text: str, shown: str) -> tuple[str, str]:
    """The text after the source's own front matter, and that front matter for the report."""
    import yaml

    try:
        split = split_front_matter(text, shown, required=False)
    except ContentError:
        return text, ""  # an unclosed '---' is text, not front matter
    if split.yaml_text is None:
        return text, ""
    try:
        data = yaml.safe_load(split.yaml_text)
    except yaml.YAMLError:
        data = None
    if isinstance(data, dict):
        shown_fm = "; ".join(f"{k}: {counted(len(v), 'entry', 'entries')}"
                             if isinstance(v, (list, dict)) else
                             f"{k}: {v}" for k, v in data.items())
    else:
        shown_fm = split.yaml_text.strip().replace("\n", " | ")
    return split.body.lstrip("\n"), shown_fm


def _date(repo: git.Repo, touch: Touch, body: str, opts: GitOptions
          ) -> tuple[dt.date, str] | None:
    if opts.date == "commit":
        c = repo.commit(touch.sha)
        when = c.authored_datetime if opts.commit_date == "author" else c.committed_datetime
        return when.date(), f"{opts.commit_date} date {when.isoformat()}"
    found = effective_line_date(body, opts.pattern)
    return (found[0], f"date line {found[1]!r}") if found else None


def dated(repo: git.Repo, found: Sequence[Touch], opts: GitOptions
          ) -> tuple[list[Dated], list[str]]:
    """Each commit's text with its date; the report's lines on the commits left out."""
    out, skipped = [], []
    for touch in found:
        if touch.status == "D":
            continue
        shown = f"{touch.path}@{touch.sha[:12]}"
        body, stripped = _strip_front_matter(_text(repo, touch), shown)
        when = _date(repo, touch, body, opts)
        if not body.strip():
            skipped.append(f"skipped {shown}: the file holds no text after its front matter")
        elif when is None:
            skipped.append(f"skipped {shown}: no date line found (give --date-pattern)")
        elif (opts.since and when[0] < opts.since) or (opts.until and when[0] > opts.until):
            skipped.append(f"skipped {shown}: dated {when[0].isoformat()}, outside "
                           "--since/--until")
        else:
            out.append(Dated(touch, when[0], body, when[1], stripped))
    return out, skipped


def _subject(repo: git.Repo, sha: str) -> str:
    message = repo.commit(sha).message
    text = message if isinstance(message, str) else message.decode("utf-8", "replace")
    return str(text).strip().splitlines()[0].strip() if text.strip() else sha[:12]


def fold(repo: git.Repo, texts: Sequence[Dated]) -> list[Imported]:
    """One version per date: the last text committed with it, the others folded in."""
    groups: dict[dt.date, list[Dated]] = {}
    for d in texts:
        groups.setdefault(d.date, []).append(d)
    versions = []
    for date, group in groups.items():
        last = group[-1]
        subjects = list(dict.fromkeys(_subject(repo, d.touch.sha) for d in group))
        details = [f"dated by the {last.said}"]
        if len(group) > 1:
            details.append(f"folded {counted(len(group) - 1, 'earlier commit')} with this date: "
                           + ", ".join(d.touch.sha[:12] for d in group[:-1]))
        if last.stripped:
            details.append(f"the source's front matter, left out of the text: {last.stripped}")
        versions.append(Imported(
            date=date, body=last.body, source=f"{last.touch.path} at {last.touch.sha[:12]}",
            source_words=markdown_words(last.body),
            summary="Draft from the commit messages (edit): " + "; ".join(subjects),
            commit=last.touch.sha, details=tuple(details)))
    return versions


def import_git(opts: GitOptions) -> tuple[list[Imported], list[str]]:
    """The versions of the file's history, and the report's lines on the source."""
    repo = open_repo(opts.repo)
    try:
        found = touches(repo, opts.paths, opts.rev)
        texts, skipped = dated(repo, found, opts)
        notes = [f"{opts.repo}: {counted(len(found), 'commit')} "
                 f"{'changes' if len(found) == 1 else 'change'} the file", *moves(found),
                 *skipped]
        return fold(repo, texts), notes
    finally:
        repo.close()
