"""Read a built site the way outside checks do: the contracts of versions.json,
``data-policy-text`` and ``data-diff="inline"``, and every page's Content-Security-Policy."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

import html5lib
import pytest
from markdown_it import MarkdownIt
from selectolax.lexbor import LexborHTMLParser, LexborNode

from policy_archive.content.frontmatter import read_text, split_front_matter

_SKIP_TAGS = {"script", "style", "template", "noscript"}


def parse(html: str) -> ET.Element:
    """The page's tree as a browser builds it (Lexbor, an HTML5 parser written for one: the
    tree html5lib builds, at C speed; bench/README.md), as ElementTree elements: each text
    in ``text`` or a ``tail``, comments left out."""
    root = LexborHTMLParser(html).root
    assert root is not None, "no document"
    return _element(root)


def _element(node: LexborNode) -> ET.Element:
    el = ET.Element(node.tag or "", {k: v or "" for k, v in node.attributes.items()})
    last: ET.Element | None = None
    for child in node.iter(include_text=True):
        if child.is_text_node:
            text = child.text_content or ""
            if last is None:
                el.text = (el.text or "") + text
            else:
                last.tail = (last.tail or "") + text
        elif child.is_element_node:
            last = _element(child)
            el.append(last)
    return el


def find(tree: Any, attr: str, value: str | None = None) -> list[Any]:
    return [el for el in tree.iter() if isinstance(el.tag, str) and attr in el.attrib
            and (value is None or el.get(attr) == value)]


def visible(el: Any, drop: frozenset[str] = frozenset()) -> str:
    """Text of ``el`` without white space, skipping decorations, labels and ``drop`` tags."""
    parts: list[str] = []

    def walk(node: Any) -> None:
        if node.text:
            parts.append(node.text)
        for child in node:
            if isinstance(child.tag, str) and not (
                child.tag in drop or child.tag in _SKIP_TAGS
                or "data-diff-label" in child.attrib or child.get("aria-hidden") == "true"
            ):
                walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(el)
    return re.sub(r"\s+", "", "".join(parts))


def source_text(path: Path) -> str:
    """The visible text of a version file's Markdown, rendered by plain CommonMark."""
    body = split_front_matter(read_text(path, path.name), path.name, required=False).body
    html = MarkdownIt("commonmark").enable("table").render(body)
    return visible(find(parse(f"<div data-x>{html}</div>"), "data-x")[0])


def page_file(site: Path, url: str, base_url: str) -> Path:
    rel = url[len(base_url):] if url.startswith(base_url) else url
    rel = rel.split("#")[0]
    return site / (rel + "index.html" if rel == "" or rel.endswith("/") else rel)


def policy_text(page: Path) -> str:
    found = find(parse(page.read_text("utf-8")), "data-policy-text")
    assert len(found) == 1, f"{page}: {len(found)} data-policy-text elements"
    return visible(found[0])


def inline_sides(page: Path) -> tuple[str, str]:
    """(text without <ins>, text without <del>) of the one data-diff="inline" element."""
    found = find(parse(page.read_text("utf-8")), "data-diff", "inline")
    assert len(found) == 1, f"{page}: {len(found)} data-diff=inline elements"
    return visible(found[0], frozenset({"ins"})), visible(found[0], frozenset({"del"}))


_REAL_TAGS = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)(?:\s[^<>]*)?/?>")


def source_words(body: str) -> list[str]:
    """The words a reader must find on a version's page: runs of 3+ Latin letters or digits
    and runs of kana/kanji, from the Markdown without comments, link targets, images and the
    tags of real HTML elements (a name in angle brackets that is not HTML is text)."""
    import html as html_lib

    from policy_archive.text.sanitize import is_markup

    t = re.sub(r"<!--.*?-->", " ", body, flags=re.S)
    t = re.sub(r"!\[[^\]]*\]\([^)]*\)", " ", t)
    t = re.sub(r"\]\((?:[^()]|\([^)]*\))*\)", "] ", t)
    t = re.sub(r"^ {0,3}\[[^\]]+\]:\s*\S+.*$", " ", t, flags=re.M)
    t = _REAL_TAGS.sub(lambda m: " " if is_markup(m.group(1)) else m.group(0), t)
    return re.findall(r"[A-Za-z0-9]{3,}|[\u3040-\u30ff\u3400-\u9fff]+", html_lib.unescape(t))


def words_missing(body: str, page_text: str) -> list[str]:
    """Words of the source that the page shows fewer times than the source holds them."""
    from collections import Counter

    return [w for w, n in Counter(source_words(body)).items() if page_text.count(w) < n]


# --- pages: files and addresses, the Content-Security-Policy ----------------------


def html_files(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def page_path(site: Path, file: Path) -> str:
    """The site-relative address of a built HTML file: ``privacy/`` for privacy/index.html."""
    rel = file.relative_to(site).as_posix()
    return rel[: -len("index.html")] if rel.endswith("index.html") else rel


def csp_problems(html: str) -> list[str]:
    """What is wrong with a page's Content-Security-Policy meta: it must come before any
    script or stylesheet (else it does not cover them) and allow nothing but the site."""
    head = html5lib.parse(html, namespaceHTMLElements=False).find("head")
    children = list(head) if head is not None else []
    for i, el in enumerate(children):
        if el.tag != "meta" or el.get("http-equiv", "").lower() != "content-security-policy":
            continue
        problems = [f"the CSP comes after a <{e.tag}>" for e in children[:i]
                    if e.tag in ("script", "link", "style")]
        policy: dict[str, list[str]] = {}
        for part in el.get("content", "").split(";"):
            if part.strip():
                name, *sources = part.split()
                policy[name.lower()] = sources
        if policy.get("default-src") != ["'none'"]:
            problems.append(f"default-src is {policy.get('default-src')}, not 'none'")
        for name in ("script-src", "style-src", "base-uri"):
            if name not in policy:
                problems.append(f"no {name}")
        if policy.get("require-trusted-types-for") != ["'script'"]:
            problems.append("Trusted Types are not required for scripts")
        problems += [f"{name} allows {sources}" for name, sources in policy.items()
                     if name != "require-trusted-types-for"
                     and not set(sources) <= {"'self'", "'none'"}]
        return problems
    return ["no Content-Security-Policy meta in <head>"]


@pytest.fixture(scope="session")
def check_csp() -> Callable[[str], list[str]]:
    """``check_csp(html) -> problems`` (see csp_problems)."""
    return csp_problems


_FULL_WIDTH = re.compile("[\u3000-\u303f\uff00-\uffef]")
_JAPANESE_LETTER = re.compile("[\u3040-\u30ff\u3400-\u9fff]")


def stray_full_width(html: str) -> list[str]:
    """Full-width punctuation in a page's text with no Japanese letter beside it (what an
    English page must not have: 「（」 after "version"), each in context."""
    text = re.sub(r"<[^>]*>", "", html)
    return [text[max(0, m.start() - 20):m.end() + 20] for m in _FULL_WIDTH.finditer(text)
            if not _JAPANESE_LETTER.search(text[max(0, m.start() - 1):m.end() + 1])]
