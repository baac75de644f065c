"""A project whose every text field is hostile: markup, script URLs, template syntax.

The build must publish all of it as inert text or drop it: no script but the site's own
assets, no event handlers, no script/data URLs, templates not evaluated, feeds and JSON
still well-formed, every page under a CSP that allows only the site itself. The browser
test then opens every page with the CSP *bypassed*, so a leak would really run.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterator
from html import unescape
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import quote, urlsplit

import feedparser
import html5lib
import pytest
import vectors
from selectolax.lexbor import LexborHTMLParser
from support.building import run_in_process

from policy_archive.text.render import render_markdown

BASE_PATH = "/hostile-site/"
#: Text that must come out literally: evaluated as a template it would read "A49B".
TEMPLATE = "A{{ 7*7 }}B"
RAW = "{% raw %}R{% endraw %}"
EVALUATED = "A49B"

ATTACKS = """\
<script>alert("script")</script>
<img src=x onerror=alert("img")>
<a href="javascript:alert('js')">raw js link</a>
<a href="JaVaScRiPt:alert('mixed case')">mixed case</a>
<a href="jav&#x09;ascript:alert('tab')">entity tab</a>
<a href=" javascript:alert('space')">leading space</a>
<a href="vbscript:msgbox('vb')">raw vbscript link</a>
<a href="data:text/html,&lt;script&gt;alert('data')&lt;/script&gt;">raw data link</a>
<p onclick="alert('click')" onmouseover=alert('over') style="color:red">handlers</p>
<iframe src="javascript:alert('iframe')"></iframe>
<iframe srcdoc="<script>alert('srcdoc')</script>"></iframe>
<style>body { display: none }</style>
<form action="javascript:alert('form')"><input name=q>
<button formaction="javascript:alert(1)">go</button></form>
<svg onload=alert("svg")><script>alert("svg script")</script></svg>
<object data="javascript:alert('object')"></object><embed src="javascript:alert('embed')">
<base href="https://attacker.invalid/">
<meta http-equiv="refresh" content="0;url=javascript:alert('refresh')">
<link rel="stylesheet" href="https://attacker.invalid/x.css">
<math><mtext><table><mglyph><style><img src=x onerror=alert("mxss")>
"""


def version_text(n: int) -> str:
    """The body of version ``n``: every attack in Markdown and raw HTML; each version
    changes a word near each one, so the diff views show them inside ins/del too."""
    return f"""\
# Terms {TEMPLATE} <script>alert("h1")</script> </title>

Version {n}: {TEMPLATE} and {RAW} and {{% include "base.html" %}} stay text.

## Links {n} <img src=x onerror=alert("h2")>

- [markdown js {n}](javascript:alert('md'))
- [markdown JS {n}](JAVASCRIPT:alert('md upper'))
- [markdown vbscript {n}](vbscript:msgbox('md'))
- [markdown data {n}](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)
- <javascript:alert('autolink')> autolink {n}
- ![image {n}](javascript:alert('image'))
- [title {n}](https://example.org/ok "a\\" onmouseover=\\"alert('title')")
- [fine link {n}](https://example.org/policy)

## Raw markup {n}

{ATTACKS}
Version {n} text after the attacks: ]]> and </script> and </title> and <!-- comment -->
and <![CDATA[ cdata {n} ]]> and &lt;script&gt; and `<script>alert("code")</script>`.

```html
<script>alert("fenced {n}")</script> {TEMPLATE}
```

| column {n} | <b onclick="alert('cell')">cell</b> |
| --- | --- |
| <script>alert("table")</script> {n} | [js](javascript:alert('table link')) |

## Last section {n}

Version {n} {TEMPLATE} end.
"""


def yaml_quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # JSON strings are YAML double-quoted strings


HOSTILE_LINE = ('<script>alert("yaml")</script> <img src=x onerror=alert("yaml")> '
                f'{TEMPLATE} {RAW} ]]> </script> </title> "quotes" \'apostrophes\' & <b>')


def write_project(root: Path) -> None:
    (root / "content").mkdir(parents=True)
    (root / "versions" / "terms").mkdir(parents=True)
    (root / "content" / "site.yaml").write_text(f"""\
