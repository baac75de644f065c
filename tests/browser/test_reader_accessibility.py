"""Accessibility: axe-core on every kind of page, and the diff markup for screen readers.

Insertions and deletions must be told apart without colour: each ``<ins>``/``<del>`` carries
a text label for screen readers (``data-diff-label``) and a visible line (underline for
insertions, line-through for deletions; in the 新旧対照表 both are underlined, 傍線, and the
column says which side is which).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

DIFF = "privacy/diff/2016-08-01/2020-06-08/"
SERIOUS = ("serious", "critical")


def test_axe_finds_no_serious_problem(page_kind: str, sample_url: Callable[[str], str],
                                      new_page: Any, axe_js: Path) -> None:
    # bypass_csp: the page's CSP (script-src 'self') would block the injected axe script.
    page, log = new_page(bypass_csp=True)
    url = sample_url(page_kind)
    if page_kind == "404":
        log.expected_404.add(url)
    page.goto(url)
    page.add_script_tag(path=str(axe_js))
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' ' +
                   (n.failureSummary || '').replace(/\\s+/g, ' '))}));
    }""")
    serious = [v for v in result if v["impact"] in SERIOUS]
    shown = "\n".join(f"{v['impact']} {v['id']}: {v['help']}\n    " + "\n    ".join(v["nodes"])
                      for v in serious)
    assert serious == [], f"{page_kind}: axe found\n{shown}"
    assert log.problems() == []


@pytest.mark.parametrize("view", ["", "side-by-side/", "table/"])
def test_changes_are_not_told_by_colour_alone(view: str, sample_server: Any,
                                              new_page: Any) -> None:
    page, log = new_page()
    page.goto(sample_server.url(DIFF + view))
    marks = page.evaluate("""() => [...document.querySelectorAll('main ins, main del')]
      .map(e => {
        const cell = e.closest('td, .sbs-cell');
        const table = e.closest('table');
        let column = null;
        if (cell && table && cell.tagName === 'TD') {
          column = table.querySelectorAll('thead th')[cell.cellIndex].textContent.trim();
        } else if (cell) {
          column = cell.classList.contains('old') ? 'old' : 'new';
        }
        return {
          tag: e.tagName.toLowerCase(),
          text: e.textContent.slice(0, 40),
          labels: [...e.querySelectorAll('[data-diff-label]')].map(l => l.textContent),
          labelHidden: [...e.querySelectorAll('[data-diff-label]')]
            .every(l => l.getBoundingClientRect().width <= 1),
          decoration: getComputedStyle(e).textDecorationLine,
          column,
        };
      })""")
    tags = {m["tag"] for m in marks}
    assert tags == {"ins", "del"}, f"expected insertions and deletions, found {tags}"
    problems = []
    for m in marks:
        where = f"<{m['tag']}> {m['text']!r}"
        if not m["labels"] or not all(label.strip() for label in m["labels"]):
            problems.append(f"{where}: no screen-reader label (data-diff-label)")
        if not m["labelHidden"]:
            problems.append(f"{where}: the label is visible, it should be for screen readers")
        if view == "table/":
            if "underline" not in m["decoration"]:
                problems.append(f"{where}: not underlined (傍線) but {m['decoration']!r}")
            expected = "改正後" if m["tag"] == "ins" else "改正前"
            if not m["column"].startswith(expected + "（"):  # 改正後（2020年6月8日施行）
                problems.append(f"{where}: in column {m['column']!r}, not {expected!r}")
        else:
            expected = "underline" if m["tag"] == "ins" else "line-through"
            if expected not in m["decoration"]:
                problems.append(f"{where}: text-decoration {m['decoration']!r}, "
                                f"not {expected!r}")
            # Side by side is a table: each mark sits under the column header of its side.
            if view == "side-by-side/" and not str(m["column"]).startswith(
                    "新：" if m["tag"] == "ins" else "旧："):
                problems.append(f"{where}: on the {m['column']} side")
    assert problems == [], "\n".join(problems[:30])
    assert log.problems() == []
