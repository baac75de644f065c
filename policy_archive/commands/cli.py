"""The command line: parse arguments, call the library, turn problems into messages.

``main(argv) -> int``: 0 success, 1 content errors (each ``path:line: message``) or a worker
process that died, 2 usage. ``build.py`` and the installed command ``policy-archive`` both
call it (the console script exits with its return value).
"""

from __future__ import annotations

import argparse
import os
import shlex
import signal
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .. import __version__
from ..foundation.clock import build_date
from ..foundation.errors import ContentError, Problem, UsageError, WorkerError
from ..foundation.i18n import counted
from ..foundation.resources import default_root

if TYPE_CHECKING:
    from ..runtime.cache import Cache



def _cwd() -> Path:
    try:
        return Path.cwd()
    except OSError:  # the current folder was deleted
        return Path(".")


ROOT_HELP = ("(default: the nearest folder at or above the current one that holds "
             "content/site.yaml, else the sample)")


def _prog() -> str:
    """The name the program was run by: ``build.py`` or the installed ``policy-archive``."""
    return "policy-archive" if Path(sys.argv[0]).name.startswith("policy-archive") \
        else "build.py"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(message)


def _parser(project: Path) -> argparse.ArgumentParser:
    """Every command and option, as one flat table (long, but read top to bottom);
    ``project`` is ``--root`` when none is given."""
    p = _Parser(prog=_prog(), description="Publish every dated version of your policies "
                                             "and what changed between them.")
    p.add_argument("--version", action="store_true",
                   help=f"print the version ({__version__}) and exit")
    sub = p.add_subparsers(dest="command", parser_class=_Parser)

    def common(sp: argparse.ArgumentParser, out: bool = True,
               out_default: str = "ROOT/site") -> None:
        sp.add_argument("--root", type=Path, default=project,
                        help=f"project folder holding content/ and versions/ {ROOT_HELP}")
        if out:
            sp.add_argument("--out", type=Path, help=f"output folder (default: {out_default})")
        sp.add_argument("--as-of", metavar="YYYY-MM-DD",
                        help="build date (default: SOURCE_DATE_EPOCH, else today)")

    def cache_options(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("--cache-dir", type=Path, metavar="DIR",
                        help="build cache (default: ROOT/.cache/policy_archive)")
        sp.add_argument("--no-cache", action="store_true",
                        help="neither read nor write the build cache")

    b = sub.add_parser("build", help="build the site")
    common(b)
    b.add_argument("--drafts", action="store_true",
                   help="add previews of content/<slug>.md drafts (noindex, not in feeds)")
    b.add_argument("--quiet", "-q", action="store_true", help="print only problems")
    b.add_argument("--jobs", "-j", type=int, metavar="N",
                   help="processes to use (default: one per core)")
    cache_options(b)
    c = sub.add_parser("check", help="validate the content without writing anything")
    common(c, out=False)
    c.add_argument("--strict", action="store_true", help="fail on warnings too")
    d = sub.add_parser("diff", help="compare two versions (files or slug@YYYY-MM-DD)")
    d.add_argument("a", help="the older text: a Markdown file, or slug@YYYY-MM-DD of a version")
    d.add_argument("b", help="the newer text, the same way")
    d.add_argument("--view", choices=("redline", "side-by-side", "table"),
                   help="the redline, side by side, or the 新旧対照表 (default: redline; table "
                        "for docx and pdf)")
    d.add_argument("--format", choices=("text", "html", "json", "docx", "pdf"), default="text",
                   help="text for the terminal, an HTML page, JSON, a Word document or a PDF "
                        "(default: text)")
    d.add_argument("-o", "--output", type=Path, metavar="FILE",
                   help="write to FILE (replaced whole) instead of the standard output")
    d.add_argument("--root", type=Path, default=project,
                   help=f"project folder for slug@YYYY-MM-DD {ROOT_HELP}")
    d.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                   help="colour the text format (default: auto, on a terminal)")
    d.add_argument("--paper", choices=("a4", "letter"),
                   help="the paper of docx and pdf (default: the project's 'paper', else a4)")
    lg = sub.add_parser("log", help="the versions in which a text came, went or changed count")
    lg.add_argument("slug", nargs="?", help="the document (default: every document)")
    lg.add_argument("-S", dest="text", required=True, metavar="TEXT",
                    help="the words or phrase to look for, as a reader sees the text and "
                         "as the search page finds it: case, full/half width (NFKC) and "
                         "runs of white space folded, a space in TEXT optional in the text, "
                         "ruby words as printed, within one block")
    lg.add_argument("--format", choices=("text", "json"), default="text",
                    help="one line per version, or JSON (default: text)")
    common(lg, out=False)
    bl = sub.add_parser("blame", help="each section of a version with the day it last changed")
    bl.add_argument("ref", metavar="SLUG[@DATE]",
                    help="the document, and the version (default: the current one)")
    bl.add_argument("--format", choices=("text", "json"), default="text",
                    help="one line per section, or JSON (default: text)")
    common(bl, out=False)
    lk = sub.add_parser("lock", help="record the hash of every published version")
    common(lk, out=False)
    r = sub.add_parser("release", help="freeze content/<slug>.md into a dated version")
    r.add_argument("slug", help="the document, as named in content/site.yaml")
    r.add_argument("--effective", required=True, metavar="YYYY-MM-DD",
                   help="the day the new version takes effect")
    r.add_argument("--announced", metavar="YYYY-MM-DD",
                   help="the day the change is announced (left out of the record when not given)")
    r.add_argument("--summary",
                   help="the change notice shown to readers and in the feeds (Markdown; "
                        "default: the draft's summary)")
    r.add_argument("--same-text", metavar="REASON",
                   help="release a text identical to the version before, and say why")
    for flag, said in (("--replace-summary", "let --summary replace the summary the draft has"),
                       ("--keep-draft", "keep content/<slug>.md as the draft of the next "
                                        "version (default: remove it)")):
        r.add_argument(flag, action="store_true", help=said)
    r.add_argument("--root", type=Path, default=project,
                   help=f"project folder holding content/ and versions/ {ROOT_HELP}")
    r.add_argument("--as-of", metavar="YYYY-MM-DD",
                   help="the day whose version in force the release must not predate "
                        "(default: SOURCE_DATE_EPOCH, else today)")
    pb = sub.add_parser("publish", help="commit the built site to the pages branch")
    pb.add_argument("--root", type=Path, default=project,
                    help=f"project folder, inside the git repository {ROOT_HELP}")
    pb.add_argument("--out", type=Path, help="the built site (default: ROOT/site)")
    pb.add_argument("--branch", default="gh-pages",
                    help="the pages branch to commit to (default: gh-pages)")
    pb.add_argument("--remote", help="push the branch to this remote after committing")
    pb.add_argument("--message", default="Publish policy archive", help="the commit message")
    pb.add_argument("--as-of", metavar="YYYY-MM-DD",
                    help="the build date the site must match (default: SOURCE_DATE_EPOCH, "
                         "else today)")
    vf = sub.add_parser("verify", help="check a built or downloaded site: texts, hashes, "
                                       "diffs, feeds")
    vf.add_argument("site", type=Path, help="the site folder (as built, or as downloaded)")
    vf.add_argument("--root", type=Path,
                    help="also check it against this project's version files and lock file")
    it = sub.add_parser("init", help="create a new policy repository in DIR, with CI "
                                     "workflows; never overwrites a file")
    it.add_argument("dir", type=Path, metavar="DIR", help="the folder (created if missing)")
    it.add_argument("--language", choices=("ja", "en"), default="ja",
                    help="the site's language, and the first version's (default: ja)")
    it.add_argument("--base-url", default="https://example.com/policies/", metavar="URL",
                    help="where the site will be published (default: an example to edit)")
    it.add_argument("--package", metavar="SPEC",
                    help="the pip requirement requirements.txt pins for the CI workflows "
                         "(default: the git commit or the index release this one was installed "
                         "from; else init refuses)")
    it.add_argument("--deploy", choices=("pages", "branch"), default="pages",
                    help="GitHub: deploy with GitHub Pages' own actions (pages), or push the "
                         "gh-pages branch (branch) (default: pages)")
    it.add_argument("--timezone", metavar="ZONE",
                    help="the time zone the daily build runs in (default: Asia/Tokyo for ja, "
                         "UTC for en)")
    it.add_argument("--branch", default="main",
                    help="the repository's default branch, built on every push (default: main)")
    it.add_argument("--as-of", metavar="YYYY-MM-DD",
                    help="the first version's date (default: SOURCE_DATE_EPOCH, else today)")
    sv = sub.add_parser("serve", help="serve on 127.0.0.1, rebuild on change, reload the page")
    common(sv, out_default="ROOT/.cache/policy_archive/preview; site/ is left alone")
    sv.add_argument("--port", type=int, default=8000,
                    help="port on 127.0.0.1 (default: 8000)")
    sv.add_argument("--drafts", action="store_true",
                    help="add previews of content/<slug>.md drafts (such a site is never "
                         "published)")
    cache_options(sv)
    from .importing import add_parser  # standard library only: the importers load lazily

    add_parser(sub, project, ROOT_HELP)
    return p


