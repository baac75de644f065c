"""``embed.js`` on a page of another origin: the right notice for a day the user agreed
before the current version (linking the diff since), nothing on or after it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>ACME app</title></head>
<body><main>
<div id="old">{script}"2022-04-01"></script></div>
<div id="between">{script}"2022-05-10" data-lang="en"></script></div>
<div id="first">{script}"2010-01-01"></script></div>
<div id="same">{script}"2023-04-14"></script></div>
<div id="later">{script}"2025-01-01"></script></div>
<div id="bad">{script}"yesterday"></script></div>
</main></body></html>
"""


def test_embed_js_from_another_origin(sample_server: Any, site_server: Any, new_page: Any,
                                      tmp_path: Path) -> None:
    src = sample_server.url("privacy/embed.js")
    (tmp_path / "index.html").write_text(
        PAGE.replace("{script}", f'<script src="{src}" async data-accepted='), "utf-8")
    with site_server(tmp_path, "/app/") as app:
        assert app.base_url.split("/app/")[0] != sample_server.base_url.split("/policies/")[0]
        page, log = new_page()
        page.goto(app.url(""))
        page.wait_for_selector("#old .policy-archive-notice")
        page.wait_for_function("document.querySelectorAll('.policy-archive-notice').length >= 3")
        notes = page.evaluate("""() => Object.fromEntries([...document.querySelectorAll('main > div')]
          .map(d => { const p = d.querySelector('.policy-archive-notice');
                      const a = p && p.querySelector('a');
                      return [d.id, p ? [p.textContent, a.getAttribute('href'), p.getAttribute('role'), p.lang] : null]; }))""")
    diff = "https://norel.jp/policies/privacy/diff/{}/2023-04-14/"
    assert notes == {
        "old": ["2023年4月14日に改定されました。2022年4月1日にご同意いただいた版からの変更を見る",
                diff.format("2022-04-01"), "status", "ja"],
        "between": ["Updated on 14 April 2023. See what changed since you agreed on 10 May 2022",
                    diff.format("2022-04-01"), "status", "en"],
        "first": ["2023年4月14日に改定されました。2010年1月1日にご同意いただいた版からの変更を見る",
                  diff.format("2016-08-01"), "status", "ja"],
        "same": None, "later": None, "bad": None}
    assert log.problems() == []
