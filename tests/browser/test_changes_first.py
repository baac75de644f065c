"""The diff page puts the changes first: on the sample's newest diff the first change is on
the first screen at 1280×800 and at 375×812 (long unchanged runs folded, the summary and the
notices collapsed); the full text stays in the page, a click away, and prints whole."""

from __future__ import annotations

from typing import Any

import pytest

NEWEST = "privacy/diff/2022-04-01/2023-04-14/"
FIRST_CHANGE = """() => {
  const marks = [...document.querySelectorAll("[data-diff='inline'] ins, [data-diff='inline'] del")];
  const shown = marks.find(e => e.getClientRects().length);
  const r = shown.getBoundingClientRect();
  return {top: r.top + scrollY, line: Math.min(r.height, 24), marks: marks.length,
          hidden: document.querySelectorAll("[data-diff='inline'] .diff-block[hidden]").length,
          text: document.querySelector("[data-diff='inline']").textContent.length};
}"""


@pytest.mark.parametrize(("width", "height"), [(1280, 800), (375, 812)])
def test_the_first_change_is_on_the_first_screen(sample_server: Any, new_page: Any,
                                                 japanese_font: None,
                                                 width: int, height: int) -> None:
    page, log = new_page(viewport={"width": width, "height": height})
    page.goto(sample_server.url(NEWEST))
    first = page.evaluate(FIRST_CHANGE)
    print(f"\n{width}×{height}: the first change at {first['top']:.0f} px")
    assert first["top"] + first["line"] <= height
    assert first["hidden"] > 20 and first["marks"] >= 2  # folded, not removed
    assert page.locator("details.section-fold[open]").count() == 0
    box = page.locator("input[data-changes-only]")
    assert box.is_checked() and box.is_visible()
    button = page.locator(".changes-gap-button").first
    assert button.inner_text().endswith("ブロックを表示")
    button.click()
    after = page.evaluate(FIRST_CHANGE)
    assert after["hidden"] < first["hidden"] and after["text"] == first["text"]
    box.uncheck()
    assert page.evaluate(FIRST_CHANGE)["hidden"] == 0
    box.check()
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")  # printed whole
    assert page.evaluate(FIRST_CHANGE)["hidden"] == 0
    assert page.locator("details.section-fold:not([open])").count() == 0
    page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    assert page.evaluate(FIRST_CHANGE)["hidden"] == first["hidden"]
    assert log.problems() == []
