"""A project with every theme key builds, and every page kind shows its logo, colours, links
and footer; its stylesheet's ``url()`` references lead to the hashed files; the CSP lets its
fonts and the added image host in and nothing unsafe. (Its pages are validated with the
sample's, in one run of the Nu Html Checker: tests/browser/test_reader_html.py.)"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from support.building import build_project
from support.theming import FONT, make_themed_project

PAGES = {"start": "index.html", "version": "privacy/index.html",
         "past version": "privacy/2020-01-01/index.html",
         "archive": "privacy/versions/index.html", "search": "search/index.html",
         "diff": "privacy/diff/2020-01-01/2021-06-01/index.html",
         "side by side": "privacy/diff/2020-01-01/2021-06-01/side-by-side/index.html",
         "404": "404.html"}


@pytest.fixture(scope="module")
def themed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not FONT.is_file():
        pytest.skip(f"{FONT} is missing (Debian package fonts-dejavu-core)")
    root = make_themed_project(tmp_path_factory.mktemp("theme") / "p")
    build_project(root, root.parent / "site", "2026-01-01")
    return root.parent / "site"


def _asset(site: Path, page: str, href: str) -> Path:
    """The file a page's link names (404.html links from the site's root path, /legal/)."""
    if href.startswith("/legal/"):
        return site / href.removeprefix("/legal/")
    return (site / page).parent.joinpath(href).resolve()


@pytest.mark.parametrize("kind", PAGES)
def test_every_page_kind_wears_the_theme(themed: Path, kind: str) -> None:
    page = PAGES[kind]
    html = (themed / page).read_text("utf-8")
    logo = re.search(r'<a class="site-logo" href="https://acme.example/"><img src="([^"]+)" '
                     r'alt="ACME Corporation"></a>', html)
    assert logo and _asset(themed, page, logo[1]).read_bytes().startswith(b"<svg")
    assert '<a href="https://help.acme.example/">Help centre</a>' in html.split("</header>")[0]
    footer = html.split("<footer")[1]
    assert '<a href="mailto:privacy@acme.example">Contact us</a>' in footer
    assert "<strong>ACME Corporation</strong>, 1 Harbour Road, Springfield" in footer
    sheets = re.findall(r'<link rel="stylesheet" href="([^"]+)">', html)
    names = [Path(s).name.split(".")[0] for s in sheets]
    assert names[:3] == ["style", "theme", "acme"]  # the theme after the built-in sheet
    theme_css = _asset(themed, page, sheets[1]).read_text("utf-8")
    assert "--accent: #0b4f8a;" in theme_css and "--brand-accent: rebeccapurple;" in theme_css
    assert "@media (prefers-color-scheme: dark)" in theme_css
    icon = re.search(r'<link rel="icon" href="([^"]+)">', html)
    assert icon and _asset(themed, page, icon[1]).read_bytes().startswith(b"\x89PNG")
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html)
    assert csp and "font-src &#39;self&#39;" in csp[1]
    assert "img-src &#39;self&#39; https://images.acme.example;" in csp[1]


def test_stylesheet_references_lead_to_the_hashed_files(themed: Path) -> None:
    css = next((themed / "static").glob("acme.*.css")).read_text("utf-8")
    refs = re.findall(r'url\("([^"]+)"\)', css)
    assert len(refs) == 2 and all((themed / "static" / r).is_file() for r in refs)
    assert (themed / "static" / refs[0]).read_bytes() == FONT.read_bytes()
    assert css.startswith("/* ACME's own look */\n@font-face { font-family: \"ACME Sans\"; src: ")
    headers = (themed / "_headers").read_text("utf-8")
    assert "font-src 'self'; base-uri" in headers and "unsafe" not in headers



def test_a_site_under_a_sub_path_is_told_where_robots_txt_goes(tmp_path: Path) -> None:
    from projects import make_project
    from support.building import run_in_process

    root = make_project(tmp_path / "p")  # base_url https://example.org/legal/
    done = run_in_process("build", "--root", str(root), "--out", str(tmp_path / "o"))
    assert done.code == 0
    assert done.out.splitlines()[1] == (
        "note: the site is under /legal/ of its host; crawlers read robots.txt only at "
        "https://example.org/robots.txt: put its lines there (the sitemap is named in it)")
