"""Translations (issue 20): a Japanese original with English translations, read from outside.

The project (tests/projects.py) has four Japanese versions and English translations of three
of them (2021-04-01 is not translated); built as of 2026-11-26, 2022-04-01 is current.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import feedparser
import pytest
from contract import find, inline_sides, page_file, parse, policy_text, source_text
from projects import (
    REPO,
    TRANSLATED_VERSIONS,
    make_project,
    make_translated_project,
    translation_text,
    tree_bytes,
    write,
)
from support.building import run_in_process

AS_OF = "2026-11-26"
BASE = "https://example.org/legal/"
KEYS = list(TRANSLATED_VERSIONS)
TRANSLATED = [k for k, (_, en) in TRANSLATED_VERSIONS.items() if en is not None]
UNTRANSLATED = "2021-04-01"
CURRENT = "2022-04-01"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_translated_project(tmp_path_factory.mktemp("translated") / "p")


@pytest.fixture(scope="module")
def site(project: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("translated-site") / "site"
    r = run_in_process("build", "--root", str(project), "--out", str(out), "--as-of", AS_OF)
    assert r.code == 0, r.err
    return out


def page(site: Path, path: str) -> str:
    return (site / (path + "index.html" if path == "" or path.endswith("/") else path)
            ).read_text("utf-8")


def html_lang(html: str) -> str:
    m = re.search(r'<html lang="([^"]+)">', html)
    assert m, "no <html lang>"
    return m.group(1)


def alternates(html: str) -> dict[str, str]:
    return dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html))


def switch_links(html: str) -> dict[str, Any]:
    nav = find(parse(html), "class", "language-switch")
    assert len(nav) == 1, "one language switch"
    return {a.get("hreflang"): a for a in nav[0].iter("a")}


# --- pages and alternates -------------------------------------------------------------------

EN_PAGES = ["en/", "en/privacy/", "en/privacy/versions/", "en/privacy/compare/",
            *(f"en/privacy/{k}/" for k in KEYS),
            *(f"en/privacy/{k}/text.md" for k in TRANSLATED),
            "en/feed.xml", "en/privacy/feed.xml"]


@pytest.mark.parametrize("path", EN_PAGES)
def test_every_english_page_exists(site: Path, path: str) -> None:
    assert (site / (path + "index.html" if path.endswith("/") else path)).is_file()


def test_no_text_is_published_for_an_untranslated_version(site: Path) -> None:
    assert not (site / "en" / "privacy" / UNTRANSLATED / "text.md").exists()


@pytest.mark.parametrize("path", ["", "privacy/", "privacy/versions/", "privacy/compare/",
                                  *(f"privacy/{k}/" for k in KEYS)])
def test_each_page_has_alternates_in_both_languages(site: Path, path: str) -> None:
    ja, en = page(site, path), page(site, "en/" + path)
    assert html_lang(ja) == "ja" and html_lang(en) == "en"
    expected = {"ja": BASE + path, "en": BASE + "en/" + path, "x-default": BASE + path}
    assert alternates(ja) == expected
    assert alternates(en) == expected
    for href in expected.values():  # every alternate is a page of the site
        assert page_file(site, href, BASE).is_file(), href


def test_a_page_only_the_original_has_gets_no_alternates(site: Path) -> None:
    history = page(site, "privacy/history/")
    assert alternates(history) == {}
    links = switch_links(history)
    assert links["en"].get("href") == "../../en/privacy/"  # the nearest English page above
    assert "data-keep-section" not in links["en"].attrib


def test_a_site_in_one_language_has_no_switch_and_no_alternates(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p")
    out = tmp_path / "o"
    assert run_in_process("build", "--root", str(root), "--out", str(out),
                          "--as-of", AS_OF).code == 0
    files = tree_bytes(out)
    assert not any(f.startswith("en/") for f in files)
    assert not any("languages." in f for f in files)
    html = page(out, "privacy/")
    assert "hreflang" not in html and "language-switch" not in html
    assert "translations" not in (out / "versions.json").read_text("utf-8")


def test_sitemap_lists_the_translated_pages(site: Path) -> None:
    sitemap = (site / "sitemap.xml").read_text("utf-8")
    for path in ["en/", "en/privacy/", *(f"en/privacy/{k}/" for k in KEYS)]:
        assert f"<loc>{BASE}{path}</loc>" in sitemap


# --- texts: each translated page shows exactly its translation -------------------------------


@pytest.mark.parametrize("key", TRANSLATED)
def test_translated_page_text_equals_its_source(site: Path, project: Path, key: str) -> None:
    source = project / "versions" / "privacy" / f"{key}.en.md"
    shown = policy_text(site / "en" / "privacy" / key / "index.html")
    assert shown == source_text(source)
    assert shown != policy_text(site / "privacy" / key / "index.html")  # not the original


def test_the_current_translation_is_the_document_page(site: Path, project: Path) -> None:
    shown = policy_text(site / "en" / "privacy" / "index.html")
    assert shown == source_text(project / "versions" / "privacy" / f"{CURRENT}.en.md")


def test_originals_still_show_their_own_text(site: Path, project: Path) -> None:
    for key in KEYS:
        assert policy_text(site / "privacy" / key / "index.html") == source_text(
            project / "versions" / "privacy" / f"{key}.md")


@pytest.mark.parametrize("key", TRANSLATED)
def test_a_translated_page_names_its_original_and_says_it_prevails(site: Path,
                                                                   key: str) -> None:
    html = page(site, f"en/privacy/{key}/")
    tree = parse(html)
    article = find(tree, "data-policy-text")[0]
    assert article.get("lang") == "en"
    banner = [el for el in find(tree, "class", "banner banner-translation")]
    assert len(banner) == 1
    text = "".join(banner[0].itertext())
    assert "This is an English translation for reference. The Japanese original prevails." \
        in text
    links = [a.get("href") for a in banner[0].iter("a")]
    assert links == ["../../../privacy/" + key + "/"]
    assert key.replace("-04-", "-05-") in html  # the translation date, as <time datetime>
    assert "data-last-changed" not in html  # clause marks are the original's


def test_the_site_wording_of_the_notice_is_used(tmp_path: Path) -> None:
    root = make_translated_project(tmp_path / "p")
    yaml = (root / "content" / "site.yaml").read_text("utf-8")
    write(root / "content" / "site.yaml",
          yaml + "translation_notice:\n  en: Only the Japanese text <b>binds</b> us.\n")
    out = tmp_path / "o"
    assert run_in_process("build", "--root", str(root), "--out", str(out),
                          "--as-of", AS_OF).code == 0
    html = page(out, f"en/privacy/{CURRENT}/")
    assert "Only the Japanese text &lt;b&gt;binds&lt;/b&gt; us." in html
    assert "for reference" not in html


def test_the_untranslated_version_says_so_and_links_the_original(site: Path) -> None:
    html = page(site, f"en/privacy/{UNTRANSLATED}/")
    tree = parse(html)
    assert html_lang(html) == "en"
    assert find(tree, "data-policy-text") == []
    note = find(tree, "data-untranslated")
    assert len(note) == 1
    assert "This version has not been translated into English." in "".join(note[0].itertext())
    assert [a.get("href") for a in note[0].iter("a")] == [f"../../../privacy/{UNTRANSLATED}/"]


def test_the_revision_history_lists_the_untranslated_version(site: Path) -> None:
    html = page(site, "en/privacy/versions/")
    rows = find(parse(html), "class", "history")[0].findall("li")
    assert len(rows) == len(KEYS)
    untranslated = rows[KEYS[::-1].index(UNTRANSLATED)]
    text = "".join(untranslated.itertext())
    assert "This version has not been translated into English." in text
    assert f"../../../privacy/{UNTRANSLATED}/" in [a.get("href") for a in untranslated.iter("a")]
    assert "条項ごと" not in html and "notice.txt" not in html


# --- the language switch --------------------------------------------------------------------


@pytest.mark.parametrize("key", KEYS)
def test_the_switch_keeps_document_and_version(site: Path, key: str) -> None:
    ja = switch_links(page(site, f"privacy/{key}/"))
    en = switch_links(page(site, f"en/privacy/{key}/"))
    assert ja["en"].get("href") == f"../../en/privacy/{key}/"
    assert ja["ja"].get("aria-current") == "page"
    assert en["ja"].get("href") == f"../../../privacy/{key}/"
    assert en["en"].get("aria-current") == "page"
    assert "data-keep-section" in ja["en"].attrib and "data-keep-section" in en["ja"].attrib


def test_the_switch_maps_each_section_to_the_same_section(site: Path) -> None:
    ja = switch_links(page(site, f"privacy/{CURRENT}/"))
    sections = json.loads(ja["en"].get("data-sections"))
    assert sections["第3条-利用目的"] == "article-3-purposes-of-use"
    assert sections["第4条-第三者提供"] == "article-4-third-parties"
    en_html = page(site, f"en/privacy/{CURRENT}/")
    for anchor in sections.values():
        assert f'id="{anchor}"' in en_html


def test_the_switch_on_a_diff_leads_to_the_same_diff_where_it_exists(site: Path) -> None:
    a, b = TRANSLATED[0], TRANSLATED[1]
    ja = switch_links(page(site, f"privacy/diff/{a}/{b}/"))
    assert ja["en"].get("href") == f"../../../../en/privacy/diff/{a}/{b}/"
    untranslated = switch_links(page(site, f"privacy/diff/{UNTRANSLATED}/{CURRENT}/"))
    assert untranslated["en"].get("href") == "../../../../en/privacy/"


# --- diffs of translations --------------------------------------------------------------------


def translated_pairs() -> list[tuple[str, str]]:
    pairs = set(zip(TRANSLATED, TRANSLATED[1:]))
    pairs |= {(k, CURRENT) for k in TRANSLATED if k != CURRENT}
    pairs |= {(a, b) for i, a in enumerate(TRANSLATED) for b in TRANSLATED[i + 1:]}
    return sorted(pairs)


@pytest.mark.parametrize("pair", translated_pairs())
def test_diffs_between_translations_rebuild_both_texts(site: Path, project: Path,
                                                       pair: tuple[str, str]) -> None:
    a, b = pair
    folder = site / "en" / "privacy" / "diff" / a / b
    old, new = inline_sides(folder / "index.html")
    assert old == source_text(project / "versions" / "privacy" / f"{a}.en.md")
    assert new == source_text(project / "versions" / "privacy" / f"{b}.en.md")
    html = (folder / "index.html").read_text("utf-8")
    assert html_lang(html) == "en"
    assert "A comparison of two English translations. The Japanese original prevails." in html
    for view in ("side-by-side", "table"):
        assert (folder / view / "index.html").is_file()


def test_no_diff_has_an_untranslated_side(site: Path) -> None:
    diffs = site / "en" / "privacy" / "diff"
    shown = {(p.parent.name, p.name) for p in diffs.glob("*/*")}
    assert shown == set(translated_pairs())


def test_the_version_after_an_untranslated_one_links_no_diff_from_previous(site: Path) -> None:
    html = page(site, f"en/privacy/{CURRENT}/")
    assert f"diff/{UNTRANSLATED}/" not in html


# --- the record -------------------------------------------------------------------------------


def test_versions_json_gives_each_versions_translations(site: Path) -> None:
    record = json.loads((site / "versions.json").read_text("utf-8"))
    versions = {v["effective"]: v for v in record["documents"][0]["versions"]}
    assert versions[UNTRANSLATED]["translations"] == {}
    for key in TRANSLATED:
        en = versions[key]["translations"]["en"]
        assert en["url"] == f"{BASE}en/privacy/{key}/"
        assert en["text_url"] == f"{BASE}en/privacy/{key}/text.md"
        text = page_file(site, en["text_url"], BASE).read_bytes()
        assert hashlib.sha256(text).hexdigest() == en["sha256"]
        assert en["sha256"] != versions[key]["sha256"]


def test_the_published_text_is_the_translation_body(site: Path, project: Path) -> None:
    for key in TRANSLATED:
        body = (project / "versions" / "privacy" / f"{key}.en.md").read_text("utf-8")
        published = (site / "en" / "privacy" / key / "text.md").read_text("utf-8")
        assert body.endswith(published) and body.split("---\n", 2)[2] == published


def feed(site: Path, rel: str) -> Any:
    parsed = feedparser.parse((site / rel).read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed


@pytest.mark.parametrize("rel", ["en/feed.xml", "en/privacy/feed.xml"])
def test_english_feeds_have_entries_in_english(site: Path, rel: str) -> None:
    parsed = feed(site, rel)
    assert parsed.feed.language == "en"
    assert len(parsed.entries) == len(KEYS)
    by_id = {e.id: e for e in parsed.entries}
    for key in KEYS:
        entry = by_id[f"tag:example.org,{key}:en/privacy/{key}"]
        assert entry.title.startswith("Privacy Policy: revision effective")
        content = entry.content[0].value
        alternate = [link.href for link in entry.links if link.rel == "alternate"]
        if key == UNTRANSLATED:
            assert "This version has not been translated into English." in content
            assert alternate == [f"{BASE}privacy/{key}/"]
        else:
            assert alternate[0] == f"{BASE}en/privacy/{key}/"
            assert f"{BASE}privacy/{key}/" in alternate
            assert "個" not in content


def test_the_original_feed_is_unchanged_in_shape(site: Path) -> None:
    parsed = feed(site, "privacy/feed.xml")
    assert parsed.feed.language == "ja"
    assert all(e.id.startswith("tag:example.org,") and ":privacy/" in e.id
               for e in parsed.entries)


# --- errors and warnings ----------------------------------------------------------------------

T = "versions/privacy/"
CURRENT_EN = f"{T}{CURRENT}.en.md"


def put(rel: str, text: str) -> Callable[[Path], None]:
    return lambda root: write(root / rel, text) and None


def site_yaml(old: str, new: str) -> Callable[[Path], None]:
    def edit(root: Path) -> None:
        path = root / "content" / "site.yaml"
        text = path.read_text("utf-8")
        assert old in text
        path.write_text(text.replace(old, new), "utf-8")
    return edit


ERRORS: list[tuple[str, Callable[[Path], None], str, str]] = [
    ("a translation of a version that does not exist",
     put(f"{T}2023-01-01.en.md", translation_text("Privacy", "# Privacy\n")),
     f"{T}2023-01-01.en.md:1:", "there is no version 2023-01-01 of 'privacy'"),
    ("a language not listed", put(f"{T}{CURRENT}.fr.md", translation_text("Vie", "# Vie\n")),
     f"{T}{CURRENT}.fr.md:1:", "'fr' is not one of the site's languages"),
    ("the original's language", put(f"{T}{CURRENT}.ja.md", translation_text("P", "# P\n")),
     f"{T}{CURRENT}.ja.md:1:", "is the original language of the site"),
    ("an unknown key", put(CURRENT_EN, "---\ntitle: Privacy\nauthor: me\n---\n# Privacy\n"),
     f"{CURRENT_EN}:3:", "unknown setting 'author'"),
    ("a mistyped key", put(CURRENT_EN, "---\ntitle: Privacy\nsumary: s\n---\n# Privacy\n"),
     f"{CURRENT_EN}:3:", "did you mean 'summary'"),
    ("no title", put(CURRENT_EN, "---\ntranslated: 2022-05-01\n---\n# Privacy\n"),
     f"{CURRENT_EN}:2:", "'title' is required"),
    ("a bad translation date", put(CURRENT_EN, "---\ntitle: P\ntranslated: 2022-13-01\n---\nP\n"),
     f"{CURRENT_EN}:3:", "'translated' must be a real date"),
    ("no text", put(CURRENT_EN, "---\ntitle: Privacy\n---\n\n"), f"{CURRENT_EN}:", "no translated"),
    ("not a date", put(f"{T}latest.en.md", translation_text("P", "# P\n")),
     f"{T}latest.en.md:1:", "does not start with a date"),
    ("an unknown interface language", site_yaml("languages: [ja, en]", "languages: [ja, fr]"),
     "content/site.yaml:4:", "'languages' lists 'fr'"),
    ("the original not first", site_yaml("languages: [ja, en]", "languages: [en, ja]"),
     "content/site.yaml:4:", "must be 'language'"),
    ("a notice for a language not listed",
     site_yaml("documents:", "translation_notice:\n  fr: Le japonais prévaut.\ndocuments:"),
     "content/site.yaml:7:", "unknown setting 'fr' in translation_notice"),
    ("a slug taken by a language", site_yaml("slug: privacy", "slug: en"),
     "content/site.yaml:7:", "taken by the site's pages in that language"),
]


@pytest.mark.parametrize("name,breaks,where,message", ERRORS, ids=[c[0] for c in ERRORS])
def test_translation_errors_name_file_and_line(tmp_path: Path, name: str,
                                               breaks: Callable[[Path], None], where: str,
                                               message: str) -> None:
    root = make_translated_project(tmp_path / "p")
    breaks(root)
    r = run_in_process("check", "--root", str(root))
    assert r.code == 1, r
    line = next((ln for ln in r.err.splitlines() if ln.startswith(where)), None)
    assert line is not None, r.err
    assert message in line, r.err
    assert "Traceback" not in r.err


def test_errors_are_reported_all_at_once(tmp_path: Path) -> None:
    root = make_translated_project(tmp_path / "p")
    write(root / T / "2023-01-01.en.md", translation_text("P", "# P\n"))
    write(root / T / f"{CURRENT}.fr.md", translation_text("P", "# P\n"))
    write(root / T / "2019-04-01.md", "---\neffective: 2019-04-01\nauthor: x\n---\nT\n")
    r = run_in_process("check", "--root", str(root))
    assert r.code == 1
    for where in (f"{T}2023-01-01.en.md:1:", f"{T}{CURRENT}.fr.md:1:", f"{T}2019-04-01.md:3:"):
        assert where in r.err


def test_a_current_version_without_translation_is_a_warning(tmp_path: Path) -> None:
    root = make_translated_project(tmp_path / "p")
    (root / CURRENT_EN).unlink()
    r = run_in_process("check", "--root", str(root))
    assert r.code == 0, r.err
    assert (f"{T}{CURRENT}.md:1: warning: the current version has no translation into 'en'"
            in r.err)
    assert run_in_process("check", "--strict", "--root", str(root)).code == 1
    out = tmp_path / "o"
    assert run_in_process("build", "--root", str(root), "--out", str(out),
                          "--as-of", AS_OF).code == 0
    assert "data-untranslated" in page(out, "en/privacy/")  # the document page says so


def test_past_versions_without_translation_are_not_warned_about(site: Path,
                                                                project: Path) -> None:
    r = run_in_process("check", "--root", str(project), "--strict")
    assert r.code == 0, r.err
    assert UNTRANSLATED not in r.err


# --- the same bytes however it is built -------------------------------------------------------

BUILD_IN_PROCESS = textwrap.dedent("""
    import datetime, sys
    from pathlib import Path
    from policy_archive.build import pipeline as builder
    from policy_archive.runtime.cache import Cache
    root, out, jobs, cache = sys.argv[1:5]
    builder.PARALLEL_MARKDOWN_CHARS = builder.PARALLEL_DIFF_CHARS = 1  # share out everything
    r = builder.build(Path(root), Path(out), datetime.date(2026, 11, 26), jobs=int(jobs),
                      cache=Cache(Path(cache) if cache != "-" else None))
    print(r.texts[0], r.diffs[0])
