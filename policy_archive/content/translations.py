"""Translations: ``versions/<slug>/<YYYY-MM-DD>.<lang>.md``, each tied to the version it
translates.

A translation's front matter is ``title`` (required), ``summary`` (the change notice in
that language, Markdown), ``note`` and ``translated`` (the day it was made); its body is the
translated text. Like :mod:`.load`, this knows files, YAML and dates, nothing about HTML, and
every problem carries a path and a line. A current version without a translation in one of
the site's languages is a warning: a reader of that language is shown no text in force.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path

from ..foundation.clock import parse_iso_date
from ..foundation.errors import Problem
from ..foundation.model import Document, SiteConfig, Translation
from .frontmatter import Settings, body_sha256, read_front_matter

TRANSLATION_KEYS = ("title", "summary", "note", "translated")
#: ``<date>.<lang>.md``: what a translation's file name looks like (checked further on load).
_NAME = re.compile(r"^(?P<date>[^.]+)\.(?P<lang>[A-Za-z]{2,3}(?:-[A-Za-z0-9]+)*)\.md$")


def is_translation_file(path: Path) -> bool:
    """Whether ``path`` is named as a translation (``2021-04-01.en.md``), not a version."""
    return _NAME.match(path.name) is not None


def load_translation(root: Path, path: Path, doc: Document, site: SiteConfig,
                     problems: list[Problem]) -> Translation | None:
    """One translation file, validated; None (with the problems recorded) when it is bad."""
    shown = path.relative_to(root).as_posix()
    m = _NAME.match(path.name)
    assert m is not None
    date, language = m.group("date"), m.group("lang")
    folder = f"versions/{doc.slug}/"
    if parse_iso_date(date) is None:
        problems.append(Problem(shown, 1, f"file name {path.name!r} does not start with a "
                                          "date: name a translation after the version it "
                                          f"translates, YYYY-MM-DD.{language}.md"))
        return None
    if language == site.all_languages[0]:
        problems.append(Problem(shown, 1, f"'{language}' is the original language of the "
                                          f"site: the original text is {folder}{date}.md, and "
                                          "a translation is named YYYY-MM-DD.<language>.md "
                                          f"for one of {_listed(site.translation_languages)}"))
        return None
    if language not in site.translation_languages:
        problems.append(Problem(shown, 1, f"'{language}' is not one of the site's languages: "
                                          "add it under 'languages' in content/site.yaml "
                                          f"(now {_listed(site.all_languages)}) or rename "
                                          "the file"))
        return None
    if not (path.parent / f"{date}.md").is_file():
        known = ", ".join(p.name[:-3] for p in sorted(path.parent.glob("*.md"))
                          if not is_translation_file(p)) or "none"
        problems.append(Problem(shown, 1, f"there is no version {date} of '{doc.slug}' to "
                                          f"translate ({folder}{date}.md does not exist; its "
                                          f"versions: {known}): name the translation after "
                                          "the day the version it translates takes effect"))
        return None
    return _read(root, shown, path, doc.slug, date, language, problems)


def _listed(languages: Iterable[str]) -> str:
    return ", ".join(languages) or "none"


def _read(root: Path, shown: str, path: Path, slug: str, key: str, language: str,
          problems: list[Problem]) -> Translation | None:
    read = read_front_matter(root, path, shown, problems, "front matter is empty: add 'title: …', "
                                                    "the title in the translation's language")
    if read is None:
        return None
    split, node = read
    before = len(problems)
    m = Settings(node, shown, 2, problems, TRANSLATION_KEYS, "the translation's front matter")
    title = m.text("title", required=True)
    summary, note = m.text("summary"), m.text("note")
    translated = m.date("translated")
    if not split.body.strip():
        problems.append(Problem(shown, split.body_line, "has no translated text after the "
                                                        "front matter"))
    if len(problems) > before:
        return None
    return Translation(slug=slug, key=key, language=language, title=title, summary=summary,
                       note=note, translated=translated, body=split.body,
                       sha256=body_sha256(split.body), source=shown,
                       body_line=split.body_line)


def load_translations(root: Path, site: SiteConfig, documents: Iterable[Document],
                      files: Callable[[Path], Iterable[Path]],
                      problems: list[Problem]) -> tuple[Translation, ...]:
    """Every translation file in each document's folder (listed by ``files``)."""
    out = []
    for doc in documents:
        folder = root / "versions" / doc.slug
        if not folder.is_dir():
            continue
        for path in files(folder):
            if not path.is_dir() and is_translation_file(path):
                t = load_translation(root, path, doc, site, problems)
                if t is not None:
                    out.append(t)
    return tuple(sorted(out, key=lambda t: (t.slug, t.key, t.language)))


def missing_warnings(site: SiteConfig, documents: Iterable[Document],
                     translations: Iterable[Translation]) -> list[Problem]:
    """A warning for each current version without a translation in a language listed."""
    have = {(t.slug, t.key, t.language) for t in translations}
    out = []
    for doc in documents:
        current = doc.current
        if current is None:
            continue
        for language in site.translation_languages:
            if (doc.slug, current.key, language) not in have:
                out.append(Problem(current.source, 1, f"the current version has no "
                                   f"translation into '{language}': readers of that language "
                                   f"are shown no text in force; add versions/{doc.slug}/"
                                   f"{current.key}.{language}.md", "warning"))
    return out
