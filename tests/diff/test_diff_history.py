"""Clause history from outside: ``data-last-changed`` on every heading of every version
page, the per-section history page, ``log -S`` and ``blame``, on a five-version project made
here (a section added, one amended twice, one renumbered, one never touched)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from contract import find, parse, visible
from projects import make_project
from support.building import run_in_process

V = ["2020-01-01", "2021-01-01", "2022-01-01", "2023-01-01", "2024-01-01"]


def _text(v: int) -> str:
    collect = {0: "We collect A.", 1: "We collect A and B.", 2: "We collect A and B.",
               3: "We collect A, B and C.", 4: "We collect A, B and C."}[v]
    security = {2: "We lock data away.", 3: "We lock data away.",
                4: "We lock data away and audit access."}
    n = 2 if v < 2 else 3
    parts = ["# Policy\n\n## 1. Purpose\n\nWhy we hold data.\n"]
    if v >= 2:
        parts.append(f"## 2. Security\n\n{security[v]}\n")
    parts.append(f"## {n}. Collection\n\n{collect}\n")
    parts.append(f"## {n + 1}. Contact\n\nWrite to us.\n")
    return "\n".join(parts)


#: For each version: heading text → the day its section last changed.
EXPECTED = {
    V[0]: {"Policy": V[0], "1. Purpose": V[0], "2. Collection": V[0], "3. Contact": V[0]},
    V[1]: {"Policy": V[1], "1. Purpose": V[0], "2. Collection": V[1], "3. Contact": V[0]},
    V[2]: {"Policy": V[2], "1. Purpose": V[0], "2. Security": V[2], "3. Collection": V[2],
           "4. Contact": V[2]},
    V[3]: {"Policy": V[3], "1. Purpose": V[0], "2. Security": V[2], "3. Collection": V[3],
           "4. Contact": V[2]},
    V[4]: {"Policy": V[4], "1. Purpose": V[0], "2. Security": V[4], "3. Collection": V[3],
           "4. Contact": V[2]},
}


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("clauses")
    root = make_project(base / "p", {"privacy": {d: _text(i) for i, d in enumerate(V)}},
                        language="en")
    out = base / "site"
    done = run_in_process("build", "--root", str(root), "--out", str(out), "--as-of", "2026-12-02",
                          "--quiet")
    assert done.code == 0, done.err
    return root, out


def _headings(page: Path) -> dict[str, str]:
    tree = parse(page.read_text("utf-8"))
    text = find(tree, "data-policy-text")[0]
    found = {}
    for el in text.iter():
        if isinstance(el.tag, str) and el.tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            assert "data-last-changed" in el.attrib, el.attrib
            found[visible(el)] = el.get("data-last-changed")
    return found


@pytest.mark.parametrize("key", V)
def test_every_heading_knows_when_its_section_last_changed(project: tuple[Path, Path],
                                                            key: str) -> None:
    _, out = project
    want = {k.replace(" ", ""): d for k, d in EXPECTED[key].items()}
    assert _headings(out / "privacy" / key / "index.html") == want
    if key == V[-1]:  # the current version, at the document's address too
        assert _headings(out / "privacy" / "index.html") == want


def test_the_day_is_shown_and_links_to_the_diff_of_that_change(
        project: tuple[Path, Path]) -> None:
    _, out = project
    page = out / "privacy" / V[4] / "index.html"
    tree = parse(page.read_text("utf-8"))
    marks = [a for a in tree.iter("a") if a.get("class") == "last-changed"]
    by_text = {"".join(a.itertext()): a.get("href") for a in marks}
    assert by_text["Amended 1 January 2023"].startswith(f"../diff/{V[2]}/{V[3]}/#change-")
    target = (page.parent / by_text["Amended 1 January 2023"].split("#")[0]).resolve()
    assert (target / "index.html").is_file()
    anchor = by_text["Amended 1 January 2023"].split("#")[1]
    diff = parse((target / "index.html").read_text("utf-8"))
    changed = [el for el in diff.iter() if isinstance(el.tag, str) and el.get("id") == anchor]
    assert changed and "C" in visible(changed[0])  # the link lands on that very change
    # screen readers get it from the contents list, which each heading points to
    toc = find(tree, "id", "lc-3-collection")
    assert toc and "1 January 2023" in "".join(toc[0].itertext())


def test_the_history_page_lists_exactly_the_versions_that_changed_each_section(
        project: tuple[Path, Path]) -> None:
    _, out = project
    tree = parse((out / "privacy" / "history" / "index.html").read_text("utf-8"))
    rows = {}
    for li in tree.iter("li"):
        if (li.get("class") or "").startswith("level-"):
            title = visible(li.find("h3"))
            rows[title] = [t.get("datetime") for ul in li.iter("ul") for t in ul.iter("time")]
    assert rows == {
        "Policy": [V[4], V[3], V[2], V[1]],
        "1.Purpose": [],
        "2.Security": [V[4], V[2]],
        "3.Collection": [V[3], V[2], V[1]],
        "4.Contact": [V[2]],
    }


def test_log_finds_the_versions_where_a_phrase_came_or_went(project: tuple[Path, Path]) -> None:
    root, _ = project
    done = run_in_process("log", "--root", str(root), "privacy", "-S", "and C", "--format", "json")
    assert done.code == 0, done.err
    assert [(v["effective"], v["before"], v["after"]) for v in json.loads(done.out)["versions"]
            ] == [(V[3], 0, 1)]
    done = run_in_process("log", "--root", str(root), "-S", "Security")
    assert done.out.splitlines()[0].startswith(f"privacy@{V[2]}  0 → 1")
    assert len(done.out.splitlines()) == 1


def test_blame_matches_the_pages(project: tuple[Path, Path]) -> None:
    root, out = project
    for key in V:
        done = run_in_process("blame", f"privacy@{key}", "--root", str(root), "--format", "json")
        assert done.code == 0, done.err
        got = {s["title"].replace(" ", ""): s["last_changed"]
               for s in json.loads(done.out)["sections"]}
        assert got == _headings(out / "privacy" / key / "index.html")
    text = run_in_process("blame", "privacy", "--root", str(root), "--as-of", "2026-12-02").out
    assert text.splitlines()[1] == f"{V[0]}    1. Purpose"
    bad = run_in_process("blame", "privacy@1999-01-01", "--root", str(root))
    assert bad.code == 2 and "no such version" in bad.err


def test_the_history_page_folds_each_sections_versions(project: tuple[Path, Path]) -> None:
    """One line per section, its list of versions folded behind their number."""
    _, out = project
    html = (out / "privacy" / "history" / "index.html").read_text("utf-8")
    folds = re.findall(r'<details class="amendments-fold"><summary class="label">([^<]+)'
                       r"</summary>\n<ul class=\"amendments\">", html)
    assert folds == ["Amended in (4)", "Amended in (2)",
                     "Amended in (3)", "Amended in (1)"]