def _print_problems(problems: Sequence[Problem]) -> None:
    for p in problems:
        print(p, file=sys.stderr)


def _root(path: Path) -> Path:
    root = path.resolve()
    if not root.is_dir():
        raise UsageError(f"--root {path}: no such folder")
    return root


def _cache(args: argparse.Namespace, root: Path) -> Cache:
    from ..runtime.cache import Cache, default_folder

    if args.no_cache:
        return Cache(None)
    return Cache((args.cache_dir or default_folder(root)).resolve())


def _checked_out(args: argparse.Namespace, root: Path, default: Path) -> Path:
    """``--out`` (else ``default``) and ``--cache-dir``, refused unless they are the tool's
    own or new (:mod:`.outfolder`); the output folder's real path."""
    from ..output.outfolder import check_cache, check_out
    from ..runtime.cache import default_folder

    given = args.out or default
    cache = None if getattr(args, "no_cache", True) else default_folder(root).resolve()
    if cache is not None and args.cache_dir is not None:
        cache = check_cache(root, args.cache_dir, given.resolve())
    return check_out(root, given, cache)


def _cmd_build(args: argparse.Namespace) -> int:
    from ..build.pipeline import build
    from ..runtime.progress import for_terminal

    root = _root(args.root)
    out = _checked_out(args, root, root / "site")
    as_of = build_date(args.as_of, os.environ)
    if args.jobs is not None and args.jobs < 1:
        raise UsageError("--jobs must be at least 1")
    warnings: list[Problem] = []
    start = time.perf_counter()
    result = build(root, out, as_of, drafts=args.drafts, warn=warnings.append,
                   cache=_cache(args, root), jobs=args.jobs,
                   progress=for_terminal(sys.stderr, quiet=args.quiet))
    _print_problems(warnings)
    if not args.quiet:
        shown = os.path.relpath(out) if not os.path.relpath(out).startswith("../..") else out
        work = ("nothing changed" if result.up_to_date else
                f"{result.texts[0]} of {result.texts[1]} texts rendered, "
                f"{result.diffs[0]} of {result.diffs[1]} diffs computed"
                + (f", {counted(result.reused_pages, 'page')} of unchanged documents kept"
                   if result.reused_pages else ""))
        print(f"built {counted(result.pages, 'page')} ({counted(result.files, 'file')}, "
              f"{result.written} written) "
              f"into {shown} as of {as_of.isoformat()}, {counted(len(warnings), 'warning')}, "
              f"in {time.perf_counter() - start:.2f} s ({work})")
        _robots_note(root)
    return 0


