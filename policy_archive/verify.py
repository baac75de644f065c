"""``build.py verify SITE [--root DIR]``: check a built or downloaded site on its own.

What a regulator or a journalist runs on a copy of the site: every published text hashes to
the SHA-256 the record gives, the hash chain over each document's versions holds, every
version page shows the text of its published Markdown, every inline diff rebuilds both of
its texts, and the feeds carry the same hashes and chain values as ``versions.json``. With
``--root``, the sources and the lock file must agree with the site too. Only the standard
library reads the site (``html.parser``, ``xml.etree``); texts are rendered with this
program's renderer, which is what the pages were made with.
"""

from __future__ import annotations

import hashlib
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Mapping
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, NamedTuple

from . import integrity
from .notices import ATOM, INTEGRITY

_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                   "source", "track", "wbr"})
_SKIP = frozenset({"script", "style", "template", "noscript"})


class Finding(NamedTuple):
    path: str  # relative to the site folder (or the project, for sources)
    message: str

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
        self._skip = 0  # how many of them are skipped subtrees
        self._inside: frozenset[str] = frozenset()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            if not self._open and self._matches(attrs):
                self.found.append([])
            return
        if not self._open:
            if self._matches(attrs):
                self._open = [tag]
                self.found.append([])
            return
        skipped = tag in _SKIP or any(
            k == "data-diff-label" or (k == "aria-hidden" and v == "true") for k, v in attrs)
        self._open.append(tag + ("!" if skipped else ""))
        self._skip += skipped
        self._inside = frozenset(t for t in self._open if t in self.watch)

    def _matches(self, attrs: list[tuple[str, str | None]]) -> bool:
        return any(k == self.attr and (self.value is None or v == self.value) for k, v in attrs)

    def handle_endtag(self, tag: str) -> None:
        names = [t.rstrip("!") for t in self._open]
        if tag not in names:
            return  # a stray end tag, or one of a void element
        while self._open:  # close what an end tag closes, implied ends included
            closed = self._open.pop()
            self._skip -= closed.endswith("!")
            if closed.rstrip("!") == tag:
                break
        self._inside = frozenset(t for t in self._open if t in self.watch)

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


def verify(site: Path, root: Path | None = None) -> list[Finding]:
    """Every problem found, in a stable order; none for a sound site."""
    record_path = site / "versions.json"
    try:
        record = json.loads(record_path.read_text("utf-8"))
        base = record["base_url"]
        documents = record["documents"]
    except FileNotFoundError:
        return [Finding("versions.json", "is missing: this is not a site built by this tool")]
    except (ValueError, KeyError, TypeError, UnicodeDecodeError) as e:
        return [Finding("versions.json", f"cannot be read ({e})")]
    findings: list[Finding] = []
    for doc in documents:
        findings += _document(site, base, doc)
    findings += _feed(site, "feed.xml", base,
                      {(d["slug"], v["effective"]): v for d in documents for v in d["versions"]})
    if root is not None:
        findings += _sources(root, documents)
    return findings


def _local(site: Path, base: str, url: str) -> tuple[str, Path]:
    """(site-relative file, its path) of an address in ``versions.json``."""
    rel = url[len(base):] if url.startswith(base) else url.lstrip("/")
    rel = rel.split("#")[0]
    rel = rel + "index.html" if rel == "" or rel.endswith("/") else rel
    return rel, site / rel


def _document(site: Path, base: str, doc: Mapping[str, Any]) -> Iterator[Finding]:
    slug = doc.get("slug", "?")
    texts: dict[str, str] = {}  # effective -> the visible text of its published Markdown
    previous = integrity.GENESIS
    for v in doc.get("versions", []):
        key = v.get("effective", "?")
        where = f"versions.json ({slug} {key})"
        chain = integrity.chain_link(previous, key, v.get("sha256", ""))
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
        for lang, tr in sorted((v.get("translations") or {}).items()):
            if isinstance(tr, dict) and "text_url" in tr:
                yield from _published(site, base, tr, [], f"the {lang} translation")
    for d in doc.get("diffs", []):
        page_rel, page = _local(site, base, d.get("url", ""))
        try:
            html = page.read_text("utf-8")
        except (OSError, UnicodeDecodeError):
            yield Finding(page_rel, "is missing or unreadable: an inline diff versions.json lists")
            continue
        sides = visible_texts(html, "data-diff", "inline",
                              (frozenset({"ins"}), frozenset({"del"})))
        if len(sides) != 1:
            yield Finding(page_rel, f"has {len(sides)} elements marked data-diff=\"inline\", "
                                    "not 1")
            continue
        old, new = sides[0]
        for side, got, key in (("older", old, d.get("from")), ("newer", new, d.get("to"))):
            want = texts.get(key or "")
            if want is not None and got != want:
                yield Finding(page_rel, f"does not rebuild the {side} text ({key}) "
                                        f"({_first_difference(got, want)})")
    if "feed" in doc:
        rel, _ = _local(site, base, doc["feed"])
        yield from _feed(site, rel, base, {(slug, v["effective"]): v for v in doc["versions"]})