title: {yaml_quote("Site " + HOSTILE_LINE)}
base_url: https://example.org{BASE_PATH}
language: en
organization: {yaml_quote("Org " + HOSTILE_LINE)}
contact: {yaml_quote("Contact " + HOSTILE_LINE)}
description: {yaml_quote("Description [x](javascript:alert(1)) " + HOSTILE_LINE)}
documents:
  - slug: terms
    title: {yaml_quote("Doc " + HOSTILE_LINE)}
""", encoding="utf-8")
    summary = (f"- Summary {HOSTILE_LINE}\n"
               "- [md js](javascript:alert('summary')) <a href=\"vbscript:x\">vb</a> "
               "<a href=\"data:text/html,x\">data</a> <iframe src=x></iframe>\n"
               "- <form><input></form> <style>*{}</style> <p onclick=alert(1)>p</p>\n")
    dates = [("2024-01-01", "2023-12-01"), ("2025-03-01", "2025-02-01"),
             ("2027-01-01", "2026-11-01")]  # past, current, upcoming as of 2026-11-26
    for n, (effective, announced) in enumerate(dates, 1):
        (root / "versions" / "terms" / f"{effective}.md").write_text(f"""\
---
effective: {effective}
announced: {announced}
title: {yaml_quote(f"Version {n} " + HOSTILE_LINE)}
summary: {yaml_quote(summary)}
note: {yaml_quote(f"Note {n} <a href='javascript:alert(1)'>x</a> " + HOSTILE_LINE)}
errata:
  - date: {announced}
    reason: {yaml_quote("Erratum " + HOSTILE_LINE)}
---
{version_text(n)}""", encoding="utf-8")
    (root / "content" / "terms.md").write_text(f"""\
---
title: {yaml_quote("Draft " + HOSTILE_LINE)}
summary: {yaml_quote(summary)}
---
{version_text(9)}""", encoding="utf-8")


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory, build_site: Any) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    write_project(root / "project")
    out = root / "site"
    build_site(root / "project", out, "2026-11-26", "--drafts")
    return out


def html_pages(site: Path) -> list[Path]:
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 10
    return pages


# --- the built files ------------------------------------------------------------------

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "srcdoc", "poster",
                  "xlink:href", "background", "cite", "longdesc", "srcset"}
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")


def _bad_url(value: str) -> bool:
    """A script or data URL as a browser reads it: white space and controls dropped (more
    than the URL standard drops), not percent-decoded (``%6Aavascript:`` is a path)."""
    squashed = _INVISIBLE.sub("", value).lower()
    return squashed.startswith(("javascript:", "vbscript:", "data:"))


def own_assets(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in (site / "static").iterdir()}


def page_problems(rel: str, text: str, assets: set[str], strict: bool = True) -> list[str]:
    """What in a built HTML file could run or load anything: scripts that are not the
    site's own, event handlers, script/data URLs, active or foreign elements, and (when
    ``strict``) a page that does not parse cleanly. The page is read as a browser reads
    it (html5lib), so markup that changes when parsed is checked as it ends up."""
    problems: list[str] = []
    doc: Any
    if strict:
        try:
            doc = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(text)
        except html5lib.html5parser.ParseError as e:
            problems.append(f"{rel}: HTML parse error: {e}")
            doc = html5lib.parse(text, namespaceHTMLElements=False)
    else:
        doc = LexborTree(text)
    for script in re.finditer(r"<script\b[^>]*>", text, re.IGNORECASE):
        m = re.fullmatch(r'<script src="([^"]+)">', script.group(0))
        target = urlsplit(m.group(1)).path if m else ""
        name = target[target.find("static/"):] if "static/" in target else ""
        if name not in assets or not name.endswith(".js"):
            problems.append(f"{rel}: a script that is not the site's own: "
                            f"{script.group(0)[:80]}")
    return problems + element_problems(rel, doc)


class Element(NamedTuple):
    """An element of a page parsed by Lexbor, read as :func:`element_problems` reads
    html5lib's elements."""
    tag: str
    attrib: dict[str, str]
    text: str

    def get(self, name: str, default: str = "") -> str:
        return self.attrib.get(name, default)


