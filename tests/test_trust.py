"""Trust anyone can check: published texts, the hash chain, ``verify``, and a pages branch
that refuses a quietly rewritten version (issue 19)."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from contract import page_file
from projects import git, make_project, write
from support.building import run_in_process

ATOM = "{http://www.w3.org/2005/Atom}"

# A Japanese project with the shapes that make texts differ from their pages: CRLF line ends,
# a table, a footnote, raw HTML, a link, and a renumbered article.
JA = {
    "2021-04-01": "# 個人情報保護方針\r\n\r\n## 第1条（目的）\r\n\r\n当社は、個人情報を適切に取り扱います。"
                  "[^1]\r\n\r\n[^1]: 個人情報保護法第2条に定める個人情報をいう。\r\n\r\n"
                  "## 第2条（利用目的）\r\n\r\n| 区分 | 目的 |\r\n|---|---|\r\n| 会員情報 | 本人確認 |\r\n",
    "2022-04-01": "# 個人情報保護方針\n\n## 第1条（目的）\n\n当社は、個人情報を適切に取り扱います。"
                  "[^1]\n\n[^1]: 個人情報保護法第2条に定める個人情報をいう。\n\n"
                  "## 第2条（定義）\n\n<p>この方針で「お客様」とは、<b>会員</b>をいう。</p>\n\n"
                  "## 第3条（利用目的）\n\n| 区分 | 目的 |\n|---|---|\n| 会員情報 | 本人確認及び"
                  "[お知らせ](https://example.org/news)の送付 |\n",
    "2023-04-14": "# 個人情報保護方針\n\n## 第1条（目的）\n\n当社は、個人情報を適切かつ安全に取り扱います。"
                  "\n\n## 第2条（定義）\n\n<p>この方針で「お客様」とは、<b>会員</b>をいう。</p>\n\n"
                  "## 第3条（利用目的）\n\n| 区分 | 目的 |\n|---|---|\n| 会員情報 | 本人確認 |\n",
}


def built(tmp_path: Path, documents: dict[str, dict[str, str]] | None = None) -> tuple[Path, Path]:
    root = make_project(tmp_path / "proj", documents or {"privacy": JA}, titles={
        "privacy": "個人情報保護方針"})
    out = tmp_path / "site"
    r = run_in_process("build", "--root", str(root), "--out", str(out), "--as-of", "2024-01-01")
    assert r.code == 0, r.err
    return root, out


def record(site: Path) -> dict[str, object]:
    return json.loads((site / "versions.json").read_text("utf-8"))


def verify(site: Path, *extra: str) -> tuple[int, list[str]]:
    r = run_in_process("verify", str(site), *extra)
    return r.code, r.err.splitlines()


def test_every_published_text_hashes_to_its_sha256_and_is_the_source_body(
        tmp_path: Path) -> None:
    root, site = built(tmp_path)
    data = record(site)
    base = data["base_url"]
    versions = data["documents"][0]["versions"]  # type: ignore[index]
    assert [v["effective"] for v in versions] == sorted(JA)
    for v in versions:
        assert v["text_url"] == f"{base}privacy/{v['effective']}/text.md"
        text = page_file(site, v["text_url"], base).read_bytes()
        assert hashlib.sha256(text).hexdigest() == v["sha256"]
        source = (root / v["source"]).read_bytes().decode("utf-8").replace("\r\n", "\n")
        assert text.decode("utf-8") == source.split("---\n", 2)[2]
        page = page_file(site, v["url"], base).read_text("utf-8")
        link = re.search(r'<a href="([^"]+)" type="text/markdown">この版の原文（Markdown）</a>',
                         page)
        assert link and (page_file(site, v["url"], base).parent / link.group(1)).resolve() == \
            page_file(site, v["text_url"], base).resolve()


def test_the_sample_publishes_every_text_it_hashes(sample_site: Path) -> None:
    site = sample_site
    data = record(site)
    for d in data["documents"]:  # type: ignore[attr-defined]
        for v in d["versions"]:
            text = page_file(site, v["text_url"], data["base_url"]).read_bytes()
            assert hashlib.sha256(text).hexdigest() == v["sha256"]


def chain_of(versions: list[dict[str, str]]) -> list[str]:
    """The chain as README defines it, computed here independently."""
    out, previous = [], "0" * 64
    for v in versions:
        previous = hashlib.sha256(
            f"{previous}\n{v['effective']}\n{v['sha256']}".encode()).hexdigest()
        out.append(previous)
    return out


def test_the_chain_and_the_feeds_carry_every_version(tmp_path: Path) -> None:
    _, site = built(tmp_path)
    data = record(site)
    versions = data["documents"][0]["versions"]  # type: ignore[index]
    assert [v["chain"] for v in versions] == chain_of(versions)
    for feed in ("feed.xml", "privacy/feed.xml"):
        root = ET.parse(site / feed).getroot()
        ns = "{tag:policy-archive,2026:integrity}"
        got = {e.find(f"{ATOM}link[@rel='alternate']").get("href"):  # type: ignore[union-attr]
               (e.findtext(f"{ns}sha256"), e.findtext(f"{ns}chain"),
                e.find(f"{ns}text").get("href"))  # type: ignore[union-attr]
               for e in root.iter(f"{ATOM}entry")}
        assert got == {v["url"]: (v["sha256"], v["chain"], v["text_url"]) for v in versions}


def test_verify_passes_on_a_built_site_and_names_each_altered_file(tmp_path: Path) -> None:
    root, site = built(tmp_path)
    assert verify(site) == (0, [])
    assert verify(site, "--root", str(root)) == (0, [])

    copy = tmp_path / "copy"
    shutil.copytree(site, copy)
    page = copy / "privacy" / "2022-04-01" / "index.html"
    page.write_text(page.read_text("utf-8").replace("本人確認及び", "本人確認並びに", 1), "utf-8")
    text = copy / "privacy" / "2021-04-01" / "text.md"
    text.write_bytes(text.read_bytes().replace("適切に".encode(), "適当に".encode()))
    diff = copy / "privacy" / "diff" / "2022-04-01" / "2023-04-14" / "index.html"
    html = diff.read_text("utf-8")
    assert html.count("追加：</span>かつ安全") == 1
    diff.write_text(html.replace("追加：</span>かつ安全", "追加：</span>かつ確実"), "utf-8")
    code, lines = verify(copy)
    assert code == 1
    assert lines[0].startswith("privacy/2021-04-01/text.md: has SHA-256 "), lines
    assert any(ln.startswith("privacy/2022-04-01/index.html: shows a text other than its "
                             "published text") for ln in lines), lines
    assert any(ln.startswith("privacy/diff/2022-04-01/2023-04-14/index.html: does not rebuild "
                             "the newer text (2023-04-14)") for ln in lines), lines
    assert len(lines) == 3, lines  # one finding per altered file, nothing else

    feed = copy / "privacy" / "feed.xml"
    chain = record(site)["documents"][0]["versions"][1]["chain"]  # type: ignore[index]
    feed.write_text(feed.read_text("utf-8").replace(chain, "0" * 64), "utf-8")
    code, lines = verify(copy)
    assert any(ln.startswith("privacy/feed.xml: gives chain 0000") for ln in lines), lines


def test_verify_against_the_sources_names_the_changed_file(tmp_path: Path) -> None:
    root, site = built(tmp_path)
    path = root / "versions" / "privacy" / "2022-04-01.md"
    path.write_text(path.read_text("utf-8").replace("本人確認及び", "本人確認並びに"), "utf-8")
    code, lines = verify(site, "--root", str(root))
    assert code == 1 and len(lines) == 1
    assert lines[0].startswith("versions/privacy/2022-04-01.md: has SHA-256 "), lines
    assert verify(site) == (0, [])  # the site on its own is still sound


def test_verify_says_when_a_folder_is_not_a_site(tmp_path: Path) -> None:
    code, lines = verify(tmp_path)
    assert code == 1 and lines == [
        "versions.json: is missing: this is not a site built by this tool"]


def build_elsewhere(root: Path) -> None:
    """Build ``root``'s sources into ``root/site`` from a copy outside git, where no pages
    branch refuses them: what only ``publish`` then stands against."""
    copy = root.parent / "elsewhere"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns(".git", "site", ".cache"))
    r = run_in_process("build", "--root", str(copy), "--out", str(root / "site"), "--as-of",
                       "2024-01-01", "--no-cache")
    assert r.code == 0, r.err


@pytest.fixture
def published(tmp_path: Path) -> Path:
    root = make_project(tmp_path / "proj", {"privacy": JA})
    git(root, "init", "-q", "-b", "main")
    assert run_in_process("lock", "--root", str(root), "--as-of", "2024-01-01").code == 0
    git(root, "add", "-A")
    git(root, "commit", "-qm", "content")
    assert run_in_process("build", "--root", str(root), "--as-of", "2024-01-01").code == 0
    r = run_in_process("publish", "--root", str(root))
    assert r.code == 0, r.err
    return root


def test_publish_refuses_a_rewritten_version_even_with_the_lock_rewritten(
        published: Path) -> None:
    root = published
    before = record(root / "site")["documents"][0]["versions"]  # type: ignore[index]
    branch = git(root, "rev-parse", "gh-pages")
    path = root / "versions" / "privacy" / "2022-04-01.md"
    path.write_text(path.read_text("utf-8").replace("本人確認及び", "本人確認並びに"), "utf-8")
    r = run_in_process("lock", "--root", str(root), "--as-of", "2024-01-01")
    assert r.code == 1 and "changed after it was locked" in r.err  # lock does not re-lock it
    lock = root / "content" / "versions.lock.json"  # but whoever rewrites can rewrite the lock
    old = json.loads(lock.read_text("utf-8"))["versions"]["privacy/2022-04-01"]["sha256"]
    new = hashlib.sha256(path.read_bytes().split(b"---\n", 2)[2]).hexdigest()
    lock.write_text(lock.read_text("utf-8").replace(old, new), "utf-8")
    git(root, "commit", "-qam", "quiet rewrite")
    for command in ("build", "check"):  # build and check refuse what publish refuses
        r = run_in_process(command, "--root", str(root), "--as-of", "2024-01-01")
        assert r.code == 1 and r.err.startswith(
            "versions/privacy/2022-04-01.md:5: the text of this version differs from the one "
            f"published on gh-pages (commit {branch[:10]}"), r.err
    build_elsewhere(root)
    r = run_in_process("publish", "--root", str(root))
    assert r.code == 1
    assert r.err.startswith("versions/privacy/2022-04-01.md:1: the text of this version differs "
                            "from the one published on gh-pages"), r.err
    assert "errata" in r.err and r.err.splitlines()[1:] == ["1 error: nothing was written"]
    assert git(root, "rev-parse", "gh-pages") == branch  # nothing committed

    after = record(root / "site")["documents"][0]["versions"]  # type: ignore[index]
    assert after[0]["chain"] == before[0]["chain"]
    assert all(a["chain"] != b["chain"] for a, b in zip(after[1:], before[1:]))

    body = path.read_text("utf-8").split("---\n", 2)[2]
    write(path, "---\neffective: 2022-04-01\nsummary: 第2条を新設しました。\nerrata:\n"
                "  - date: 2024-02-01\n    reason: 第3条の誤記を訂正\n---\n" + body)
    assert run_in_process("build", "--root", str(root), "--as-of", "2024-02-01").code == 0
    r = run_in_process("publish", "--root", str(root))
    assert r.code == 0 and "committed" in r.out, r.err


def test_publish_refuses_to_drop_a_published_version(published: Path) -> None:
    root = published
    git(root, "rm", "-q", "versions/privacy/2021-04-01.md")
    (root / "content" / "versions.lock.json").unlink()
    git(root, "commit", "-qam", "drop the first version")
    r = run_in_process("build", "--root", str(root), "--as-of", "2024-01-01")
    assert r.code == 1 and r.err.startswith(
        "versions/privacy/2021-04-01.md:1: this version is published on gh-pages"), r.err
    assert "is missing from the project" in r.err
    build_elsewhere(root)
    r = run_in_process("publish", "--root", str(root))
    assert r.code == 1 and r.err.startswith(
        "versions/privacy/2021-04-01.md:1: this version is published on gh-pages"), r.err


def test_publish_of_a_branch_from_another_tool_is_not_refused(tmp_path: Path) -> None:
    root = make_project(tmp_path / "proj")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "content")
    blob = subprocess.run(["git", "hash-object", "-w", "--stdin"], cwd=root, input="old site",
                          capture_output=True, text=True, check=True).stdout.strip()
    tree = subprocess.run(["git", "mktree"], cwd=root, capture_output=True, text=True, check=True,
                          input=f"100644 blob {blob}\tindex.html\n").stdout.strip()
    commit = git(root, "commit-tree", tree, "-m", "old")
    git(root, "update-ref", "refs/heads/gh-pages", commit)
    assert run_in_process("build", "--root", str(root), "--as-of", "2024-01-01").code == 0
    r = run_in_process("publish", "--root", str(root))
    assert r.code == 0 and "committed" in r.out, r.err


def test_a_fresh_clone_continues_the_remote_pages_branch_and_its_refusals(
        published: Path, tmp_path: Path) -> None:
    """A CI checkout has the pages branch only as origin/gh-pages."""
    remote = tmp_path / "remote.git"
    subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True)
    git(published, "remote", "add", "origin", str(remote))
    git(published, "push", "-q", "origin", "main", "gh-pages")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "-b", "main", str(remote), str(clone)], check=True)
    pages_before = git(remote, "rev-parse", "gh-pages")
    assert run_in_process("build", "--root", str(clone), "--as-of", "2024-01-01").code == 0
    r = run_in_process("publish", "--root", str(clone), "--remote", "origin")
    assert r.code == 0 and "unchanged" in r.out, r.err + r.out
    path = clone / "versions" / "privacy" / "2022-04-01.md"
    path.write_text(path.read_text("utf-8").replace("本人確認及び", "本人確認並びに"), "utf-8")
    (clone / "content" / "versions.lock.json").unlink()
    r = run_in_process("build", "--root", str(clone), "--as-of", "2024-01-01")
    assert r.code == 1 and "versions/privacy/2022-04-01.md:5: the text of this version " \
        "changed after it was locked" in r.err, r.err
    build_elsewhere(clone)
    r = run_in_process("publish", "--root", str(clone), "--remote", "origin")
    assert r.code == 1 and "differs from the one published on gh-pages" in r.err, r.err
    assert git(remote, "rev-parse", "gh-pages") == pages_before
    git(clone, "checkout", "-q", "--", ".")
    write(clone / "versions" / "privacy" / "2024-04-01.md",
          "---\neffective: 2024-04-01\nsummary: 第4条を新設\n---\n" + JA["2023-04-14"]
          + "\n## 第4条（開示）\n\n開示の求めに応じます。\n")
    assert run_in_process("build", "--root", str(clone), "--as-of", "2024-04-01").code == 0
    r = run_in_process("publish", "--root", str(clone), "--remote", "origin")
    assert r.code == 0 and "pushed to origin" in r.out, r.err
    assert git(remote, "rev-parse", "gh-pages^") == pages_before  # history continued