def _robots_note(root: Path) -> None:
    """A site under a sub-path of its host: where crawlers look for robots.txt."""
    from urllib.parse import urlsplit

    from ..content.load import load_site

    site = load_site(root, [])
    if site is not None and site.base_path != "/":
        host = urlsplit(site.base_url)
        print(f"note: the site is under {site.base_path} of its host; crawlers read "
              f"robots.txt only at {host.scheme}://{host.netloc}/robots.txt: put its lines "
              "there (the sitemap is named in it)")


def _cmd_check(args: argparse.Namespace) -> int:
    from ..build.pipeline import plan_site, render_plan

    root = _root(args.root)
    as_of = build_date(args.as_of, os.environ)
    warnings: list[Problem] = []
    plan = plan_site(root, as_of, warn=warnings.append)
    render, _ = render_plan(root, plan, None, warnings.append)
    for page in plan.site.pages:  # a template that fails on some page is an error here too
        render(page)
    # Versions under embargo are checked as the build on their announced day will see them,
    # so that build cannot fail on that day.
    ahead = max((v.announced for v in plan.archive.embargoed if v.announced), default=None)
    if ahead is not None:
        later: list[Problem] = []
        future = plan_site(root, ahead, warn=later.append)
        render, _ = render_plan(root, future, None)
        for page in future.site.pages:
            render(page)
        warnings += [w for w in later if w not in warnings]
    _print_problems(warnings)
    n = sum(len(d.versions) for d in plan.archive.documents)
    print(f"checked {counted(len(plan.archive.documents), 'document')}, "
          f"{counted(n, 'version')}: {counted(len(warnings), 'warning')}")
    return 1 if warnings and args.strict else 0