class LexborTree:
    """A page as Lexbor (selectolax), an HTML5 parser written for browsers, reads it: the
    same tree html5lib builds, at C speed (the vector site's pages are 2 MB each)."""

    def __init__(self, text: str) -> None:
        self._root = LexborHTMLParser(text).root

    def iter(self) -> Iterator[Element]:
        for node in self._root.traverse(include_text=False) if self._root else ():
            if node.tag.startswith(("-", "_", "#")):  # comments and the like
                continue
            yield Element(node.tag, {k: v or "" for k, v in node.attributes.items()},
                          node.text(deep=False) if node.tag == "script" else "")


def element_problems(rel: str, doc: Any) -> list[str]:
    """Active markup among the elements of a parsed page or fragment (html5lib tree)."""
    problems: list[str] = []
    for el in doc.iter():
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag == "script" and (el.text or "").strip():
            problems.append(f"{rel}: an inline script: {(el.text or '')[:60]!r}")
        # The site's own forms: the compare form and the search page's one query field.
        search_form = rel.endswith("search/index.html")
        # ... and the site's own controls: the shortcuts and changes-only switches of a
        # diff page and the date field of "which version applied on this day".
        own_input = tag == "input" and (
            search_form and el.get("name") == "q"
            or el.get("type") == "checkbox" and ("data-shortcuts" in el.attrib
                                                 or "data-changes-only" in el.attrib)
            or el.get("type") == "date" and el.get("name") == "on")
        if tag in ("iframe", "object", "embed", "style", "base", "frame", "frameset",
                   "svg", "math", "input", "textarea") and not own_input:
            problems.append(f"{rel}: a <{tag}> element")
        if tag == "form" and not {"compare", "in-force-form"} & set(
                el.get("class", "").split()) and not (
                search_form and "data-search" in el.attrib):
            problems.append(f"{rel}: a <form> that is not the site's compare or search form")
        if tag == "meta" and el.get("http-equiv", "").lower() == "refresh":
            problems.append(f"{rel}: a meta refresh")
        for name, value in el.attrib.items():
            if name.lower().startswith("on"):
                problems.append(f"{rel}: <{tag} {name}={value[:40]!r}>")
            if name.lower() == "style":
                problems.append(f"{rel}: <{tag} style={value[:40]!r}>")
            if name.lower() in URL_ATTRIBUTES and _bad_url(value):
                problems.append(f"{rel}: <{tag} {name}={value[:60]!r}>")
    return problems


def test_pages_hold_no_active_content(hostile_site: Path) -> None:
    assets = own_assets(hostile_site)
    problems = [p for file in html_pages(hostile_site)
                for p in page_problems(file.relative_to(hostile_site).as_posix(),
                                       file.read_text(encoding="utf-8"), assets)]
    assert problems == [], f"{len(problems)} problems:\n" + "\n".join(problems[:50])


def test_every_page_has_a_self_only_csp(hostile_site: Path, check_csp: Any) -> None:
    problems = [f"{f.relative_to(hostile_site)}: {p}" for f in html_pages(hostile_site)
                for p in check_csp(f.read_text(encoding="utf-8"))]
    assert problems == []


META = '<meta http-equiv="Content-Security-Policy" content="{}">'
GOOD = ("default-src 'none'; script-src 'self'; style-src 'self'; base-uri 'none'; "
        "require-trusted-types-for 'script'")


