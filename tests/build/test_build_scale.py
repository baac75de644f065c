"""Archive scale: pages that do not grow with the history, and work proportional to the change.

A new version of one document leaves every file of the other documents as the last build
wrote it (linked, not written again), and the site is byte for byte what a cold build
makes; a diff lists a bounded number of change notices; each document's footer carries its
own last update.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from projects import make_project, tree_bytes, version_text, write
from support.building import run_in_process

AS_OF = "2026-12-03"


def _body(n: int) -> str:
    return f"# 第{n}版\n\n## 第1条（目的）\n\n当社は、第{n}版の規定に従い個人情報を取り扱います。\n"


def _two_documents(root: Path) -> Path:
    return make_project(root, {
        "privacy": {"2020-01-01": _body(1), "2021-01-01": _body(2), "2022-01-01": _body(3)},
        "terms": {"2019-04-01": "# 利用規約\n\n第1条 本規約は…\n",
                  "2020-04-01": "# 利用規約\n\n第1条 本規約は、サービスの利用に適用します。\n"},
    }, titles={"privacy": "プライバシーポリシー", "terms": "利用規約"})


def _build(root: Path, out: Path, *extra: str) -> str:
    r = run_in_process("build", "--root", str(root), "--out", str(out), "--as-of", AS_OF, *extra)
    assert r.code == 0, r.err
    return r.out


def _as_cold(root: Path, out: Path, tmp: Path) -> None:
    """``out`` holds what a build from nothing (no cache, no earlier output) writes."""
    _build(root, tmp / "cold", "--no-cache")
    assert tree_bytes(out) == tree_bytes(tmp / "cold")


def _inodes(folder: Path, prefix: str) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_ino
            for p in folder.rglob("*") if p.is_file()
            and p.relative_to(folder).as_posix().startswith(prefix)}


def test_a_new_version_of_one_document_leaves_the_others_files_alone(tmp_path: Path) -> None:
    root = _two_documents(tmp_path / "p")
    out = tmp_path / "site"
    _build(root, out)
    terms_before = {**_inodes(out, "terms/"), **_inodes(out, "search/terms.json")}
    privacy_before = _inodes(out, "privacy/")
    assert terms_before and privacy_before
    write(root / "versions" / "privacy" / "2023-01-01.md",
          version_text("2023-01-01", _body(4), summary="第4版への改定。"))
    said = _build(root, out)
    # the very files (its search index too): linked, not rewritten
    assert {**_inodes(out, "terms/"), **_inodes(out, "search/terms.json")} == terms_before
    assert f", {len(terms_before)} pages of unchanged documents kept)" in said  # not rendered
    changed = [p for p, ino in _inodes(out, "privacy/").items() if privacy_before.get(p) != ino]
    assert "privacy/2023-01-01/index.html" in changed
    assert "privacy/index.html" in changed
    _as_cold(root, out, tmp_path)


def test_a_change_every_page_shows_is_written_everywhere(tmp_path: Path) -> None:
    """A document's title is in every page's footer: retitling one document rewrites the
    other's pages too, and the site is what a cold build makes."""
    root = _two_documents(tmp_path / "p")
    out = tmp_path / "site"
    _build(root, out)
    site_yaml = root / "content" / "site.yaml"
    site_yaml.write_text(site_yaml.read_text("utf-8").replace("title: 利用規約",
                                                               "title: サービス利用規約"), "utf-8")
    assert "kept" not in _build(root, out)
    page = (out / "privacy" / "2020-01-01" / "index.html").read_text("utf-8")
    assert "サービス利用規約" in page
    _as_cold(root, out, tmp_path)


def test_an_output_file_touched_since_is_written_again(tmp_path: Path) -> None:
    root = _two_documents(tmp_path / "p")
    out = tmp_path / "site"
    _build(root, out)
    page = out / "terms" / "2019-04-01" / "index.html"
    page.write_text("damaged", "utf-8")
    write(root / "versions" / "privacy" / "2023-01-01.md", version_text("2023-01-01", _body(4)))
    _build(root, out)
    assert page.read_text("utf-8") != "damaged"
    _as_cold(root, out, tmp_path)


