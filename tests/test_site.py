"""End to end: build.py on the sample and on projects made here; read the built files."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest
from contract import find, inline_sides, page_file, parse, policy_text, source_text
from projects import REPO, make_project, run_build, tree_bytes, version_text, write
from support.building import run_in_process

SEED_LIST = ["2022/4/1～2023/4/13", "2021/3/3～2022/3/31", "2020/11/3～2021/3/2",
             "2020/10/1～2020/11/2", "2020/6/8～2020/9/30", "2016/8/1～2020/6/7"]


@pytest.fixture(scope="module")
def sample(sample_site: Path) -> Path:
    """The sample built as of 2026-11-26 (the session's, shared with the other tests)."""
    return sample_site


def html(site: Path, rel: str) -> str:
    return (site / rel).read_text("utf-8")


def test_versions_json_contract(sample: Path) -> None:
    data = json.loads(html(sample, "versions.json"))
    assert data["base_url"] == "https://norel.jp/policies/"
    (doc,) = data["documents"]
    assert (doc["slug"], doc["title"], doc["current"]) == ("privacy", "プライバシーポリシー",
                                                           "2023-04-14")
    dates = [v["effective"] for v in doc["versions"]]
    assert dates == ["2016-08-01", "2020-06-08", "2020-10-01", "2020-11-03", "2021-03-03",
                     "2022-04-01", "2023-04-14"]
    for v, nxt in zip(doc["versions"], [*dates[1:], None]):
        assert v["status"] == ("current" if v["effective"] == "2023-04-14" else "past")
        assert v["url"] == f"https://norel.jp/policies/privacy/{v['effective']}/"
        body = (REPO / "versions" / "privacy" / f"{v['effective']}.md").read_text("utf-8")
        text = body.split("\n---\n", 1)[1]
        assert v["sha256"] == hashlib.sha256(text.encode()).hexdigest()
        if nxt is None:
            assert v["effective_to"] is None
        else:
            assert v["effective_to"] < nxt
    pairs = {(d["from"], d["to"]) for d in doc["diffs"]}
    assert len(pairs) == 21  # 7 versions: every pair pre-rendered
    assert all(d["url"].endswith(f"/privacy/diff/{d['from']}/{d['to']}/") for d in doc["diffs"])


def test_every_version_page_shows_exactly_its_source_text(sample: Path) -> None:
    data = json.loads(html(sample, "versions.json"))
    for v in data["documents"][0]["versions"]:
        page = page_file(sample, v["url"], data["base_url"])
        src = REPO / "versions" / "privacy" / f"{v['effective']}.md"
        assert policy_text(page) == source_text(src), v["effective"]
    assert policy_text(sample / "privacy" / "index.html") == source_text(
        REPO / "versions" / "privacy" / "2023-04-14.md")


def test_inline_diffs_rebuild_both_versions(sample: Path) -> None:
    data = json.loads(html(sample, "versions.json"))
    doc = data["documents"][0]
    texts = {v["effective"]: policy_text(page_file(sample, v["url"], data["base_url"]))
             for v in doc["versions"]}
    for d in doc["diffs"]:
        old, new = inline_sides(page_file(sample, d["url"], data["base_url"]))
        assert old == texts[d["from"]], d
        assert new == texts[d["to"]], d


def test_current_page_lists_earlier_versions_like_the_seed(sample: Path) -> None:
    for rel in ("privacy/index.html", "privacy/2023-04-14/index.html"):
        tree = parse(html(sample, rel))
        section = [el for el in tree.iter() if el.get("class") == "earlier"][0]
        links = [(a.text, a.get("href")) for a in section.iter("a")][:-1]
        assert [t for t, _ in links] == SEED_LIST
        assert links[0][1].rstrip("/").endswith("2022-04-01")
    assert "2023年4月14日" in html(sample, "privacy/index.html")


def test_past_version_has_a_banner_linking_the_current_one(sample: Path) -> None:
    page = html(sample, "privacy/2020-06-08/index.html")
    assert "2020/6/8～2020/9/30に適用されていた過去の版" in page
    assert 'href="../"' in page  # the current version, relative
    assert "サンプル" in page and "再構成" in page  # the reconstruction note is shown
    assert '<time datetime="2020-06-08">' in page


def test_page_kinds_exist_and_are_wellformed(sample: Path) -> None:
    for rel in ["index.html", "privacy/index.html", "privacy/versions/index.html",
                "privacy/compare/index.html", "privacy/2016-08-01/index.html",
                "privacy/diff/2022-04-01/2023-04-14/index.html",
                "privacy/diff/2022-04-01/2023-04-14/side-by-side/index.html",
                "privacy/diff/2022-04-01/2023-04-14/table/index.html", "404.html"]:
        text = html(sample, rel)
        assert text.startswith("<!DOCTYPE html>\n<html lang=\"ja\">"), rel
        assert '<link rel="canonical" href="https://norel.jp/policies/' in text, rel
        assert 'rel="alternate" type="application/atom+xml"' in text, rel
        assert "Content-Security-Policy" in text, rel
        assert not re.search(r'(src|href)="(https?:)?//(?!norel\.jp)', text.replace(
            'href="https://norel.jp/agreement"', "")), rel
    for rel in ["feed.xml", "privacy/feed.xml", "sitemap.xml", "robots.txt", "_headers",
                ".nojekyll", "privacy/2023-04-14/notice.txt"]:
        assert (sample / rel).is_file(), rel


def test_archive_page_lists_every_version_with_period_and_notice(sample: Path) -> None:
    page = html(sample, "privacy/versions/index.html")
    for label in SEED_LIST:
        assert label in page
    assert "2023/4/14～" in page
    assert "PLS株式会社を追加しました" in page
    assert page.count('<form class="compare"') == 1


def test_two_document_english_project(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", {
        "privacy": {"2020-01-01": "# Privacy\n\nWe keep 490 records.\n",
                    "2021-01-01": "# Privacy\n\nWe keep 550 records.\n",
                    "2099-01-01": "# Privacy\n\nWe keep 600 records.\n"},
        "terms-of-use": {"2019-05-01": "# Terms\n\n## 1. Use\n\nBe nice.\n"},
    }, titles={"privacy": "Privacy Policy", "terms-of-use": "Terms of Use"}, language="en")
    out = tmp_path / "out"
    r = run_in_process("build", "--root", str(root), "--out", str(out), "--as-of", "2022-01-01")
    assert r.code == 0, r.err
    data = json.loads((out / "versions.json").read_text("utf-8"))
    assert [d["slug"] for d in data["documents"]] == ["privacy", "terms-of-use"]
    privacy, terms = data["documents"]
    assert privacy["current"] == "2021-01-01" and terms["current"] == "2019-05-01"
    assert [v["status"] for v in privacy["versions"]] == ["past", "current", "upcoming"]
    assert privacy["versions"][1]["effective_to"] == "2098-12-31"
    assert terms["diffs"] == []
    start = (out / "index.html").read_text("utf-8")
    assert '<html lang="en">' in start and "Terms of Use" in start
    assert "takes effect on 1 January 2099" in start  # advance notice on the start page
    current = (out / "privacy" / "index.html").read_text("utf-8")
    assert "A revised version takes effect on 1 January 2099." in current
    upcoming = (out / "privacy" / "2099-01-01" / "index.html").read_text("utf-8")
    assert "This version takes effect on 1 January 2099" in upcoming
    assert "Past version" in (out / "privacy" / "2020-01-01" / "index.html").read_text("utf-8")
    old, new = inline_sides(out / "privacy" / "diff" / "2020-01-01" / "2021-01-01" / "index.html")
    assert (old, new) == ("PrivacyWekeep490records.", "PrivacyWekeep550records.")
    diff_page = (out / "privacy" / "diff" / "2020-01-01" / "2021-01-01" / "index.html").read_text()
    assert re.search(r"<del>.*490.*</del><ins>.*550.*</ins>", diff_page)


