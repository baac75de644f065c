"""``build.py diff A B``: compare two Markdown files, ``slug@YYYY-MM-DD`` versions or a
``slug@draft`` (``content/<slug>.md``), in any view and format: the redline, side by side or
the 新旧対照表, as terminal text, HTML, JSON, Word or PDF.

Kept light on imports (no Jinja2, no GitPython): a diff of two 1 MB files is mostly
Markdown rendering and block alignment; Word and PDF libraries load only for those formats.
"""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import os
import re
from collections.abc import Sequence
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from ..content.frontmatter import read_text, split_front_matter
from ..diff.align import diff_blocks
from ..diff.result import DocumentDiff, to_json_data
from ..foundation.errors import UsageError
from ..foundation.model import RenderedText, SiteConfig
from ..foundation.resources import BUILTIN_TEMPLATES
from ..present.inline import inline_html
from ..present.summary import summary_html
from ..present.terminal import terminal_text
from ..text.render import render_markdown

if TYPE_CHECKING:
    from ..paper.amendment import GridRow

_VERSION_REF = re.compile(
    r"^(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)@(?P<date>\d{4}-\d{2}-\d{2}|draft)$")

VIEWS = ("redline", "side-by-side", "table")
FORMATS = ("text", "html", "json", "docx", "pdf")


class Side(NamedTuple):
    """One of the two texts compared, with what the table's column heading says of it."""

    name: str  # as given on the command line
    body: str
    slug: str | None  # the document, for slug@… references
    effective: dt.date | None  # None: a file, or a draft without an effective date
    draft: bool
    reasons: tuple[tuple[str, str], ...] = ()  # its front matter's 'reasons'
    amended_by: str = ""  # its front matter's 'amended_by' (the amending instrument)


def _source(ref: str, root: Path) -> tuple[str, Path]:
    m = _VERSION_REF.match(ref)
    if m and not Path(ref).exists():
        name = "content/" + m["slug"] + ".md" if m["date"] == "draft" else \
            f"versions/{m['slug']}/{m['date']}.md"
        path = root / name
        if not path.is_file():
            what = "draft" if m["date"] == "draft" else "version file"
            raise UsageError(f"{ref}: there is no {what} {name} under {root}")
        return ref, path
    path = Path(ref)
    if not path.is_file():
        raise UsageError(f"{ref}: no such file (give a Markdown file or slug@YYYY-MM-DD)")
    return ref, path


def _side(ref: str, root: Path) -> Side:
    name, path = _source(ref, root)
    m = _VERSION_REF.match(ref) if not Path(ref).exists() else None
    # a version or draft is a project file; a file named on the command line is read as named
    split = split_front_matter(read_text(path, ref, root if m else None), ref, required=False)
    front = _front(split.yaml_text)
    reasons = front.get("reasons")
    given = tuple((str(k), str(v)) for k, v in reasons.items() if k is not None and v) \
        if isinstance(reasons, dict) else ()
    amended = front.get("amended_by")
    amended_by = str(amended).strip() if isinstance(amended, (str, int)) else ""
    if m is None:
        return Side(name, split.body, None, None, False, given, amended_by)
    draft = m["date"] == "draft"
    if not draft:
        effective: dt.date | None = dt.date.fromisoformat(m["date"])
    else:  # a draft gives its date only when it is decided
        value = front.get("effective")
        effective = value if isinstance(value, dt.date) else None
    return Side(name, split.body, m["slug"], effective, draft, given, amended_by)


def _front(yaml_text: str | None) -> dict[object, object]:
    """A text's front matter as read (``build`` checks it; here it only labels the table)."""
    import yaml

    try:
        front = yaml.safe_load(yaml_text) if yaml_text else None
    except (yaml.YAMLError, ValueError, TypeError, RecursionError):  # bad tags, deep, long
        return {}
    return front if isinstance(front, dict) else {}


#: Above this many characters in both texts, the second is rendered in a forked process
#: while the first renders here, each parsed whole (faster than sharing chunks for two
#: large texts; bench/README.md, diff engine).
PARALLEL_FROM = 200_000


def _render_pair(a_text: str, b_text: str) -> tuple[RenderedText, RenderedText]:
    if min(len(a_text), len(b_text)) < PARALLEL_FROM or (os.cpu_count() or 1) < 2 \
            or "fork" not in multiprocessing.get_all_start_methods():
        return render_markdown(a_text), render_markdown(b_text)
    with multiprocessing.get_context("fork").Pool(1) as pool:
        pending = pool.apply_async(_render_once, (b_text,))
        a = _render_once(a_text)
        return a, pending.get()


def _render_once(text: str) -> RenderedText:
    return render_markdown(text, keep_chunks=False)


