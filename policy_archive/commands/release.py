"""``build.py release``: freeze the working draft ``content/<slug>.md`` into a dated version."""

from __future__ import annotations

from pathlib import Path

from ..content.frontmatter import compose, read_text, split_front_matter
from ..content.load import load_archive, load_site
from ..foundation.clock import parse_iso_date
from ..foundation.errors import ContentError, Problem, UsageError
from ..foundation.files import write_new


def _block(key: str, text: str) -> list[str]:
    lines = text.strip("\n").splitlines() or [""]
    return [f"{key}: |", *("  " + ln if ln.strip() else "" for ln in lines)]


def release(root: Path, slug: str, effective: str, announced: str | None, summary: str) -> Path:
    """Write ``versions/<slug>/<effective>.md`` from the draft; returns the path written."""
    eff = parse_iso_date(effective)
    if eff is None:
        raise UsageError(f"--effective {effective!r} is not a date of the form YYYY-MM-DD")
    ann = parse_iso_date(announced) if announced else None
    if announced and ann is None:
        raise UsageError(f"--announced {announced!r} is not a date of the form YYYY-MM-DD")
    if ann and ann > eff:
        raise UsageError("--announced must not be after --effective")
    if not summary.strip():
        raise UsageError("--summary must say what changed")
    problems: list[Problem] = []
    site = load_site(root, problems)
    if problems or site is None:
        raise ContentError(problems)
    if slug not in {d.slug for d in site.documents}:
        raise UsageError(f"there is no document {slug!r} in content/site.yaml")
    draft_rel = f"content/{slug}.md"
    draft = root / draft_rel
    if not draft.is_file():
        raise ContentError.single(draft_rel, 1, "there is no draft to release: write the next "
                                                "version's text in this file first")
    split = split_front_matter(read_text(draft, draft_rel, root), draft_rel, required=False)
    extra: list[str] = []
    if split.yaml_text:
        node = compose(split.yaml_text, draft_rel, 2)
        values = {k.value: v for k, v in getattr(node, "value", [])}
        for key in ("title", "note"):
            if key in values and str(values[key].value).strip():
                extra += _block(key, str(values[key].value))
    if not split.body.strip():
        raise ContentError.single(draft_rel, split.body_line, "the draft has no policy text")
    target_rel = f"versions/{slug}/{eff.isoformat()}.md"
    target = root / target_rel
    if target.exists():
        raise ContentError.single(target_rel, 1, "this version exists already: versions that "
                                                 "were published are never overwritten")
    lines = ["---", f"effective: {eff.isoformat()}"]
    if ann:
        lines.append(f"announced: {ann.isoformat()}")
    lines += _block("summary", summary) + extra + ["---"]
    target.parent.mkdir(parents=True, exist_ok=True)
    write_new(target, ("\n".join(lines) + "\n" + split.body).encode("utf-8"))
    try:
        load_archive(root, eff)
    except ContentError:
        target.unlink()
        raise
    return target
