"""A project whose histories hold what HTML shows differently from its source: a two-space
edit, ruby words, a ``<br>`` in a table cell, a phrase in other cases and widths; the table of
phrases `log -S` and the search page must agree on, and what each finds, computed here from
the version files alone (plain CommonMark, html5lib, NFKC over the whole text).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import html5lib
from markdown_it import MarkdownIt
from projects import make_project

from .building import build_project

TERMS_1 = """\
# Terms of Service

## 1. Agency

Nothing in these terms makes us your agent or creates an agency.  GitHub acts for itself.

## 2. Personal Information

We collect Personal Information you give us. The GENERAL DATA PROTECTION REGULATION applies.

| Item | Note |
|---|---|
| Service.<br>As described below | the Service as we run it |

## 3. Payment

You pay the fees in advance.
"""

#: The same text with the two spaces made one, and one in a table cell made two.
TERMS_2 = TERMS_1.replace("agency.  GitHub", "agency. GitHub").replace(
    "as we run it", "as  we run it")

TERMS_3 = TERMS_2.replace(
    "You pay the fees in advance.",
    "You pay the fees in advance. We keep your personal information safe; personal "
    "information is never sold. Your ＧｉｔＨｕｂ account is yours.")

KISOKU_1 = """\
# 化学物質管理規程

## 第一条（目的）

この規程は、<ruby>珪弗<rt>けいふつ</rt></ruby>化ナトリウム及び<ruby>砒<rp>（</rp><rt>ひ</rt><rp>）</rp></ruby>素若しくはその化合物の管理について定める。

## 第二条（定義）

１０　この規程において「ドメイン名」とは、登録された名前をいう。

| 区分 | 内容 |
|---|---|
| 第一号 | 研修を修了したもの<br>一　技術士法に定める者 |

## 附則

この規程は、<ruby>𠮷<rt>よし</rt></ruby>野事業所において令和二年四月一日から施行する。
"""

KISOKU_2 = KISOKU_1.replace(
    "登録された名前をいう。",
    "登録された名前をいう。\n\n２　利用者はLINEアカウントで申し込む。")

KISOKU_3 = KISOKU_2.replace(
    "この規程は、<ruby>珪弗<rt>けいふつ</rt></ruby>化ナトリウム及び",
    "この規程は、").replace(
    "利用者はLINEアカウントで申し込む。",
    "利用者はＬＩＮＥ　アカウント又はLINE アカウントで申し込む。")

DOCUMENTS = {
    "terms": {"2021-01-01": TERMS_1, "2022-01-01": TERMS_2, "2023-01-01": TERMS_3},
    "kisoku": {"2020-04-01": KISOKU_1, "2021-04-01": KISOKU_2, "2022-04-01": KISOKU_3},
}

#: Phrases typed as a reader would: cases, widths, spaces, ruby words as printed, a break.
PHRASES = [
    "agency. GitHub", "AGENCY.  github", "personal information", "PERSONAL INFORMATION",
    "Personal  Information", "GENERAL DATA PROTECTION REGULATION",
    "general data protection regulation", "Service. As described below",
    "Service.As described", "as we run it", "ｐｅｒｓｏｎａｌ", "your GitHub account",
    "fees in advance", "no version says this",
    "珪弗化ナトリウム", "砒素若しくはその化合物", "けいふつ", "10 この規程において「ドメイン名」",
    "１０　この規程", "修了したもの 一　技術士法", "LINEアカウント", "LINE アカウント",
    "ｌｉｎｅアカウント", "附則", "施行する", "𠮷野事業所", "第一条", "存在しない語句",
]


def built_project(base: Path) -> tuple[Path, Path]:
    """The project written in ``base/project`` and built into ``base/site``."""
    root = make_project(base / "project", DOCUMENTS, titles={"terms": "Terms", "kisoku": "規程"})
    build_project(root, base / "site")
    return root, base / "site"


_BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr"}


def _seen(node: Any) -> str:
    """What a reader reads of ``node``: no ruby readings, a line break as a space."""
    parts = [node.text or ""]
    for child in node:
        if child.tag == "br":
            parts.append(" ")
        elif child.tag not in ("rt", "rp"):
            parts.append(_seen(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _blocks(body: str) -> Iterator[str]:
    html = MarkdownIt("commonmark").enable("table").render(body)
    tree = html5lib.parse(f"<div>{html}</div>", namespaceHTMLElements=False)
    for node in tree.iter():
        if isinstance(node.tag, str) and node.tag in _BLOCKS:
            if node.tag == "tr":
                yield " ".join(_seen(c) for c in node if isinstance(c.tag, str))
            elif not any(c.tag in _BLOCKS for c in node.iter() if c is not node):
                yield _seen(node)


def _fold(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text).lower()).strip()


def expected_counts(phrase: str) -> dict[tuple[str, str], int]:
    """(slug, date) → how often a reader finds ``phrase`` in one block of that version: its
    words in order, with a space or none between them; only versions holding it."""
    wanted = re.compile(" ?".join(re.escape(w) for w in _fold(phrase).split(" ")))
    out = {}
    for slug, versions in DOCUMENTS.items():
        for date, body in versions.items():
            n = sum(len(wanted.findall(_fold(b))) for b in _blocks(body))
            if n:
                out[slug, date] = n
    return out


def counts_from_log(entries: list[dict[str, Any]]) -> dict[tuple[str, str], int]:
    """``log -S --format json``'s versions → the count in every version holding the text."""
    changes = {(e["slug"], e["effective"]): e["after"] for e in entries}
    out = {}
    for slug, versions in DOCUMENTS.items():
        now = 0
        for date in sorted(versions):
            now = changes.get((slug, date), now)
            if now:
                out[slug, date] = now
    return out
