"""What the import tests share: a fresh project, a version's text, a folder's bytes, and a
build of the imported project read back (warnings, every word on its page)."""

from __future__ import annotations

import re
from pathlib import Path

from contract import policy_text, words_missing
from projects import write
from support.building import run_in_process

AS_OF = "2026-12-02"
FRONT = re.compile(r"\A---\n.*?\n---\n", re.S)


def project(root: Path, slug: str = "privacy", language: str = "en") -> Path:
    write(root / "content" / "site.yaml",
          f"title: Imported\nbase_url: https://example.org/\nlanguage: {language}\n"
          f"documents:\n  - slug: {slug}\n    title: Privacy\n")
    return root


def body(path: Path) -> str:
    return FRONT.sub("", path.read_text("utf-8"), count=1)


def files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


def build_and_check(root: Path) -> tuple[str, Path]:
    """Build the project (exit 0); its warnings, and the site."""
    out = root.parent / (root.name + "-site")
    done = run_in_process("build", "--root", str(root), "--out", str(out), "--as-of", AS_OF,
                          "--quiet")
    assert done.code == 0, done.err
    return done.err, out


def every_word_kept(root: Path, out: Path, slug: str = "privacy") -> None:
    """Every word of each version file is on its page (as the site contract counts)."""
    for path in sorted((root / "versions" / slug).glob("*.md")):
        lost = words_missing(body(path), policy_text(out / slug / path.stem / "index.html"))
        assert not lost, f"{path.name}: {lost[:5]}"