def _cmd_diff(args: argparse.Namespace) -> int:
    from .diff import run_diff

    color = args.color == "always" or (args.color == "auto" and sys.stdout.isatty()
                                       and not os.environ.get("NO_COLOR"))
    if args.output is None and args.format in ("docx", "pdf") and sys.stdout.isatty():
        raise UsageError(f"--format {args.format} is a file: give -o FILE")
    data = run_diff(args.a, args.b, args.format, _root(args.root), color and not args.output,
                    args.view, args.paper)
    if args.output is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        return 0
    from ..foundation.files import write_atomically

    try:
        write_atomically(args.output, data)
    except OSError as e:
        raise UsageError(f"-o {args.output}: cannot write ({e.strerror})") from None
    print(f"wrote {args.output}", file=sys.stderr)
    return 0


def _cmd_log(args: argparse.Namespace) -> int:
    from .history import run_log

    sys.stdout.write(run_log(_root(args.root), args.slug, args.text, args.format,
                             build_date(args.as_of, os.environ)))
    return 0


def _cmd_blame(args: argparse.Namespace) -> int:
    from .history import run_blame

    sys.stdout.write(run_blame(args.ref, _root(args.root), args.format,
                               build_date(args.as_of, os.environ)))
    return 0


def _cmd_lock(args: argparse.Namespace) -> int:
    from ..content.load import load_archive
    from ..content.provenance import LOCK_FILE, read_lock, write_lock
    from ..content.records import check_records

    root = _root(args.root)
    archive = load_archive(root, build_date(args.as_of, os.environ))
    refused = check_records(root, archive)  # a rewrite without an erratum is not re-locked
    if refused:
        raise ContentError(refused)
    changed = write_lock(root, archive, read_lock(root))
    print(f"{LOCK_FILE}: {counted(changed, 'entry', 'entries')} recorded")
    return 0


def _cmd_release(args: argparse.Namespace) -> int:
    from .release import Options, release

    options = Options(args.effective, args.announced, args.summary, args.replace_summary,
                      args.same_text, args.keep_draft)
    done = release(_root(args.root), args.slug, options, build_date(args.as_of, os.environ))
    print(f"wrote {done.path}; content/{args.slug}.md {done.draft}")
    return 0


def _cmd_publish(args: argparse.Namespace) -> int:
    from .publish import publish

    root = _root(args.root)
    out = _checked_out(args, root, root / "site")
    print(publish(root, out, args.branch, args.remote, args.message,
                  build_date(args.as_of, os.environ)))
    return 0


def _cmd_verify(args: argparse.Namespace) -> int:
    from ..verify.site import verify

    site = args.site.resolve()
    if not site.is_dir():
        raise UsageError(f"{args.site}: no such folder")
    findings = verify(site, _root(args.root) if args.root else None)
    for f in findings:
        print(f, file=sys.stderr)
    print(f"verified {site}: {counted(len(findings), 'problem')}" if findings
          else f"verified {site}: ok")
    return 1 if findings else 0


