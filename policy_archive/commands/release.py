"""``policy-archive release``: freeze the working draft ``content/<slug>.md`` into a dated
version, guarding the record.

Refused, each as ``path:line: message`` and with nothing written: an effective date before
the version in force on the build date (a correction of the past is an erratum of that
version); a text identical to the version before it, unless ``--same-text`` says why (a
date-only release is legal, on purpose); ``--summary`` over the draft's own summary unless
``--replace-summary``; a draft that gives another effective date. The draft's ``title``,
``summary``, ``reasons`` and ``note`` carry into the release, and the draft is retired:
removed, or with ``--keep-draft`` kept under a new heading as the next draft (the build shows
no preview of a draft whose text is already released).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import NamedTuple

from ..content.frontmatter import Settings, compose, read_text, split_front_matter
from ..content.load import DRAFT_KEYS, load_archive, load_drafts, load_site
from ..foundation.clock import parse_iso_date
from ..foundation.errors import ContentError, Problem, UsageError
from ..foundation.files import write_atomically, write_new
from ..foundation.model import UNDATED, SiteConfig, Version


class Options(NamedTuple):
    effective: str
    announced: str | None = None
    summary: str | None = None  # None: the draft's
    replace_summary: bool = False
    same_text: str | None = None  # why a text identical to the version before is released
    keep_draft: bool = False


class Released(NamedTuple):
    path: Path  # the version written
    draft: str  # what became of the draft: "removed" or "kept as the next draft"


def _block(key: str, text: str) -> list[str]:
    lines = text.strip("\n").splitlines() or [""]
    return [f"{key}: |", *("  " + ln if ln.strip() else "" for ln in lines)]


def _dates(options: Options) -> tuple[dt.date, dt.date | None]:
    eff = parse_iso_date(options.effective)
    if eff is None:
        raise UsageError(f"--effective {options.effective!r} is not a date of the form "
                         "YYYY-MM-DD")
    ann = parse_iso_date(options.announced) if options.announced else None
    if options.announced and ann is None:
        raise UsageError(f"--announced {options.announced!r} is not a date of the form "
                         "YYYY-MM-DD")
    if ann and ann > eff:
        raise UsageError("--announced must not be after --effective")
    if options.summary is not None and not options.summary.strip():
        raise UsageError("--summary must say what changed")
    if options.same_text is not None and not options.same_text.strip():
        raise UsageError("--same-text must say why the same text is released again")
    return eff, ann


def _line_of(root: Path, rel: str, key: str) -> int:
    """The line of ``key`` in the draft's front matter (1 when it has none)."""
    split = split_front_matter(read_text(root / rel, rel, root), rel, required=False)
    node = compose(split.yaml_text, rel, 2) if split.yaml_text else None
    if node is None:
        return 1
    found = Settings(node, rel, 2, [], DRAFT_KEYS, "the draft's front matter")
    return found.line_of(key) if key in found.values else 1


def _the_draft(root: Path, site: SiteConfig, slug: str) -> Version:
    rel = f"content/{slug}.md"
    if not (root / rel).is_file():
        raise ContentError.single(rel, 1, "there is no draft to release: write the next "
                                          "version's text in this file first")
    problems: list[Problem] = []
    drafts = [d for d in load_drafts(root, site, problems) if d.slug == slug]
    if problems or not drafts:
        raise ContentError([p for p in problems if p.path == rel] or problems)
    return drafts[0]


def _summary(root: Path, draft: Version, options: Options) -> str:
    """``--summary``, else the draft's; one over the other only with ``--replace-summary``."""
    own = draft.summary.strip()
    given = (options.summary or "").strip()
    if given and own and given != own and not options.replace_summary:
        raise ContentError.single(
            draft.source, _line_of(root, draft.source, "summary"),
            "the draft has a summary, and --summary gives another: leave --summary out to "
            "release the draft's, or add --replace-summary to release --summary's")
    if not (given or own):
        raise ContentError.single(
            draft.source, 1, "no summary: write 'summary:' in the draft's front matter, or "
                             "give --summary (what changed, for readers and the feeds)")
    return (options.summary or "") if given else draft.summary


