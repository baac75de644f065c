"""The built sample site as files: valid HTML (the Nu Html Checker), and no broken links.

The link checker reads every built HTML file: each internal ``href``/``src``/``action``
(relative, root-relative under the site's base path, or absolute under its base_url) must
name a file of the site, and each ``#fragment`` an ``id`` in the page it points to.
"""

from __future__ import annotations

import json
import posixpath
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest

BASE_URL = "https://norel.jp/policies/"  # content/site.yaml of the sample
LINK_ATTRIBUTES = {("a", "href"), ("link", "href"), ("script", "src"), ("img", "src"),
                   ("form", "action"), ("iframe", "src"), ("source", "src")}


@pytest.fixture(scope="module")
def themed_site(tmp_path_factory: pytest.TempPathFactory) -> Path | None:
    """The project with every theme key (support/theming.py), built; None without its font."""
    from support.building import build_project
    from support.theming import FONT, make_themed_project

    if not FONT.is_file():
        return None
    root = make_themed_project(tmp_path_factory.mktemp("themed") / "p")
    build_project(root, root.parent / "site", "2026-01-01")
    return root.parent / "site"


def test_html_is_valid(sample_site: Path, themed_site: Path | None, vnu: list[str]) -> None:
    """All pages and stylesheets in one run of the checker (the JVM starts once), and the
    themed project's: a page with relative links, the 404 page, the theme's stylesheets."""
    files = sorted(sample_site.rglob("*.html")) + sorted(sample_site.rglob("*.css"))
    if themed_site is not None:
        files += [themed_site / "privacy" / "diff" / "2020-01-01" / "2021-06-01" / "index.html",
                  themed_site / "404.html", *(themed_site / "static").glob("theme.*.css"),
                  *(themed_site / "static").glob("acme.*.css")]
    done = subprocess.run([*vnu, "--errors-only", "--also-check-css", "--format", "json",
                           *map(str, files)], capture_output=True, text=True, timeout=600)
    try:
        report = json.loads(done.stderr or done.stdout)
    except json.JSONDecodeError:
        pytest.fail(f"the Nu Html Checker failed (exit {done.returncode}):\n"
                    f"{done.stdout}\n{done.stderr}", pytrace=False)
    errors = [m for m in report["messages"] if m.get("type") != "info"]
    shown = [f"{urlsplit(m.get('url', '')).path.replace(str(sample_site), '')}:"
             f"{m.get('lastLine', '?')}: {m.get('message')} [{m.get('extract', '').strip()}]"
             for m in errors]
    assert shown == [], f"{len(shown)} HTML/CSS errors:\n" + "\n".join(shown[:40])


@dataclass
class ParsedPage:
    ids: set[str] = field(default_factory=set)
    links: list[tuple[str, str]] = field(default_factory=list)  # (tag.attribute, value)


class _LinkParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = ParsedPage()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (tag == "a" and name == "name"):
                self.page.ids.add(value)
            if (tag, name) in LINK_ATTRIBUTES:
                self.page.links.append((f"{tag}.{name}", value))


def parse(file: Path) -> ParsedPage:
    parser = _LinkParser()
    parser.feed(file.read_text(encoding="utf-8"))
    parser.close()
    return parser.page


def site_path(site: Path, file: Path) -> str:
    """The address of ``file`` relative to the site root, as a browser sees it."""
    rel = file.relative_to(site).as_posix()
    return rel[: -len("index.html")] if rel.endswith("index.html") else rel


def resolve(page: str, link: str, base_url: str) -> tuple[str, str] | None:
    """(site-relative path, fragment) of an internal link, None for an outside one."""
    base_path = urlsplit(base_url).path
    if link.startswith(base_url):
        link = link[len(base_url) - len(base_path):]
    parts = urlsplit(link)
    if parts.scheme or parts.netloc:
        return None
    path = unquote(parts.path)
    if not path:
        target = page
    elif path.startswith("/"):
        if not path.startswith(base_path):
            return ("/" + path.lstrip("/"), "")  # outside the site: reported as missing
        target = path[len(base_path):]
    else:
        here = page if page.endswith("/") or page == "" else posixpath.dirname(page) + "/"
        joined = posixpath.normpath(posixpath.join("/" + here, path))
        target = joined.lstrip("/") + ("/" if path.endswith(("/", ".")) and joined != "/"
                                       else "")
    return target, unquote(parts.fragment)


