"""The redline keeps the document's structure (issue 37): a list stays one list with its
numbers (each side's count, from the list's start), nested lists nest, a table's header rows
are its head; side by side, a table row stands beside its counterpart."""

from __future__ import annotations

import re

import pytest

from policy_archive.diff.align import diff_blocks
from policy_archive.present.inline import inline_html
from policy_archive.present.side_by_side import side_by_side_html
from policy_archive.text.render import render_markdown

LIST = "# Fees\n\n1. Monthly fees.\n2. Annual fees.\n3. Setup fees.\n4. Late fees.\n"


def redline(old: str, new: str) -> str:
    diff = diff_blocks(render_markdown(old).blocks, render_markdown(new).blocks)
    return inline_html(diff, "en")


def lists(html: str) -> list[tuple[str, list[str]]]:
    """Each list opened, in order: its tag and start, and the values of its own items."""
    out = []
    for m in re.finditer(r'<(ol|ul) class="diff-list"( start="\d+")?>', html):
        depth, values, pos = 0, [], m.end()
        for tag in re.finditer(r"<(/?)(ol|ul)\b|<li( value=\"(\d+)\")?", html[pos:]):
            if tag[1] == "/" and depth == 0:
                break
            if tag[2]:
                depth += -1 if tag[1] else 1
            elif depth == 0:
                values.append(tag[4] or "")
        out.append((m[1] + (m[2] or ""), values))
    return out


@pytest.mark.parametrize(("old", "new", "expected"), [
    (LIST, LIST.replace("Annual fees", "Annual and multi-year fees"),
     [("ol", ["1", "2", "3", "4"])]),
    # a deleted item keeps its old number, the items after it their new ones
    (LIST, LIST.replace("2. Annual fees.\n", "").replace("3. Setup", "2. Setup")
     .replace("4. Late", "3. Late"), [("ol", ["1", "2", "2", "3"])]),
    (LIST, LIST.replace("4. Late fees.\n", "4. Late fees.\n5. Refunds.\n"),
     [("ol", ["1", "2", "3", "4", "5"])]),
    (LIST.replace("1. Monthly", "3. Monthly"), LIST.replace("1. Monthly", "3. Monthly")
     .replace("Setup", "Installation"), [('ol start="3"', ["3", "4", "5", "6"])]),
    (LIST, LIST.replace("2. Annual fees.\n", "2. Annual fees.\n   - billed in advance\n"),
     [("ol", ["1", "2", "3", "4"]), ("ul", [""])]),
    # split by a paragraph: two lists, the second starting where its text's list starts
    (LIST, LIST.replace("3. Setup", "\nOther fees apply.\n\n3. Setup"),
     [("ol", ["1", "2"]), ('ol start="3"', ["3", "4"])]),
])
def test_a_list_stays_one_list_with_its_numbers(old: str, new: str,
                                                expected: list[tuple[str, list[str]]]) -> None:
    assert lists(redline(old, new)) == expected


def test_a_nested_list_sits_inside_its_item() -> None:
    html = redline(LIST, LIST.replace("2. Annual fees.\n", "2. Annual fees.\n   - in advance\n"))
    assert re.search(r"Annual fees\.<ul class=\"diff-list\">\n<li [^>]*>.*in advance.*</li></ul>"
                     r"\n</li>", html, re.DOTALL)


TABLE = ("# Subprocessors\n\n| Name | Purpose | Location | Corporate location |\n"
         "|---|---|---|---|\n| Acme | Email delivery | United States | United States |\n"
         "| Quasar | Monitoring | Switzerland | Switzerland |\n")


def test_table_headers_are_the_redlines_table_head() -> None:
    html = redline(TABLE, TABLE.replace("Monitoring", "Performance monitoring"))
    assert re.search(r"<thead>\n<tr class=\"equal\"><th>Name</th>.*</thead>\n<tbody>", html,
                     re.DOTALL)


def test_side_by_side_a_row_stands_beside_its_counterpart() -> None:
    new = TABLE.replace("| Quasar", "| Brightwave | Analytics | Netherlands | Netherlands |\n"
                        "| Quasar").replace("Monitoring", "Performance monitoring")
    diff = diff_blocks(render_markdown(TABLE).blocks, render_markdown(new).blocks)
    html = side_by_side_html(diff, "en", "old", "new")
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", html.split('class="diff-table sbs-pair"')[1])
    halves = [row.split('<td class="sbs-gap" aria-hidden="true"></td>') for row in rows]
    assert all(len(h) == 2 for h in halves) and len(halves) == 4
    assert "Brightwave" not in halves[2][0] and "Brightwave" in halves[2][1]
    assert 'colspan="4"' in halves[2][0]  # the old side has no such row
    assert "Quasar" in halves[3][0] and "Quasar" in halves[3][1]
