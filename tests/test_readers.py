"""What a reader who accepted an earlier version needs (part of issue 18): the notices of the
versions in between on a diff, the past version's way to what changed since, and public pages
with no developer instructions."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from projects import REPO, make_project
from support.building import run_in_process


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sample") / "site"
    r = run_in_process("build", "--root", str(REPO), "--out", str(out), "--as-of", "2026-12-03")
    assert r.code == 0, r.err
    return out


def test_a_diff_lists_the_change_notices_of_every_version_in_between(sample: Path) -> None:
    html = (sample / "privacy/diff/2021-03-03/2023-04-14/index.html").read_text("utf-8")
    section = html.split('<section class="notices-between"', 1)[1].split("</section>", 1)[0]
    linked = re.findall(r'<h3><a href="([^"]+)">', section)
    assert linked == ["../../../2022-04-01/", "../../../2023-04-14/"]
    for key in ("2022-04-01", "2023-04-14"):
        summary = (REPO / f"versions/privacy/{key}.md").read_text("utf-8")
        first = re.search(r"summary: \|\n\s+-?\s*(.{12})", summary) or re.search(
            r"summary: (.{12})", summary)
        assert first and first.group(1).strip("- ") in section, key


def test_a_past_version_links_what_changed_since(sample: Path) -> None:
    html = (sample / "privacy/2021-03-03/index.html").read_text("utf-8")
    banner = html.split('class="banner banner-past"', 1)[1].split("</div>", 1)[0]
    link = re.search(r'<a href="([^"]+)">この版から現行版までの変更</a>', banner)
    assert link and link.group(1) == "../diff/2021-03-03/2023-04-14/"


def test_no_public_page_gives_developer_instructions(sample: Path) -> None:
    for page in sample.rglob("*.html"):
        text = page.read_text("utf-8")
        assert "build.py" not in text and "python " not in text, page


def test_a_document_with_many_versions_says_how_to_reach_other_pairs(tmp_path: Path) -> None:
    versions = {f"202{n}-04-01": f"# 規約\n\n第{n}版の本文。\n" for n in range(1, 6)}
    root = make_project(tmp_path / "p", {"terms": versions})
    (root / "content/site.yaml").write_text(
        (root / "content/site.yaml").read_text("utf-8") + "compare_all_pairs_up_to: 2\n",
        "utf-8")
    out = tmp_path / "site"
    r = run_in_process("build", "--root", str(root), "--out", str(out), "--as-of", "2026-01-01")
    assert r.code == 0, r.err
    html = (out / "terms/compare/index.html").read_text("utf-8")
    assert "途中の版ごとの比較" in html and "build.py" not in html
    assert 'data-current="2025-04-01"' in html


def test_japanese_on_english_pages_is_marked_as_japanese(tmp_path: Path) -> None:
    import html5lib

    root = make_project(tmp_path / "p", {"privacy": {
        "2020-01-01": "# Privacy\n\nFirst text.\n",
        "2021-06-01": "# Privacy\n\nSecond text.\n"}}, language="en")
    out = tmp_path / "site"
    r = run_in_process("build", "--root", str(root), "--out", str(out), "--as-of", "2022-01-01")
    assert r.code == 0, r.err
    japanese = re.compile("[\u3040-\u30ff\u3400-\u9fff]")
    unmarked: list[str] = []

    def walk(el: object, lang: str, page: str) -> None:
        lang = el.get("lang", lang)  # type: ignore[attr-defined]
        tag = el.tag  # type: ignore[attr-defined]
        if tag in ("script", "style"):
            return
        for text in (el.text,):  # type: ignore[attr-defined]
            if text and japanese.search(text) and lang != "ja":
                unmarked.append(f"{page}: {text.strip()[:40]!r}")
        for child in el:  # type: ignore[attr-defined]
            if isinstance(child.tag, str):
                walk(child, lang, page)
            if child.tail and japanese.search(child.tail) and lang != "ja":
                unmarked.append(f"{page}: {child.tail.strip()[:40]!r}")

    pages = sorted(out.rglob("*.html"))
    assert any("新旧対照表" in p.read_text("utf-8") for p in pages)
    for page in pages:
        tree = html5lib.parse(page.read_text("utf-8"), namespaceHTMLElements=False)
        walk(tree, "", page.relative_to(out).as_posix())
    assert unmarked == []


def test_only_the_current_page_lists_every_earlier_version(sample: Path) -> None:
    """Pages do not grow with the history (part of issue 21): a past version links its
    neighbours and the archive; the current page lists every version, as the seed does."""
    current = (sample / "privacy/index.html").read_text("utf-8")
    assert current.count('<ul class="versions-list">') == 1
    past = (sample / "privacy/2020-10-01/index.html").read_text("utf-8")
    assert 'class="versions-list"' not in past
    steps = re.findall(r'<nav class="version-steps[^>]*><ul>(.*?)</ul></nav>', past, re.S)
    assert steps and re.findall(r'href="([^"]+)"', steps[0]) == [
        "../2020-06-08/", "../2020-11-03/", "../2023-04-14/"]
    assert '<a href="../versions/">' in past


def test_a_long_history_lists_each_versions_comparisons_not_a_matrix(tmp_path: Path) -> None:
    versions = {f"20{n:02d}-04-01": f"# 規約\n\n第{n}版の本文。\n" for n in range(10, 25)}
    root = make_project(tmp_path / "p", {"terms": versions})
    out = tmp_path / "site"
    r = run_in_process("build", "--root", str(root), "--out", str(out), "--as-of", "2026-01-01")
    assert r.code == 0, r.err
    html = (out / "terms/compare/index.html").read_text("utf-8")
    assert 'class="matrix"' not in html
    items = re.findall(r"<li>(\d{4}/\d+/\d+～[^<]*)：(.*?)</li>", html)
    assert len(items) == 15
    assert all("href" in links for _, links in items)
