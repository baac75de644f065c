"""``build.py verify SITE [--root DIR]``: check a built or downloaded site on its own.

What a regulator or a journalist runs on a copy of the site: every published text hashes to
the SHA-256 the record gives, the hash chain over each document's versions holds, every
version page shows the text of its published Markdown, every inline diff rebuilds both of
its texts, and the feeds carry the same hashes and chain values as ``versions.json``. With
``--root``, the sources and the lock file must agree with the site too. Only the standard
library reads the site (``html.parser``, ``xml.etree``); texts are rendered with this
program's renderer, which is what the pages were made with. The site is hostile input: it is
read through :mod:`.sitefiles` (regular files inside the folder, of a bounded size, a record
of the expected shape), and whatever is wrong is a finding, never an exception.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterator, Mapping
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, NamedTuple

from ..content import integrity
from ..site.notices import ATOM, INTEGRITY
from .sitefiles import SiteFolder, Unreadable, shape_problems

_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                   "source", "track", "wbr"})
_SKIP = frozenset({"script", "style", "template", "noscript"})


class Finding(NamedTuple):
    path: str  # relative to the site folder (or the project, for sources)
    message: str
    in_site: bool = True  # False: the path is in the project

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class _Visible(HTMLParser):
    """The visible text of each element carrying ``attr`` (= ``value``), without what a reader
    does not read as the text: labels (``data-diff-label``), hidden decorations
    (``aria-hidden``) and scripts. Each piece of text remembers which of the ``watch`` tags
    (e.g. ``ins``, ``del``) it stands in, so one parse gives the text without any of them."""

    def __init__(self, attr: str, value: str | None, watch: frozenset[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.attr, self.value, self.watch = attr, value, watch
        self.found: list[list[tuple[str, frozenset[str]]]] = []  # pieces of each match
        self._open: list[str] = []  # tags open inside the current match
        self._counts: Counter[str] = Counter()  # how many of each tag are open
        self._skip = 0  # how many of them are skipped subtrees
        self._inside: frozenset[str] = frozenset()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            if not self._open and self._matches(attrs):
                self.found.append([])
            return
        if not self._open:
            if self._matches(attrs):
                self._push(tag, False)
                self.found.append([])
            return
        skipped = tag in _SKIP or any(
            k == "data-diff-label" or (k == "aria-hidden" and v == "true") for k, v in attrs)
        self._push(tag, skipped)

    def _push(self, tag: str, skipped: bool) -> None:
        self._open.append(tag + ("!" if skipped else ""))
        self._counts[tag] += 1
        self._skip += skipped
        self._watched()

    def _watched(self) -> None:
        self._inside = frozenset(t for t in self.watch if self._counts[t])

    def _matches(self, attrs: list[tuple[str, str | None]]) -> bool:
        return any(k == self.attr and (self.value is None or v == self.value) for k, v in attrs)

    def handle_endtag(self, tag: str) -> None:
        if not self._counts[tag]:
            return  # a stray end tag, or one of a void element
        while self._open:  # close what an end tag closes, implied ends included
            closed = self._open.pop()
            self._skip -= closed.endswith("!")
            self._counts[closed.rstrip("!")] -= 1
            if closed.rstrip("!") == tag:
                break
        self._watched()

    def handle_data(self, data: str) -> None:
        if self._open and not self._skip:
            self.found[-1].append((data, self._inside))


def visible_texts(html: str, attr: str, value: str | None = None,
                  drops: tuple[frozenset[str], ...] = (frozenset(),)) -> list[tuple[str, ...]]:
    """For each element carrying ``attr``: its visible text (white space removed) without
    the content of each set of ``drops`` tags, in order."""
    parser = _Visible(attr, value, frozenset().union(*drops))
    parser.feed(html)
    parser.close()
    return [tuple(re.sub(r"\s+", "", "".join(d for d, inside in pieces if not inside & drop))
                  for drop in drops) for pieces in parser.found]


def verify(folder: Path, root: Path | None = None,
           as_of: dt.date | None = None) -> list[Finding]:
    """Every problem found, in a stable order; none for a sound site. ``as_of``: the day
    the site was built for, whose versions the project's must be (default: the build date
    of this run)."""
    site = SiteFolder(folder)
    try:
        record = site.json("versions.json")
    except Unreadable as e:
        if str(e) == "is missing":
            return [Finding("versions.json", "is missing: this is not a site built by this tool")]
        return [Finding("versions.json", f"cannot be read: it {e}")]
    wrong = shape_problems(record)
    if wrong:
        return [Finding("versions.json", f"is not a record of this tool: {w}") for w in wrong]
    base, documents = record["base_url"], record["documents"]
    findings: list[Finding] = []
    for doc in documents:
        findings += _document(site, base, doc)
    findings += _feed(site, "feed.xml", base,
                      {(d["slug"], v["effective"]): v for d in documents for v in d["versions"]})
    if root is not None:
        from .sources import sources

        findings += sources(root, site, record, as_of)
    return findings


def _local(base: str, url: str) -> str | None:
    """The site-relative file of an address in ``versions.json``; None for one outside
    ``base_url``."""
    if not url.startswith(base):
        return None
    rel = url[len(base):].split("#")[0]
    return rel + "index.html" if rel == "" or rel.endswith("/") else rel


def _read_text(site: SiteFolder, base: str, url: str, what: str) -> tuple[str, str | Finding]:
    """(site-relative file, its text) of ``url``, or a finding saying why it is not read."""
    rel = _local(base, url)
    if rel is None:
        return url, Finding(url, f"is not an address under base_url ({base}): {what} is not "
                                 "read")
    try:
        return rel, site.read(rel).decode("utf-8")
    except Unreadable as e:
        return rel, Finding(rel, f"{e}: {what}")
    except UnicodeDecodeError:
        return rel, Finding(rel, f"is not UTF-8: {what}")


def _document(site: SiteFolder, base: str, doc: Mapping[str, Any]) -> Iterator[Finding]:
    slug = doc["slug"]
    texts: dict[str, str] = {}  # effective -> the visible text of its published Markdown
    previous = integrity.GENESIS
    chains: dict[str, str] = {}  # language -> the chain over its translations so far
    for v in doc["versions"]:
        key = v["effective"]
        where = f"versions.json ({slug} {key})"
        chain = integrity.chain_link(previous, key, v["sha256"])
        if v.get("chain") != chain:
            yield Finding(where, f"the hash chain breaks here: 'chain' is {v.get('chain')!r}, "
                                 f"computed {chain}")
        previous = v.get("chain") or chain
        if "text_url" not in v:
            yield Finding(where, "gives no 'text_url': the text cannot be checked")
            continue
        text: list[str] = []
        yield from _published(site, base, v, text)
        if text:
            texts[key] = text[0]
        for lang, tr in sorted(v.get("translations", {}).items()):
            yield from _translation(site, base, tr, f"{where} {lang}", chains, lang, key)
    yield from _diffs(site, base, doc.get("diffs", []), texts)
    if "feed" in doc:
        rel = _local(base, doc["feed"])
        if rel is None:
            yield Finding(doc["feed"], f"is not an address under base_url ({base})")
        else:
            yield from _feed(site, rel, base, {(slug, v["effective"]): v
                                               for v in doc["versions"]})


def _translation(site: SiteFolder, base: str, tr: Mapping[str, Any], where: str,
                 chains: dict[str, str], lang: str, key: str) -> Iterator[Finding]:
    """A translation's text and page, and its link in the chain of that language (a site
    written before translations were chained gives none)."""
    chain = integrity.chain_link(chains.get(lang, integrity.GENESIS), key, tr["sha256"])
    if "chain" in tr and tr["chain"] != chain:
        yield Finding(where, f"the hash chain of the translations breaks here: 'chain' is "
                             f"{tr['chain']!r}, computed {chain}")
    chains[lang] = tr.get("chain") or chain
    if "text_url" in tr:
        yield from _published(site, base, tr, [], f"the {lang} translation")


def _diffs(site: SiteFolder, base: str, diffs: list[Mapping[str, str]], texts: Mapping[str, str]
           ) -> Iterator[Finding]:
    """Each inline diff rebuilds both of its texts."""
    for d in diffs:
        page_rel, html = _read_text(site, base, d["url"], "an inline diff versions.json lists")
        if isinstance(html, Finding):
            yield html
            continue
        sides = visible_texts(html, "data-diff", "inline",
                              (frozenset({"ins"}), frozenset({"del"})))
        if len(sides) != 1:
            yield Finding(page_rel, f"has {len(sides)} elements marked data-diff=\"inline\", "
                                    "not 1")
            continue
        old, new = sides[0]
        for side, got, key in (("older", old, d["from"]), ("newer", new, d["to"])):
            want = texts.get(key)
            if want is not None and got != want:
                yield Finding(page_rel, f"does not rebuild the {side} text ({key}) "
                                        f"({_first_difference(got, want)})")


def _published(site: SiteFolder, base: str, entry: Mapping[str, Any], text: list[str],
               what: str = "this version") -> Iterator[Finding]:
    """An entry's published text (``text_url``) against its ``sha256``, and its page
    (``url``) against that text; the text's visible form is appended to ``text``."""
    from ..text.render import render_markdown

    rel = _local(base, entry["text_url"])
    if rel is None:
        yield Finding(entry["text_url"], f"is not an address under base_url ({base}): the "
                                         f"published text of {what} is not read")
        return
    try:
        data = site.read(rel)
    except Unreadable as e:
        yield Finding(rel, f"{e}: the published text of {what}")
        return
    digest = hashlib.sha256(data).hexdigest()
    if digest != entry["sha256"]:
        yield Finding(rel, f"has SHA-256 {digest}, but versions.json gives {entry['sha256']}:"
                           " the published text is not the text recorded")
        return  # no text to check the page against
    try:
        markdown = data.decode("utf-8")
    except UnicodeDecodeError:
        yield Finding(rel, "is not UTF-8")
        return
    published = visible_texts(f"<div data-t>{render_markdown(markdown).html}</div>",
                              "data-t")[0][0]
    text.append(published)
    page_rel, page = _read_text(site, base, entry.get("url", ""), f"the page of {what}")
    if isinstance(page, Finding):
        yield page
        return
    shown = visible_texts(page, "data-policy-text")
    if len(shown) != 1:
        yield Finding(page_rel, f"has {len(shown)} elements marked data-policy-text, not 1")
    elif shown[0][0] != published:
        yield Finding(page_rel, "shows a text other than its published text "
                                f"({_first_difference(shown[0][0], published)})")


