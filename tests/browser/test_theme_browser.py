"""The themed project in Chromium with its CSP on: the self-hosted font and the background
image its stylesheet names load, no policy violation, and axe finds nothing serious (light
and dark schemes)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from support.building import build_project
from support.serving import SiteServer
from support.theming import FONT, make_themed_project

AXE = """async () => {
  const r = await axe.run(document, {resultTypes: ['violations']});
  return r.violations.filter(v => ['serious', 'critical'].includes(v.impact))
    .map(v => v.id + ': ' + v.nodes.slice(0, 2).map(n => n.target.join(' ')).join(', '));
}"""


@pytest.fixture(scope="module")
def themed_server(tmp_path_factory: pytest.TempPathFactory, site_server: Any
                  ) -> Iterator[SiteServer]:
    if not FONT.is_file():
        pytest.skip(f"{FONT} is missing (Debian package fonts-dejavu-core)")
    root = make_themed_project(tmp_path_factory.mktemp("theme-browser") / "p")
    site = root.parent / "site"
    build_project(root, site, "2026-01-01")
    with site_server(site, "/legal/") as server:
        yield server


@pytest.mark.parametrize(("path", "scheme", "axe"), [
    ("privacy/", "light", True), ("privacy/diff/2020-01-01/2021-06-01/", "dark", True),
    ("no/such/page/", "light", False)])
def test_the_font_and_image_load_under_the_csp(themed_server: SiteServer, new_page: Any,
                                               axe_js: Path, path: str, scheme: str,
                                               axe: bool) -> None:
    page, log = new_page(color_scheme=scheme, locale="en-GB")
    url = themed_server.url(path)
    if path.startswith("no/"):
        log.expected_404.add(url)
    page.goto(url)
    page.evaluate("document.fonts.ready")
    fonts = page.evaluate("[...document.fonts].map(f => f.family + ' ' + f.status)")
    assert fonts == ["ACME Sans loaded"]
    loaded = [u for u in log.requests if "/static/paper." in u or "/static/acme." in u]
    assert len(loaded) == 3, log.requests  # the stylesheet, the font, the background
    background = page.evaluate("getComputedStyle(document.querySelector('.site-header'))"
                               ".backgroundImage")
    assert "/legal/static/paper." in background
    assert page.locator(".site-logo img").evaluate("i => i.complete && i.naturalWidth") == 120
    assert log.problems() == []  # no CSP violation, no failed request
    if not axe:
        return
    bypass, _ = new_page(color_scheme=scheme, bypass_csp=True, locale="en-GB")
    bypass.goto(url)
    bypass.add_script_tag(path=str(axe_js))
    assert bypass.evaluate(AXE) == []
