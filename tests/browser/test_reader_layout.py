"""How the pages look: no sideways scrolling on a phone, screenshots, the printed 新旧対照表.

Screenshots go to test-artifacts/screenshots/ (git-ignored) for people to look at.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}
TABLE = "privacy/diff/2016-08-01/2020-06-08/table/"

_COUNT_COLOURS = """async (src) => {
  const img = new Image();
  img.src = src;
  await img.decode();
  const canvas = document.createElement("canvas");
  canvas.width = img.width; canvas.height = img.height;
  const ctx = canvas.getContext("2d");
  ctx.drawImage(img, 0, 0);
  const data = ctx.getImageData(0, 0, img.width, img.height).data;
  const seen = new Set();
  for (let i = 0; i < data.length; i += 4) {
    seen.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
    if (seen.size > 1000) break;
  }
  return seen.size;
}"""


@pytest.fixture(scope="module")
def colour_counter(browser: Any) -> Any:
    """``count(png_bytes) -> distinct colours`` (up to 1001), decoded by the browser."""
    context = browser.new_context()
    page = context.new_page()

    def count(png: bytes) -> int:
        src = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
        return int(page.evaluate(_COUNT_COLOURS, src))

    yield count
    context.close()


def check_not_blank(png: bytes, colour_counter: Callable[[bytes], int], what: str) -> None:
    assert png[:8] == b"\x89PNG\r\n\x1a\n", f"{what}: not a PNG"
    assert len(png) > 5_000, f"{what}: the screenshot is tiny ({len(png)} bytes)"
    colours = colour_counter(png)
    # Text is anti-aliased: a page with readable text has dozens of shades at least.
    assert colours > 20, f"{what}: only {colours} colours, the page looks blank"


def test_page_kind_fits_a_phone_and_looks_rendered(
        page_kind: str, sample_url: Callable[[str], str], new_page: Any,
        artifacts: Path, colour_counter: Callable[[bytes], int], japanese_font: None) -> None:
    shots = artifacts / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    page, log = new_page(viewport=PHONE, device_scale_factor=1, is_mobile=True,
                         has_touch=True)
    url = sample_url(page_kind)
    if page_kind == "404":
        log.expected_404.add(url)
    response = page.goto(url)
    assert response is not None and response.status == (404 if page_kind == "404" else 200)
    page.evaluate("document.fonts.ready")
    widths = page.evaluate("""() => ({
        doc: document.documentElement.scrollWidth,
        body: document.body.scrollWidth,
        wide: [...document.querySelectorAll('body *')]
          .filter(e => e.getBoundingClientRect().right > 376 && !e.closest('.matrix'))
          .slice(0, 5)
          .map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : '')
                    + ' right=' + Math.round(e.getBoundingClientRect().right)),
    })""")
    assert widths["doc"] <= PHONE["width"], (
        f"{page_kind}: the page scrolls sideways at {PHONE['width']} px "
        f"(scrollWidth {widths['doc']}); too wide: {widths['wide']}")
    for size, viewport in (("375", PHONE), ("1280", DESKTOP)):
        page.set_viewport_size(viewport)
        page.evaluate("window.scrollTo(0, 0)")
        png = page.screenshot(path=shots / f"{page_kind}-{size}.png")
        check_not_blank(png, colour_counter, f"{page_kind} at {size} px")
        if page_kind.startswith("diff-"):  # the top is the summary: show a change too
            page.locator("#change-2").scroll_into_view_if_needed()
            page.screenshot(path=shots / f"{page_kind}-{size}-change.png")
    assert log.problems() == []


def test_amendment_table_prints_on_a4_landscape(new_page: Any, sample_server: Any,
                                                 artifacts: Path, japanese_font: None) -> None:
    page, log = new_page()
    page.goto(sample_server.url(TABLE))
    page.emulate_media(media="print")
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    (artifacts / "amendment-table.pdf").write_bytes(pdf)
    boxes = [tuple(float(n) for n in m.groups()) for m in re.finditer(
        rb"/MediaBox\s*\[\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)]
    assert boxes, "no /MediaBox in the PDF"
    for x0, y0, x1, y1 in boxes:
        width, height = x1 - x0, y1 - y0
        assert width > height, f"a portrait page: {width} x {height} pt"
        assert abs(width - 841.9) < 3 and abs(height - 595.3) < 3, \
            f"not A4 landscape: {width} x {height} pt"
    # The table is the point of the page: the print must not lose it.
    assert len(boxes) >= 1
    assert log.problems() == []


def test_other_pages_print_portrait(new_page: Any, sample_server: Any) -> None:
    """Only the 新旧対照表 turns the page: a version prints on A4 (or Letter) portrait."""
    page, _ = new_page()
    page.goto(sample_server.url("privacy/"))
    pdf = page.pdf(prefer_css_page_size=True)
    m = re.search(rb"/MediaBox\s*\[\s*[\d.]+\s+[\d.]+\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)
    assert m is not None
    width, height = float(m.group(1)), float(m.group(2))
    assert height > width, f"{width} x {height} pt"