def _guard(root: Path, draft: Version, eff: dt.date, as_of: dt.date,
           options: Options) -> None:
    """The record's rules against the versions already there, as of the build date."""
    if draft.effective not in (eff, UNDATED):
        raise ContentError.single(
            draft.source, _line_of(root, draft.source, "effective"),
            f"the draft says it takes effect on {draft.effective.isoformat()}, --effective "
            f"says {eff.isoformat()}: make them agree")
    archive = load_archive(root, as_of)
    (doc,) = [d for d in archive.documents if d.slug == draft.slug]
    current = next((v for v in doc.versions if v.status == "current"), None)
    if current is not None and eff < current.effective:
        raise ContentError.single(
            draft.source, 1,
            f"--effective {eff.isoformat()} is before {current.effective.isoformat()}, the "
            f"version in force ({current.source}): a release is never dated before the "
            "version in force. A correction of the past is an erratum: record it under "
            f"'errata' of the version it corrects")
    before = [v for v in doc.versions if v.effective < eff]
    if before and before[-1].sha256 == draft.sha256 and options.same_text is None:
        raise ContentError.single(
            draft.source, draft.body_line,
            f"the draft's text is the same as {before[-1].source}: a release changes the "
            "text. To release the same text on a new date on purpose, say why with "
            "--same-text REASON")


def _front(draft: Version, site: SiteConfig, eff: dt.date, ann: dt.date | None,
           summary: str, options: Options) -> list[str]:
    lines = ["---", f"effective: {eff.isoformat()}"]
    announced = ann or draft.announced
    if announced:
        lines.append(f"announced: {announced.isoformat()}")
    lines += _block("summary", summary)
    spec = next(d for d in site.documents if d.slug == draft.slug)
    if draft.title != spec.title:
        lines += _block("title", draft.title)
    note = "\n\n".join(n for n in (draft.note.strip(), (options.same_text or "").strip()) if n)
    if note:
        lines += _block("note", note)
    if draft.reasons:
        lines.append("reasons:")
        lines += [f"  {json.dumps(r.section, ensure_ascii=False)}: "
                  f"{json.dumps(r.text, ensure_ascii=False)}" for r in draft.reasons]
    return lines + ["---"]


def _next_draft(slug: str, target_rel: str) -> str:
    return (f"---\n# The draft of the version after {target_rel}, which was released from "
            "this file.\n# Edit the text, add 'summary:' (what changes), then run\n"
            f"#   policy-archive release {slug} --effective YYYY-MM-DD\n---\n")


def release(root: Path, slug: str, options: Options, as_of: dt.date) -> Released:
    """Write ``versions/<slug>/<effective>.md`` from the draft, then retire the draft."""
    eff, ann = _dates(options)
    problems: list[Problem] = []
    site = load_site(root, problems)
    if problems or site is None:
        raise ContentError(problems)
    if slug not in {d.slug for d in site.documents}:
        raise UsageError(f"there is no document {slug!r} in content/site.yaml")
    target_rel = f"versions/{slug}/{eff.isoformat()}.md"
    target = root / target_rel
    if target.exists():
        raise ContentError.single(target_rel, 1, "this version exists already: versions that "
                                                 "were published are never overwritten")
    draft = _the_draft(root, site, slug)
    summary = _summary(root, draft, options)
    _guard(root, draft, eff, as_of, options)
    front = _front(draft, site, eff, ann, summary, options)
    target.parent.mkdir(parents=True, exist_ok=True)
    write_new(target, ("\n".join(front) + "\n" + draft.body).encode("utf-8"))
    try:
        load_archive(root, eff)
    except ContentError:
        target.unlink()
        raise
    draft_path = root / draft.source
    if options.keep_draft:
        write_atomically(draft_path, (_next_draft(slug, target_rel) + draft.body).encode())
        return Released(target, "kept as the next draft")
    draft_path.unlink()
    return Released(target, "removed")