@pytest.mark.parametrize(("head", "expected"), [
    (META.format(GOOD), []),
    ('<link rel="stylesheet" href="x.css">' + META.format(GOOD),
     ["the CSP comes after a <link>"]),
    (META.format(GOOD.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")),
     ["script-src allows [\"'self'\", \"'unsafe-inline'\"]"]),
    (META.format(GOOD.replace("default-src 'none'", "default-src *")),
     ["default-src is ['*'], not 'none'", "default-src allows ['*']"]),
    (META.format(GOOD.replace("; require-trusted-types-for 'script'", "")),
     ["Trusted Types are not required for scripts"]),
    ("<title>x</title>", ["no Content-Security-Policy meta in <head>"]),
])
def test_csp_check(head: str, expected: list[str], check_csp: Any) -> None:
    assert check_csp(f"<!DOCTYPE html><html><head>{head}</head><body></body></html>") == expected


def test_text_is_published_literally(hostile_site: Path) -> None:
    everything = {p.relative_to(hostile_site).as_posix(): p.read_text(encoding="utf-8")
                  for p in sorted(hostile_site.rglob("*")) if p.is_file()
                  and p.suffix in (".html", ".xml", ".json", ".txt")}
    evaluated = [name for name, text in everything.items() if EVALUATED in text]
    assert evaluated == [], f"template syntax was evaluated in {evaluated}"
    start = everything["index.html"]
    version = everything["terms/2025-03-01/index.html"]
    for text, where in ((start, "index.html"), (version, "terms/2025-03-01/")):
        assert TEMPLATE in text, f"{TEMPLATE!r} is missing from {where}"
    assert RAW in version, f"{RAW!r} is missing from the policy text"
    assert re.search(r"\{% include (&quot;|&#34;|\")base\.html(&quot;|&#34;|\") %\}", version)

    # Hostile titles are escaped, not stripped: the browser title shows them as text.
    doc = html5lib.parse(start, namespaceHTMLElements=False)
    title = doc.find("head/title")
    assert title is not None and "</title>" in (title.text or "")
    assert '<script>alert("yaml")</script>' in (title.text or "")


def test_versions_json_and_feeds_are_well_formed(hostile_site: Path) -> None:
    data = json.loads((hostile_site / "versions.json").read_text(encoding="utf-8"))
    assert data["title"] == "Site " + HOSTILE_LINE
    assert data["documents"][0]["title"] == "Doc " + HOSTILE_LINE
    feeds = sorted(hostile_site.rglob("*.xml"))
    assert {f.relative_to(hostile_site).as_posix() for f in feeds} >= {
        "feed.xml", "terms/feed.xml", "sitemap.xml"}
    for feed in feeds:
        ET.parse(feed)  # well-formed XML
        if feed.name != "feed.xml":
            continue
        parsed = feedparser.parse(feed.read_bytes())
        assert not parsed.bozo, f"{feed}: {parsed.get('bozo_exception')}"
        assert parsed.entries, f"{feed}: no entries"
        assert all(e.get("link", "").startswith("https://example.org/hostile-site/")
                   for e in parsed.entries)
        assert TEMPLATE in parsed.feed.get("title", "")


# --- in the browser -------------------------------------------------------------------


#: Attributes of the open page that would run script: handlers and script/data URLs.
ACTIVE_ATTRIBUTES = """() => [...document.querySelectorAll('*')].flatMap(e =>
    [...e.attributes].filter(a => /^on/i.test(a.name) ||
      /^\\s*(javascript|vbscript|data):/i.test(a.value)
        && /^(href|src|action|formaction|data|srcdoc)$/i.test(a.name))
      .map(a => e.tagName + ' ' + a.name + '=' + a.value.slice(0, 40)))"""


def test_no_page_runs_anything_in_a_browser(hostile_site: Path, site_server: Any,
                                            new_page: Any) -> None:
    """Every page, CSP bypassed (a leak would run), hovered and its links' targets read."""
    page, log = new_page(bypass_csp=True)
    failures: list[str] = []
    with site_server(hostile_site, BASE_PATH) as server:
        for file in html_pages(hostile_site):
            rel = file.relative_to(hostile_site).as_posix()
            url = server.url(rel[: -len("index.html")] if rel.endswith("index.html") else rel)
            page.goto(url)
            page.mouse.move(200, 300)
            page.mouse.move(300, 500)
            failures += [f"{rel}: {f}" for f in page.evaluate(ACTIVE_ATTRIBUTES)]
            if "</title>" not in page.title():
                failures.append(f"{rel}: the title lost its literal text: {page.title()!r}")
            failures += [f"{rel}: {p}" for p in log.problems()]
            log.clear()
        # Search results put the hostile text on the page by script: it must stay text.
        for query in ("alert(", "<script>", "onerror", "javascript:"):
            page.goto(server.url("search/?q=" + quote(query)))
            page.wait_for_selector("[data-search-results] .search-excerpt mark")
            marks = page.eval_on_selector_all("[data-search-results] mark",
                                              "els => els.map(e => e.textContent)")
            if {m.lower() for m in marks} != {query.lower()}:
                failures.append(f"search for {query!r}: marked {sorted(set(marks))[:5]}")
            failures += [f"search {query!r}: {f}" for f in page.evaluate(ACTIVE_ATTRIBUTES)]
            failures += [f"search {query!r}: {p}" for p in log.problems()]
            log.clear()
    assert failures == [], "\n".join(failures[:40])


def test_pages_are_valid_html(hostile_site: Path, vnu: list[str]) -> None:
    done = subprocess.run([*vnu, "--errors-only", "--format", "json",
                           *map(str, html_pages(hostile_site))],
                          capture_output=True, text=True, timeout=600)
    messages = json.loads(done.stderr or done.stdout)["messages"]
    shown = [f"{m.get('url', '').replace(str(hostile_site), '')}:{m.get('lastLine')}: "
             f"{m.get('message')}" for m in messages if m.get("type") != "info"]
    assert shown == [], "\n".join(shown[:30])


# --- the vector suite: every case in every field, every page kind ---------------------

#: Each kind of output file, by the paths it has in the vector project's site.
OUTPUT_KINDS = {
    "start page": ["index.html", "ja/index.html"],
    "version page": ["terms/2024-01-01/index.html", "terms/2025-03-01/index.html",
                     "terms/index.html"],
    "translated version page": ["ja/terms/2024-01-01/index.html",
                                "ja/terms/2025-03-01/index.html", "ja/terms/index.html"],
    "draft page": ["terms/draft/index.html"],
    "diff inline": ["terms/diff/2024-01-01/2025-03-01/index.html",
                    "ja/terms/diff/2024-01-01/2025-03-01/index.html", "terms/draft/diff/index.html"],
    "diff side by side": ["terms/diff/2024-01-01/2025-03-01/side-by-side/index.html",
                          "ja/terms/diff/2024-01-01/2025-03-01/side-by-side/index.html",
                          "terms/draft/diff/side-by-side/index.html"],
    "diff table": ["terms/diff/2024-01-01/2025-03-01/table/index.html",
                   "ja/terms/diff/2024-01-01/2025-03-01/table/index.html",
                   "terms/draft/diff/table/index.html"],
    "compare page": ["terms/compare/index.html", "ja/terms/compare/index.html"],
    "history": ["terms/history/index.html", "terms/versions/index.html",
                "ja/terms/versions/index.html"],
    "search page": ["search/index.html"],
    "404 page": ["404.html"],
    "feed": ["feed.xml", "terms/feed.xml", "ja/feed.xml", "ja/terms/feed.xml"],
    "versions.json": ["versions.json"],
    "latest.json": ["terms/latest.json"],
    "search index": ["search/terms.json"],
    "Word export": ["terms/diff/2024-01-01/2025-03-01/table/terms_2024-01-01_2025-03-01.docx",
                    "terms/draft/diff/table/terms_2025-03-01_draft.docx"],
}


@pytest.fixture(scope="module")
def vector_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return vectors.built(tmp_path_factory) / "site"


def fragment_problems(where: str, html: str) -> list[str]:
    """Active markup in a piece of HTML carried as data (a feed's content, a JSON string)."""
    doc = html5lib.parseFragment(html, treebuilder="etree", namespaceHTMLElements=False)
    scripts = [f"{where}: a <script>" for el in doc.iter() if el.tag == "script"]
    return scripts + element_problems(where, doc)


def feed_problems(rel: str, data: bytes) -> list[str]:
    problems: list[str] = []
    for el in ET.fromstring(data).iter():
        for name, value in el.attrib.items():
            if name.rsplit("}", 1)[-1] in URL_ATTRIBUTES and _bad_url(value):
                problems.append(f"{rel}: <{el.tag} {name}={value[:60]!r}>")
        if el.get("type") == "html" and el.text:
            problems += fragment_problems(f"{rel} <{el.tag.rsplit('}', 1)[-1]}>", el.text)
    return problems


def json_problems(rel: str, value: Any) -> list[str]:
    """The JSON files carry text, never HTML (search.js writes it as text: the browser
    test searches for it): every string is checked as a URL could be."""
    if isinstance(value, dict):
        return [p for v in value.values() for p in json_problems(rel, v)]
    if isinstance(value, list):
        return [p for v in value for p in json_problems(rel, v)]
    return [f"{rel}: {value[:60]!r}"] if isinstance(value, str) and _bad_url(value) else []


def docx_problems(rel: str, data: bytes) -> list[str]:
    """A Word file's links (its relationships) and fields: no script URL."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        parts = {n: z.read(n).decode("utf-8") for n in z.namelist() if n.endswith((".rels", ".xml"))}
    return [f"{rel}: {name}: {m.group(0)[:80]}" for name, text in parts.items()
            for m in re.finditer(r'Target="([^"]*)"|HYPERLINK\s+"([^"]*)"', text)
            if _bad_url(unescape(m.group(1) or m.group(2) or ""))]


def output_problems(rel: str, data: bytes, assets: set[str]) -> list[str]:
    # Pages are read as a browser reads them, not required to parse without error: some
    # markup still reaches a page nested as HTML does not allow (a raw table inside a <div>,
    # a <table> whose link the parser moves into a Markdown link). None of it is active.
    if rel.endswith(".html"):
        return page_problems(rel, data.decode("utf-8"), assets, strict=False)
    if rel.endswith(".xml"):
        return feed_problems(rel, data)
    if rel.endswith(".json"):
        return json_problems(rel, json.loads(data))
    if rel.endswith(".docx"):
        return docx_problems(rel, data)
    raise AssertionError(f"no check for {rel}")


@pytest.mark.parametrize("kind", list(OUTPUT_KINDS))
def test_no_vector_is_active_in_any_kind_of_output(vector_site: Path, kind: str) -> None:
    """Every case (tests/vectors.py) in every field of every text, through each kind of
    output: no event handler, no script URL, no script but the site's own."""
    assets = own_assets(vector_site)
    problems = [p for rel in OUTPUT_KINDS[kind]
                for p in output_problems(rel, (vector_site / rel).read_bytes(), assets)]
    assert problems == [], f"{len(problems)} problems:\n" + "\n".join(problems[:40])


def test_every_output_file_has_a_kind(vector_site: Path) -> None:
    """The table above covers the whole site (but its assets and plain-text files)."""
    listed = {rel for rels in OUTPUT_KINDS.values() for rel in rels}
    built = {p.relative_to(vector_site).as_posix() for p in vector_site.rglob("*")
             if p.is_file() and p.suffix in (".html", ".xml", ".json", ".docx")}
    assert built - listed <= {"sitemap.xml"} and listed <= built


@pytest.mark.parametrize("view", ["redline", "side-by-side", "table"])
def test_no_vector_is_active_in_diff_format_html(vector_site: Path, tmp_path: Path,
                                                 view: str) -> None:
    project = vector_site.parent / "project"
    out = tmp_path / f"{view}.html"
    done = run_in_process("diff", "terms@2024-01-01", "terms@2025-03-01", "--root", str(project),
                          "--view", view, "--format", "html", "-o", str(out))
    assert done.code == 0, done.err
    text = out.read_text(encoding="utf-8")
    # The page's own style sheet, in its head, is the one <style> it may hold.
    assert text.count("<style") == 1 and text.index("<style") < text.index("</head>")
    problems = [p for p in page_problems(out.name, text, set(), strict=False)
                if p != f"{out.name}: a <style> element"]
    assert problems == [], "\n".join(problems[:40])


@pytest.mark.parametrize(("cls", "payload"), vectors.VECTORS,
                         ids=[f"{c}-{i}" for i, (c, _) in enumerate(vectors.VECTORS)])
def test_each_vector_renders_inert(cls: str, payload: str) -> None:
    """Each case alone as a text (and its forgeries of the old stand-ins: an image's HTML
    never lands inside an attribute)."""
    html = render_markdown(f"{payload}\n\n{vectors.REFERENCES}\n[^pf]: n\n").html
    assert fragment_problems(cls, html) == []
    if cls == "placeholder forgery":
        doc = html5lib.parseFragment(html, treebuilder="etree", namespaceHTMLElements=False)
        assert [v for el in doc.iter() for v in el.attrib.values() if "<img" in v] == []