def file_for(site: Path, target: str) -> Path | None:
    if target.startswith("/") or ".." in target.split("/"):
        return None
    file = site / target / "index.html" if target in ("", ".") or target.endswith("/") \
        else site / target
    return file if file.is_file() else None


def broken_links(site: Path, base_url: str) -> tuple[list[str], int]:
    """(problems, number of internal links checked) for every HTML file under ``site``."""
    pages = {site_path(site, f): parse(f) for f in sorted(site.rglob("*.html"))}
    problems: list[str] = []
    checked = 0
    for page, parsed in pages.items():
        for attribute, link in parsed.links:
            resolved = resolve(page, link, base_url)
            if resolved is None:
                continue
            target, fragment = resolved
            checked += 1
            file = file_for(site, target)
            if file is None:
                problems.append(f"{page or 'index'}: {attribute}={link!r}: no such file")
                continue
            if fragment and file.suffix == ".html":
                if fragment not in pages[site_path(site, file)].ids:
                    problems.append(f"{page or 'index'}: {attribute}={link!r}: no id "
                                    f"{fragment!r} in {target or 'index'}")
    return problems, checked


def test_internal_links_resolve(sample_site: Path) -> None:
    problems, checked = broken_links(sample_site, BASE_URL)
    assert problems == [], f"{len(problems)} broken links:\n" + "\n".join(problems[:40])
    assert checked > 1000, f"only {checked} internal links checked"


def test_link_checker_finds_broken_links(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "index.html").write_text(
        '<a href="a/">ok</a><a href="a/#here">ok</a><a href="b/">no page</a>'
        '<a href="a/#gone">no id</a><a href="#top" id="top">self</a>'
        '<link href="style.css"><a href="https://example.com/x">outside</a>', encoding="utf-8")
    (tmp_path / "a" / "index.html").write_text(
        '<h2 id="here">x</h2><a href="../">up</a><script src="../../x.js"></script>'
        '<a href="/policies/a/#here">root-relative</a><a href="/other/">elsewhere</a>',
        encoding="utf-8")
    problems, checked = broken_links(tmp_path, BASE_URL)
    assert checked == 10
    assert problems == [
        "a/: script.src='../../x.js': no such file",
        "a/: a.href='/other/': no such file",
        "index: a.href='b/': no such file",
        "index: a.href='a/#gone': no id 'gone' in a/",
        "index: link.href='style.css': no such file",
    ]


def test_every_page_has_a_self_only_csp(sample_site: Path, check_csp: Any) -> None:
    problems = [f"{f.relative_to(sample_site)}: {p}" for f in sorted(sample_site.rglob("*.html"))
                for p in check_csp(f.read_text(encoding="utf-8"))]
    assert problems == []


def test_sitemap_lists_only_existing_pages(sample_site: Path) -> None:
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = [e.text or "" for e in ET.parse(sample_site / "sitemap.xml").getroot()
            .findall("s:url/s:loc", ns)]
    assert locs
    missing = [u for u in locs if not u.startswith(BASE_URL)
               or file_for(sample_site, u[len(BASE_URL):]) is None]
    assert missing == []


@pytest.mark.parametrize(("page", "link", "expected"), [
    ("privacy/2020-06-08/", "../", ("privacy/", "")),
    ("privacy/2020-06-08/", "./", ("privacy/2020-06-08/", "")),
    ("privacy/2020-06-08/", "#toc", ("privacy/2020-06-08/", "toc")),
    ("privacy/diff/a/b/", "../../../../", ("", "")),
    ("", "privacy/feed.xml", ("privacy/feed.xml", "")),
    ("404.html", "/policies/privacy/", ("privacy/", "")),
    ("404.html", "/elsewhere/", ("/elsewhere/", "")),
    ("x/", "https://norel.jp/policies/x/#a%20b", ("x/", "a b")),
    ("x/", "https://example.com/", None),
    ("x/", "mailto:a@example.com", None),
])
def test_link_resolution(page: str, link: str, expected: tuple[str, str] | None) -> None:
    assert resolve(page, link, BASE_URL) == expected