def test_each_documents_footer_carries_its_own_last_update(tmp_path: Path) -> None:
    root = _two_documents(tmp_path / "p")
    out = tmp_path / "site"
    _build(root, out)

    def footer(path: str) -> str:
        html = (out / path).read_text("utf-8")
        found = re.search(r"最終更新：([^<]+)<", html.split('<footer', 1)[1])
        assert found, path
        return found.group(1)

    assert footer("privacy/index.html") == "2022年1月1日"
    assert footer("terms/index.html") == "2020年4月1日"
    assert footer("index.html") == "2022年1月1日"  # the site's own pages: the latest of all


def test_a_diff_far_apart_lists_the_latest_notices_and_links_the_history(tmp_path: Path
                                                                          ) -> None:
    dates = [f"{2000 + n}-01-01" for n in range(15)]
    root = make_project(tmp_path / "p", {"privacy": {d: _body(n) for n, d in
                                                     enumerate(dates, 1)}})
    out = tmp_path / "site"
    _build(root, out)
    html = (out / f"privacy/diff/{dates[0]}/{dates[-1]}/index.html").read_text("utf-8")
    section = html.split('<section class="notices-between"', 1)[1].split("</section>", 1)[0]
    linked = re.findall(r'<h3><a href="\.\./\.\./\.\./([^/"]+)/">', section)
    assert linked == dates[-10:]  # the ten latest of the fourteen in between
    assert "このほか、それより前に4件の改定があります。" in section
    assert re.search(r'<a href="\.\./\.\./\.\./versions/">改定履歴</a>', section)
    near = (out / f"privacy/diff/{dates[-2]}/{dates[-1]}/index.html").read_text("utf-8")
    assert "それより前に" not in near


def test_every_pair_is_diffed_only_for_short_histories(tmp_path: Path) -> None:
    """Up to 7 versions every pair has a diff; from 8 on, each version against the one
    before it and against the current one (2n-3 pairs, not n(n-1)/2)."""
    for n, pairs in ((7, 21), (8, 13)):
        dates = [f"{2000 + k}-01-01" for k in range(n)]
        root = make_project(tmp_path / f"p{n}", {"privacy": {d: _body(k) for k, d in
                                                              enumerate(dates, 1)}})
        out = tmp_path / f"site{n}"
        _build(root, out)
        inline = [p for p in (out / "privacy" / "diff").glob("*/*/index.html")]
        assert len(inline) == pairs, n


def test_an_upcoming_version_leaves_the_stored_views_of_the_others(tmp_path: Path) -> None:
    """An upcoming version ends the current one's period, which every diff against the
    current version names in its column head: only the one new diff is computed, and the
    site is what a cold build makes."""
    dates = [f"{2000 + k}-01-01" for k in range(9)]
    root = make_project(tmp_path / "p", {"privacy": {d: _body(k) for k, d in
                                                     enumerate(dates, 1)}})
    out = tmp_path / "site"
    _build(root, out)
    write(root / "versions" / "privacy" / "2027-01-01.md",
          version_text("2027-01-01", _body(10), announced="2026-12-01", summary="予告。"))
    said = _build(root, out)
    assert re.search(r"\b1 of \d+ diffs computed", said), said
    head = (out / f"privacy/diff/{dates[0]}/{dates[-1]}/side-by-side/index.html"
            ).read_text("utf-8").split("<thead>", 1)[1].split("</thead>", 1)[0]
    assert "2008/1/1～2026/12/31" in head, head
    _as_cold(root, out, tmp_path)