""")


def build_in_process(root: Path, out: Path, jobs: int, cache: Path | None) -> list[int]:
    done = subprocess.run([sys.executable, "-c", BUILD_IN_PROCESS, str(root), str(out),
                           str(jobs), str(cache) if cache else "-"],
                          cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return [int(x) for x in done.stdout.split()]


def test_cold_cached_and_parallel_builds_write_the_same_bytes(project: Path,
                                                              tmp_path: Path) -> None:
    root = tmp_path / "p"
    shutil.copytree(project, root)
    cache = tmp_path / "cache"
    cold = build_in_process(root, tmp_path / "cold", 1, None)
    first = build_in_process(root, tmp_path / "first", 1, cache)
    warm = build_in_process(root, tmp_path / "warm", 1, cache)
    parallel = build_in_process(root, tmp_path / "parallel", 2, None)
    assert cold[0] > 0 and warm == [0, 0] and parallel == cold == first
    assert (tree_bytes(tmp_path / "cold") == tree_bytes(tmp_path / "warm")
            == tree_bytes(tmp_path / "parallel"))


def test_changing_a_translation_rebuilds_its_pages(project: Path, tmp_path: Path) -> None:
    root = tmp_path / "p"
    shutil.copytree(project, root)
    out = tmp_path / "o"
    assert run_in_process("build", "--root", str(root), "--out", str(out),
                          "--as-of", AS_OF).code == 0
    path = root / CURRENT_EN
    path.write_text(path.read_text("utf-8").replace("without your consent",
                                                    "without your prior consent"), "utf-8")
    assert run_in_process("build", "--root", str(root), "--out", str(out),
                          "--as-of", AS_OF).code == 0
    assert "without your prior consent" in page(out, "en/privacy/")
    assert policy_text(out / "en" / "privacy" / "index.html") == source_text(path)


def test_links_in_a_translation_are_read_from_its_language_address(tmp_path: Path) -> None:
    root = make_translated_project(tmp_path / "p")
    path = root / CURRENT_EN
    path.write_text(path.read_text("utf-8") + "\nSee [all versions](versions/) and "
                    "[a page](../nope/).\n", "utf-8")
    r = run_in_process("check", "--root", str(root))
    assert r.code == 0, r.err
    line = len(path.read_text("utf-8").splitlines())
    assert (f"{CURRENT_EN}:{line}: warning: the relative link ../nope/ leads to no page of the "
            "site (read from /en/privacy/, it names /en/nope/)") in r.err
    assert "versions/ leads" not in r.err
    out = tmp_path / "o"
    assert run_in_process("build", "--root", str(root), "--out", str(out),
                          "--as-of", AS_OF).code == 0
    assert 'href="versions/"' in page(out, "en/privacy/")
    assert 'href="../versions/"' in page(out, f"en/privacy/{CURRENT}/")


def test_verify_checks_the_translations_too(site: Path, tmp_path: Path) -> None:
    r = run_in_process("verify", str(site))
    assert r.code == 0, r.err
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(site, copy)
    record = json.loads((copy / "versions.json").read_text("utf-8"))
    entry = next(tr["en"] for v in record["documents"][0]["versions"]
                 if (tr := v.get("translations")) and "en" in tr)
    rel = entry["text_url"][len(record["base_url"]):]
    (copy / rel).write_bytes((copy / rel).read_bytes() + b"\nAn added sentence.\n")
    r = run_in_process("verify", str(copy))
    assert r.code == 1 and r.err.startswith(f"{rel}: has SHA-256 "), r.err
