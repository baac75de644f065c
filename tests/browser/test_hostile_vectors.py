"""The vector suite (tests/vectors.py) in chromium with the CSP switched off: every page kind
of the vector project, the feeds and ``diff --format html`` opened, hovered and focused
through; nothing may run.

A leak would show as a dialog (every payload calls ``alert``), a call of any dialog
function (hooked before the page's own scripts run), an uncaught error, a request to another host or a navigation away, or an
event-handler attribute or script URL in the live DOM (after the browser's own parse, so
markup that mutates when parsed is checked as it ends up).
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import vectors
from support.building import run_in_process

BASE_PATH = "/vectors/"

#: Records every call of a dialog function (what every payload calls); kept on the window
#: as __hits, before the page's own scripts run.
HOOKS = """(() => {
  const hits = [];
  Object.defineProperty(window, '__hits', {value: hits});
  for (const name of ['alert', 'confirm', 'prompt', 'print']) {
    window[name] = (...args) => { hits.push(name + '(' + args.join(',') + ')'); };
  }
})();"""

#: Attributes of the live page that would run script: handlers, srcdoc, and URLs that the
#: browser itself resolves to a script or data URL.
ACTIVE = """() => [...document.querySelectorAll('*')].flatMap(e =>
    [...e.attributes].filter(a => {
      const name = a.name.toLowerCase();
      if (name.startsWith('on') || name === 'srcdoc') return true;
      if (!/^(href|src|action|formaction|data|xlink:href|poster|background)$/.test(name)) {
        return false;
      }
      try {
        const scheme = new URL(a.value, document.baseURI).protocol;
        return ['javascript:', 'vbscript:', 'data:'].includes(scheme);
      } catch (err) {
        return false;
      }
    }).map(a => e.tagName + ' ' + a.name + '=' + a.value.slice(0, 40)))"""


@pytest.fixture(scope="module")
def vector_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The vector site (linked, not copied), with ``diff --format html``'s page of each view."""
    built = vectors.built(tmp_path_factory)
    site = tmp_path_factory.mktemp("vectors") / "site"
    shutil.copytree(built / "site", site, copy_function=os.link)
    for view in ("redline", "side-by-side", "table"):
        done = run_in_process("diff", "terms@2024-01-01", "terms@2025-03-01", "--root",
                              str(built / "project"), "--view", view, "--format", "html",
                              "-o", str(site / f"cli-{view}.html"))
        assert done.code == 0, done.err
    return site


def addresses(site: Path) -> list[str]:
    """One HTML page or feed of each kind in each language, as a path under the site's
    address: every page holds every case, so two version pages (or a draft's side by side
    and a version's) differ only in their dates; the newest of each kind is kept (the one
    with errata)."""
    files = sorted(p for p in site.rglob("*") if p.suffix in (".html", ".xml")
                   and p.name != "sitemap.xml")
    rels = [f.relative_to(site).as_posix() for f in files]
    paths = [r[: -len("index.html")] if r.endswith("index.html") else r for r in rels]
    drafts_first = sorted(paths, key=lambda p: "draft/" not in p)
    kinds = {re.sub(r"\d{4}-\d\d-\d\d", "D", p.replace("draft/diff/", "diff/D/D/")): p
             for p in drafts_first}
    return sorted(set(kinds.values()) | {p for p in paths if p.endswith("draft/diff/")})


def what_ran(page: Any, log: Any, where: str) -> list[str]:
    """What the open page ran, after the pointer crossed it and focus moved through it (a
    handler can only be an attribute, and ACTIVE finds every one left in the live DOM)."""
    page.mouse.move(200, 300)
    page.mouse.move(400, 600)
    for _ in range(5):
        page.keyboard.press("Tab")
    page.wait_for_timeout(50)
    found = [f"{where}: {h}" for h in page.evaluate("() => window.__hits || []")]
    found += [f"{where}: {a}" for a in page.evaluate(ACTIVE)]
    found += [f"{where}: {d}" for d in log.dialogs + log.page_errors]
    found += [f"{where}: request to another host: {u}" for u in log.foreign_requests()]
    return found


def test_no_vector_runs_on_any_page_kind(vector_site: Path, site_server: Any,
                                         new_page: Any) -> None:
    page, log = new_page(bypass_csp=True, java_script_enabled=True)
    page.add_init_script(HOOKS)
    failures: list[str] = []
    pages = addresses(vector_site)
    kinds = {"diff/", "side-by-side/", "table/", "compare/", "history/", "versions/", "draft/",
             "search/", "feed.xml", "404.html", "cli-redline.html", "ja/"}
    assert all(any(k in p for p in pages) for k in kinds), pages
    with site_server(vector_site, BASE_PATH) as server:
        for rel in pages:
            url = server.url(rel)
            page.goto(url, wait_until="load")
            failures += what_ran(page, log, rel)
            if page.url.split("#")[0] != url:
                failures.append(f"{rel}: navigated to {page.url}")
            log.clear()
        for query in ("alert(", "<img", "onerror", "javascript:", "\ue000"):
            page.goto(server.url("search/?q=" + quote(query)))
            page.wait_for_selector("[data-search-results]")
            page.wait_for_timeout(300)
            failures += what_ran(page, log, f"search {query!r}")
            log.clear()
    assert failures == [], f"{len(failures)} ran:\n" + "\n".join(failures[:40])
