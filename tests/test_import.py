"""``build.py import git|docx|html``: run as a user would, then the project read back, built
and checked. The expected cut of the git fixture is computed here from ``git log`` and
``git show``, not with the importer's code."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import struct
import subprocess
import sys
import zlib
from pathlib import Path
from typing import Any

import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from contract import policy_text, words_missing

from policy_archive.import_dates import effective_line_date, parse_date
from projects import REPO, run_build, write

SHARED = REPO.parent / "shared" / "fixtures"
BUNDLE = SHARED / "github-privacy-git" / "history.bundle"
GITHUB_EN = SHARED / "github-privacy-en" / "versions" / "privacy"
NOW = "Policies/privacy-policies/github-general-privacy-statement.md"
MIDDLE = "Policies/privacy-policies/github-privacy-statement.md"
FIRST = "Policies/github-privacy-statement.md"
AS_OF = "2026-12-02"
FRONT = re.compile(r"\A---\n.*?\n---\n", re.S)


def project(root: Path, slug: str = "privacy", language: str = "en") -> Path:
    write(root / "content" / "site.yaml",
          f"title: Imported\nbase_url: https://example.org/\nlanguage: {language}\n"
          f"documents:\n  - slug: {slug}\n    title: Privacy\n")
    return root


def body(path: Path) -> str:
    return FRONT.sub("", path.read_text("utf-8"), count=1)


def files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True,
                          check=True).stdout


def imported(repo: Path, root: Path, *extra: str) -> tuple[int, str, str]:
    done = run_build("import", "git", str(repo), "--path", NOW, "--path", MIDDLE,
                     "--slug", "privacy", "--root", str(root), *extra)
    return done.code, done.out, done.err


def build_and_check(root: Path) -> tuple[str, Path]:
    """Build the project (exit 0); its warnings, and the site."""
    out = root.parent / (root.name + "-site")
    done = run_build("build", "--root", str(root), "--out", str(out), "--as-of", AS_OF,
                     "--quiet")
    assert done.code == 0, done.err
    return done.err, out


def every_word_kept(root: Path, out: Path, slug: str = "privacy") -> None:
    """Every word of each version file is on its page (as the site contract counts)."""
    for path in sorted((root / "versions" / slug).glob("*.md")):
        lost = words_missing(body(path), policy_text(out / slug / path.stem / "index.html"))
        assert not lost, f"{path.name}: {lost[:5]}"


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
    assert len(data["documents"][0]["versions"]) == 19
    contract = REPO.parent / "shared" / "checks" / "site-contract"
    if contract.is_file():  # the outside check of the site, where it is here
        done = subprocess.run([sys.executable, str(contract), str(out), "--root", str(root)],
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stdout[-2000:]


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


def ja_repo(repo: Path, texts: list[tuple[str, str]] = JA_TEXTS) -> Path:
    """A repository of ``policy.md`` committed on each day with each text."""
    subprocess.run(["git", "init", "-q", "-b", "main", str(repo)], check=True)
    for when, text in texts:
        write(repo / "policy.md", f"---\nlayout: policy\n---\n\n{text}")
        stamp = f"{when}T12:00:00+09:00"
        env = {**os.environ, "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}
        git(repo, "add", "policy.md")
        subprocess.run(["git", "-C", str(repo), "-c", "user.name=T", "-c", "user.email=t@e",
                        "commit", "-qm", f"改定 {when}"], check=True, env=env)
    return repo


def test_git_japanese_dates_build_and_pass_check_strict(tmp_path: Path) -> None:
    repo = ja_repo(tmp_path / "repo")
    root = project(tmp_path / "p", language="ja")
    done = run_build("import", "git", str(repo), "--path", "policy.md", "--slug", "privacy",
                     "--root", str(root))
    assert done.code == 0, done.err
    assert [p.stem for p in sorted((root / "versions" / "privacy").glob("*.md"))] == [
        "2019-05-01", "2021-04-01", "2024-02-01"]
    assert "folded 1 earlier commits" in done.out
    assert "layout" not in (root / "versions" / "privacy" / "2019-05-01.md").read_text("utf-8")
    check = run_build("check", "--root", str(root), "--strict", "--as-of", AS_OF)
    assert check.code == 0, check.err
    warnings, out = build_and_check(root)
    assert warnings == ""
    every_word_kept(root, out)


def test_git_custom_date_pattern(tmp_path: Path) -> None:
    repo = ja_repo(tmp_path / "repo")
    root = project(tmp_path / "p", language="ja")
    done = run_build("import", "git", str(repo), "--path", "policy.md", "--slug", "privacy",
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
    (parse_date, "privacy-2021-04-01.docx", "2021-04-01"),
    (parse_date, "旧規約（令和2年4月1日施行）.docx", "2020-04-01"),
    (parse_date, "terms_2019.12.20.html", "2019-12-20"),
    (parse_date, "notes.docx", None),
])
def test_dates_as_policies_write_them(read: Any, text: str, expected: str | None) -> None:
    found = read(text)
    assert (found.isoformat() if found else None) == expected


# ---- Word files and saved pages, made here ---------------------------------------------

def _png() -> bytes:
    """A 1×1 PNG, written out by hand (no image library needed)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))


