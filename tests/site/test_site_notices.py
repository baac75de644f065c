"""Change notices: revision history, advance notice, Atom feeds, notice.txt."""

from __future__ import annotations

import json
from pathlib import Path

import feedparser
import pytest
from projects import make_project, tree_bytes, write
from support.building import run_in_process

UPCOMING = "2030-04-01"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_project(tmp_path_factory.mktemp("notices") / "p", {
        "privacy": {"2020-01-01": "# P\n\nFirst.\n", "2021-06-01": "# P\n\nSecond.\n"},
        "terms": {"2019-01-01": "# T\n\nTerms.\n"},
    })
    write(root / "versions" / "privacy" / f"{UPCOMING}.md",
          f"---\neffective: {UPCOMING}\nannounced: 2030-03-01\nsummary: |\n"
          "  Purposes of use change: <b>bold</b> & ]]> </script> </title> {{ 7*7 }}\n"
          "---\n# P\n\nThird.\n")
    return root


def build(root: Path, out: Path, as_of: str) -> Path:
    r = run_in_process("build", "--root", str(root), "--out", str(out), "--as-of", as_of)
    assert r.code == 0, r.err
    return out


@pytest.fixture(scope="module")
def before(project: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(project, tmp_path_factory.mktemp("before") / "o", "2030-03-15")


@pytest.fixture(scope="module")
def after(project: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(project, tmp_path_factory.mktemp("after") / "o", UPCOMING)


def feed(site: Path, rel: str) -> feedparser.FeedParserDict:
    parsed = feedparser.parse((site / rel).read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    return parsed


def test_feeds_parse_with_ids_dates_and_links(before: Path) -> None:
    site_feed = feed(before, "feed.xml")
    privacy = feed(before, "privacy/feed.xml")
    assert len(site_feed.entries) == 4 and len(privacy.entries) == 3
    first = privacy.entries[0]  # newest announcement first: the upcoming version
    assert first.id == f"tag:example.org,{UPCOMING}:privacy/{UPCOMING}"
    assert first.updated == "2030-03-01T00:00:00Z"
    links = {link.rel: link.href for link in first.links}
    assert links["alternate"] == f"https://example.org/legal/privacy/{UPCOMING}/"
    assert links["related"] == f"https://example.org/legal/privacy/diff/2021-06-01/{UPCOMING}/"
    assert "Purposes of use change" in first.content[0].value
    assert "{{ 7*7 }}" in first.content[0].value and "49" not in first.content[0].value
    assert privacy.feed.updated == "2030-03-01T00:00:00Z"
    assert len({e.id for e in site_feed.entries}) == 4


def test_feed_ids_do_not_change_with_the_build_date(before: Path, after: Path) -> None:
    for rel in ("feed.xml", "privacy/feed.xml", "terms/feed.xml"):
        a, b = feed(before, rel), feed(after, rel)
        assert [e.id for e in a.entries] == [e.id for e in b.entries]
        assert a.feed.id == b.feed.id
        assert (before / rel).read_bytes() == (after / rel).read_bytes()


def test_upcoming_version_moves_from_announced_to_current(before: Path, after: Path) -> None:
    data = json.loads((before / "versions.json").read_text("utf-8"))["documents"][0]
    assert data["current"] == "2021-06-01"
    assert data["versions"][-1]["status"] == "upcoming"
    page = (before / "privacy" / "index.html").read_text("utf-8")
    assert "2030年4月1日に改定版が施行されます。" in page
    assert f'href="{UPCOMING}/"' in page and f'href="diff/2021-06-01/{UPCOMING}/"' in page
    assert "Purposes of use change" in page
    assert "2030年4月1日に改定版が施行されます。" in (before / "index.html").read_text("utf-8")
    upcoming = (before / "privacy" / UPCOMING / "index.html").read_text("utf-8")
    assert "この版は2030年4月1日に施行される予定です。" in upcoming
    assert "Third." in upcoming

    data = json.loads((after / "versions.json").read_text("utf-8"))["documents"][0]
    assert data["current"] == UPCOMING
    assert [v["status"] for v in data["versions"]] == ["past", "past", "current"]
    page = (after / "privacy" / "index.html").read_text("utf-8")
    assert "改定版が施行されます" not in page and "Third." in page
    assert "施行される予定" not in (after / "privacy" / UPCOMING / "index.html").read_text()


def test_revision_history_newest_first_with_links(before: Path) -> None:
    page = (before / "privacy" / "versions" / "index.html").read_text("utf-8")
    order = [page.index(f'href="../{d}/"') for d in (UPCOMING, "2021-06-01", "2020-01-01")]
    assert order == sorted(order)
    assert 'href="../diff/2020-01-01/2021-06-01/"' in page
    assert "Change 1 of privacy." in page
    assert '<time datetime="2030-03-01">2030年3月1日</time>' in page


def test_version_page_shows_notice_with_dates(before: Path) -> None:
    page = (before / "privacy" / "2021-06-01" / "index.html").read_text("utf-8")
    assert "Change 1 of privacy." in page
    assert '<time datetime="2021-06-01">2021年6月1日</time>' in page
    assert 'href="../diff/2020-01-01/2021-06-01/"' in page


def test_notice_txt(before: Path, after: Path) -> None:
    text = (before / "privacy" / UPCOMING / "notice.txt").read_text("utf-8")
    assert text.startswith("【Privacy改定のお知らせ】")
    assert "2030年4月1日から施行します（公表日：2030年3月1日）" in text
    assert f"https://example.org/legal/privacy/{UPCOMING}/" in text
    assert "https://example.org/legal/privacy/2021-06-01/" in text
    assert f"https://example.org/legal/privacy/diff/2021-06-01/{UPCOMING}/" in text
    assert "Purposes of use change" in text
    assert "施行しました" in (after / "privacy" / UPCOMING / "notice.txt").read_text("utf-8")


def test_every_page_links_its_feeds(before: Path) -> None:
    page = (before / "privacy" / "2020-01-01" / "index.html").read_text("utf-8")
    assert '<link rel="alternate" type="application/atom+xml"' in page
    assert 'href="../../feed.xml"' in page and 'href="../feed.xml"' in page


def test_the_site_changes_only_on_its_own_dates(project: Path, before: Path, after: Path,
                                                 tmp_path: Path) -> None:
    """A daily build (a scheduled pipeline) publishes only when something happened: the
    pages show the last day a version was announced, took effect or was corrected, never
    the build date."""
    later = build(project, tmp_path / "later", "2030-03-31")  # 16 days on, same state
    assert tree_bytes(later) == tree_bytes(before)
    assert json.loads((before / "versions.json").read_text())["updated"] == "2030-03-01"
    assert json.loads((after / "versions.json").read_text())["updated"] == UPCOMING
    assert json.loads((before / "versions.json").read_text())["next_update"] == UPCOMING
    assert json.loads((after / "versions.json").read_text())["next_update"] is None
    assert "最終更新：2030年3月1日" in (before / "index.html").read_text("utf-8")
    assert "最終更新：2030年4月1日" in (after / "privacy" / "index.html").read_text("utf-8")
    assert "2030年3月15日" not in (before / "index.html").read_text("utf-8")
