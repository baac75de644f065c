"""No page of any kind scrolls sideways on a phone, on real archives (part of issue 18): the
real English history (long addresses, template leftovers) and a Japanese project with long
URLs and tables."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from projects import make_project
from support.building import github_built

PHONE = {"width": 375, "height": 800}

LONG = "https://example.co.jp/" + "very-long-path-segment-without-breaks/" * 4 + "index.html"
JA = {
    "2022-04-01": f"# 利用規約\n\n## 第1条（定義）\n\n詳細は{LONG}をご覧ください。\n\n"
                  "| 区分 | 内容 | 備考 |\n|---|---|---|\n"
                  "| 会員情報 | 氏名、住所、電話番号、メールアドレス | 本人確認のため |\n",
    "2023-04-14": f"# 利用規約\n\n## 第1条（定義）\n\n詳細は[こちら]({LONG})及び{LONG}"
                  "をご覧ください。\n\n| 区分 | 内容 | 備考 |\n|---|---|---|\n"
                  "| 会員情報 | 氏名、住所、電話番号、メールアドレス、LINEアカウント | 本人確認及び"
                  "ご連絡のため |\n\n## 第2条（管理）\n\n当社は適切に管理します。\n",
}


def sideways(page: Any, url: str) -> list[str]:
    page.goto(url)
    return page.evaluate("""() => document.documentElement.scrollWidth > innerWidth + 1 ?
        [...document.querySelectorAll('body *')]
          .filter(e => e.getBoundingClientRect().right > innerWidth + 1 && !e.closest('.matrix'))
          .slice(0, 3).map(e => e.tagName + '.' + e.className) : []""")


def every_page(site: Path) -> list[str]:
    """Every page but the diffs of versions that are not neighbours: those show the same
    blocks as the steps between them (a long word of a version is in the step to it)."""
    data = json.loads((site / "versions.json").read_text("utf-8"))
    far = {f"/diff/{d['from']}/{d['to']}/" for doc in data["documents"] for d in doc["diffs"]}
    for doc in data["documents"]:
        dates = sorted(v["effective"] for v in doc["versions"])
        far -= {f"/diff/{a}/{b}/" for a, b in zip(dates, dates[1:])}
    pages = [p.relative_to(site).as_posix()[:-len("index.html")]
             for p in site.rglob("index.html")]
    return sorted(rel for rel in pages if not any(f in "/" + rel for f in far))


@pytest.fixture(scope="module")
def github(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return github_built(tmp_path_factory)[1]


@pytest.fixture(scope="module")
def japanese(tmp_path_factory: pytest.TempPathFactory, build_site: Any) -> Path:
    root = make_project(tmp_path_factory.mktemp("ja") / "project", {"terms": JA},
                        titles={"terms": "利用規約"})
    build_site(root, root.parent / "site", "2024-01-01")
    return root.parent / "site"


@pytest.mark.parametrize("which", ["github", "japanese"])
def test_no_page_scrolls_sideways_at_375_px(which: str, request: pytest.FixtureRequest,
                                            site_server: Any, new_page: Any,
                                            japanese_font: None) -> None:
    site = request.getfixturevalue(which)
    page, _ = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    wide = {}
    with site_server(site, "/p/") as server:
        pages = every_page(site)
        for path in pages:
            found = sideways(page, server.url(path))
            if found:
                wide[path] = found
    assert len(pages) > 10
    assert wide == {}, f"{len(wide)} of {len(pages)} pages scroll sideways: {wide}"