def _counts(said: str) -> tuple[int, int, int, int]:
    """(texts rendered anew, texts in all, diffs computed anew, diffs in all) as said."""
    found = re.search(r"\((\d+) of (\d+) texts rendered, (\d+) of (\d+) diffs computed", said)
    assert found, said
    return tuple(int(g) for g in found.groups())  # type: ignore[return-value]


def test_a_kept_document_is_neither_rendered_nor_compared_and_keeps_its_cache(tmp_path: Path
                                                                              ) -> None:
    """The build does not look at the texts of a document whose pages it keeps: it renders
    and compares only the other document's, the site is still what a cold build makes, and
    the kept document's cache entries are still there for a build that needs them."""
    root = _two_documents(tmp_path / "p")
    out = tmp_path / "site"
    cold = _counts(_build(root, out))
    write(root / "versions" / "privacy" / "2023-01-01.md",
          version_text("2023-01-01", _body(4), summary="第4版への改定。"))
    added = _counts(_build(root, out))
    assert added[1] == 7  # privacy's four texts and three notices; none of terms'
    assert added[3] == 6  # privacy's pairs of four versions; none of terms
    _as_cold(root, out, tmp_path)
    again = _counts(_build(root, tmp_path / "elsewhere"))  # no output to keep: every page
    assert again[0] == again[2] == 0  # yet every text and diff from the cache
    assert again[1] == cold[1] + 2


def test_a_kept_documents_warnings_are_still_reported(tmp_path: Path) -> None:
    root = _two_documents(tmp_path / "p")
    write(root / "versions" / "terms" / "2020-04-01.md",
          version_text("2020-04-01", "# 利用規約\n\n第1条 [定義](#teigi)による。\n"))
    out = tmp_path / "site"
    warning = "versions/terms/2020-04-01.md"
    first = run_in_process("build", "--root", str(root), "--out", str(out), "--as-of", AS_OF)
    assert warning in first.err and "#teigi" in first.err
    write(root / "versions" / "privacy" / "2023-01-01.md",
          version_text("2023-01-01", _body(4), summary="第4版への改定。"))
    second = run_in_process("build", "--root", str(root), "--out", str(out), "--as-of", AS_OF)
    assert "pages of unchanged documents kept" in second.out
    assert second.err == first.err


def test_a_document_linking_to_another_is_looked_at_again(tmp_path: Path) -> None:
    """A relative link to another document's page is checked against the pages the site
    has: when that page comes, the warning goes, though the linking text did not change."""
    root = _two_documents(tmp_path / "p")
    write(root / "versions" / "terms" / "2020-04-01.md",
          version_text("2020-04-01", "# 利用規約\n\n第1条 [方針](../privacy/2023-01-01/)による。\n"))
    out = tmp_path / "site"
    first = run_in_process("build", "--root", str(root), "--out", str(out), "--as-of", AS_OF)
    assert "../privacy/2023-01-01/" in first.err
    write(root / "versions" / "privacy" / "2023-01-01.md", version_text("2023-01-01", _body(4)))
    second = run_in_process("build", "--root", str(root), "--out", str(out), "--as-of", AS_OF)
    assert second.code == 0 and "../privacy/2023-01-01/" not in second.err
    _as_cold(root, out, tmp_path)


def test_a_removed_documents_cache_goes_with_it(tmp_path: Path) -> None:
    root = _two_documents(tmp_path / "p")
    out = tmp_path / "site"
    _build(root, out)
    cache = root / ".cache" / "policy_archive"
    assert sorted(p.name for p in (cache / "markdown").iterdir()) == ["privacy.pickle",
                                                                      "terms.pickle"]
    site_yaml = root / "content" / "site.yaml"
    text = site_yaml.read_text("utf-8")
    site_yaml.write_text(re.sub(r"  - slug: terms\n    title: 利用規約\n", "", text), "utf-8")
    import shutil

    shutil.rmtree(root / "versions" / "terms")
    _build(root, out)
    assert [p.name for p in (cache / "markdown").iterdir()] == ["privacy.pickle"]
    _as_cold(root, out, tmp_path)