def _published(site: Path, base: str, entry: Mapping[str, Any], text: list[str],
               what: str = "this version") -> Iterator[Finding]:
    """An entry's published text (``text_url``) against its ``sha256``, and its page
    (``url``) against that text; the text's visible form is appended to ``text``."""
    from .render import render_markdown

    rel, path = _local(site, base, entry["text_url"])
    try:
        data = path.read_bytes()
    except OSError:
        yield Finding(rel, f"is missing: the published text of {what}")
        return
    digest = hashlib.sha256(data).hexdigest()
    if digest != entry.get("sha256"):
        yield Finding(rel, f"has SHA-256 {digest}, but versions.json gives {entry.get('sha256')}:"
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
    page_rel, page = _local(site, base, entry.get("url", ""))
    try:
        shown = visible_texts(page.read_text("utf-8"), "data-policy-text")
    except (OSError, UnicodeDecodeError):
        yield Finding(page_rel, f"is missing or unreadable: the page of {what}")
        return
    if len(shown) != 1:
        yield Finding(page_rel, f"has {len(shown)} elements marked data-policy-text, not 1")
    elif shown[0][0] != published:
        yield Finding(page_rel, "shows a text other than its published text "
                                f"({_first_difference(shown[0][0], published)})")


def _feed(site: Path, rel: str, base: str,
          versions: Mapping[tuple[str, str], Mapping[str, Any]]) -> Iterator[Finding]:
    """The feed at ``rel`` names the versions ``versions.json`` lists with the same hashes."""
    try:
        tree = ET.parse(site / rel)
    except (OSError, ET.ParseError) as e:
        yield Finding(rel, f"cannot be read as a feed ({e})")
        return
    seen = set()
    for entry in tree.getroot().iter(f"{{{ATOM}}}entry"):
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


def _sources(root: Path, documents: list[Any]) -> Iterator[Finding]:
    """The project's version files and lock file against the site."""
    import os

    from .clock import build_date
    from .errors import ContentError
    from .load import load_archive
    from .provenance import LOCK_FILE, read_lock

    try:
        archive = load_archive(root, build_date(None, os.environ))
        lock = read_lock(root)
    except ContentError as e:
        for p in e.problems:
            yield Finding(p.path, f"line {p.line}: {p.message}")
        return
    published = {(d["slug"], v["effective"]): v for d in documents for v in d["versions"]}
    for doc in archive.documents:
        for v in doc.versions:
            entry = published.get((doc.slug, v.key))
            if entry is None:
                continue  # a version the site does not show (yet)
            if entry.get("sha256") != v.sha256:
                yield Finding(v.source, f"has SHA-256 {v.sha256}, the site gives "
                                        f"{entry.get('sha256')}")
            locked = lock.get(f"{doc.slug}/{v.key}")
            if locked is not None and locked.sha256 != entry.get("sha256"):
                yield Finding(LOCK_FILE, f"records {locked.sha256} for {doc.slug}/{v.key}, "
                                         f"the site gives {entry.get('sha256')}")
    sources = {(d.slug, v.key) for d in archive.documents for v in d.versions}
    for slug, key in sorted(set(published) - sources):
        yield Finding(f"versions/{slug}/{key}.md", "is missing: the site publishes this version")


def _first_difference(got: str, want: str) -> str:
    i = next((i for i, (a, b) in enumerate(zip(got, want)) if a != b), min(len(got), len(want)))
    return f"first difference at character {i}: shows {got[i:i + 20]!r}, expected {want[i:i + 20]!r}"
