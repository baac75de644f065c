"""The kinds of page a reader meets on the sample site, one example address each.

A test that takes a ``page_kind`` argument runs once per kind; ``sample_url(kind)`` gives the
address of that kind's example page on the served sample.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

#: A diff with insertions and deletions (the 2020 revision added a section).
DIFF = "privacy/diff/2016-08-01/2020-06-08/"

PAGE_KINDS = {
    "start": "",
    "current": "privacy/",
    "past": "privacy/2020-06-08/",
    "archive": "privacy/versions/",
    "compare": "privacy/compare/",
    "diff-inline": DIFF,
    "diff-side-by-side": DIFF + "side-by-side/",
    "diff-table": DIFF + "table/",
    "search": "search/",
    # Not a page of the site: the server answers with 404.html, deep under the sub-path.
    "404": "privacy/no/such/page/",
}


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "page_kind" in metafunc.fixturenames:
        metafunc.parametrize("page_kind", list(PAGE_KINDS))


@pytest.fixture
def sample_url(sample_server: Any) -> Callable[[str], str]:
    return lambda kind: sample_server.url(PAGE_KINDS[kind])