def _cmd_init(args: argparse.Namespace) -> int:
    from .init import Options, init
    from .workflows import PAGES_BRANCH

    options = Options(language=args.language, base_url=args.base_url, package=args.package,
                      time_zone=args.timezone, branch=args.branch, deploy=args.deploy)
    result = init(args.dir, build_date(args.as_of, os.environ), options)
    shown = str(args.dir)
    for rel in result.written:
        print(f"wrote {os.path.join(shown, rel)}")
    pages = ("Source: GitHub Actions" if args.deploy == "pages" else
             f"Source: Deploy from a branch: {PAGES_BRANCH}, / (root)")
    # The new repository has no build.py: its commands are the installed tool's.
    print(f"""
The CI workflows install {result.package} (requirements.txt).
Next steps:
  cd {shlex.quote(shown)}
  policy-archive build && policy-archive serve     # the site on http://127.0.0.1:8000/
  # edit content/site.yaml and versions/privacy/*.md: replace the template's text
  git init -b {shlex.quote(args.branch)} && git add -A && git commit -m "Policy site"
  git remote add origin URL && git push -u origin {shlex.quote(args.branch)}
  # GitHub: Settings > Pages > Build and deployment > {pages}
  # GitLab: Build > Pipeline schedules: daily at 00:10, {result.time_zone}""")
    return 0


def _cmd_serve(args: argparse.Namespace) -> int:
    from ..runtime.cache import default_folder, ignore_in_git
    from .serve import serve

    root = _root(args.root)
    # Not ROOT/site: a preview (of drafts, of unsaved work, at another date) is not the site.
    out = _checked_out(args, root, default_folder(root) / "preview")
    if args.out is None:
        try:
            ignore_in_git(default_folder(root))
        except OSError:
            pass  # not writable: the build says so when it writes the preview
    return serve(root, out, args.as_of, args.port, drafts=args.drafts,
                 cache=_cache(args, root))


def _cmd_import(args: argparse.Namespace) -> int:
    from .importing import run

    return run(args)


COMMANDS = {"build": _cmd_build, "check": _cmd_check, "diff": _cmd_diff, "log": _cmd_log,
            "blame": _cmd_blame, "lock": _cmd_lock,
            "release": _cmd_release, "publish": _cmd_publish, "verify": _cmd_verify,
            "serve": _cmd_serve, "init": _cmd_init, "import": _cmd_import}


def _say_project(args: argparse.Namespace, project: Path) -> None:
    """A project found above the current folder is named (on stderr), so a command run
    from ``versions/privacy/`` says which project it reads and writes."""
    if getattr(args, "root", None) is project and project != _cwd().resolve():
        if project in _cwd().resolve().parents:
            print(f"{_prog()}: using the project at {project}", file=sys.stderr)


def _terminate(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list[:1] == ["--version"]:
        print(f"policy-archive {__version__}")
        return 0
    if not args_list or args_list[0].startswith("-") and args_list[0] not in ("-h", "--help"):
        args_list.insert(0, "build")
    try:
        signal.signal(signal.SIGTERM, _terminate)
    except ValueError:  # not the main thread
        pass
    try:
        project = default_root(_cwd())  # the nearest project at or above, else the sample
        args = _parser(project).parse_args(args_list)
        _say_project(args, project)
        return COMMANDS[args.command](args)
    except UsageError as e:
        prog = _prog()
        print(f"{prog}: {e}", file=sys.stderr)
        print(f"Run '{'python build.py' if prog == 'build.py' else prog} --help' for the "
              "commands and their options.", file=sys.stderr)
        return 2
    except ContentError as e:
        _print_problems(e.problems)
        n = sum(1 for p in e.problems if p.severity == "error")
        print(f"{counted(n, 'error')}: nothing was written", file=sys.stderr)
        return 1
    except WorkerError as e:
        print(f"{_prog()}: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted: the previous output is unchanged", file=sys.stderr)
        return 130