def _feed(site: SiteFolder, rel: str, base: str,
          versions: Mapping[tuple[str, str], Mapping[str, Any]]) -> Iterator[Finding]:
    """The feed at ``rel`` names the versions ``versions.json`` lists with the same hashes."""
    try:
        tree = ET.fromstring(site.read(rel))
    except Unreadable as e:
        yield Finding(rel, f"{e}: a feed")
        return
    except ET.ParseError as e:
        yield Finding(rel, f"cannot be read as a feed ({e})")
        return
    seen = set()
    for entry in tree.iter(f"{{{ATOM}}}entry"):
        link = next((el.get("href", "") for el in entry.iter(f"{{{ATOM}}}link")
                     if el.get("rel") == "alternate"), "")
        m = re.search(r"([^/]+)/(\d{4}-\d{2}-\d{2})/$", link)
        v = versions.get((m.group(1), m.group(2))) if m else None
        if v is None:
            yield Finding(rel, f"has an entry for {link or '?'}, a version versions.json "
                               "does not list")
            continue
        seen.add((m.group(1), m.group(2)) if m else None)
        for name in ("sha256", "chain"):
            got = entry.findtext(f"{{{INTEGRITY}}}{name}")
            if got != v.get(name):
                yield Finding(rel, f"gives {name} {got} for {link}, versions.json {v.get(name)}")
    for slug, key in sorted(set(versions) - seen):
        yield Finding(rel, f"has no entry for {slug} {key}")


def _first_difference(got: str, want: str) -> str:
    i = next((i for i, (a, b) in enumerate(zip(got, want)) if a != b), min(len(got), len(want)))
    return f"first difference at character {i}: shows {got[i:i + 20]!r}, expected {want[i:i + 20]!r}"
