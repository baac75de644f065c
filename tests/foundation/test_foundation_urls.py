"""Links between pages: relative, so the site works under any prefix and from disk."""

from __future__ import annotations

import posixpath

from hypothesis import given
from hypothesis import strategies as st

from policy_archive.foundation import urls


def reference(from_path: str, to_path: str) -> str:
    """The link as ``posixpath.relpath`` makes it (what urls.relative computed before)."""
    from_dir = from_path if from_path.endswith("/") or from_path == "" else \
        posixpath.dirname(from_path) + "/"
    fragment = ""
    if "#" in to_path:
        to_path, fragment = to_path.split("#", 1)
        fragment = "#" + fragment
    rel = posixpath.relpath("/" + to_path, "/" + from_dir) if to_path != from_dir else "."
    if to_path.endswith("/") or to_path == "":
        rel = rel.rstrip("/") + "/"
    return rel + fragment


segments = st.lists(st.sampled_from(["privacy", "terms", "diff", "2020-06-08", "2023-04-14",
                                     "table", "feed.xml", "x"]), max_size=5)


@st.composite
def site_paths(draw: st.DrawFn, fragment: bool = False) -> str:
    parts = draw(segments)
    path = "/".join(parts)
    if parts and draw(st.booleans()):  # a page (folder) rather than a file
        path += "/"
    if fragment and draw(st.booleans()):
        path += "#" + draw(st.sampled_from(["main", "change-3", "a"]))
    return path


@given(site_paths(), site_paths(fragment=True))
def test_relative_links_are_those_relpath_gives(from_path: str, to_path: str) -> None:
    assert urls.relative(from_path, to_path) == reference(from_path, to_path)


def test_relative_links_of_the_site() -> None:
    page = urls.diff("privacy", "2020-06-08", "2023-04-14", "table")
    assert urls.relative(page, urls.document("privacy")) == "../../../../"
    assert urls.relative(page, urls.start()) == "../../../../../"
    assert urls.relative(page, page + "#change-2") == "./#change-2"
    assert urls.relative(urls.start(), "feed.xml") == "feed.xml"
    assert urls.relative("privacy/feed.xml", "privacy/2023-04-14/") == "2023-04-14/"