# --- a kept document's upcoming version ----------------------------------------------


def test_a_kept_documents_upcoming_version_is_still_announced_site_wide(tmp_path: Path
                                                                       ) -> None:
    root = _two_documents(tmp_path / "p")
    write(root / "versions" / "terms" / "2027-01-01.md",
          version_text("2027-01-01", "# 利用規約\n\n第1条 本規約は、全サービスに適用します。\n",
                       announced="2026-11-01", summary="適用範囲を広げます。"))
    out = tmp_path / "site"
    _build(root, out)
    write(root / "versions" / "privacy" / "2023-01-01.md",
          version_text("2023-01-01", _body(4), summary="第4版への改定。"))
    assert "pages of unchanged documents kept" in _build(root, out)
    start = (out / "index.html").read_text("utf-8")
    assert "適用範囲を広げます。" in start  # the kept document's notice, on the start page
    _as_cold(root, out, tmp_path)


# --- any sequence of edits: the kept build is the cold build ------------------------------

_DOCS = ("privacy", "terms", "cookies")
_EDITS = st.lists(st.tuples(st.sampled_from(["add", "summary", "retitle", "touch", "remove",
                                             "upcoming", "nothing"]),
                            st.integers(0, len(_DOCS) - 1)), min_size=1, max_size=4)


@settings(max_examples=8, deadline=None)
@given(_EDITS)
def test_any_edits_build_what_a_cold_build_makes(edits: list[tuple[str, int]]) -> None:
    """After each edit (a version added, a notice or a title changed, an output file touched
    or removed, an upcoming version announced), the build into the last output, keeping what
    it may, writes the very bytes of a build from nothing."""
    import datetime as dt
    import tempfile

    from policy_archive.build.pipeline import build
    from policy_archive.runtime.cache import Cache

    as_of = dt.date(2026, 12, 3)
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        root = make_project(base / "p", {
            slug: {"2020-01-01": _body(1) + f"\n{slug}\n", "2021-01-01": _body(2) + f"\n{slug}\n"}
            for slug in _DOCS})
        out, cache = base / "site", Cache(base / "cache")
        build(root, out, as_of, cache=cache, jobs=1)
        added = dict.fromkeys(_DOCS, 0)
        for n, (edit, i) in enumerate(edits):
            slug = _DOCS[i]
            folder = root / "versions" / slug
            if edit == "add":
                added[slug] += 1
                write(folder / f"{2021 + added[slug]}-01-01.md",
                      version_text(f"{2021 + added[slug]}-01-01", _body(2 + added[slug]),
                                   summary=f"{slug}の改定{n}。"))
            elif edit == "summary":
                newest = sorted(folder.glob("20*.md"))[-1]
                newest.write_text(newest.read_text("utf-8").replace(
                    "summary:", f"summary: 改{n}", 1), "utf-8")
            elif edit == "retitle":
                site_yaml = root / "content" / "site.yaml"
                site_yaml.write_text(re.sub(rf"(slug: {slug}\n    title: )(.*)",
                                            rf"\g<1>\g<2>{n}", site_yaml.read_text("utf-8")),
                                     "utf-8")
            elif edit == "upcoming":
                write(folder / "2027-06-01.md",
                      version_text("2027-06-01", _body(9), announced="2026-11-01",
                                   summary=f"予告{n}。"))
            elif edit in ("touch", "remove"):
                page = out / slug / "2020-01-01" / "index.html"
                if edit == "touch" and page.exists():
                    page.write_text("damaged", "utf-8")
                elif page.exists():
                    page.unlink()
            build(root, out, as_of, cache=cache, jobs=1)
            build(root, base / f"cold{n}", as_of, cache=Cache(None), jobs=1)
            assert tree_bytes(out) == tree_bytes(base / f"cold{n}"), (n, edits)


