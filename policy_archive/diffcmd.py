"""``build.py diff A B``: compare two Markdown files or ``slug@YYYY-MM-DD`` versions.

Kept light on imports (no Jinja2, no GitPython): a diff of two 1 MB files is mostly
Markdown rendering and block alignment.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import re
from html import escape
from pathlib import Path

from .diff import diff_blocks, to_json_data
from .errors import UsageError
from .frontmatter import read_text, split_front_matter
from .resources import BUILTIN_TEMPLATES
from .model import RenderedText
from .render import render_markdown
from .views import inline_html, summary_html, terminal_text

_VERSION_REF = re.compile(r"^(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)@(?P<date>\d{4}-\d{2}-\d{2})$")


def _source(ref: str, root: Path) -> tuple[str, Path]:
    m = _VERSION_REF.match(ref)
    if m and not Path(ref).exists():
        path = root / "versions" / m["slug"] / f"{m['date']}.md"
        if not path.is_file():
            raise UsageError(f"{ref}: there is no version file versions/{m['slug']}/"
                             f"{m['date']}.md under {root}")
        return ref, path
    path = Path(ref)
    if not path.is_file():
        raise UsageError(f"{ref}: no such file (give a Markdown file or slug@YYYY-MM-DD)")
    return ref, path


def _body(ref: str, path: Path) -> str:
    return split_front_matter(read_text(path, ref), ref, required=False).body


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


def run_diff(a_ref: str, b_ref: str, fmt: str, root: Path, color: bool) -> str:
    a_name, a_path = _source(a_ref, root)
    b_name, b_path = _source(b_ref, root)
    a, b = _render_pair(_body(a_name, a_path), _body(b_name, b_path))
    diff = diff_blocks(a.blocks, b.blocks)
    if fmt == "json":
        data = {"a": a_name, "b": b_name, **to_json_data(diff)}
        return json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    if fmt == "html":
        lang = _language(root)
        return standalone_html(a_name, b_name, summary_html(diff, lang), inline_html(diff, lang),
                               lang)
    return terminal_text(diff, color)


def _language(root: Path) -> str:
    """The project's interface language (site.yaml), Japanese when there is none."""
    from .load import load_site

    site = load_site(root, []) if (root / "content" / "site.yaml").is_file() else None
    return site.language if site is not None else "ja"


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
