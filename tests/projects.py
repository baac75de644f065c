"""Helpers for tests: make small projects on disk and run build.py as a user would."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BUILD_PY = REPO / "build.py"

SITE_YAML = """\
title: Example Policies
base_url: https://example.org/legal/
language: {language}
organization: Example KK
documents:
{documents}
"""


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))
    return path


def version_text(effective: str, body: str, **front: str) -> str:
    lines = ["---", f"effective: {effective}"]
    for key, value in front.items():
        if "\n" in value:
            lines.append(f"{key}: |")
            lines.extend("  " + ln for ln in value.splitlines())
        else:
            lines.append(f"{key}: {value}")
    lines.append("---")
    return "\n".join(lines) + "\n" + textwrap.dedent(body)


def make_project(root: Path, documents: dict[str, dict[str, str]] | None = None, *,
                 titles: dict[str, str] | None = None, language: str = "ja") -> Path:
    """A project with ``documents``: slug -> {date: body}. Summaries are added after the first."""
    documents = documents if documents is not None else {
        "privacy": {"2020-01-01": "# Privacy\n\nFirst text.\n",
                    "2021-06-01": "# Privacy\n\nSecond text.\n"}}
    titles = titles or {}
    decl = "".join(f"  - slug: {s}\n    title: {titles.get(s, s.title())}\n" for s in documents)
    write(root / "content" / "site.yaml", SITE_YAML.format(language=language, documents=decl))
    for slug, versions in documents.items():
        for i, (date, body) in enumerate(sorted(versions.items())):
            extra = {"summary": f"Change {i} of {slug}."} if i else {}
            write(root / "versions" / slug / f"{date}.md", version_text(date, body, **extra))
    return root


@dataclass
class Run:
    code: int
    out: str
    err: str


def run_build(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> Run:
    full_env = {**os.environ, **(env or {})}
    full_env.pop("SOURCE_DATE_EPOCH", None) if env is None or "SOURCE_DATE_EPOCH" not in env \
        else None
    p = subprocess.run([sys.executable, str(BUILD_PY), *args], cwd=cwd or REPO,
                       capture_output=True, text=True, env=full_env, timeout=300)
    return Run(p.returncode, p.stdout, p.stderr)


def tree_bytes(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (relative path -> bytes)."""
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}
