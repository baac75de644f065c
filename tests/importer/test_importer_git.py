"""``build.py import git``: run as a user would, then the project read back, built and
checked; the shared parts of every import (dates, the commit key, the command line). The
expected cut of the git fixture is computed here from ``git log`` and ``git show``, not with
the importer's code."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from contract import inline_sides, page_file, policy_text
from hypothesis import given
from hypothesis import strategies as st
from import_helpers import AS_OF, FRONT, body, build_and_check, every_word_kept, files, project
from projects import REPO, write
from support.building import run_in_process

from policy_archive.importer.dates import effective_line_date, parse_date

SHARED = REPO.parent / "shared" / "fixtures"
BUNDLE = SHARED / "github-privacy-git" / "history.bundle"
GITHUB_EN = SHARED / "github-privacy-en" / "versions" / "privacy"
NOW = "Policies/privacy-policies/github-general-privacy-statement.md"
MIDDLE = "Policies/privacy-policies/github-privacy-statement.md"
FIRST = "Policies/github-privacy-statement.md"


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True,
                          check=True).stdout


def imported(repo: Path, root: Path, *extra: str) -> tuple[int, str, str]:
    done = run_in_process("import", "git", str(repo), "--path", NOW, "--path", MIDDLE,
                          "--slug", "privacy", "--root", str(root), *extra)
    return done.code, done.out, done.err


# ---- the git fixture: the expected cut, computed independently -------------------------

@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not BUNDLE.is_file():
        pytest.skip("../shared/fixtures/github-privacy-git is not here")
    repo = tmp_path_factory.mktemp("git") / "history"
    subprocess.run(["git", "clone", "-q", str(BUNDLE), str(repo)], check=True)
    return repo


def expected_cut(repo: Path) -> dict[str, tuple[str, str, list[str]]]:
    """date -> (text after the front matter, last commit, every commit with that date)."""
    out: dict[str, tuple[str, str, list[str]]] = {}
    log = git(repo, "log", "--reverse", "--format=@%H", "--name-only", "--", FIRST, MIDDLE,
              NOW)
    for chunk in log.split("@")[1:]:
        sha, *names = chunk.split()
        for name in names:
            shown = subprocess.run(["git", "-C", str(repo), "show", f"{sha}:{name}"],
                                   capture_output=True, text=True)
            if shown.returncode:
                continue  # the commit deleted it
            text = FRONT.sub("", shown.stdout, count=1).lstrip("\n")
            m = re.search(r"Effective date:\s*\**([A-Z][a-z]+ \d{1,2}, \d{4})", text)
            assert m, sha
            date = dt.datetime.strptime(m.group(1), "%B %d, %Y").date().isoformat()
            earlier = out[date][2] if date in out else []
            out[date] = (text, sha, [*earlier, sha])
    return out


@pytest.fixture(scope="module")
def imported_git(history: Path, tmp_path_factory: pytest.TempPathFactory
                 ) -> tuple[Path, str]:
    root = project(tmp_path_factory.mktemp("p") / "project")
    code, out, err = imported(history, root)
    assert code == 0, err
    return root, out


def test_git_writes_the_last_text_committed_under_each_date(
        history: Path, imported_git: tuple[Path, str]) -> None:
    root, _ = imported_git
    expected = expected_cut(history)
    written = sorted((root / "versions" / "privacy").glob("*.md"))
    assert len(expected) == 19
    assert [p.stem for p in written] == sorted(expected)
    for path in written:
        text, sha, _ = expected[path.stem]
        assert body(path) == text, path.name
        assert f"\ncommit: {sha}\n" in path.read_text("utf-8")


def test_git_16_versions_are_byte_identical_to_the_published_fixture(
        imported_git: tuple[Path, str]) -> None:
    root, _ = imported_git
    same = [p.name for p in sorted(GITHUB_EN.glob("*.md"))
            if (root / "versions" / "privacy" / p.name).is_file()
            and body(root / "versions" / "privacy" / p.name) == body(p)]
    assert len(same) == 16
    assert "2022-09-01.md" not in same  # the fixture holds its text before the 2023 edits


def test_git_report_names_the_moves_and_the_folded_commits(
        history: Path, imported_git: tuple[Path, str]) -> None:
    _, report = imported_git
    assert f"moved {FIRST} -> {MIDDLE}" in report and "a rename git sees" in report
    assert f"moved {MIDDLE} -> {NOW}" in report and "given with --path" in report
    for date, (_, last, shas) in expected_cut(history).items():
        line = next(ln for ln in report.splitlines() if f"privacy/{date}.md" in ln)
        assert last[:12] in line
        for sha in shas[:-1]:
            assert sha[:12] in report
    assert "front matter, left out of the text: title: GitHub Privacy Statement" in report
    assert report.count("every word of the source is in the page") == 19


def test_git_second_run_writes_nothing_and_says_why(
        history: Path, imported_git: tuple[Path, str]) -> None:
    root, _ = imported_git
    before = files(root)
    code, out, _ = imported(history, root)
    assert code == 0
    assert "nothing written: all 19 versions found are already in the project" in out
    assert out.count("exists with the same text") == 19
    assert files(root) == before


def test_git_dry_run_writes_nothing(history: Path, tmp_path: Path) -> None:
    root = project(tmp_path / "p")
    before = files(root)
    code, out, _ = imported(history, root, "--dry-run")
    assert code == 0
    assert out.count("would write versions/privacy/") == 19
    assert "nothing was written" in out
    assert files(root) == before


def test_git_by_commit_date_writes_one_version_per_distinct_date(
        history: Path, tmp_path: Path) -> None:
    root = project(tmp_path / "p")
    code, _, err = imported(history, root, "--date", "commit")
    assert code == 0, err
    dates = set(git(history, "log", "--format=%ad", "--date=short", "--", FIRST, MIDDLE,
                    NOW).split())
    assert sorted(p.stem for p in (root / "versions" / "privacy").glob("*.md")) == sorted(dates)


def test_git_since_until_keep_only_those_dates(history: Path, tmp_path: Path) -> None:
    root = project(tmp_path / "p")
    code, _, err = imported(history, root, "--since", "2020-01-01", "--until", "2020-12-31")
    assert code == 0, err
    assert [p.stem for p in sorted((root / "versions" / "privacy").glob("*.md"))] == [
        "2020-04-02", "2020-05-19", "2020-07-22", "2020-11-16", "2020-12-19"]


def test_git_imported_project_builds_with_every_word_and_only_the_sources_warnings(
        imported_git: tuple[Path, str]) -> None:
    root, _ = imported_git
    warnings, out = build_and_check(root)
    # GitHub's own texts hold {{ site.… }} template syntax, an indented line and one #link to
    # no heading; the import adds no warning of its own (no version lacks a summary)
    kinds = ("looks like template syntax", "indented by four spaces", "leads to no part")
    assert all(any(k in ln for k in kinds) for ln in warnings.splitlines()), warnings
    every_word_kept(root, out)
    data = json.loads((out / "versions.json").read_text("utf-8"))
    doc = data["documents"][0]
    assert len(doc["versions"]) == 19
    # the site contract: each step's inline diff rebuilds both versions' texts as shown
    shown = {v["effective"]: policy_text(page_file(out, v["url"], data["base_url"]))
             for v in doc["versions"]}
    steps = list(zip(sorted(shown), sorted(shown)[1:]))
    diffs = {(d["from"], d["to"]): d["url"] for d in doc["diffs"]}
    for old, new in steps:
        page = page_file(out, diffs[old, new], data["base_url"])
        assert inline_sides(page) == (shown[old], shown[new]), (old, new)


def test_a_date_present_with_another_text_is_an_error_naming_both(
        history: Path, tmp_path: Path) -> None:
    root = project(tmp_path / "p")
    write(root / "versions" / "privacy" / "2020-04-02.md",
          "---\neffective: 2020-04-02\n---\nAnother text.\n")
    before = files(root)
    code, _, err = imported(history, root)
    assert code == 1
    assert "versions/privacy/2020-04-02.md:1: exists with another text than" in err
    assert f"{FIRST} at " in err
    assert files(root) == before


# ---- a small repository in Japanese, made here -----------------------------------------

JA_TEXTS = [
    ("2019-05-10", "制定日：令和元年5月1日\n\n# 個人情報保護方針\n\n当社は個人情報を守ります。\n"),
    ("2019-06-01", "制定日：令和元年5月1日\n\n# 個人情報保護方針\n\n当社は個人情報を大切に守ります。\n"),
    ("2021-03-01", "制定日：令和元年5月1日\n改定日：令和３年４月１日\n\n# 個人情報保護方針\n\n"
                   "当社は個人情報を大切に守り、安全に管理します。\n"),
    ("2024-01-05", "施行日：2024年2月1日\n\n# 個人情報保護方針\n\n当社は個人情報を大切に守り、"
                   "安全に管理し、第三者に提供しません。\n"),
]


def on(repo: Path, when: str, *args: str) -> None:
    """``git ARGS`` in ``repo`` as a commit made on the day ``when`` (JST noon)."""
    stamp = f"{when}T12:00:00+09:00"
    subprocess.run(["git", "-C", str(repo), "-c", "user.name=T", "-c", "user.email=t@e",
                    *args], check=True, capture_output=True,
                   env={**os.environ, "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp})


def ja_repo(repo: Path, texts: list[tuple[str, str]] = JA_TEXTS,
            name: str = "policy.md") -> Path:
    """A repository of one file committed on each day with each text."""
    subprocess.run(["git", "init", "-q", "-b", "main", str(repo)], check=True)
    for when, text in texts:
        write(repo / name, f"---\nlayout: policy\n---\n\n{text}")
        git(repo, "add", name)
        on(repo, when, "commit", "-qm", f"改定 {when}")
    return repo


def test_git_japanese_dates_build_and_pass_check_strict(tmp_path: Path) -> None:
    repo = ja_repo(tmp_path / "repo")
    root = project(tmp_path / "p", language="ja")
    done = run_in_process("import", "git", str(repo), "--path", "policy.md", "--slug", "privacy",
                          "--root", str(root))
    assert done.code == 0, done.err
    assert [p.stem for p in sorted((root / "versions" / "privacy").glob("*.md"))] == [
        "2019-05-01", "2021-04-01", "2024-02-01"]
    assert "folded 1 earlier commit with this date" in done.out
    assert "layout" not in (root / "versions" / "privacy" / "2019-05-01.md").read_text("utf-8")
    check = run_in_process("check", "--root", str(root), "--strict", "--as-of", AS_OF)
    assert check.code == 0, check.err
    warnings, out = build_and_check(root)
    assert warnings == ""
    every_word_kept(root, out)


def test_git_follows_the_published_line_through_merges_in_a_bare_repository(
        tmp_path: Path) -> None:
    work = ja_repo(tmp_path / "work", JA_TEXTS[:1], name="規約.md")
    git(work, "checkout", "-q", "-b", "draft")
    for when, text in (("2019-07-01", "（草案）"), ("2019-08-01", "")):
        write(work / "規約.md", f"施行日：令和元年9月1日\n\n当社は個人情報を守ります{text}。\n")
        on(work, when, "commit", "-qam", f"草案 {when}")
    git(work, "checkout", "-q", "main")
    on(work, "2019-08-20", "merge", "-q", "--no-ff", "draft", "-m", "改定を取り込む")
    merge = git(work, "rev-parse", "HEAD").strip()
    bare = tmp_path / "bare.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(work), str(bare)], check=True)
    root = project(tmp_path / "p", language="ja")
    done = run_in_process("import", "git", str(bare), "--path", "規約.md", "--slug", "privacy",
                          "--root", str(root))
    assert done.code == 0, done.err
    assert "2 commits change the file" in done.out  # the first commit and the merge
    version = root / "versions" / "privacy" / "2019-09-01.md"
    assert body(version) == "施行日：令和元年9月1日\n\n当社は個人情報を守ります。\n"
    assert f"\ncommit: {merge}\n" in version.read_text("utf-8")


def test_git_custom_date_pattern(tmp_path: Path) -> None:
    repo = ja_repo(tmp_path / "repo")
    root = project(tmp_path / "p", language="ja")
    done = run_in_process("import", "git", str(repo), "--path", "policy.md", "--slug", "privacy",
                          "--root", str(root), "--dry-run", "--date-pattern",
                          r"^制定日：(?P<date>.+)$")
    assert done.code == 0, done.err
    assert done.out.count("would write") == 1 and "2019-05-01.md" in done.out


def _line(text: str) -> dt.date | None:
    found = effective_line_date(text)
    return found[0] if found else None


@pytest.mark.parametrize(("read", "text", "expected"), [
    (_line, "Effective date: **January 26, 2017**\n", "2017-01-26"),
    (_line, "Last updated: 3 March 2021\n", "2021-03-03"),
    (_line, "# Terms\n\n_Last updated: Sept. 9, 2020_\n", "2020-09-09"),
    (_line, "制定日：令和元年5月1日\n", "2019-05-01"),
    (_line, "制定日：平成30年4月1日\n改定日：令和２年１０月１日\n", "2020-10-01"),
    (_line, "【施行日】昭和64年1月7日\n", "1989-01-07"),
    (_line, "施行日：2024年2月1日\n制定日：2001年1月1日\n", "2024-02-01"),
    (_line, "Effective date: 2024-02-30\nEffective date: 2024-03-01\n", "2024-03-01"),
    (_line, "No date here, only 2024 and May.\n", None),
    (_line, "Updated our practices on May 1, 2020.\n", None),  # a sentence, not a date line
    (_line, "Updated: May 1, 2020\n", "2020-05-01"),
    (_line, "制定日：令和三年四月一日\n", "2021-04-01"),
    (_line, "改定日：平成三十年十二月二十五日\n", "2018-12-25"),
    (_line, "施行日　二〇二一年一月十日\n", "2021-01-10"),
    (_line, "制定日：令和元年十月一日\n", "2019-10-01"),
    (parse_date, "privacy-2021-04-01.docx", "2021-04-01"),
    (parse_date, "旧規約（令和2年4月1日施行）.docx", "2020-04-01"),
    (parse_date, "terms_2019.12.20.html", "2019-12-20"),
    (parse_date, "notes.docx", None),
])
def test_dates_as_policies_write_them(read: Any, text: str, expected: str | None) -> None:
    found = read(text)
    assert (found.isoformat() if found else None) == expected


@pytest.mark.parametrize(("commit", "ok"), [
    ("0123abc", True), ("0" * 40, True), ("0" * 64, True), ("xyz1234", False),
    ("0123ab", False), ("0" * 41, False),
])
def test_the_commit_key_holds_a_git_commit_id(tmp_path: Path, commit: str, ok: bool) -> None:
    root = project(tmp_path / "p")
    write(root / "versions" / "privacy" / "2020-01-01.md",
          f"---\neffective: 2020-01-01\ncommit: '{commit}'\n---\nText.\n")
    done = run_in_process("check", "--root", str(root), "--as-of", AS_OF)
    assert (done.code == 0) == ok, done.err
    if not ok:
        assert "2020-01-01.md:3: 'commit' must be a git commit id" in done.err


def test_the_other_commands_do_not_load_the_importers() -> None:
    code = ("import sys; from pathlib import Path; from policy_archive.commands import cli; "
            "cli._parser(Path('.')); "
            "print(sorted(m for m in ('git', 'mammoth', 'bs4', 'markdownify', "
            "'policy_archive.importer.plan', 'policy_archive.importer.from_git') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=REPO, check=True)
    assert done.stdout.strip() == "[]"


def test_every_import_option_has_a_help_text() -> None:
    import argparse

    from policy_archive.commands import cli

    def subs(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
        return next((dict(a.choices) for a in parser._actions
                     if isinstance(a, argparse._SubParsersAction)), {})

    kinds = subs(subs(cli._parser(Path(".")))["import"])
    assert set(kinds) == {"git", "docx", "html"}
    assert [f"{k} {a.dest}" for k, sp in kinds.items() for a in sp._actions
            if not isinstance(a, argparse._HelpAction) and not a.help] == []


def test_words_the_page_would_not_show_are_a_warning(tmp_path: Path) -> None:
    repo = ja_repo(tmp_path / "repo", [("2021-01-01", "Effective date: January 1, 2021\n\n"
                                        "Our policy.\n\n<script>hiddenword</script>\n")])
    root = project(tmp_path / "p")
    done = run_in_process("import", "git", str(repo), "--path", "policy.md", "--slug", "privacy",
                          "--root", str(root))
    assert done.code == 0, done.err
    assert "words of the source missing from the page: hiddenword" in done.out
    assert ("versions/privacy/2021-01-01.md:1: warning: words of policy.md at "
            in done.err and done.err.rstrip().endswith("hiddenword"))


def test_a_commit_that_empties_the_file_is_skipped_and_said(tmp_path: Path) -> None:
    repo = ja_repo(tmp_path / "repo", [("2021-01-01", "Effective date: January 1, 2021\n\nA.\n"),
                                       ("2021-02-01", "")])
    root = project(tmp_path / "p")
    done = run_in_process("import", "git", str(repo), "--path", "policy.md", "--slug", "privacy",
                          "--root", str(root))
    assert done.code == 0, done.err
    assert "holds no text after its front matter" in done.out
    assert [p.name for p in (root / "versions" / "privacy").iterdir()] == ["2021-01-01.md"]




@pytest.mark.parametrize(("repo", "path", "message"), [
    ("bundle", NOW, "not a git repository (a bundle? clone it first"),
    ("clone", "no/such/file.md", "no commit of HEAD changes no/such/file.md"),
])
def test_git_usage_errors_exit_2(history: Path, tmp_path: Path, repo: str, path: str,
                                 message: str) -> None:
    root = project(tmp_path / "p")
    source = BUNDLE if repo == "bundle" else history
    done = run_in_process("import", "git", str(source), "--path", path, "--slug", "privacy",
                          "--root", str(root))
    assert done.code == 2 and message in done.err, done.err
    assert not (root / "versions").exists()


_KANJI = "〇一二三四五六七八九"


def _kanji(n: int) -> str:
    tens, units = divmod(n, 10)
    return ((_KANJI[tens] if tens > 1 else "") + "十" if tens else "") + (
        _KANJI[units] if units or not tens else "")


def _wareki(d: dt.date, kanji: bool) -> str:
    era, first = next((e, y) for e, y, start in (("令和", 2019, dt.date(2019, 5, 1)),
                                                  ("平成", 1989, dt.date(1989, 1, 8)),
                                                  ("昭和", 1926, dt.date(1926, 12, 25)))
                      if d >= start)
    n = d.year - first + 1
    num = _kanji if kanji else str
    return f"{era}{'元' if n == 1 else num(n)}年{num(d.month)}月{num(d.day)}日"


WRITTEN = {
    "english": lambda d: f"Effective date: **{d:%B} {d.day}, {d.year}**",
    "day first": lambda d: f"Last updated: {d.day} {d:%b} {d.year}",
    "iso": lambda d: f"_Effective date: {d.isoformat()}_",
    "seireki": lambda d: f"施行日：{d.year}年{d.month}月{d.day}日",
    "full width": lambda d: "改定日：" + f"{d.year}年{d.month}月{d.day}日".translate(
        str.maketrans("0123456789", "０１２３４５６７８９")),
    "wareki": lambda d: f"制定日：{_wareki(d, kanji=False)}",
    "wareki in kanji": lambda d: f"【施行日】{_wareki(d, kanji=True)}",
}


@pytest.mark.parametrize("style", sorted(WRITTEN))
@given(date=st.dates(min_value=dt.date(1927, 1, 1), max_value=dt.date(2099, 12, 31)))
def test_every_date_written_any_ready_way_reads_back(style: str, date: dt.date) -> None:
    text = f"# Policy\n\n{WRITTEN[style](date)}\n\nThe text, revised 2001-01-01.\n"
    assert _line(text) == date
