"""What every ``import`` shares: the versions it found, the report of every decision, the
every-word check, and writing ``versions/<slug>/<date>.md`` without ever overwriting one.

An importer (``import_git``, ``import_docx``, ``import_html``) turns its source into
``Imported`` versions and report lines; :func:`plan` decides, against the project, what is
written, skipped or in conflict; :func:`write` writes it all or nothing.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import NamedTuple

from ..content.frontmatter import read_text, split_front_matter
from ..foundation.errors import ContentError, Problem, UsageError
from ..foundation.files import write_new
from ..foundation.i18n import counted


class Imported(NamedTuple):
    """One version an importer found, before it is checked against the project."""

    date: dt.date
    body: str  # the Markdown text, without any front matter
    source: str  # where it came from, as the report names it (a file, a commit and path)
    source_words: Counter[str]  # the words of the source text, to find in the page
    summary: str = ""  # a draft of the change notice, to edit
    note: str = ""
    commit: str = ""  # the git commit it was taken from (the ``commit`` key)
    details: tuple[str, ...] = ()  # what the report says about this version


class Planned(NamedTuple):
    version: Imported
    target: str  # versions/<slug>/<date>.md
    action: str  # "write" or "skip"
    reason: str  # for a skip: why
    lost: tuple[str, ...]  # words of the source the rendered page does not show


class Plan(NamedTuple):
    slug: str
    items: tuple[Planned, ...]
    notes: tuple[str, ...]  # what the importer says about the source as a whole


# ---- the every-word check ----------------------------------------------------------------

_WORD = re.compile(r"[A-Za-z0-9]{3,}|[\u3040-\u30ff\u3400-\u9fff]+")
_HTML_TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)(?:\s[^<>]*)?/?>")


def words(text: str) -> Counter[str]:
    """Words as the site contract counts them: Latin/digit runs of 3 or more, CJK runs."""
    return Counter(_WORD.findall(text))


def markdown_words(body: str) -> Counter[str]:
    """The words of a Markdown text without its markup: comments, images, link targets,
    reference definitions and tags of real HTML elements are not words."""
    from ..text.sanitize import is_markup

    t = re.sub(r"<!--.*?-->", " ", body, flags=re.S)
    t = re.sub(r"!\[[^\]]*\]\([^)]*\)", " ", t)
    t = re.sub(r"\]\((?:[^()]|\([^)]*\))*\)", "] ", t)
    t = re.sub(r"^ {0,3}\[[^\]]+\]:\s*\S+.*$", " ", t, flags=re.M)
    t = re.sub(r"<(https?://[^>\s]+)>", r" \1 ", t)  # an autolink shows its address
    t = _HTML_TAG.sub(lambda m: " " if is_markup(m.group(1)) else m.group(0), t)
    return words(html.unescape(t))


def page_text(body: str) -> str:
    """The text a version page shows for ``body`` (what ``data-policy-text`` holds)."""
    from ..text.render import plain_text, render_markdown

    return plain_text(render_markdown(body, keep_chunks=False))


def words_lost(source: Counter[str], body: str) -> tuple[str, ...]:
    """Words of the source that the rendered page shows fewer times than the source has."""
    shown = page_text(body)
    tokens = words(shown)  # a word the page holds as often as a word is there (fast path)
    return tuple(sorted(w for w, n in source.items()
                        if tokens[w] < n and shown.count(w) < n))


# ---- deciding against the project --------------------------------------------------------

def declared_slug(root: Path, slug: str) -> None:
    """The document must be declared in ``content/site.yaml`` before versions come in."""
    from ..content.load import load_site

    problems: list[Problem] = []
    site = load_site(root, problems)
    if problems or site is None:
        raise ContentError(problems)
    if slug not in {d.slug for d in site.documents}:
        raise UsageError(f"--slug {slug}: there is no document {slug!r} in content/site.yaml: "
                         "declare it under 'documents' first")


def plan(root: Path, slug: str, found: Sequence[Imported], notes: Iterable[str] = ()) -> Plan:
    """What to do with each version found; a date already present with another text is an
    error naming both (raised with every such conflict at once)."""
    declared_slug(root, slug)
    problems: list[Problem] = []
    items = []
    for v in sorted(found, key=lambda v: v.date):
        target = f"versions/{slug}/{v.date.isoformat()}.md"
        action, reason = "write", ""
        if not v.body.strip():
            problems.append(Problem(v.source, 1, "holds no text to import"))
            continue
        if (root / target).exists():
            existing = _existing_body(root, target)
            if existing == v.body:
                action, reason = "skip", f"{target} exists with the same text"
            else:
                problems.append(Problem(target, 1, f"exists with another text than {v.source} "
                                        "(dated the same day): versions are never overwritten; "
                                        "compare the two, then remove one or import with "
                                        "--since/--until"))
                continue
        items.append(Planned(v, target, action, reason, words_lost(v.source_words, v.body)))
    if problems:
        raise ContentError(problems)
    return Plan(slug, tuple(items), tuple(notes))


def _existing_body(root: Path, target: str) -> str | None:
    try:
        return split_front_matter(read_text(root / target, target), target,
                                  required=False).body
    except ContentError:
        return None


# ---- writing -------------------------------------------------------------------------------

def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted one


def version_file(v: Imported) -> str:
    """The version file: front matter the loader accepts, then the text as found."""
    lines = ["---", f"effective: {v.date.isoformat()}"]
    if v.summary.strip():
        lines.append(f"summary: {_quoted(v.summary.strip())}")
    if v.note:
        lines.append(f"note: {_quoted(v.note)}")
    if v.commit:
        lines.append(f"commit: {v.commit}")
    return "\n".join([*lines, "---"]) + "\n" + v.body


def write(root: Path, p: Plan) -> list[str]:
    """Write every planned version, each only if no file is there (never overwriting); when
    one of them then does not load as a version, remove what was written and raise why."""
    from ..content.load import load_version

    written: list[Path] = []
    try:
        for item in p.items:
            if item.action == "write":
                written.append(_write_new(root / item.target, version_file(item.version)))
        problems: list[Problem] = []
        for path in written:
            load_version(root, p.slug, path, p.slug, problems)
        if problems:
            raise ContentError(problems)
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise
    return [path.relative_to(root).as_posix() for path in written]


def _write_new(target: Path, text: str) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        write_new(target, text.encode("utf-8"))  # never overwrites a file that appeared
    except FileExistsError:
        raise ContentError.single(target.name, 1, "appeared while importing: not "
                                                  "overwritten") from None
    return target


def lost_words(p: Plan) -> list[Problem]:
    """A warning for each version whose page would not show every word of its source."""
    return [Problem(i.target, 1, f"words of {i.version.source} that its page does not show: "
                                 f"{', '.join(i.lost[:10])}{' …' if len(i.lost) > 10 else ''}",
                    "warning") for i in p.items if i.lost]


# ---- the report --------------------------------------------------------------------------

def report(p: Plan, dry_run: bool) -> list[str]:
    """Every decision, one line each (indented lines belong to the version above)."""
    out = list(p.notes)
    for item in p.items:
        v = item.version
        size = len(v.body.encode("utf-8"))
        verb = ("would write" if dry_run else "wrote") if item.action == "write" else "skipped"
        out.append(f"{verb} {item.target} ({size} bytes) from {v.source}"
                   + (f": {item.reason}" if item.reason else ""))
        out += [f"  {d}" for d in v.details]
        out.append("  every word of the source is in the page" if not item.lost else
                   f"  words of the source missing from the page: {', '.join(item.lost)}")
    n = sum(1 for i in p.items if i.action == "write")
    skipped = len(p.items) - n
    if dry_run:
        out.append(f"dry run: {counted(n, 'version')} would be written, {skipped} skipped; "
                   "nothing was written")
    elif n == 0:
        found = ("the 1 version found is" if skipped == 1 else
                 f"all {skipped} versions found are")
        out.append(f"nothing written: {found} already in the project with the same text"
                   if skipped else "nothing written: no version found")
    else:
        out.append(f"{counted(n, 'version')} written, {skipped} skipped")
    return out
