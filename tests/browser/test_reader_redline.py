"""A compliance team's reading of a redline in Chromium (issue 37): a numbered list keeps its
numbers, a re-pointed in-page link shows the headings, no word of five letters or more
breaks across lines and no page scrolls sideways (1280 and 375 px, a four-column table), a
printed redline repeats its table's headers and leaves out the controls."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from projects import make_project

pypdf = pytest.importorskip("pypdf")

TERMS_OLD = """# Terms of Service

## A. Definitions

1. **Account** means your registered account.
2. **Service** means the hosted service.
3. **Subscriber** means the organisation that pays for the Service.
4. **Content** means text, images and files.

## B. Payment

Fees are due monthly, as the [payment terms](#b-payment) say.

## C. Fees

Fees are listed on the pricing page.
"""
TERMS_NEW = TERMS_OLD.replace("the hosted service.", "the hosted service and its interfaces.") \
    .replace("(#b-payment)", "(#c-fees)")

COMPANIES = ["Acme Telecommunications", "Brightwave Analytics", "Northwind Infrastructure",
             "Quasar Monitoring", "Bluefin Payments", "Harbor Translations",
             "Lumen Authentication", "Meridian Logistics"]
WORK = ["Transactional notification delivery", "Customer relationship management",
        "Infrastructure and datacenter hosting", "Application performance monitoring",
        "Payment processing", "Document translation services", "Authentication services",
        "Shipment of hardware tokens"]
PLACES = ["United States", "Netherlands", "Switzerland", "Germany", "Ireland"]


def subprocessors(new: bool) -> str:
    """A list of 40 subprocessors in a four-column table; the new one edits a row and adds
    one."""
    rows = [f"| {COMPANIES[k % 8]} {k // 8 + 1} | {WORK[(k * 3) % 8]} | {PLACES[k % 5]} | "
            f"{PLACES[(k + 2) % 5]} |" for k in range(40)]
    if new:
        rows[4] = rows[4].replace("Payment processing", "Payment processing and fraud screening")
        rows.append("| Cobalt Authentication | Authentication infrastructure | Ireland | "
                    "United Kingdom |")
    return ("# Subprocessors\n\n## Subprocessor list\n\nEach subprocessor is bound by "
            "contractual confidentiality obligations.\n\n"
            "| Name of Subprocessor | Description of Processing | Location of Processing "
            "| Corporate Location |\n|---|---|---|---|\n" + "\n".join(rows)
            + "\n\n## Notifications\n\nSubscribers receive advance notification.\n")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, build_site: Any) -> Path:
    root = make_project(tmp_path_factory.mktemp("redline") / "project", {
        "terms": {"2024-01-10": TERMS_OLD, "2024-06-01": TERMS_NEW},
        "subprocessors": {"2024-01-10": subprocessors(False),
                          "2024-06-01": subprocessors(True)}},
        titles={"terms": "Terms of Service", "subprocessors": "Subprocessors"}, language="en")
    r = build_site(root, root.parent / "site", "2024-07-01")
    assert r.code == 0, r.err
    return root.parent / "site"


REDLINE = "{slug}/diff/2024-01-10/2024-06-01/"

#: Words of five letters or more drawn on more than one line, measured with ranges as a
#: reader sees them (addresses and hashes aside: they may wrap anywhere).
BROKEN_WORDS = r"""() => {
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const broken = [];
  let words = 0;
  while (walker.nextNode()) {
    const node = walker.currentNode, el = node.parentElement;
    if (!el || el.closest('.sr-only, .sha, script, style') || !el.getClientRects().length)
      continue;
    for (const m of node.data.matchAll(/\S+/gu)) {
      if (m[0].includes('/') || !/[\p{L}\p{N}]{5,}/u.test(m[0])) continue;
      for (const w of m[0].matchAll(/[\p{L}\p{N}]{5,}/gu)) {
        const r = document.createRange();
        r.setStart(node, m.index + w.index);
        r.setEnd(node, m.index + w.index + w[0].length);
        const lines = new Set([...r.getClientRects()].filter(x => x.width > 0)
                                .map(x => Math.round(x.bottom)));
        words++;
        if (lines.size > 1) broken.push(w[0]);
      }
    }
  }
  const se = document.scrollingElement;
  return {words, broken, sideways: se.scrollWidth > se.clientWidth + 1};
}"""


@pytest.mark.parametrize("width", [1280, 375])
def test_no_word_breaks_and_no_page_scrolls_sideways(site: Path, site_server: Any,
                                                     new_page: Any, width: int) -> None:
    page, log = new_page(viewport={"width": width, "height": 900}, locale="en-GB")
    found = {}
    with site_server(site, "/p/") as server:
        for path in ("subprocessors/2024-06-01/", REDLINE.format(slug="subprocessors"),
                     REDLINE.format(slug="subprocessors") + "side-by-side/",
                     REDLINE.format(slug="terms") + "side-by-side/"):
            page.goto(server.url(path))
            found[path] = page.evaluate(BROKEN_WORDS)
    assert all(f["words"] > 60 for f in found.values()), found
    assert {p: f["broken"] for p, f in found.items() if f["broken"]} == {}
    assert [p for p, f in found.items() if f["sideways"]] == []
    assert log.problems() == []


def _markers(page: Any, selector: str) -> list[str]:
    """The list markers Chromium draws inside ``selector``, in order, as its accessibility
    tree names them."""
    cdp = page.context.new_cdp_session(page)
    found = cdp.send("Runtime.evaluate", {"expression": f"document.querySelector({selector!r})"})
    nodes = cdp.send("Accessibility.queryAXTree", {"objectId": found["result"]["objectId"],
                                                   "role": "ListMarker"})["nodes"]
    return [n.get("name", {}).get("value", "").strip() for n in nodes]


def test_a_redline_keeps_the_numbers_and_shows_each_link_target(site: Path, site_server: Any,
                                                                 new_page: Any) -> None:
    page, log = new_page(locale="en-GB")
    with site_server(site, "/p/") as server:
        page.goto(server.url(REDLINE.format(slug="terms")))
        markers = _markers(page, "[data-diff=inline] ol")
        deleted = page.locator("[data-diff=inline] del .link-target").inner_text()
        inserted = page.locator("[data-diff=inline] ins .link-target").inner_text()
        page.locator(".diff-summary > details > summary").click()  # folded: changes first
        page.locator("details.change-list summary").click()
        excerpt = page.locator("#change-list-1").inner_text()
        back = page.locator("#change-1 a.step[href='#change-list-1']").count()
    assert markers == ["1.", "2.", "3.", "4."]
    assert deleted.strip() == "(link to \u201cB. Payment\u201d)"
    assert inserted.strip() == "(link to \u201cC. Fees\u201d)"
    assert "the hosted service." in excerpt and "and its interfaces." in excerpt
    assert back == 1
    assert log.problems() == []


def test_a_printed_redline_repeats_table_headers_and_side_by_side_is_landscape(site: Path, site_server: Any,
                                                     new_page: Any) -> None:
    page, _ = new_page(locale="en-GB")
    with site_server(site, "/p/") as server:
        page.goto(server.url(REDLINE.format(slug="subprocessors")))
        pdf = page.pdf(format="A4")
        page.goto(server.url(REDLINE.format(slug="subprocessors") + "side-by-side/"))
        sheets = pypdf.PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True))).pages
    pages = [" ".join(p.extract_text().split()) for p in pypdf.PdfReader(io.BytesIO(pdf)).pages]
    with_rows = [k for k, text in enumerate(pages) if "Meridian Logistics" in text]
    assert len(with_rows) >= 2  # the table runs over pages
    assert all("Name of Subprocessor" in pages[k] for k in with_rows)
    assert not any("↓" in text or "↑" in text or "≡" in text for text in pages)
    landscape = [p.mediabox.width > p.mediabox.height for p in sheets]
    assert landscape.count(True) >= 1 and landscape[-1]  # the side by side's own pages
