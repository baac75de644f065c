"""Comparing without dead ends, and shortcuts a reader can switch off (part of issue 18)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect
from projects import make_project


@pytest.fixture(scope="module")
def many(tmp_path_factory: pytest.TempPathFactory, site_server: Any, build_site: Any) -> Any:
    """Five versions, pairs pre-rendered only for neighbours and against the current one."""
    versions = {f"202{n}-04-01": f"# 規約\n\n## 第1条（目的）\n\n第{n}版の本文。\n"
                for n in range(1, 6)}
    root = make_project(tmp_path_factory.mktemp("many") / "p", {"terms": versions},
                        titles={"terms": "利用規約"})
    site_yaml = root / "content" / "site.yaml"
    site_yaml.write_text(site_yaml.read_text("utf-8") + "compare_all_pairs_up_to: 2\n", "utf-8")
    out = root.parent / "site"
    build_site(root, out, "2026-01-01")
    with site_server(out, "/legal/") as server:
        yield server


def test_a_pair_that_is_not_prepared_says_so_and_offers_what_exists(new_page: Any,
                                                                     many: Any) -> None:
    page, log = new_page()
    page.goto(many.url("terms/compare/?from=2021-04-01&to=2023-04-01"))
    expect(page).to_have_url(many.url("terms/compare/?from=2021-04-01&to=2023-04-01"))
    form = page.locator("[data-compare-page] form.compare")
    expect(form.locator("[data-compare-message]")).to_have_text(
        "この組み合わせの差分は用意されていません。")
    offers = form.locator("[data-compare-offers] a")
    hrefs = [a.get_attribute("href") for a in offers.all()]
    assert [h.rsplit("/diff/", 1)[1] for h in hrefs] == [
        "2021-04-01/2025-04-01/", "2023-04-01/2025-04-01/",
        "2021-04-01/2022-04-01/", "2022-04-01/2023-04-01/"]
    offers.nth(2).click()
    expect(page).to_have_url(many.url("terms/diff/2021-04-01/2022-04-01/"))
    assert not log.problems()


def test_the_single_letter_shortcuts_can_be_switched_off(new_page: Any, many: Any) -> None:
    page, _ = new_page()
    diff = many.url("terms/diff/2021-04-01/2022-04-01/")
    page.goto(diff)
    toggle = page.get_by_label("キーボードショートカット（n / j・p / k）を使う")
    expect(toggle).to_be_checked()
    page.keyboard.press("n")
    expect(page).to_have_url(diff + "#change-1")
    toggle.uncheck()
    page.goto(diff)
    expect(toggle).not_to_be_checked()  # kept in this browser
    page.locator("h1").click()
    page.keyboard.press("n")
    page.wait_for_timeout(200)
    assert page.url == diff


def test_the_version_in_force_on_a_day(new_page: Any, many: Any) -> None:
    page, log = new_page()
    archive = many.url("terms/versions/")
    page.goto(archive)
    form = page.locator("form.in-force-form")
    form.locator("input[name=on]").fill("2022-12-31")
    form.locator("button").click()
    expect(page).to_have_url(many.url("terms/2022-04-01/"))
    page.goto(archive + "?on=2025-04-01")  # an address to share
    expect(page).to_have_url(many.url("terms/2025-04-01/"))
    page.goto(archive)
    form.locator("input[name=on]").fill("2019-01-01")
    form.locator("button").click()
    expect(form.locator("output")).to_contain_text("最初の版の施行前")
    assert not log.problems()


def test_without_javascript_the_periods_answer_it(new_page: Any, many: Any) -> None:
    page, _ = new_page(java_script_enabled=False)
    page.goto(many.url("terms/versions/"))
    expect(page.locator("form.in-force-form")).to_be_hidden()
    periods = page.locator("details.periods li a")
    expect(periods).to_have_count(5)
    expect(periods.first).to_have_text("2025/4/1～")


def test_moving_between_versions_keeps_the_section(new_page: Any, many: Any) -> None:
    page, _ = new_page()
    page.goto(many.url("terms/2022-04-01/#第1条-目的"))
    steps = page.locator("nav.version-steps a")
    expect(steps).to_have_count(3)
    steps.filter(has_text="次の版").click()
    expect(page).to_have_url(re.compile(re.escape(many.url("terms/2023-04-01/")) +
                                        "#(第1条-目的|%E7%AC%AC1%E6%9D%A1-%E7%9B%AE%E7%9A%84)$"))


def test_the_redline_can_show_only_the_changes(new_page: Any, sample_server: Any) -> None:
    page, log = new_page()
    page.goto(sample_server.url("privacy/diff/2022-04-01/2023-04-14/"))
    redline = page.locator("[data-diff='inline']")
    everything = redline.locator(".diff-block").count()
    changes = redline.locator("[data-change]").count()
    box = page.get_by_label("変更箇所とその前後だけを表示する")
    expect(box).to_be_checked()  # changes first: the long unchanged runs folded by default
    shown = redline.locator(".diff-block:visible").count()
    assert changes <= shown < everything / 2, (changes, shown, everything)
    for i in range(changes):  # every change stays in view
        expect(redline.locator("[data-change]").nth(i)).to_be_visible()
    expect(redline.locator(".changes-gap").first).to_have_text(re.compile(
        r"^変更のない\d+ブロックを表示$"))
    box.uncheck()
    assert redline.locator(".diff-block:visible").count() == everything
    assert redline.locator(".changes-gap:visible").count() == 0
    box.check()
    assert redline.locator(".diff-block:visible").count() == shown
    assert not log.problems()


def test_a_renumbered_heading_is_named_by_its_new_text_once(new_page: Any,
                                                            sample_server: Any) -> None:
    page, _ = new_page()
    page.goto(sample_server.url("privacy/diff/2016-08-01/2020-06-08/"))
    heading = page.get_by_role("heading", name="4.第三者への提供について（見出しの変更。変更前：3.第三者への提供について）",
                               exact=True)
    expect(heading).to_have_count(1)
    names = page.locator("[data-diff='inline'] :is(h2, h3, h4, h5, h6)[data-change]")
    for i in range(names.count()):
        label = names.nth(i).get_attribute("aria-label") or ""
        assert "追加：" not in label and "削除：" not in label and label, label


def test_a_jump_to_a_changed_section_lands_with_its_heading_in_view(
        new_page: Any, sample_server: Any) -> None:
    page, _ = new_page(viewport={"width": 375, "height": 700}, is_mobile=True)
    page.goto(sample_server.url("privacy/diff/2022-04-01/2023-04-14/"))
    page.locator(".diff-summary > details > summary").click()  # folded: changes first
    links = page.locator(".changed-sections a")
    assert links.count() >= 1
    for i in range(links.count()):
        name = links.nth(i).inner_text()
        links.nth(i).click()
        page.wait_for_timeout(100)
        target = page.locator(":target")
        box = target.bounding_box()
        assert box and 0 <= box["y"] < 700, name
        # The heading of the section the change is in is on screen too.
        heading = target.evaluate("""el => { let n = el; const all = [...document.querySelectorAll(
            "[data-diff='inline'] .kind-heading")]; const before = all.filter(h =>
            h.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING || h === el);
            const h = before[before.length - 1]; const r = h.getBoundingClientRect();
            return [r.top, r.bottom, h.textContent]; }""")
        assert heading[0] >= 0 and heading[1] <= 700, (name, heading)


def test_side_by_side_arrows_never_cover_the_text(new_page: Any, sample_server: Any) -> None:
    page, _ = new_page(viewport={"width": 375, "height": 800}, is_mobile=True)
    page.goto(sample_server.url("privacy/diff/2016-08-01/2020-06-08/side-by-side/"))
    overlaps = page.evaluate("""() => [...document.querySelectorAll('.sbs-row .row-steps')]
      .filter(steps => { const s = steps.getBoundingClientRect();
        return [...steps.parentElement.querySelectorAll('.sbs-cell')].some(cell => {
          const walk = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
          for (let t = walk.nextNode(); t; t = walk.nextNode()) {
            if (t.parentElement.closest('.sr-only, [aria-hidden="true"]')) { continue; }
            const range = document.createRange(); range.selectNodeContents(t);
            if ([...range.getClientRects()].some(r => r.width && r.left < s.right &&
                s.left < r.right && r.top < s.bottom && s.top < r.bottom)) { return true; }
          }
          return false; }); }).length""")
    assert overlaps == 0
    bullets = page.evaluate("""() => [...document.querySelectorAll('.sbs-cell.empty')]
      .filter(c => getComputedStyle(c, '::before').content.includes('・')).length""")
    assert bullets == 0


def test_side_by_side_is_a_table_a_screen_reader_can_read(new_page: Any,
                                                          sample_server: Any) -> None:
    page, log = new_page()
    page.goto(sample_server.url("privacy/diff/2016-08-01/2020-06-08/side-by-side/"))
    table = page.get_by_role("table", name="並べて比較（左が旧、右が新）")
    expect(table).to_have_count(1)
    expect(table.get_by_role("columnheader")).to_have_text(
        [re.compile(r"^旧：2016/8/1～2020/6/7$"), re.compile(r"^新：2020/6/8～2020/9/30$")])
    row = page.locator("#change-1")
    expect(row.get_by_role("cell")).to_have_count(2)
    # Each section heading is a heading once (the new side's), not twice and not a div.
    expect(page.locator("table.sbs").get_by_role("heading", name="プライバシーポリシー",
                                                  exact=True)).to_have_count(1)
    expect(page.locator("table.sbs").get_by_role(
        "heading", name="4.第三者への提供について（見出しの変更。変更前：3.第三者への提供について）")
    ).to_have_count(1)
    # A folded run opens with its button.
    button = page.locator("table.sbs .fold-toggle button").first
    run = page.locator("table.sbs tbody.unchanged").first
    expect(run).to_be_hidden()
    button.click()
    expect(run).to_be_visible()
    expect(button).to_have_attribute("aria-expanded", "true")
    assert not log.problems()


def test_side_by_side_without_javascript_shows_every_row(new_page: Any,
                                                         sample_server: Any) -> None:
    page, _ = new_page(java_script_enabled=False)
    page.goto(sample_server.url("privacy/diff/2016-08-01/2020-06-08/side-by-side/"))
    expect(page.locator("table.sbs tbody.unchanged").first).to_be_visible()
    expect(page.locator("table.sbs .fold-toggle").first).to_be_hidden()
