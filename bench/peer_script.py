"""The second peer of the benchmark: the plainest script that publishes versions and diffs.

Renders every version of every document with markdown-it-py (one HTML page each) and diffs
each consecutive pair with ``difflib.HtmlDiff().make_file`` (one HTML page each): what a
person would write in an afternoon instead of using policy_archive, with none of its views,
feeds, provenance or checks.

    python bench/peer_script.py ROOT OUT
"""

from __future__ import annotations

import difflib
import html
import sys
from pathlib import Path

from markdown_it import MarkdownIt


def body(text: str) -> str:
    """The Markdown after the YAML front matter."""
    if text.startswith("---\n"):
        return text[4:].partition("\n---\n")[2]
    return text


def main(argv: list[str]) -> int:
    root, out = Path(argv[0]), Path(argv[1])
    md = MarkdownIt("commonmark", {"html": True}).enable("table")
    for folder in sorted(p for p in (root / "versions").iterdir() if p.is_dir()):
        files = sorted(folder.glob("*.md"))
        texts = [body(f.read_text(encoding="utf-8")) for f in files]
        for f, text in zip(files, texts):
            page = out / folder.name / f.stem / "index.html"
            page.parent.mkdir(parents=True, exist_ok=True)
            page.write_text(f"<!DOCTYPE html><meta charset=utf-8><title>{html.escape(f.stem)}"
                            f"</title>{md.render(text)}", encoding="utf-8")
        for (fa, a), (fb, b) in zip(zip(files, texts), zip(files[1:], texts[1:])):
            page = out / folder.name / "diff" / f"{fa.stem}_{fb.stem}.html"
            page.parent.mkdir(parents=True, exist_ok=True)
            page.write_text(difflib.HtmlDiff().make_file(a.splitlines(), b.splitlines(),
                                                         fa.stem, fb.stem),
                            encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
