"""One reader's text, from outside: a version whose only edit is white space HTML collapses is
classed ``none``, its redline has no marks and no section is redated (pages, ``blame``); the
search index holds ruby words as printed and a ``<br>`` as a space; ``log -S`` folds as the
search page does, on a table of phrases whose answers are computed from the version files
(tests/support/reader_project.py). The Chromium side is tests/browser/test_search_reader.py."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from contract import find, inline_sides, parse, policy_text, visible
from support.building import ROOT, run_in_process
from support.reader_project import PHRASES, built_project, counts_from_log, expected_counts

GITHUB = ROOT.parent / "shared" / "fixtures" / "github-privacy-en"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return built_project(tmp_path_factory.mktemp("reader"))


def _record(out: Path) -> dict[str, dict[str, str]]:
    data = json.loads((out / "versions.json").read_text("utf-8"))
    return {d["slug"]: {v["effective"]: v.get("change", "") for v in d["versions"]}
            for d in data["documents"]}


def _last_changed(page: Path) -> dict[str, str]:
    text = find(parse(page.read_text("utf-8")), "data-policy-text")[0]
    return {visible(el): el.get("data-last-changed") for el in text.iter()
            if isinstance(el.tag, str) and el.get("data-last-changed")}


def test_white_space_only_version_is_no_change(project: tuple[Path, Path]) -> None:
    root, out = project
    assert _record(out) == {"terms": {"2021-01-01": "", "2022-01-01": "none",
                                      "2023-01-01": "text"},
                            "kisoku": {"2020-04-01": "", "2021-04-01": "text",
                                       "2022-04-01": "text"}}
    page = (out / "terms" / "diff" / "2021-01-01" / "2022-01-01" / "index.html")
    inline = find(parse(page.read_text("utf-8")), "data-diff", "inline")[0]
    assert [el.tag for el in inline.iter() if el.tag in ("ins", "del")] == []
    # both texts rebuilt, white space aside, as outside checks read them
    old, new = inline_sides(page)
    assert old == policy_text(out / "terms" / "2021-01-01" / "index.html")
    assert new == policy_text(out / "terms" / "2022-01-01" / "index.html")


def test_no_section_is_redated_by_white_space(project: tuple[Path, Path]) -> None:
    root, out = project
    first = {"TermsofService": "2021-01-01", "1.Agency": "2021-01-01",
             "2.PersonalInformation": "2021-01-01", "3.Payment": "2021-01-01"}
    assert _last_changed(out / "terms" / "2022-01-01" / "index.html") == first
    assert _last_changed(out / "terms" / "2023-01-01" / "index.html") == {
        **first, "TermsofService": "2023-01-01", "3.Payment": "2023-01-01"}
    done = run_in_process("blame", "terms@2022-01-01", "--root", str(root), "--format", "json")
    assert done.code == 0, done.err
    sections = json.loads(done.out)["sections"]
    assert {s["title"]: s["changed"] for s in sections} == {
        t: ["2021-01-01"] for t in ("Terms of Service", "1. Agency", "2. Personal Information",
                                    "3. Payment")}
    tree = parse((out / "terms" / "history" / "index.html").read_text("utf-8"))
    days = {visible(li.find("h3")): [t.get("datetime") for ul in li.iter("ul")
                                     for t in ul.iter("time")]
            for li in tree.iter("li") if (li.get("class") or "").startswith("level-")}
    assert days == {"TermsofService": ["2023-01-01"], "1.Agency": [],
                    "2.PersonalInformation": [], "3.Payment": ["2023-01-01"]}


def test_the_redline_of_a_real_edit_still_rebuilds_both_texts(project: tuple[Path, Path]) -> None:
    _, out = project
    for slug, a, b in (("terms", "2022-01-01", "2023-01-01"),
                       ("kisoku", "2020-04-01", "2022-04-01")):
        page = out / slug / "diff" / a / b / "index.html"
        old, new = inline_sides(page)
        assert old == policy_text(out / slug / a / "index.html")
        assert new == policy_text(out / slug / b / "index.html")


def test_search_index_holds_the_text_as_read(project: tuple[Path, Path]) -> None:
    _, out = project
    terms = json.loads((out / "search" / "terms.json").read_text("utf-8"))["texts"]
    assert "Service. As described below the Service as we run it" in terms
    assert not [t for t in terms if re.search(r"\s\s|\t|\n", t)]
    index = json.loads((out / "search" / "kisoku.json").read_text("utf-8"))
    kisoku = index["texts"]
    assert any("珪弗化ナトリウム及び砒素若しくはその化合物" in t for t in kisoku)
    assert not [t for t in kisoku if "けいふつ" in t or "（ひ）" in t]
    assert "第一号 研修を修了したもの 一　技術士法に定める者" in kisoku
    # each ruby word with its reading, placed in JavaScript's UTF-16 units
    ruby = {kisoku[int(n)]: words for n, words in index["ruby"].items()}
    assert ruby["この規程は、𠮷野事業所において令和二年四月一日から施行する。"] == [[6, 8, "よし"]]
    assert ruby["この規程は、珪弗化ナトリウム及び砒素若しくはその化合物の管理について定める。"] == [
        [6, 8, "けいふつ"], [16, 17, "ひ"]]
    assert len(ruby) == 3


@pytest.mark.parametrize("phrase", PHRASES)
def test_log_s_finds_what_a_reader_finds(project: tuple[Path, Path], phrase: str) -> None:
    root, _ = project
    done = run_in_process("log", "--root", str(root), "-S", phrase, "--format", "json")
    assert done.code == 0, done.err
    assert counts_from_log(json.loads(done.out)["versions"]) == expected_counts(phrase)


def test_the_phrase_table_tells_the_cases_apart() -> None:
    """The table holds phrases found nowhere, once, and in every version of a document."""
    found = [expected_counts(p) for p in PHRASES]
    assert len(PHRASES) >= 20 and {} in found
    assert expected_counts("PERSONAL INFORMATION") == {("terms", "2021-01-01"): 2,
                                                      ("terms", "2022-01-01"): 2,
                                                      ("terms", "2023-01-01"): 4}
    assert expected_counts("珪弗化ナトリウム") == {("kisoku", "2020-04-01"): 1,
                                            ("kisoku", "2021-04-01"): 1}
    assert expected_counts("けいふつ") == {}


def test_github_cookie_section_is_not_redated_by_a_double_space(
        tmp_path: Path) -> None:
    if not GITHUB.is_dir():
        pytest.skip("../shared/fixtures/github-privacy-en is not here")
    root = tmp_path / "project"
    shutil.copytree(GITHUB, root)
    done = run_in_process("blame", "privacy@2024-02-01", "--root", str(root), "--format",
                          "json")
    assert done.code == 0, done.err
    cookies = [s for s in json.loads(done.out)["sections"]
               if s["title"].startswith("How do we and our partners use cookies")]
    assert cookies and all(s["last_changed"] != "2024-02-01" for s in cookies)
