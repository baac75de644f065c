"""``build.py import git|docx|html …``: its options, and the run that ties an importer to the
shared plan, write and report (``importing``).

Only the standard library is imported at the top: GitPython, mammoth, markdownify and
BeautifulSoup are imported inside the importers, so that the start-up of every other command
does not grow.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..foundation.clock import parse_iso_date
from ..foundation.errors import UsageError

if TYPE_CHECKING:
    from ..importer.plan import Imported


Option = tuple[tuple[str, ...], dict[str, Any]]
_DATE = {"metavar": "YYYY-MM-DD"}
#: Each kind's options, as (names, argparse keywords); "every" goes to all three.
OPTIONS: dict[str, list[Option]] = {
    "git": [
        (("repo",), {"type": Path, "help": "the git repository (a folder or a bare one)"}),
        (("--path",), {"action": "append", "required": True, "metavar": "FILE",
                       "help": "the file's path now; again for each older path git does "
                               "not see as a rename"}),
        (("--date",), {"choices": ("effective-line", "commit"), "default": "effective-line",
                       "help": "date each text by its date line (Effective date, Last "
                               "updated, 施行日, 改定日, 制定日) or by its commit (default: "
                               "effective-line)"}),
        (("--commit-date",), {"choices": ("author", "committer"), "default": "author",
                              "help": "with --date commit: the author's or the committer's "
                                      "date (default: author)"}),
        (("--date-pattern",), {"metavar": "REGEX",
                               "help": "a regular expression for the date line; its group "
                                       "'date' (or its first group) is the date"}),
        (("--since",), {**_DATE, "help": "only versions dated on or after"}),
        (("--until",), {**_DATE, "help": "only versions dated on or before"}),
        (("--rev",), {"default": "HEAD", "help": "the history to read (default: HEAD)"}),
    ],
    "docx": [
        (("files",), {"nargs": "+", "type": Path, "metavar": "FILE",
                      "help": "a Word (.docx) file"}),
    ],
    "html": [
        (("files",), {"nargs": "+", "metavar": "FILE|URL",
                      "help": "a saved page, or its file:// address"}),
        (("--select",), {"metavar": "CSS", "help": "the CSS selector of the policy text "
                                                   "(default: main, article or [role=main])"}),
        (("--base-url",), {"metavar": "URL",
                           "help": "the page's address, to make its relative links absolute "
                                   "(default: its <base>, canonical link or og:url)"}),
    ],
    "files": [
        (("--effective",), {**_DATE, "help": "the day it took effect (default: a date in its "
                                             "title or name)"}),
    ],
    "every": [
        (("--slug",), {"required": True, "help": "the document, as in content/site.yaml"}),
        (("--dry-run",), {"action": "store_true",
                          "help": "print the versions it would write and write nothing"}),
    ],
}
KINDS = {"git": "a policy kept as one file in a git repository",
         "docx": "Word files, one version each", "html": "saved web pages, one version each"}


def add_parser(sub: argparse._SubParsersAction[Any], project: Path, root_help: str) -> None:
    im = sub.add_parser("import", help="bring a policy's past versions in from git, Word "
                                       "files or saved web pages")
    kinds = im.add_subparsers(dest="kind", required=True, parser_class=type(im),
                              help="where the history is kept")
    for kind, what in KINDS.items():
        sp = kinds.add_parser(kind, help=what)
        shared = OPTIONS["every"] + (OPTIONS["files"] if kind != "git" else [])
        for names, keywords in OPTIONS[kind] + shared:
            sp.add_argument(*names, **keywords)
        sp.add_argument("--root", type=Path, default=project,
                        help=f"the project to import into {root_help}")


def _date(option: str, value: str | None) -> dt.date | None:
    if value is None:
        return None
    date = parse_iso_date(value)
    if date is None:
        raise UsageError(f"{option} {value!r} is not a date of the form YYYY-MM-DD")
    return date


def _git(args: argparse.Namespace) -> tuple[list[Imported], list[str]]:
    from ..importer.from_git import GitOptions, import_git

    try:
        pattern = re.compile(args.date_pattern, re.I | re.M) if args.date_pattern else None
    except re.error as e:
        raise UsageError(f"--date-pattern: {e}") from None
    opts = GitOptions(repo=args.repo, paths=tuple(args.path), date=args.date,
                      commit_date=args.commit_date, pattern=pattern,
                      since=_date("--since", args.since),
                      until=_date("--until", args.until),
                      rev=args.rev)
    return import_git(opts)


def _files(args: argparse.Namespace) -> tuple[list[Imported], list[str]]:
    effective = _date("--effective", args.effective)
    if effective is not None and len(args.files) > 1:
        raise UsageError("--effective dates one file: import the files one at a time")
    if args.kind == "docx":
        from ..importer.from_docx import import_docx

        return [import_docx(f, effective) for f in args.files], []
    from ..importer.from_html import import_html

    return [import_html(f, args.select, effective, args.base_url) for f in args.files], []


def run(args: argparse.Namespace) -> int:
    from ..importer.plan import lost_words, plan, report, write

    root = args.root.resolve()
    if not (root / "content" / "site.yaml").is_file():
        raise UsageError(f"--root {args.root}: no content/site.yaml there (run init first)")
    found, notes = _git(args) if args.kind == "git" else _files(args)
    dates = [v.date for v in found]
    if len(set(dates)) != len(dates):
        raise UsageError("two of the sources have the same date: give each its own "
                         "(--effective, one file at a time)")
    p = plan(root, args.slug, found, notes)
    if not args.dry_run:
        write(root, p)
    print("\n".join(report(p, args.dry_run)))
    sys.stdout.flush()
    for warning in lost_words(p):
        print(warning, file=sys.stderr)
    return 0
