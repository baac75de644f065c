"""Every HTML page of the sample site, opened in chromium from the sub-path it is served on:
no console errors, no uncaught exceptions, no failed requests, nothing fetched from any host
other than 127.0.0.1, and the stylesheet actually applied (a CSP or path mistake would drop it).
"""

from __future__ import annotations

from typing import Any

import pytest

PARTS = 3  # the pages are split in parts so that parallel workers share them


@pytest.mark.parametrize("part", range(PARTS))
def test_every_page_loads_cleanly(part: int, sample_pages: list[str], sample_server: Any,
                                  new_page: Any) -> None:
    page, log = new_page()
    failures: list[str] = []
    assert len(sample_pages) > 50, "the sample site is unexpectedly small"
    for path in sample_pages[part::PARTS]:
        url = sample_server.url(path)
        response = page.goto(url, wait_until="load")
        status = response.status if response is not None else None
        if status != 200:
            failures.append(f"{path}: HTTP {status}")
        styled = page.evaluate(
            "getComputedStyle(document.querySelector('main')).maxWidth !== 'none'")
        if not styled:
            failures.append(f"{path}: the stylesheet is not applied")
        failures += [f"{path}: {p}" for p in log.problems()]
        log.clear()
    assert failures == []
    assert sample_server.requests, "the server saw no requests"
