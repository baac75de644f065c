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


GIT_ENV = {"GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "t@example.org",
           "GIT_AUTHOR_DATE": "2021-06-01T12:00:00+00:00",
           "GIT_COMMITTER_DATE": "2021-06-01T12:00:00+00:00"}


def git(cwd: Path, *args: str, env: dict[str, str] | None = None) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True,
                          env={**os.environ, **GIT_ENV, **(env or {})}).stdout.strip()


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


# --- a project in two languages: a Japanese original with English translations -----------

TRANSLATED_SITE_YAML = """\
title: 例示株式会社のポリシー
base_url: https://example.org/legal/
language: ja
languages: [ja, en]
organization: 例示株式会社
documents:
  - slug: privacy
    title: プライバシーポリシー
"""

#: effective date -> (Japanese original, English translation or None: not translated)
TRANSLATED_VERSIONS: dict[str, tuple[str, str | None]] = {
    "2019-04-01": (
        "# プライバシーポリシー\n\n## 第1条（目的）\n\n1. 当社は個人情報を適切に取り扱います。\n\n"
        "## 第2条（取得する情報）\n\n1. 当社は氏名を取得します。\n2. 当社は住所を取得します。\n",
        "# Privacy Policy\n\n## Article 1 (Purpose)\n\n1. We handle personal information "
        "properly.\n\n## Article 2 (Information we collect)\n\n1. We collect names.\n"
        "2. We collect addresses.\n"),
    "2020-04-01": (
        "# プライバシーポリシー\n\n## 第1条（目的）\n\n1. 当社は個人情報を適切に取り扱います。\n\n"
        "## 第2条（取得する情報）\n\n1. 当社は氏名とメールアドレスを取得します。\n"
        "2. 当社は住所を取得します。\n\n## 第3条（利用目的）\n\n1. 当社はサービスの提供のために"
        "個人情報を利用します。\n",
        "# Privacy Policy\n\n## Article 1 (Purpose)\n\n1. We handle personal information "
        "properly.\n\n## Article 2 (Information we collect)\n\n1. We collect names and e-mail "
        "addresses.\n2. We collect addresses.\n\n## Article 3 (Purposes of use)\n\n1. We use "
        "personal information to provide our services.\n"),
    "2021-04-01": (
        "# プライバシーポリシー\n\n## 第1条（目的）\n\n1. 当社は個人情報を適切に取り扱います。\n\n"
        "## 第2条（取得する情報）\n\n1. 当社は氏名とメールアドレスを取得します。\n"
        "2. 当社は住所と電話番号を取得します。\n\n## 第3条（利用目的）\n\n1. 当社はサービスの提供"
        "のために個人情報を利用します。\n",
        None),
    "2022-04-01": (
        "# プライバシーポリシー\n\n## 第1条（目的）\n\n1. 当社は個人情報を適切に取り扱います。\n\n"
        "## 第2条（取得する情報）\n\n1. 当社は氏名とメールアドレスを取得します。\n"
        "2. 当社は住所と電話番号を取得します。\n\n## 第3条（利用目的）\n\n1. 当社はサービスの提供"
        "のために個人情報を利用します。\n2. 当社は新しいサービスのお知らせのために個人情報を利用"
        "します。\n\n## 第4条（第三者提供）\n\n1. 当社は本人の同意なく第三者に提供しません。\n",
        "# Privacy Policy\n\n## Article 1 (Purpose)\n\n1. We handle personal information "
        "properly.\n\n## Article 2 (Information we collect)\n\n1. We collect names and e-mail "
        "addresses.\n2. We collect addresses and telephone numbers.\n\n## Article 3 (Purposes "
        "of use)\n\n1. We use personal information to provide our services.\n2. We use it to "
        "tell you about new services.\n\n## Article 4 (Third parties)\n\n1. We do not provide "
        "personal information to third parties without your consent.\n"),
}


def translation_text(title: str, body: str, **front: str) -> str:
    lines = ["---", f"title: {title}", *(f"{k}: {v}" for k, v in front.items()), "---"]
    return "\n".join(lines) + "\n" + body


def make_translated_project(root: Path) -> Path:
    """A Japanese privacy policy in four versions (第N条 headings with numbered 項) and English
    translations of three of them: 2021-04-01 is not translated."""
    write(root / "content" / "site.yaml", TRANSLATED_SITE_YAML)
    folder = root / "versions" / "privacy"
    for i, (date, (original, english)) in enumerate(TRANSLATED_VERSIONS.items()):
        extra = {"summary": f"第{i + 1}版の改定です。"} if i else {}
        write(folder / f"{date}.md", version_text(date, original, **extra))
        if english is not None:
            front = {"translated": date.replace("-04-", "-05-")}
            if i:
                front["summary"] = f"Revision {i + 1}."
            write(folder / f"{date}.en.md", translation_text("Privacy Policy", english, **front))
    return root
