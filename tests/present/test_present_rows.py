"""The one row plan of the 新旧対照表 (present/rows.py) and the one ``section_of``
(diff/sections.py): what rows a diff gives, on the site and on paper, and that the HTML
table and the Word/PDF table are both made of it."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policy_archive.diff.align import diff_blocks
from policy_archive.diff.result import DocumentDiff
from policy_archive.diff.sections import SectionRef, section_of
from policy_archive.paper.amendment import amendment_table
from policy_archive.present.rows import row_plan
from policy_archive.present.table import amendment_table_html
from policy_archive.text.render import render_markdown


def _diff(old: str, new: str) -> DocumentDiff:
    return diff_blocks(render_markdown(old).blocks, render_markdown(new).blocks)


def _kinds(diff: DocumentDiff) -> list[str]:
    return [row.kind for row in row_plan(diff)]


TABLE = "## A\n\n| h | i |\n|---|---|\n| x | 1 |\n| y | 2 |\n"

CASES = [
    # (what, old, new, rows on the site and on paper: one plan)
    ("a changed word", "## A\n\none\n\nWe collect your name and address.\n",
     "## A\n\none\n\nWe collect your name and email address.\n",
     ["heading", "omitted", "change"]),
    ("two new paragraphs are one provision", "## A\n\none\n\ntwo\n",
     "## A\n\none\n\nnew one\n\nnew two\n\ntwo\n",
     ["heading", "omitted", "provision", "omitted"]),
    ("a new and a deleted paragraph are two provisions", "## A\n\none\n\ngone\n",
     "## A\n\none\n\nentirely other words here\n",
     ["heading", "omitted", "provision", "provision"]),
    ("a new section is one provision under no heading row", "## A\n\none\n",
     "## A\n\none\n\n## B\n\nnew\n", ["provision"]),
    ("a new preamble: a heading row", "## A\n\none\n",
     "Before all.\n\n## A\n\none\n", ["heading", "provision"]),
    ("a changed table row: one table", TABLE, TABLE.replace("| y | 2 |", "| y | 3 |"),
     ["heading", "table"]),
    ("a changed heading has no heading row", "## Data we collect\n\none\n",
     "## Data we keep\n\none\n", ["change", "omitted"]),
    ("a 号 changed under 第二項: the 項 above it", "## 第一条\n\n柱書\n\n- 一　甲\n\n"
     "２　次に掲げる\n\n- 一　乙\n- 二　丙\n", "## 第一条\n\n柱書\n\n- 一　甲\n\n"
     "２　次に掲げる\n\n- 一　乙\n- 二　丁\n", ["heading", "omitted", "clause", "omitted", "change"]),
    ("an article of a 附則 under its heading", "# 法\n\n## 第一条\n\n本文\n\n## 附則\n\n"
     "### 第一条\n\n施行する。\n", "# 法\n\n## 第一条\n\n本文\n\n## 附則\n\n### 第一条\n\n"
     "公布の日から施行する。\n", ["part", "heading", "change"]),
]


@pytest.mark.parametrize("what,old,new,kinds", CASES, ids=[c[0] for c in CASES])
def test_the_row_plan_of_a_diff(what: str, old: str, new: str, kinds: list[str]) -> None:
    assert _kinds(_diff(old, new)) == kinds


@pytest.mark.parametrize("what,old,new,kinds", CASES, ids=[c[0] for c in CASES])
def test_html_and_word_render_the_plan_row_for_row(what: str, old: str, new: str,
                                                   kinds: list[str]) -> None:
    diff = _diff(old, new)
    html = amendment_table_html(diff, "ja", "new-old")
    body = html.split("<tbody>", 1)[1]
    # the table's own rows (a "table" row holds a table on each side: its rows are inside)
    outer = re.findall(r'<tr class="(article-heading|part-heading|clause|omitted|amend-row[^"]*)"',
                       re.sub(r'<table class="diff-table">.*?</table>', "", body))
    outer = [c.replace("amend-row article-heading", "amend-row") for c in outer]
    to_html = {"heading": "article-heading", "omitted": "omitted", "change": "amend-row",
               "provision": "amend-row amend-provision", "table": "amend-row amend-table",
               "part": "part-heading", "clause": "clause"}
    assert outer == [to_html[k] for k in kinds]
    to_paper = {"provision": "change"}
    assert [r.kind for r in amendment_table(diff, "ja").rows] == [to_paper.get(k, k)
                                                                 for k in kinds]


def test_a_reason_sits_on_its_sections_first_row_only() -> None:
    diff = _diff("## A\n\nWe keep your name.\n\ntwo\n\nWe keep your address.\n",
                 "## A\n\nWe keep your full name.\n\ntwo\n\nWe keep your home address.\n")
    plan = row_plan(diff, (("A", "why"),))
    assert [(r.kind, r.reason) for r in plan] == [
        ("heading", "why"), ("change", ""), ("omitted", ""), ("change", "")]
    html = amendment_table_html(diff, "en", "new-old", reasons=(("A", "why"),))
    assert html.count('<td class="reason">why</td>') == 1
    assert html.count('<td class="reason"></td>') == 3


_PART = st.sampled_from([
    "## 第1条", "## 第2条", "### 附則", "Words we use.", "Other words here.", "- an item",
    "[a link](https://example.com/a)", "**bold words**", "| h |\n|---|\n| x |\n| y |",
    "| h |\n|---|\n| x |\n| z |",
    # statute-like parts: 章 and 附則 headings, a numbered 項, 号, a long provision that moves
    "## 第一章　総則", "## 附則（令和六年法律第一号）", "２　次に掲げる者は、罰する。", "- 一　甲",
    "- 二　乙", "３　前項の規定は、適用しない。委託先を監督する義務を負う者についても同様とする。",
])
_DOC = st.lists(_PART, max_size=8).map(lambda parts: "\n\n".join(parts) + "\n")


@settings(max_examples=150, deadline=None)
@given(_DOC, _DOC)
def test_every_change_is_in_exactly_one_row(old: str, new: str) -> None:
    """Each change in one row, once; no two （略） in a row; a changed table row is in a
    "table" row."""
    diff = _diff(old, new)
    total = sum(op.op != "equal" for op in diff.ops)
    plan = row_plan(diff)
    numbers = [i.number for row in plan for i in row.items if i.number]
    assert sorted(numbers) == list(range(1, total + 1))
    kinds = [row.kind for row in plan]
    assert all(not (a == b == "omitted") for a, b in zip(kinds, kinds[1:]))
    assert all(row.kind == "table" for row in plan for i in row.items
               if i.number and i.op.block.kind == "row")
    html = amendment_table_html(diff, "ja", "new-old")  # every change reachable by its id
    assert all(f'id="change-{n}"' in html for n in range(1, total + 1))
    assert len(amendment_table(diff, "ja").rows) == len(plan)


@pytest.mark.parametrize("markdown,index,expected", [
    ("Before any heading.\n", 0, SectionRef("", "")),
    ("## Scope\n\ntext\n", 0, SectionRef("scope", "Scope")),
    ("## Scope\n\ntext\n", 1, SectionRef("scope", "Scope")),
    ("## Scope\n\n### Sub part\n\ntext\n", 2, SectionRef("sub-part", "Sub part")),
])
def test_section_of_a_block(markdown: str, index: int, expected: SectionRef) -> None:
    blocks = render_markdown(markdown).blocks
    assert section_of(blocks[index]) == expected


def test_a_move_between_articles_names_its_article_and_its_clause() -> None:
    old = "## 第一条\n\n柱書\n\n２　委託先を監督する義務を負うものとする。\n\n## 第二条\n\n本文\n"
    new = "## 第一条\n\n柱書\n\n## 第二条\n\n本文\n\n２　委託先を監督する義務を負うものとする。\n"
    diff = _diff(old, new)
    html = amendment_table_html(diff, "ja", "new-old")
    assert "移動元：第一条第二項" in html and "移動先：第二条第二項" in html
    texts = [r.text for row in amendment_table(diff, "ja").rows for p in row.new + row.old
             for r in p]
    assert "移動元：第一条第二項" in texts and "移動先：第二条第二項" in texts
