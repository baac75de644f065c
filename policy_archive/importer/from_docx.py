"""``import docx FILE… --slug SLUG [--effective DATE]``: Word files (旧規約, old versions kept
by a legal department) as dated versions.

mammoth reads the Word file into clean HTML (headings by style, numbered lists nested as
Word numbers them, tables, emphasis, footnotes), ``htmlmd`` turns that into Markdown. What
neither carries — images, tracked changes, comments — is named in the report. The words to
find in the page are read from the file's own XML, not from mammoth, so the check is
independent of the conversion. mammoth is imported here only (start-up of other commands).
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections import Counter
from pathlib import Path
from xml.etree import ElementTree

from ..foundation.errors import ContentError
from .dates import parse_date
from .plan import Imported, words

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_TEXT_PARTS = ("word/document.xml", "word/footnotes.xml", "word/endnotes.xml")
_MARKS = {f"{W}ins": "tracked insertions (taken as accepted)",
          f"{W}del": "tracked deletions (left out, as accepted)",
          f"{W}moveFrom": "tracked moves", f"{W}moveTo": "tracked moves"}


def _xml(z: zipfile.ZipFile, name: str) -> bytes | None:
    try:
        return z.read(name)
    except KeyError:
        return None


def source_words(z: zipfile.ZipFile) -> Counter[str]:
    """The words of the file's text: every ``w:t`` of the body, footnotes and endnotes
    (deleted text, ``w:delText``, is not text), a paragraph at a time."""
    count: Counter[str] = Counter()
    for name in _TEXT_PARTS:
        data = _xml(z, name)
        if data is None:
            continue
        for p in ElementTree.fromstring(data).iter(f"{W}p"):
            count += words("".join(t.text or "" for t in p.iter(f"{W}t")))
    return count


def unconverted(z: zipfile.ZipFile) -> list[str]:
    """What the conversion does not carry, as the report names it."""
    data = _xml(z, "word/document.xml")
    found: Counter[str] = Counter()
    if data is not None:
        for el in ElementTree.fromstring(data).iter():
            if el.tag in _MARKS:
                found[_MARKS[el.tag]] += 1
    comments = _xml(z, "word/comments.xml")
    if comments is not None:
        n = sum(1 for _ in ElementTree.fromstring(comments).iter(f"{W}comment"))
        if n:
            found["comments (left out)"] = n
    return [f"{n} {what}" for what, n in sorted(found.items())]


def title_of(z: zipfile.ZipFile) -> str:
    data = _xml(z, "docProps/core.xml")
    if data is None:
        return ""
    m = re.search(rb"<dc:title>(.*?)</dc:title>", data, re.S)
    return m.group(1).decode("utf-8", "replace") if m else ""


def date_of(path: Path, title: str, effective: dt.date | None) -> tuple[dt.date, str]:
    """``--effective``, else a date in the file's title, else in its name."""
    if effective is not None:
        return effective, "--effective"
    for where, text in (("the file's title", title), ("the file name", path.name)):
        date = parse_date(text)
        if date is not None:
            return date, f"{where} {text!r}"
    raise ContentError.single(path.name, 1, "no date in its title or its name: give "
                                            "--effective YYYY-MM-DD")


def import_docx(path: Path, effective: dt.date | None) -> Imported:
    import mammoth  # type: ignore[import-untyped]

    from .htmlmd import to_markdown

    try:
        with zipfile.ZipFile(path) as z:
            counted, missing, title = source_words(z), unconverted(z), title_of(z)
    except (OSError, zipfile.BadZipFile) as e:
        raise ContentError.single(str(path), 1, f"is not a Word (.docx) file: {e}") from None
    date, said = date_of(path, title, effective)
    with path.open("rb") as f:
        result = mammoth.convert_to_html(f)
    converted = to_markdown(result.value)
    details = [f"dated by {said}", *(f"not converted: {m}" for m in missing),
               *converted.left_out,
               *(f"mammoth: {m.message}" for m in result.messages)]
    return Imported(date=date, body=converted.markdown, source=str(path),
                    source_words=counted, summary=f"Draft (edit): imported from {path.name}",
                    details=tuple(details))