def test_templates_in_the_project_override_the_built_in_ones(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p")
    write(root / "templates" / "start.html",
          '{% extends "base.html" %}{% block content %}<p>Custom start {{ site.title }}</p>'
          "{% endblock %}")
    r = run_in_process("build", "--root", str(root), "--out", str(tmp_path / "o"))
    assert r.code == 0, r.err
    assert "<p>Custom start Example Policies</p>" in (tmp_path / "o" / "index.html").read_text()


def test_default_command_builds_the_sample_into_site(tmp_path: Path) -> None:
    # `python build.py` with no arguments: the bundled sample into <repo>/site.
    r = run_build("--as-of", "2026-11-26")
    assert r.code == 0, r.err
    assert re.match(r"built \d+ pages \(\d+ files, \d+ written\) into .* in \d+\.\d+ s", r.out)
    assert (REPO / "site" / "privacy" / "2023-04-14" / "index.html").is_file()


def test_source_date_epoch_sets_the_build_date(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", {"privacy": {"2020-01-01": "A\n", "2021-06-01": "B\n"}})
    out = tmp_path / "o"
    r = run_in_process("build", "--root", str(root), "--out", str(out),
                       env={"SOURCE_DATE_EPOCH": str(1609459200)})  # 2021-01-01
    assert r.code == 0, r.err
    data = json.loads((out / "versions.json").read_text("utf-8"))
    assert data["documents"][0]["current"] == "2020-01-01"


def test_policy_text_element_holds_only_policy_text(sample: Path) -> None:
    tree = parse(html(sample, "privacy/2020-10-01/index.html"))
    (el,) = find(tree, "data-policy-text")
    tags = {c.tag for c in el.iter() if isinstance(c.tag, str)}
    assert tags <= {"article", "h1", "h2", "h3", "p", "ul", "li", "br", "a", "table", "thead",
                    "tbody", "tr", "th", "td", "strong", "em", "code"}


def test_rebuild_with_nothing_changed_gives_the_same_tree(sample: Path, tmp_path: Path) -> None:
    out = tmp_path / "again"
    again = run_in_process("build", "--root", str(REPO), "--out", str(out),
                           "--as-of", "2026-11-26")
    assert again.code == 0, again.err
    assert tree_bytes(out) == tree_bytes(sample)


def test_version_text_helper_round_trips() -> None:
    assert version_text("2020-01-01", "x\n", summary="a\nb").startswith("---\neffective: 2020")