def test_a_long_documents_view_pickles_and_is_stored_without_its_texts() -> None:
    """A kept document's view names each version's predecessor by its key (``previous``),
    not by the object: at fifteen hundred versions it pickles (a chain of objects would be
    too deep), and it is stored without the texts only its own pages show."""
    import datetime as dt
    import pickle

    from markupsafe import Markup

    from policy_archive.site.models import DocumentView, VersionView

    versions = tuple(VersionView(
        key=f"v{i}", slug="privacy", title="方針", effective=dt.date(2000, 1, 1) + dt.timedelta(i),
        effective_to=None, announced=None, status="past", summary_html=Markup(""),
        note_html=Markup(""), errata=(), sha256=str(i), html=Markup("<p>本文</p>"),
        headings=(), commit=None, previous=f"v{i - 1}" if i else None,
        diff_from_previous=None, diff_with_current=None) for i in range(1500))
    doc = DocumentView("privacy", "方針", versions)
    back = pickle.loads(pickle.dumps(doc.without_texts()))
    assert back.versions[700].previous == "v699" and back.versions[0].previous is None
    assert back.version("v699").key == "v699"
    assert back.versions[5].html == "" and doc.versions[5].html  # the texts are not stored


# --- which documents a build takes from the last one: decided once ----------------------

_LEFT = {"terms/index.html": (1, 1), "terms/2020-04-01/index.html": (2, 2),
         "privacy/index.html": (3, 3), "index.html": (4, 4)}


@pytest.mark.parametrize(("case", "changed", "touched", "skipped", "reused"), [
    ("nothing changed", set(), set(), {"terms"},
     {"terms/index.html", "terms/2020-04-01/index.html", "privacy/index.html"}),
    ("privacy edited", {"privacy"}, set(), {"terms"},
     {"terms/index.html", "terms/2020-04-01/index.html"}),
    ("a terms page touched", set(), {"terms/index.html"}, set(),
     {"terms/2020-04-01/index.html", "privacy/index.html"}),
    ("terms edited", {"terms"}, set(), set(), {"privacy/index.html"}),
    ("the start page touched", set(), {"index.html"}, {"terms"},
     {"terms/index.html", "terms/2020-04-01/index.html", "privacy/index.html"}),
])
def test_reuse_is_decided_once_from_inputs_and_the_folder(
        tmp_path: Path, case: str, changed: set[str], touched: set[str], skipped: set[str],
        reused: set[str]) -> None:
    """:func:`reuse.decide`: a document whose inputs are the last build's reuses the files
    the folder holds as that build left them (never a site-wide one); it is skipped when all
    of its pages' files are so held and the last build recorded it as skippable."""
    import datetime as dt
    import pickle

    from policy_archive.build import reuse
    from policy_archive.content.load import load_archive
    from policy_archive.site.models import DocumentView

    archive = load_archive(_two_documents(tmp_path / "p"), dt.date.fromisoformat(AS_OF))
    last_inputs = {"privacy": "p1", "terms": "t1"}
    inputs = {s: h + ("x" if s in changed else "") for s, h in last_inputs.items()}
    terms = reuse.SkippedDocument("t1", DocumentView("terms", "利用規約", ()),
                                  ("terms/", "terms/2020-04-01/"), ("terms/",), ())
    state = {rel: ((9, 9) if rel in touched else st) for rel, st in _LEFT.items()}
    last = reuse.LastBuild(last_inputs, _LEFT, pickle.dumps({"terms": terms}), state)
    taken = reuse.decide(archive, inputs, last)
    assert set(taken.skipped) == skipped, case
    assert taken.reused == reused, case
    assert set(taken.linked) == ({"terms/index.html", "terms/2020-04-01/index.html"}
                                 if skipped else set()), case
    assert reuse.decide(archive, inputs, None) == reuse.Reuse(inputs)  # no last build
