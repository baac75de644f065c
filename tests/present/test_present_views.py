"""Each diff view and the diff command, from the outside."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from contract import find, inline_sides, parse, visible
from projects import REPO, make_project, run_build, write
from support.building import run_in_process

from policy_archive.diff.align import diff_blocks
from policy_archive.present.inline import inline_html
from policy_archive.present.side_by_side import side_by_side_html
from policy_archive.present.table import amendment_table_html
from policy_archive.text.render import render_markdown

OLD = """# 規約

## 1.目的

料金は490円です。

## 2.範囲

本規約は全員に適用します。

## 3.連絡先

お問い合わせは窓口まで。

- 受付時間は10時から
- 土日は休み
- 祝日は休み
- 年末年始は休み
"""
NEW = """# 規約

## 1.目的

料金は550円です。

## 2.新しい節

この節は新設です。

## 3.範囲

本規約は全員に適用します。

## 4.連絡先

お問い合わせは窓口まで。

- 受付時間は10時から
- 土日は休み
- 祝日は休み
- 年末年始は休み
"""


def diff_of(a: str, b: str):  # type: ignore[no-untyped-def]
    return diff_blocks(render_markdown(a).blocks, render_markdown(b).blocks)


def test_inline_marks_whole_numbers_and_labels_changes() -> None:
    html = inline_html(diff_of(OLD, NEW), "ja")
    assert re.search(r"料金は<del>.*?490.*?</del><ins>.*?550.*?</ins>円です", html)
    assert html.count("data-diff-label") >= 4
    tree = parse(f"<body>{html}</body>")
    (el,) = find(tree, "data-diff", "inline")
    assert visible(el, frozenset({"ins"})) == re.sub(r"\s+", "", render_plain(OLD))
    assert visible(el, frozenset({"del"})) == re.sub(r"\s+", "", render_plain(NEW))


def render_plain(md: str) -> str:
    return "".join(b.text for b in render_markdown(md).blocks)


def test_side_by_side_aligns_and_folds_unchanged_runs() -> None:
    """A real table: the columns headed by the two versions, a row per aligned block, a
    section heading a heading once, long unchanged runs in a row group of their own."""
    html = side_by_side_html(diff_of(OLD, NEW), "ja", "旧：A", "新：B")
    assert html.startswith('<table class="sbs" lang="ja"><caption class="sr-only">')
    assert '<th scope="col" class="sbs-cell old">旧：A</th>' in html
    assert '<th scope="col" class="sbs-cell new">新：B</th>' in html
    assert '<tbody class="unchanged">' in html and '<tbody class="fold-toggle" hidden>' in html
    row = re.search(r'<tr class="sbs-row changed" id="change-1".*?</tr>\n', html)
    assert row and "490" in row.group(0) and "550" in row.group(0)
    assert row.group(0).count("<td") == 2
    assert 'class="sbs-row inserted"' in html
    # 「2.新しい節」 is new: a heading in the new column; 「1.目的」 once, as the new side's.
    assert re.search(r'<td class="sbs-cell new heading kind-heading">.*?<h3 class="sbs-heading"'
                     r' aria-label="2.新しい節（追加された見出し）">', html)
    assert html.count('<h3 class="sbs-heading">1.目的</h3>') == 1
    assert '<p class="sbs-heading">1.目的</p>' in html


@pytest.mark.parametrize("columns,first,second", [("new-old", "改正後", "改正前"),
                                                  ("old-new", "改正前", "改正後")])
def test_amendment_table_columns_and_markers(columns: str, first: str, second: str) -> None:
    html = amendment_table_html(diff_of(OLD, NEW), "ja", columns)
    assert "（傍線部分は改正部分）" in html
    heads = re.findall(r'<th scope="col">(.*?)</th>', html)
    assert heads == [first, second]
    assert "（新設）" in html
    assert "窓口" not in html  # unchanged articles are left out
    assert "受付時間" not in html


def test_amendment_table_marks_deleted_articles() -> None:
    """Practice: a deleted provision is （削る） in the new column, once for the article
    (（削除） would read as an article kept with the text 削除)."""
    html = amendment_table_html(diff_of(NEW, OLD), "ja", "new-old")
    assert html.count("（削る）") == 1 and "（削除）" not in html
    row = re.search(r'<tr class="amend-row amend-provision"><td>(.*?)</td><td>(.*?)</td></tr>',
                    html)
    assert row and row[1] == "（削る）"
    assert "2.新しい節" in row[2] and "この節は新設です。" in row[2]


def test_a_new_article_says_new_once() -> None:
    html = amendment_table_html(diff_of(OLD, NEW), "ja", "new-old")
    assert html.count("（新設）") == 1
    row = re.search(r'<tr class="amend-row amend-provision"><td>(.*?)</td><td>(.*?)</td></tr>',
                    html)
    assert row and row[2] == "（新設）" and "この節は新設です。" in row[1]


def test_change_ids_are_the_same_in_every_view(tmp_path: Path) -> None:
    d = diff_of(OLD, NEW)
    ids = [set(re.findall(r'id="(change-\d+)"', f(d))) for f in (
        lambda x: inline_html(x, "ja"), lambda x: side_by_side_html(x, "ja", "a", "b"))]
    assert ids[0] == ids[1] and "change-1" in ids[0]
    table_ids = set(re.findall(r'id="(change-\d+)"', amendment_table_html(d, "ja", "new-old")))
    assert table_ids <= ids[0] and table_ids


def test_sample_move_is_shown_as_moved(sample_site: Path) -> None:
    site = sample_site
    page = (site / "privacy" / "diff" / "2020-06-08" / "2020-10-01" / "index.html").read_text()
    assert "移動先：9. 苦情および各種問合せ先" not in page  # a move names where it went
    assert "移動先：1.収集する個人情報に関して" in page
    assert "移動元：9. 苦情および各種問合せ先" in page
    old, new = inline_sides(site / "privacy" / "diff" / "2020-06-08" / "2020-10-01" / "index.html")
    assert old.count("ナンバーディスプレイ") == 1 and new.count("ナンバーディスプレイ") == 1


def test_views_link_to_each_other_and_summarise(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", {"rules": {"2020-01-01": OLD, "2021-01-01": NEW}})
    out = tmp_path / "o"
    assert run_in_process("build", "--root", str(root), "--out", str(out)).code == 0
    base = out / "rules" / "diff" / "2020-01-01" / "2021-01-01"
    for rel, current in (("index.html", "見え消し（赤字）"), ("side-by-side/index.html", "左右比較"),
                         ("table/index.html", "新旧対照表")):
        page = (base / rel).read_text("utf-8")
        assert 'aria-current="page"' in page and f">{current}</a>" in page
        assert "3か所変更、2か所追加" in page and "0か所" not in page
        assert 'href="#change-1"' in page  # jump links
        assert "diffnav" in page  # keys n/p
    assert "print-landscape" in (base / "table" / "index.html").read_text()


# --- the command ------------------------------------------------------------------------


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    a = write(tmp_path / "a.md", "---\neffective: 2020-01-01\n---\n" + OLD)
    b = write(tmp_path / "b.md", NEW)  # no front matter
    return a, b


def test_command_text(files: tuple[Path, Path]) -> None:
    r = run_build("diff", str(files[0]), str(files[1]))
    assert r.code == 0, r.err
    assert "料金は[-490-]{+550+}円です。" in r.out
    assert r.out.splitlines()[0].startswith("3 changed, 2 inserted, 0 deleted")
    colour = run_build("diff", str(files[0]), str(files[1]), "--color", "always")
    assert "\x1b[31m490\x1b[0m\x1b[32m550\x1b[0m" in colour.out


def test_command_html_is_a_standalone_inline_view(files: tuple[Path, Path], tmp_path: Path) -> None:
    r = run_build("diff", str(files[0]), str(files[1]), "--format", "html")
    assert r.code == 0
    page = write(tmp_path / "d.html", r.out)
    old, new = inline_sides(page)
    assert old == re.sub(r"\s+", "", render_plain(OLD))
    assert new == re.sub(r"\s+", "", render_plain(NEW))
    assert "<link" not in r.out and "<script" not in r.out
    assert "3か所変更、2か所追加" in r.out


def test_command_json(files: tuple[Path, Path]) -> None:
    data = json.loads(run_build("diff", str(files[0]), str(files[1]), "--format", "json").out)
    assert data["summary"]["changed"] == 3 and data["summary"]["inserted"] == 2
    changed = [op for op in data["ops"] if op["op"] == "changed"]
    assert {"op": "delete", "text": "490"} in changed[0]["chars"]
    assert {"op": "insert", "text": "550"} in changed[0]["chars"]


def test_command_with_version_references() -> None:
    r = run_in_process("diff", "privacy@2022-04-01", "privacy@2023-04-14", "--root", str(REPO))
    assert r.code == 0 and "{+、PLS株式会社+}" in r.out
    missing = run_build("diff", "privacy@1999-01-01", "privacy@2023-04-14")
    assert missing.code == 2 and "versions/privacy/1999-01-01.md" in missing.err


def test_command_html_speaks_the_project_language(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", {"privacy": {"2020-01-01": "# P\n\nWe keep 490.\n",
                                                     "2021-01-01": "# P\n\nWe keep 550.\n"}},
                        language="en")
    r = run_in_process("diff", "privacy@2020-01-01", "privacy@2021-01-01", "--root", str(root),
                       "--format", "html")
    assert r.code == 0, r.err
    assert '<html lang="en">' in r.out and "[inserted]" in r.out and "Summary" in r.out


