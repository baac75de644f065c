"""A reader's way through the sample site, in chromium, served under a sub-path.

start page → current policy → a past version → its diff from the predecessor → the other
diff views → keyboard navigation between changes → the compare form; and the compare form
without JavaScript.
"""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

PAST = "privacy/2020-06-08/"
PREDECESSOR_DIFF = "privacy/diff/2016-08-01/2020-06-08/"


def press_and_read_hash(page: Any, key: str) -> str:
    page.keyboard.press(key)
    return str(page.evaluate("location.hash"))


def check_change_keys(page: Any) -> None:
    """``n`` moves to the next change, ``p`` back; the target is scrolled into view."""
    page.locator("h1").click()  # keyboard focus in the page, not in the address bar
    assert press_and_read_hash(page, "n") == "#change-1"
    assert press_and_read_hash(page, "n") == "#change-2"
    expect(page.locator("#change-2")).to_be_in_viewport()
    assert press_and_read_hash(page, "p") == "#change-1"
    expect(page.locator("#change-1")).to_be_in_viewport()
    expect(page.locator("#change-1")).to_be_focused()


def test_reader_journey(new_page: Any, sample_server: Any) -> None:
    page, log = new_page()
    url = sample_server.url

    page.goto(url())
    expect(page.locator("h1")).to_have_text("NOREL 規約・ポリシー")
    page.locator("main").get_by_role("link", name="プライバシーポリシー", exact=True).click()

    # The current policy: exactly one policy text, marked current, no "not in force" banner.
    expect(page).to_have_url(url("privacy/"))
    expect(page.locator("[data-policy-text]")).to_have_count(1)
    expect(page.locator("h1 .status-current")).to_have_text("現行版")
    expect(page.locator(".banner-past")).to_have_count(0)
    page.locator("section.earlier").get_by_role("link", name="2020/6/8～2020/9/30").click()

    # A past version says it is not in force and links to the current one.
    expect(page).to_have_url(url(PAST))
    banner = page.locator(".banner-past")
    expect(banner).to_contain_text("2020/6/8～2020/9/30")
    expect(banner).to_contain_text("現在は適用されていません")
    current_link = banner.get_by_role("link", name="現行版を読む")
    assert current_link.evaluate("a => a.href") == url("privacy/")
    expect(page.locator("[data-policy-text]")).to_have_count(1)
    page.locator("section.notice").get_by_role("link", name="前の版との差分").click()

    # Its diff from the predecessor: the inline redline.
    expect(page).to_have_url(url(PREDECESSOR_DIFF))
    expect(page.locator('[data-diff="inline"]')).to_have_count(1)
    expect(page.locator('[data-diff="inline"] ins').first).to_be_visible()
    expect(page.locator('[data-diff="inline"] del').first).to_be_visible()
    check_change_keys(page)

    # The view links (labels may be reworded; their order and targets are the contract).
    views = page.locator("ul.diff-views a")
    expect(views).to_have_count(3)
    expect(views.nth(0)).to_have_attribute("aria-current", "page")
    views.nth(1).click()
    expect(page).to_have_url(url(PREDECESSOR_DIFF + "side-by-side/"))
    expect(page.locator(".sbs")).to_have_count(1)
    check_change_keys(page)

    expect(views.nth(1)).to_have_attribute("aria-current", "page")
    views.nth(2).click()
    expect(page).to_have_url(url(PREDECESSOR_DIFF + "table/"))
    table = page.locator("table.amend")
    expect(table.locator("thead th")).to_have_text([re.compile(r"^改正後（\d{4}年"),
                                                    re.compile(r"^改正前（\d{4}年")])
    expect(views.nth(2)).to_have_attribute("aria-current", "page")
    check_change_keys(page)

    # The compare form on the archive page goes straight to the prepared diff.
    page.locator("nav.breadcrumb").get_by_role("link", name="改定履歴").click()
    expect(page).to_have_url(url("privacy/versions/"))
    form = page.locator("form.compare")
    form.locator("select[name=from]").select_option("2020-10-01")
    form.locator("select[name=to]").select_option("2022-04-01")
    form.get_by_role("button").click()
    expect(page).to_have_url(url("privacy/diff/2020-10-01/2022-04-01/"))
    expect(page.locator("h1")).to_contain_text("2020-10-01 → 2022-04-01")

    # Newer version picked as "from": the pair is put in order.
    page.go_back()
    expect(page).to_have_url(url("privacy/versions/"))
    form.locator("select[name=from]").select_option("2023-04-14")
    form.locator("select[name=to]").select_option("2016-08-01")
    form.get_by_role("button").click()
    expect(page).to_have_url(url("privacy/diff/2016-08-01/2023-04-14/"))

    # The same version twice: a message, no navigation.
    page.go_back()
    form.locator("select[name=from]").select_option("2021-03-03")
    form.locator("select[name=to]").select_option("2021-03-03")
    form.get_by_role("button").click()
    expect(form.locator("[data-compare-message]")).not_to_be_empty()
    expect(page).to_have_url(url("privacy/versions/"))

    # A compare page address with ?from=&to= (a form sent before the script ran) forwards.
    page.goto(url("privacy/compare/?from=2022-04-01&to=2020-11-03"))
    expect(page).to_have_url(url("privacy/diff/2020-11-03/2022-04-01/"))

    assert log.problems() == []


def test_compare_without_javascript(new_page: Any, sample_server: Any) -> None:
    page, log = new_page(java_script_enabled=False)
    url = sample_server.url
    page.goto(url("privacy/versions/"))
    form = page.locator("form.compare")
    form.locator("select[name=from]").select_option("2020-10-01")
    form.locator("select[name=to]").select_option("2022-04-01")
    form.get_by_role("button").click()

    # The form lands on the compare page, which lists every prepared pair as a link.
    expect(page).to_have_url(re.compile(re.escape(url("privacy/compare/"))
                                        + r"\?from=2020-10-01&to=2022-04-01$"))
    links = page.locator(".matrix a")
    expect(links).to_have_count(21)  # 7 versions: every pair
    for href in links.evaluate_all("as => as.map(a => a.href)"):
        assert href.startswith(url("privacy/diff/")), href
        response = page.request.get(href)
        assert response.status == 200, href
        assert 'data-diff="inline"' in response.text(), href

    page.get_by_role("link", name="2020/10/1 → 2022/4/1").click()
    expect(page).to_have_url(url("privacy/diff/2020-10-01/2022-04-01/"))
    expect(page.locator('[data-diff="inline"]')).to_have_count(1)
    # Without the keyboard script, the change list still links to every change.
    page.locator("details.change-list summary").click()
    page.locator("details.change-list a").first.click()
    expect(page).to_have_url(re.compile(r"#change-1$"))
    assert log.problems() == []
