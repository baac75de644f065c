"""The tests' fixtures, registered here and written in ``support/`` by job: building
(``support/building.py``), serving a built site (``serving.py``), the browser (``browser.py``)
and outside tools (``tools.py``); reading built pages is ``contract.py``.

Tools the tests need (chromium, java + the Nu Html Checker, axe-core) are installed by
``bash scripts/test.sh``. When one is missing a test that needs it is skipped with the
reason, except in CI (``CI=true``), where a missing tool fails the test instead.
"""

from __future__ import annotations

import pytest
from contract import check_csp
from support.browser import browser, new_page
from support.building import build_site, sample_pages, sample_site
from support.serving import sample_server, site_server
from support.tools import artifacts, axe_js, japanese_font, java, soffice, vnu

__all__ = ["artifacts", "axe_js", "browser", "build_site", "check_csp", "japanese_font", "java",
           "new_page", "sample_pages", "sample_server", "sample_site", "site_server", "soffice",
           "vnu"]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: needs chromium (Playwright)")
    config.addinivalue_line("markers", "slow: builds a wheel or a virtual environment (about "
                                       "a minute, needs the package index)")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)