def _numbered(doc: Any, text: str, level: int) -> None:
    p = doc.add_paragraph(text)
    p._p.get_or_add_pPr().append(parse_xml(
        f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>'))


def _numbering(doc: Any) -> None:
    """A numbering of three levels (項, 号, 細目), as Word writes one."""
    levels = "".join(f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
                     f'<w:lvlText w:val="%{i + 1}"/></w:lvl>'
                     for i, fmt in enumerate(("decimal", "decimalFullWidth", "iroha")))
    numbering = doc.part.numbering_part.element
    numbering.insert(0, parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">'
                                  f'{levels}</w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId '
                               'w:val="90"/></w:num>'))


def _footnote(doc: Any, paragraph: Any, text: str) -> None:
    """python-docx cannot add footnotes: the footnotes part is built here from its XML."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    xml = (f'<w:footnotes {nsdecls("w")}>'
           '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p>'
           '</w:footnote><w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r>'
           '<w:continuationSeparator/></w:r></w:p></w:footnote>'
           f'<w:footnote w:id="1"><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:footnote>'
           '</w:footnotes>')
    part = Part(PackURI("/word/footnotes.xml"), "application/vnd.openxmlformats-"
                "officedocument.wordprocessingml.footnotes+xml", xml.encode(), doc.part.package)
    doc.part.relate_to(part, RT.FOOTNOTES)
    paragraph.add_run()._r.append(parse_xml(
        f'<w:footnoteReference {nsdecls("w")} w:id="1"/>'))


FOOTNOTE = "個人情報保護法第二条第一項に定める個人情報をいう。"
TABLE = [("区分", "保存期間"), ("顧客情報", "五年間"), ("採用応募者情報", "一年間")]


def make_docx(path: Path) -> Path:
    import docx

    doc = docx.Document()
    doc.core_properties.title = "個人情報取扱規程（令和3年4月1日施行）"
    _numbering(doc)
    doc.add_heading("個人情報取扱規程", 1)
    doc.add_heading("第1条（目的）", 2)
    p = doc.add_paragraph("この規程は、当社が取り扱う")
    p.add_run("個人情報").bold = True
    p.add_run("の管理について定める。")
    _footnote(doc, p, FOOTNOTE)
    doc.add_heading("第2条（安全管理措置）", 2)
    _numbered(doc, "当社は、次の措置を講ずる。", 0)
    _numbered(doc, "組織的安全管理措置", 1)
    _numbered(doc, "責任者の設置", 2)
    _numbered(doc, "技術的安全管理措置", 1)
    _numbered(doc, "従業者は、前項の措置に従う。", 0)
    doc.add_heading("第3条（保存期間）", 2)
    table = doc.add_table(rows=len(TABLE), cols=2)
    for r, row in enumerate(TABLE):
        for c, cell in enumerate(row):
            table.cell(r, c).text = cell
    doc.add_picture(io.BytesIO(_png()))
    doc.save(str(path))
    return path


def docx_words(path: Path) -> list[str]:
    """The words of the Word file, read with python-docx (not with the importer)."""
    import docx

    doc = docx.Document(str(path))
    texts = [p.text for p in doc.paragraphs] + [c.text for row in doc.tables[0].rows
                                                for c in row.cells] + [FOOTNOTE]
    return re.findall(r"[A-Za-z0-9]{3,}|[\u3040-\u30ff\u3400-\u9fff]+", "\n".join(texts))


def test_docx_keeps_headings_lists_table_footnote_and_names_the_image(tmp_path: Path) -> None:
    source = make_docx(tmp_path / "kitei.docx")
    root = project(tmp_path / "p", language="ja")
    done = run_build("import", "docx", str(source), "--slug", "privacy", "--root", str(root))
    assert done.code == 0, done.err
    version = root / "versions" / "privacy" / "2021-04-01.md"  # dated by the file's title
    text = body(version)
    assert "# 個人情報取扱規程" in text and "## 第1条（目的）" in text
    assert "**個人情報**" in text
    assert re.search(r"^1\. 当社は、次の措置を講ずる。\n +1\. 組織的安全管理措置\n +1\. 責任者の設置",
                     text, re.M), text
    assert "| 区分 | 保存期間 |\n| --- | --- |\n| 顧客情報 | 五年間 |" in text
    assert "定める。[^1]" in text and f"[^1]: {FOOTNOTE}" in text
    assert "data:image" not in text
    assert "image 1 (image/png) not imported" in done.out
    assert "every word of the source is in the page" in done.out
    check = run_build("check", "--root", str(root), "--strict", "--as-of", AS_OF)
    assert check.code == 0, check.err
    warnings, out = build_and_check(root)
    assert warnings == ""
    page = out / "privacy" / "2021-04-01" / "index.html"
    shown = policy_text(page)
    assert [w for w in docx_words(source) if w not in shown] == []
    assert "<table" in page.read_text("utf-8")


PAGE = """<!doctype html><html><head><title>Privacy Policy (2022-06-01)</title>
<script>var tracking = "scriptwords";</script></head><body>
<header><nav><a href="/">Home</a> <a href="/products">Products navigation</a></nav></header>
<main><h1>Privacy Policy</h1><p>Effective date: June 1, 2022</p>
<h2>What we collect</h2><p>We collect your <strong>email address</strong> and
<a href="https://example.org/help">nothing else</a>.</p>
<ul><li>Account information</li><li>Payment records</li></ul>
<table><tr><th>Data</th><th>Kept for</th></tr><tr><td>Invoices</td><td>seven years</td></tr>
</table></main>
<footer>Copyright footerword Example Inc. <a href="/jobs">Careers</a></footer></body></html>
"""


@pytest.mark.parametrize("select", [None, "main"])
def test_html_imports_only_the_policy(tmp_path: Path, select: str | None) -> None:
    page = write(tmp_path / "saved.html", PAGE)
    root = project(tmp_path / "p")
    args = ["--select", select] if select else []
    done = run_build("import", "html", page.as_uri(), "--slug", "privacy", "--root",
                     str(root), *args)
    assert done.code == 0, done.err
    text = body(root / "versions" / "privacy" / "2022-06-01.md")
    for kept in ("# Privacy Policy", "## What we collect", "**email address**",
                 "[nothing else](https://example.org/help)", "- Account information",
                 "| Invoices | seven years |"):
        assert kept in text
    for gone in ("navigation", "footerword", "Careers", "scriptwords", "Home"):
        assert gone not in text
    assert "the policy is the element 'main'" in done.out
    warnings, out = build_and_check(root)
    assert warnings == ""
    every_word_kept(root, out)


@pytest.mark.parametrize(("args", "message"), [
    (["git", "/nonexistent", "--path", "x.md"], "not a git repository"),
    (["docx", "a.docx", "b.docx", "--effective", "2020-01-01"], "--effective dates one file"),
    (["html", "https://example.org/", "--effective", "2020-01-01"], "only saved pages"),
    (["html", "x.html", "--effective", "2020-13-01"], "not a date"),
])
def test_usage_errors_exit_2_and_write_nothing(tmp_path: Path, args: list[str],
                                               message: str) -> None:
    root = project(tmp_path / "p")
    before = files(root)
    done = run_build("import", *args, "--slug", "privacy", "--root", str(root))
    assert done.code == 2 and message in done.err
    assert files(root) == before


def test_an_undeclared_slug_is_a_usage_error(tmp_path: Path) -> None:
    page = write(tmp_path / "saved.html", PAGE)
    root = project(tmp_path / "p")
    done = run_build("import", "html", str(page), "--slug", "terms", "--root", str(root))
    assert done.code == 2 and "no document 'terms'" in done.err
    assert not (root / "versions").exists()


def _with_revisions(source: Path, target: Path) -> Path:
    """The Word file with a tracked insertion, a tracked deletion and a comment added."""
    import zipfile

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    with zipfile.ZipFile(source) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    doc = parts["word/document.xml"].decode()
    doc = doc.replace("<w:body>", '<w:body><w:p><w:ins w:id="1" w:author="A"><w:r><w:t>'
                      "追加された文言</w:t></w:r></w:ins><w:del w:id=\"2\" w:author=\"A\"><w:r>"
                      "<w:delText>削られた文言</w:delText></w:r></w:del></w:p>", 1)
    parts["word/document.xml"] = doc.encode()
    parts["word/comments.xml"] = (f'<w:comments {w}><w:comment w:id="0" w:author="A"><w:p>'
                                  "<w:r><w:t>要確認</w:t></w:r></w:p></w:comment>"
                                  "</w:comments>").encode()
    with zipfile.ZipFile(target, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return target


def test_docx_names_tracked_changes_and_comments(tmp_path: Path) -> None:
    source = _with_revisions(make_docx(tmp_path / "a.docx"), tmp_path / "旧規約.docx")
    root = project(tmp_path / "p", language="ja")
    done = run_build("import", "docx", str(source), "--slug", "privacy", "--root", str(root),
                     "--effective", "2020-04-01", "--dry-run")
    assert done.code == 0, done.err
    for named in ("not converted: 1 comments (left out)",
                  "not converted: 1 tracked deletions (left out, as accepted)",
                  "not converted: 1 tracked insertions (taken as accepted)",
                  "dated by --effective", "every word of the source is in the page"):
        assert named in done.out
    assert not (root / "versions").exists()


@pytest.mark.parametrize(("page", "select", "message"), [
    ("<html><body><div>Policy</div></body></html>", None, "no element matches main"),
    ("<html><body><main>A</main><main>B</main></body></html>", None, "2 elements match"),
    ("<html><body><div id=x>Policy text</div></body></html>", "#y", "no element matches #y"),
    ("<html><body><main>Policy text without a date</main></body></html>", None,
     "no date in the policy"),
])
def test_html_that_cannot_be_read_is_an_error_at_its_path(tmp_path: Path, page: str,
                                                           select: str | None,
                                                           message: str) -> None:
    saved = write(tmp_path / "saved.html", page)
    root = project(tmp_path / "p")
    done = run_build("import", "html", str(saved), "--slug", "privacy", "--root", str(root),
                     *(["--select", select] if select else []))
    assert done.code == 1 and f"{saved}:1: {message}" in done.err, done.err
    assert "Traceback" not in done.err and not (root / "versions").exists()


@pytest.mark.parametrize(("commit", "ok"), [
    ("0123abc", True), ("0" * 40, True), ("0" * 64, True), ("xyz1234", False),
    ("0123ab", False), ("0" * 41, False),
])
def test_the_commit_key_holds_a_git_commit_id(tmp_path: Path, commit: str, ok: bool) -> None:
    root = project(tmp_path / "p")
    write(root / "versions" / "privacy" / "2020-01-01.md",
          f"---\neffective: 2020-01-01\ncommit: '{commit}'\n---\nText.\n")
    done = run_build("check", "--root", str(root), "--as-of", AS_OF)
    assert (done.code == 0) == ok, done.err
    if not ok:
        assert "2020-01-01.md:3: 'commit' must be a git commit id" in done.err


def test_the_other_commands_do_not_load_the_importers() -> None:
    code = ("import sys; from policy_archive import cli; cli._parser(); "
            "print(sorted(m for m in ('git', 'mammoth', 'bs4', 'markdownify', "
            "'policy_archive.importing', 'policy_archive.import_git') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=REPO, check=True)
    assert done.stdout.strip() == "[]"


def test_every_import_option_has_a_help_text() -> None:
    import argparse

    from policy_archive import cli

    def subs(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
        return next((dict(a.choices) for a in parser._actions
                     if isinstance(a, argparse._SubParsersAction)), {})

    kinds = subs(subs(cli._parser())["import"])
    assert set(kinds) == {"git", "docx", "html"}
    assert [f"{k} {a.dest}" for k, sp in kinds.items() for a in sp._actions
            if not isinstance(a, argparse._HelpAction) and not a.help] == []


def test_importing_one_document_of_several_leaves_the_others_alone(tmp_path: Path) -> None:
    page = write(tmp_path / "saved.html", PAGE)
    root = project(tmp_path / "p")
    write(root / "content" / "site.yaml",
          "title: T\nbase_url: /\nlanguage: en\ndocuments:\n  - slug: privacy\n    title: P\n"
          "  - slug: terms\n    title: Terms\n")  # terms has no versions yet: not our business
    done = run_build("import", "html", str(page), "--slug", "privacy", "--root", str(root))
    assert done.code == 0, done.err
    assert (root / "versions" / "privacy" / "2022-06-01.md").is_file()


def test_words_the_page_would_not_show_are_a_warning(tmp_path: Path) -> None:
    repo = ja_repo(tmp_path / "repo", [("2021-01-01", "Effective date: January 1, 2021\n\n"
                                        "Our policy.\n\n<script>hiddenword</script>\n")])
    root = project(tmp_path / "p")
    done = run_build("import", "git", str(repo), "--path", "policy.md", "--slug", "privacy",
                     "--root", str(root))
    assert done.code == 0, done.err
    assert "words of the source missing from the page: hiddenword" in done.out
    assert ("versions/privacy/2021-01-01.md:1: warning: words of policy.md at "
            in done.err and done.err.rstrip().endswith("hiddenword"))


def test_a_commit_that_empties_the_file_is_skipped_and_said(tmp_path: Path) -> None:
    repo = ja_repo(tmp_path / "repo", [("2021-01-01", "Effective date: January 1, 2021\n\nA.\n"),
                                       ("2021-02-01", "")])
    root = project(tmp_path / "p")
    done = run_build("import", "git", str(repo), "--path", "policy.md", "--slug", "privacy",
                     "--root", str(root))
    assert done.code == 0, done.err
    assert "holds no text after its front matter" in done.out
    assert [p.name for p in (root / "versions" / "privacy").iterdir()] == ["2021-01-01.md"]


LINKED = """<html><head><title>Privacy 2022-06-01</title>{head}</head><body><main>
<h1>Privacy</h1><p>See <a href="/help/contact">our contact page</a>, <a href="#top">the top</a>
and <a href="mailto:privacy@example.org">privacy mail</a>.</p></main></body></html>"""


@pytest.mark.parametrize(("head", "args", "href", "said"), [
    ('<link rel="canonical" href="https://example.com/legal/privacy">', [],
     "https://example.com/help/contact", "1 relative links made absolute against "
                                         "https://example.com/legal/privacy"),
    ('<base href="https://old.example.com/p/">', [], "https://old.example.com/help/contact",
     "made absolute against https://old.example.com/p/"),
    ("", ["--base-url", "https://given.example/x/"], "https://given.example/help/contact",
     "made absolute against https://given.example/x/"),
    ("", [], "/help/contact", "1 relative links kept as they are"),
])
def test_html_relative_links_made_absolute_against_the_pages_address(
        tmp_path: Path, head: str, args: list[str], href: str, said: str) -> None:
    page = write(tmp_path / "saved.html", LINKED.format(head=head))
    root = project(tmp_path / "p")
    done = run_build("import", "html", str(page), "--slug", "privacy", "--root", str(root),
                     *args)
    assert done.code == 0, done.err
    text = body(root / "versions" / "privacy" / "2022-06-01.md")
    assert f"[our contact page]({href})" in text and said in done.out
    assert "(mailto:privacy@example.org)" in text
