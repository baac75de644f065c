"""Real content, published and diffed exactly (issue: nothing lost, nothing hidden).

Built from outside, as a user would: the real 17-version history in ``../shared`` (where it
exists) and two projects made for these tests (``tests/fixtures``): a statute-like Japanese
text with 条/項/号, a raw-HTML 別表 and repeated 附則 headings, and an English policy with
role names in angle brackets and one version of each change class.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from contract import (
    find,
    inline_sides,
    parse,
    policy_text,
    stray_full_width,
    visible,
    words_missing,
)
from projects import REPO as ROOT
from support.building import github_built, run_in_process

from policy_archive.content.frontmatter import read_text, split_front_matter

FIXTURES = Path(__file__).parent / "fixtures"
AS_OF = "2026-12-02"


def build_project(root: Path, out: Path, as_of: str = AS_OF) -> None:
    done = run_in_process("build", "--root", str(root), "--out", str(out), "--as-of", as_of,
                          "--quiet")
    assert done.code == 0, done.out + done.err


def _built(tmp: pytest.TempPathFactory, source: Path) -> tuple[Path, Path]:
    root = tmp.mktemp(source.name) / "project"
    shutil.copytree(source, root)  # a build writes .cache/ under the root
    out = root.parent / "site"
    build_project(root, out, AS_OF)
    return root, out


@pytest.fixture(scope="module")
def statute(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return _built(tmp_path_factory, FIXTURES / "ja-statute")


@pytest.fixture(scope="module")
def roles(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return _built(tmp_path_factory, FIXTURES / "en-roles")


@pytest.fixture(scope="module")
def github(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return github_built(tmp_path_factory)


def _versions(out: Path) -> list[dict[str, Any]]:
    data = json.loads((out / "versions.json").read_text("utf-8"))
    return [v for d in data["documents"] for v in d["versions"]]


def _page(out: Path, url: str) -> Path:
    path = re.sub(r"^https?://[^/]+/", "", url)
    return out / path / "index.html"


def _body(root: Path, v: dict[str, Any]) -> str:
    src = root / v["source"]
    return split_front_matter(read_text(src, v["source"]), v["source"], required=True).body


@pytest.mark.parametrize("name", ["statute", "roles", "github"])
def test_every_word_of_every_version_is_on_its_page_and_in_every_diff(
        name: str, request: pytest.FixtureRequest) -> None:
    root, out = request.getfixturevalue(name)
    data = json.loads((out / "versions.json").read_text("utf-8"))
    for doc in data["documents"]:
        shown = {}
        for v in doc["versions"]:
            text = policy_text(_page(out, v["url"]))
            assert words_missing(_body(root, v), text) == [], v["effective"]
            shown[v["effective"]] = text
        assert doc["diffs"]
        for d in doc["diffs"]:
            old, new = inline_sides(_page(out, d["url"]))
            assert (old, new) == (shown[d["from"]], shown[d["to"]]), d["url"]


def test_role_names_in_angle_brackets_are_text(roles: tuple[Path, Path]) -> None:
    _, out = roles
    page = (out / "privacy" / "index.html").read_text("utf-8")
    assert "&lt;Data Protection Officer&gt;" in page and "&lt;EU Representative&gt;" in page
    text = policy_text(out / "privacy" / "index.html")
    assert "<DataProtectionOfficer>ExampleLtd,PrivacyOffice" in text


# --- change classes ---------------------------------------------------------------------


def _diff_json(root: Path, a: str, b: str) -> dict[str, Any]:
    done = subprocess.run([sys.executable, str(ROOT / "build.py"), "diff", "--root", str(root),
                           f"privacy@{a}", f"privacy@{b}", "--format", "json"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)  # type: ignore[no-any-return]


@pytest.mark.parametrize("a,b,change", [
    ("2020-01-01", "2021-01-01", "text"),
    ("2021-01-01", "2022-01-01", "links"),
    ("2022-01-01", "2023-01-01", "formatting"),
    ("2023-01-01", "2024-01-01", "none"),
    ("2021-01-01", "2023-01-01", "links"),  # links outrank formatting
    ("2020-01-01", "2024-01-01", "text"),
])
def test_change_class_of_a_diff(roles: tuple[Path, Path], a: str, b: str, change: str) -> None:
    data = _diff_json(roles[0], a, b)
    assert data["summary"]["change"] == change
    assert data["identical"] is (change == "none")


def test_a_link_only_change_is_counted_and_shown_with_both_targets(
        roles: tuple[Path, Path]) -> None:
    root, out = roles
    data = _diff_json(root, "2021-01-01", "2022-01-01")
    assert data["summary"]["links"] == 2  # one re-pointed, one added
    assert data["summary"]["chars_inserted"] == data["summary"]["chars_deleted"] == 0
    base = out / "privacy" / "diff" / "2021-01-01" / "2022-01-01"
    inline = parse((base / "index.html").read_text("utf-8"))
    dels = [el for el in inline.iter("del") if el.find(".//a") is not None]
    inss = [el for el in inline.iter("ins") if el.find(".//a") is not None]
    assert [a.get("href") for el in dels for a in el.iter("a")] == [
        "https://old.example.com/group-companies"]
    assert sorted(a.get("href") for el in inss for a in el.iter("a")) == [
        "https://www.example.com/about/group", "https://www.example.com/about/members"]
    assert any("https://old.example.com/group-companies" in "".join(el.itertext())
               for el in dels)  # the target is readable
    for view in ("side-by-side/index.html", "table/index.html"):
        html = (base / view).read_text("utf-8")
        assert 'href="https://old.example.com/group-companies"' in html
        assert 'href="https://www.example.com/about/group"' in html
    summary = (base / "index.html").read_text("utf-8")
    assert "Links only" in summary and "2 links changed" in summary


def test_formatting_and_invisible_changes_are_named(roles: tuple[Path, Path]) -> None:
    _, out = roles
    diffs = out / "privacy" / "diff"
    fmt = (diffs / "2022-01-01" / "2023-01-01" / "index.html").read_text("utf-8")
    assert "Formatting only" in fmt and "formatting changed 1" in fmt
    assert "<h4" in fmt  # the heading shown at its new level (## → ###, one down in a diff)
    same = (diffs / "2023-01-01" / "2024-01-01" / "index.html").read_text("utf-8")
    assert "No visible change" in same and "The two versions have the same text." in same


def test_a_moved_block_is_neutral_and_its_edits_are_marked(roles: tuple[Path, Path]) -> None:
    _, out = roles
    tree = parse((out / "privacy" / "diff" / "2020-01-01" / "2021-01-01" / "index.html")
                 .read_text("utf-8"))
    arrived = [el for el in tree.iter("ins") if el.get("class") == "moved"]
    assert len(arrived) == 1
    inner_ins = [visible(el) for el in arrived[0].iter("ins") if el is not arrived[0]]
    inner_del = [visible(el) for el in arrived[0].iter("del")]
    assert inner_ins == ["three", "securely"] and inner_del == ["two"]
    left = [el for el in tree.iter("del") if el.get("class") == "moved"]
    assert len(left) == 1 and "twoyears" in visible(left[0])


# --- tables -----------------------------------------------------------------------------


def test_a_one_cell_amendment_of_a_raw_html_table_is_a_table_in_every_view(
        statute: tuple[Path, Path]) -> None:
    _, out = statute
    base = out / "rules" / "diff" / "2016-04-01" / "2022-04-01"
    for view in ("index.html", "side-by-side/index.html", "table/index.html"):
        tree = parse((base / view).read_text("utf-8"))
        tables = [t for t in tree.iter("table") if "diff-table" in (t.get("class") or "")]
        assert tables, view
        cells = [td for t in tables for td in t.iter("td")
                 if td.find(".//del") is not None or td.find(".//ins") is not None]
        assert cells, view
        for td in cells:  # only the amended cell is marked: it reads as one side's article
            sides = {visible(td, frozenset({"ins"})), visible(td, frozenset({"del"}))}
            assert "第三十二条" in sides or "第二十六条" in sides, (view, sides)
        assert "区分" in "".join(visible(t) for t in tables)  # the header row is there


def test_added_and_removed_rows_are_rows(tmp_path: Path) -> None:
    from projects import make_project

    table = "| 項目 | 期間 |\n| --- | --- |\n| 氏名 | 五年 |\n{extra}| 住所 | 三年 |\n"
    root = make_project(tmp_path / "p", {"privacy": {
        "2020-01-01": "# 方針\n\n" + table.format(extra=""),
        "2021-01-01": "# 方針\n\n" + table.format(extra="| 電話番号 | 一年 |\n")}})
    build_project(root, tmp_path / "site")
    page = (tmp_path / "site" / "privacy" / "diff" / "2020-01-01" / "2021-01-01" /
            "index.html").read_text("utf-8")
    tree = parse(page)
    rows = [tr for tr in tree.iter("tr") if "inserted" in (tr.get("class") or "")]
    assert len(rows) == 1
    cells = list(rows[0].iter("td"))
    assert [visible(td) for td in cells] == ["電話番号", "一年"]
    assert all(td.find("ins") is not None for td in cells)


# --- the record ---------------------------------------------------------------------------


def test_announced_is_absent_where_the_file_does_not_give_it(statute: tuple[Path, Path]) -> None:
    _, out = statute
    versions = {v["effective"]: v for v in _versions(out)}
    assert "announced" not in versions["2016-04-01"]
    assert versions["2022-04-01"]["announced"] == "2022-03-01"
    first = (out / "rules" / "2016-04-01" / "index.html").read_text("utf-8")
    assert "公表日" not in first


def test_last_updated_is_never_after_the_build_date(tmp_path: Path) -> None:
    from projects import make_project

    root = make_project(tmp_path / "p", {"privacy": {
        "2020-01-01": "# P\n\nOne.\n", "2028-06-13": "# P\n\nTwo.\n"}})
    build_project(root, tmp_path / "site", "2026-12-02")
    for page in (tmp_path / "site").rglob("*.html"):
        for after in page.read_text("utf-8").split("最終改定日")[1:]:
            assert "2028" not in after[:120], page


def test_changed_section_labels_carry_their_parents_where_needed(
        statute: tuple[Path, Path]) -> None:
    _, out = statute
    page = (out / "rules" / "diff" / "2022-04-01" / "2023-04-01" / "index.html").read_text(
        "utf-8")
    tree = parse(page)
    listed = [visible(li) for ul in find(tree, "class", "changed-sections") for li in ul]
    assert listed == ["附則（令和四年四月一日改正）›第十条（経過措置）"]
    assert "1か所変更" in page


# --- warnings -----------------------------------------------------------------------------


def test_check_warns_with_path_and_line_and_strict_fails(tmp_path: Path) -> None:
    from projects import make_project

    body = ("# P\n\nSee [terms](../terms/), [the archive](versions/), [gone](#nope) and "
            "[top](#p).\n\n    an indented line\n\nHi {{ site.name }} "
            "![logo](https://cdn.example.net/logo.png) <font color=red>red</font>\n")
    root = make_project(tmp_path / "p", {"privacy": {"2020-01-01": body}}, language="en")
    run = [sys.executable, str(ROOT / "build.py"), "check", "--root", str(root)]
    done = subprocess.run(run, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0
    lines = sorted(ln for ln in done.stderr.splitlines() if ": warning: " in ln)
    where = "versions/privacy/2020-01-01.md"
    expected = [
        (f"{where}:6:", "../terms/ leads to no page"),
        (f"{where}:6:", "#nope leads to no part"),
        (f"{where}:8:", "indented by four spaces"),
        (f"{where}:10:", "<font> is HTML that is not allowed"),
        (f"{where}:10:", "template syntax"),
        (f"{where}:10:", "https://cdn.example.net/logo.png is on another host"),
    ]
    for prefix, words in expected:
        assert any(ln.startswith(prefix) and words in ln for ln in lines), (prefix, lines)
    assert len(lines) == len(expected)  # versions/ is a page of the site; #p a heading
    strict = subprocess.run([*run, "--strict"], capture_output=True, text=True, timeout=120)
    assert strict.returncode == 1


def test_relative_links_lead_to_the_same_place_from_both_addresses(tmp_path: Path) -> None:
    from projects import make_project

    root = make_project(tmp_path / "p", {"privacy": {
        "2020-01-01": "# P\n\nSee [all versions](versions/) and [home](../).\n"}})
    build_project(root, tmp_path / "site")
    site = tmp_path / "site"
    for page in (site / "privacy" / "index.html", site / "privacy" / "2020-01-01" / "index.html"):
        tree = parse(page.read_text("utf-8"))
        text = find(tree, "data-policy-text")[0]
        hrefs = [a.get("href") for a in text.iter("a")]
        resolved = [(page.parent / h).resolve() for h in hrefs]
        assert resolved == [(site / "privacy" / "versions").resolve(), site.resolve()], page


def test_an_external_image_is_a_link_and_loads_nothing(tmp_path: Path) -> None:
    from projects import make_project

    root = make_project(tmp_path / "p", {"privacy": {
        "2020-01-01": "# P\n\n![Our logo](https://cdn.example.net/logo.png)\n"}})
    build_project(root, tmp_path / "site")
    page = (tmp_path / "site" / "privacy" / "index.html").read_text("utf-8")
    assert "<img" not in page.split("data-policy-text")[1].split("</article>")[0]
    assert 'href="https://cdn.example.net/logo.png"' in page
    assert 'aria-label="Our logo"' in page


def test_footnotes_are_footnotes(tmp_path: Path) -> None:
    from projects import make_project

    root = make_project(tmp_path / "p", {"privacy": {
        "2020-01-01": "# P\n\nWe keep data for five years.[^1]\n\n[^1]: Statutory period.\n"}})
    build_project(root, tmp_path / "site")
    page = (tmp_path / "site" / "privacy" / "index.html").read_text("utf-8")
    assert "[^1]" not in page and 'href="#fn1"' in page and 'id="fn1"' in page
    assert "Statutoryperiod." in policy_text(tmp_path / "site" / "privacy" / "index.html")


def test_versions_json_and_the_history_give_each_version_its_change_class(
        roles: tuple[Path, Path]) -> None:
    _, out = roles
    versions = _versions(out)
    assert "change" not in versions[0]
    assert [v["change"] for v in versions[1:]] == ["text", "links", "formatting", "none"]
    history = (out / "privacy" / "versions" / "index.html").read_text("utf-8")
    for words in ("Links only", "Formatting only", "No visible change"):
        assert history.count(words) == 1, words
    page = (out / "privacy" / "2022-01-01" / "index.html").read_text("utf-8")
    assert 'class="badge change-links"' in page
    text_page = (out / "privacy" / "2021-01-01" / "index.html").read_text("utf-8")
    assert "badge change-" not in text_page


def test_japanese_badges(statute: tuple[Path, Path], tmp_path: Path) -> None:
    from projects import make_project

    root = make_project(tmp_path / "p", {"privacy": {
        "2020-01-01": "# 方針\n\n詳しくは[一覧](https://a.example.jp/)をご覧ください。\n",
        "2021-01-01": "# 方針\n\n詳しくは[一覧](https://b.example.jp/)をご覧ください。\n"}})
    build_project(root, tmp_path / "site")
    history = (tmp_path / "site" / "privacy" / "versions" / "index.html").read_text("utf-8")
    assert "リンク先のみの変更" in history
    assert [v["change"] for v in _versions(tmp_path / "site")[1:]] == ["links"]


@pytest.mark.parametrize("name", ["roles", "github"])
def test_no_full_width_punctuation_on_english_pages(name: str,
                                                    request: pytest.FixtureRequest) -> None:
    """The site's own words on an English page in English typography: full-width brackets
    and colons only inside Japanese text a policy quotes."""
    _, out = request.getfixturevalue(name)
    found = {page.relative_to(out).as_posix(): stray_full_width(page.read_text("utf-8"))[:3]
             for page in sorted(out.rglob("*.html"))}
    assert {k: v for k, v in found.items() if v} == {}
