"""``paper: letter`` in Chromium's print (issue 40): an English site's pages print on US
Letter, portrait, and its 新旧対照表 on Letter landscape (the sizes the page's CSS asks for)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from projects import make_project

pypdf = pytest.importorskip("pypdf")

OLD = """# Cookie Policy

## 1. What cookies are

Cookies are small files a site stores in your browser.

## 2. How long we keep them

Our own cookies expire after twelve months.
"""
NEW = OLD.replace("twelve months", "six months")


PORTRAIT, LANDSCAPE = (612, 792), (792, 612)  # US Letter (8.5 x 11 in) in points


def test_an_english_site_prints_on_letter(new_page: Any, site_server: Any, build_site: Any,
                                          tmp_path: Any) -> None:
    root = make_project(tmp_path / "proj", {"cookies": {"2022-04-01": OLD,
                                                        "2023-04-14": NEW}}, language="en")
    out = tmp_path / "site"
    assert build_site(root, out).code == 0
    page, log = new_page(locale="en-US")
    sizes = {}
    diff = "cookies/diff/2022-04-01/2023-04-14/"
    with site_server(out, "/legal/") as server:
        for name, path in (("version", "cookies/"), ("table", diff + "table/"),
                           ("side-by-side", diff + "side-by-side/")):
            page.goto(server.url(path))
            # A4 unless the page's CSS asks for another size: Letter must come from the CSS
            pdf = page.pdf(format="A4", prefer_css_page_size=True)
            sizes[name] = [(round(float(p.mediabox.width)), round(float(p.mediabox.height)))
                           for p in pypdf.PdfReader(io.BytesIO(pdf)).pages]
    assert set(sizes["version"]) == {PORTRAIT}
    assert set(sizes["table"]) == {LANDSCAPE}  # the 新旧対照表: landscape, as on A4
    # side by side: its heading on a portrait page, the wide table on landscape ones
    assert set(sizes["side-by-side"]) == {PORTRAIT, LANDSCAPE}
    assert not log.problems()
