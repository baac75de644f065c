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


def test_an_english_site_prints_on_letter(new_page: Any, site_server: Any, build_site: Any,
                                          tmp_path: Any) -> None:
    root = make_project(tmp_path / "proj", {"cookies": {"2022-04-01": OLD,
                                                        "2023-04-14": NEW}}, language="en")
    out = tmp_path / "site"
    assert build_site(root, out).code == 0
    page, log = new_page(locale="en-US")
    sizes = {}
    with site_server(out, "/legal/") as server:
        for name, path in (("version", "cookies/"),
                           ("table", "cookies/diff/2022-04-01/2023-04-14/table/")):
            page.goto(server.url(path))
            # A4 unless the page's CSS asks for another size: Letter must come from the CSS
            pdf = page.pdf(format="A4", prefer_css_page_size=True)
            box = pypdf.PdfReader(io.BytesIO(pdf)).pages[0].mediabox
            sizes[name] = (round(float(box.width)), round(float(box.height)))
    assert sizes == {"version": (612, 792), "table": (792, 612)}  # 8.5 x 11 in, points
    assert not log.problems()