def run_diff(a_ref: str, b_ref: str, fmt: str, root: Path, color: bool,
             view: str | None = None, paper: str | None = None) -> bytes:
    """The diff of ``a_ref`` and ``b_ref`` in ``view`` (default: the redline, or the table
    for Word and PDF) and ``fmt``, as the bytes to write; Word and PDF on ``paper``
    (default: the project's ``paper``, a4 outside a project)."""
    if view is None:
        view = "table" if fmt in ("docx", "pdf") else "redline"
    if fmt in ("docx", "pdf") and view == "side-by-side":
        raise UsageError(f"--format {fmt} is the redline or the 新旧対照表: use --view redline "
                         "or --view table")
    if fmt == "text" and view == "side-by-side":
        raise UsageError("side by side has no text form: use --format html, or --view table")
    a_side, b_side = _side(a_ref, root), _side(b_ref, root)
    a, b = _render_pair(a_side.body, b_side.body)
    diff = diff_blocks(a.blocks, b.blocks)
    site = _site(root)
    lang = site.language if site is not None else "ja"
    paper = paper or (site.paper if site is not None else "a4")
    if view == "table":
        return _table(diff, a_side, b_side, fmt, lang, site, color, paper)
    if fmt in ("docx", "pdf"):
        return _redline_file(diff, a_side, b_side, fmt, lang, site, paper)
    if fmt == "json":
        data = {"a": a_side.name, "b": b_side.name, **to_json_data(diff)}
        return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    if fmt == "html":
        from ..present.side_by_side import side_by_side_html

        heads = _heads(a_side, b_side, lang)
        body = inline_html(diff, lang) if view == "redline" else \
            side_by_side_html(diff, lang, heads[1], heads[0])
        return standalone_html(a_side.name, b_side.name, summary_html(diff, lang), body,
                               lang).encode("utf-8")
    return terminal_text(diff, color).encode("utf-8")


def _heads(a: Side, b: Side, lang: str) -> tuple[str, str]:
    """(new, old) column headings: the versions' dates, a file's name, a draft's status."""
    from ..paper.amendment import column_heads

    def side(x: Side) -> dt.date | str | None:
        if x.effective is not None:
            return x.effective
        return None if x.draft else Path(x.name).name

    old = side(a)
    return column_heads(lang, old if old is not None else Path(a.name).name, side(b), b.draft)


def _table(diff: DocumentDiff, a: Side, b: Side, fmt: str, lang: str, site: SiteConfig | None,
           color: bool, paper: str = "a4") -> bytes:
    from ..paper.amendment import amendment_table, plain_text

    table = amendment_table(diff, lang, reasons=b.reasons)
    new_head, old_head = _heads(a, b, lang)
    title = _doc_title(site, b.slug or a.slug)
    if fmt == "text":
        return plain_text(table, (new_head, old_head)).encode("utf-8")
    if fmt == "json":
        data = {"a": a.name, "b": b.name, "columns": {"new": new_head, "old": old_head},
                "note": table.note,
                "rows": [{"kind": r.kind, "section": r.section.title, "change": r.number,
                          "reason": r.reason,
                          "new": [[{"text": x.text, "marked": x.marked} for x in p]
                                  for p in r.new],
                          "old": [[{"text": x.text, "marked": x.marked} for x in p]
                                  for p in r.old],
                          **({"new_table": _grid_json(r.new_grid),
                              "old_table": _grid_json(r.old_grid)} if r.kind == "table"
                             else {})} for r in table.rows]}
        return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    if fmt == "html":
        from ..present.table import amendment_table_html

        columns = site.comparison_columns if site is not None else "new-old"
        body = amendment_table_html(diff, lang, columns, (new_head, old_head), b.reasons)
        return standalone_html(a.name, b.name, summary_html(diff, lang), body,
                               lang).encode("utf-8")
    from ..paper.export import docx_bytes, pdf_bytes, sheet

    dates = [s.effective for s in (b, a) if s.effective is not None]
    page = sheet(title, (new_head, old_head), lang, dates[0] if dates else None, b.draft,
                 site.comparison_columns if site is not None else "new-old", b.amended_by,
                 paper)
    return docx_bytes(table, page) if fmt == "docx" else pdf_bytes(table, page)


def _grid_json(grid: Sequence[GridRow]) -> list[dict[str, Any]]:
    """A table inside a provision, for ``--format json``: rows of cells of lines of runs."""
    return [{"header": row.header, "note": row.note,
             "cells": [[[{"text": x.text, "marked": x.marked} for x in line] for line in cell]
                       for cell in row.cells]} for row in grid]

def _redline_file(diff: DocumentDiff, a: Side, b: Side, fmt: str, lang: str,
                  site: SiteConfig | None, paper: str = "a4") -> bytes:
    """The redline as a Word file with tracked changes, or as a PDF."""
    from ..paper.redline_docx import redline_docx_bytes, redline_info

    dates = [s.effective for s in (b, a) if s.effective is not None]
    info = redline_info(_doc_title(site, b.slug or a.slug), _heads(a, b, lang), lang,
                        dates[0] if dates else None, paper)
    if fmt == "docx":
        return redline_docx_bytes(diff, info)
    from ..paper.redline_pdf import redline_pdf_bytes

    return redline_pdf_bytes(diff, info)


def _doc_title(site: SiteConfig | None, slug: str | None) -> str:
    if site is None or slug is None:
        return ""
    return next((d.title for d in site.documents if d.slug == slug), "")


def _site(root: Path) -> SiteConfig | None:
    """The project's settings (site.yaml), if it has any that are valid."""
    from ..content.load import load_site

    return load_site(root, []) if (root / "content" / "site.yaml").is_file() else None


def standalone_html(a_name: str, b_name: str, summary: str, body: str, lang: str = "ja") -> str:
    """One self-contained page (styles inline, no scripts, no outside requests)."""
    css = (BUILTIN_TEMPLATES / "static" / "style.css").read_text(encoding="utf-8")
    title = f"{escape(a_name)} → {escape(b_name)}"
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
        "style-src 'unsafe-inline'\">\n"
        f"<title>{title}</title>\n<style>\n{css}</style>\n</head>\n<body>\n"
        f'<main id="main" class="wide">\n<h1>{title}</h1>\n'
        f'<section class="diff-summary" aria-labelledby="s"><h2 id="s">'
        f'{"概要" if lang == "ja" else "Summary"}</h2>\n'
        f"{summary}</section>\n{body}</main>\n</body>\n</html>\n"
    )
