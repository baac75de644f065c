"""The change list a reviewer works from (issue 37): each change with its kind, section and a
short excerpt before and after, in the order and numbers every presentation uses."""

from __future__ import annotations

import pytest

from policy_archive.diff.align import diff_blocks
from policy_archive.present.summary import EXCERPT_CHARS, change_entries, summary_html
from policy_archive.text.render import render_markdown

LONG = ("We collect the information you give us when you register, when you contact support "
        "and when you take part in surveys, and we keep it for as long as your account stays "
        "open.")
DOC = f"# Privacy\n\n## 1. Collection\n\n{LONG}\n\n## 2. Sharing\n\nWe never sell data.\n"


def entries(old: str, new: str) -> list[tuple[str, str, str, str, str]]:
    diff = diff_blocks(render_markdown(old).blocks, render_markdown(new).blocks)
    return [(e.kind, e.label, e.section, e.before, e.after)
            for e in change_entries(diff, "en")]


@pytest.mark.parametrize(("new", "expected"), [
    (DOC.replace("take part in surveys", "answer surveys"),
     [("text", "changed", "1. Collection",
       "…support and when you take part in surveys, and we keep it for as…",
       "…support and when you answer surveys, and we keep it for as long as…")]),
    (DOC + "\nWe may share data with auditors.\n",
     [("text", "added", "2. Sharing", "", "We may share data with auditors.")]),
    (DOC.replace("\nWe never sell data.\n", ""),
     [("text", "removed", "2. Sharing", "We never sell data.", "")]),
    (DOC.replace("We never sell data.", "We never sell [data](#1-collection)."),
     [("links", "link changed", "2. Sharing", "We never sell data.",
       "We never sell data. (link to \u201c1. Collection\u201d)")]),
    (DOC.replace("We never sell data.", "We **never** sell data."),
     [("formatting", "formatting changed", "2. Sharing", "We never sell data.",
       "We never sell data.")]),
])
def test_each_change_with_its_kind_section_and_excerpts(
        new: str, expected: list[tuple[str, str, str, str, str]]) -> None:
    assert entries(DOC, new) == expected


def test_a_moved_block_is_listed_at_both_ends_its_text_once_each() -> None:
    moved = DOC.replace(f"\n{LONG}\n", "\n").replace("never sell data.\n",
                                                     f"never sell data.\n\n{LONG}\n")
    found = entries(DOC, moved)
    assert [(k, label) for k, label, *_ in found] == [
        ("moved", "moved to: 2. Sharing"), ("moved", "moved from: 1. Collection")]
    assert found[0][3:] == (LONG[:EXCERPT_CHARS].rsplit(" ", 1)[0] + "…", "")
    assert found[1][3:] == ("", found[0][3])


def test_the_summary_links_each_change_and_is_linked_back() -> None:
    diff = diff_blocks(render_markdown(DOC).blocks,
                       render_markdown(DOC.replace("sell", "rent")).blocks)
    html = summary_html(diff, "en")
    assert '<li id="change-list-1" class="kind-text"><a href="#change-1">Change 1</a>' in html
    assert '<q class="excerpt old">' in html and '<q class="excerpt new">' in html
