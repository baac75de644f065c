"""Dates as policies write them, for ``import``: the day a text says it took effect.

Ready patterns for the date lines of English and Japanese policies ("Effective date: …",
"Last updated: …", 施行日・改定日・制定日, in 西暦 and in 和暦 with 元年), a pattern of the
user's own (``--date-pattern REGEX``), and a date in a title or a file name. Pure functions.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

_MONTHS = {name: i + 1 for i, name in enumerate(
    ("january", "february", "march", "april", "may", "june", "july", "august",
     "september", "october", "november", "december"))}
_MONTHS.update({name[:3]: n for name, n in list(_MONTHS.items())})
_MONTHS["sept"] = 9
#: The first year of each era, less one: 令和元年 = 2019.
ERAS = {"令和": 2018, "平成": 1988, "昭和": 1925}

_ERA = "|".join(ERAS)
_NUM = r"(?:\d{1,4}|元)"
#: Any date a policy writes: ISO, "February 1, 2024", "1 February 2024", 2024年2月1日,
#: 令和6年2月1日 (digits may be full width: the text is NFKC-normalised first).
DATE = re.compile(
    rf"(?P<era>{_ERA})\s*(?P<ey>{_NUM})\s*年\s*(?P<em>\d{{1,2}})\s*月\s*(?P<ed>\d{{1,2}})\s*日"
    r"|(?P<jy>\d{4})\s*年\s*(?P<jm>\d{1,2})\s*月\s*(?P<jd>\d{1,2})\s*日"
    r"|(?P<iy>\d{4})[-/.](?P<im>\d{1,2})[-/.](?P<id>\d{1,2})(?!\d)"
    r"|(?P<mn>[A-Za-z]{3,9})\.?\s+(?P<md>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<my>\d{4})"
    r"|(?P<dd>\d{1,2})(?:st|nd|rd|th)?\s+(?P<dn>[A-Za-z]{3,9})\.?,?\s+(?P<dy>\d{4})"
)

#: The ready date lines, most telling first: where a text has several (制定日 and 改定日),
#: the first label found in this order dates it, and the latest date on its lines.
READY_LABELS = (
    ("effective", r"effective(?:\s+date|\s+as\s+of|\s+from)?|施行日?"),
    ("updated", r"last\s+(?:updated|revised|modified)|updated(?=[\s*_]*[:：])|改定日?|改訂日?"
                r"|最終改定日?"),
    ("enacted", r"制定日?"),
)


_KANJI_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")}
_KANJI_NUMBER = re.compile(r"[〇一二三四五六七八九十百]+(?=\s*[年月日])")


def _kanji_number(m: re.Match[str]) -> str:
    """令和三年四月一日 → 令和3年4月1日; 二〇二一年 → 2021年; 平成三十年 → 平成30年."""
    kanji = m.group(0)
    if "十" not in kanji and "百" not in kanji:
        return "".join(str(_KANJI_DIGITS[c]) for c in kanji)
    total = 0
    for unit, value in (("百", 100), ("十", 10)):
        if unit in kanji:
            before, kanji = kanji.split(unit, 1)
            total += (_KANJI_DIGITS.get(before[-1:], 1) if before else 1) * value
    return str(total + (_KANJI_DIGITS[kanji[-1]] if kanji else 0))


def normalise(text: str) -> str:
    """Full-width digits and letters as ASCII (NFKC), so １２月 reads as 12月, and numbers
    in kanji before 年, 月 and 日 as digits."""
    return _KANJI_NUMBER.sub(_kanji_number, unicodedata.normalize("NFKC", text))


def _ymd(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def parse_date(text: str) -> dt.date | None:
    """The first real date written in ``text``, or None."""
    for m in DATE.finditer(normalise(text)):
        date = _from_match(m)
        if date is not None:
            return date
    return None


def all_dates(text: str) -> list[dt.date]:
    dates = (_from_match(m) for m in DATE.finditer(normalise(text)))
    return [d for d in dates if d is not None]


def _from_match(m: re.Match[str]) -> dt.date | None:
    g = m.groupdict()
    if g["era"]:
        year = 1 if g["ey"] == "元" else int(g["ey"])
        return _ymd(ERAS[g["era"]] + year, int(g["em"]), int(g["ed"]))
    if g["jy"]:
        return _ymd(int(g["jy"]), int(g["jm"]), int(g["jd"]))
    if g["iy"]:
        return _ymd(int(g["iy"]), int(g["im"]), int(g["id"]))
    if g["mn"]:
        month = _MONTHS.get(g["mn"].lower())
        return _ymd(int(g["my"]), month, int(g["md"])) if month else None
    month = _MONTHS.get(g["dn"].lower())
    return _ymd(int(g["dy"]), month, int(g["dd"])) if month else None


def _label_lines(label: str) -> re.Pattern[str]:
    # the label at the start of a line (after Markdown's #, *, _, > and spaces), then the date
    return re.compile(rf"^[\s#>*_|【\[（(]*(?:{label})[\s*_:：】\]）)]*(?P<rest>.*)$",
                      re.I | re.M)


def effective_line_date(text: str, pattern: re.Pattern[str] | None = None
                        ) -> tuple[dt.date, str] | None:
    """The date a text gives itself, and the line that says it; None when none says.

    With ``pattern`` (the user's ``--date-pattern``), its first match: its group ``date`` (or
    its first group, or the whole match) is read as a date."""
    if pattern is not None:  # the user's pattern reads the text as written (full width kept)
        for m in pattern.finditer(text):
            part = m.group("date") if "date" in m.re.groupindex else (
                m.group(1) if m.re.groups else m.group(0))
            date = parse_date(part or "")
            if date is not None:
                return date, _line_at(text, m.start())
        return None
    plain = normalise(text)
    for _, label in READY_LABELS:
        found = [(d, m.group(0).strip()) for m in _label_lines(label).finditer(plain)
                 for d in all_dates(m.group("rest"))]
        if found:
            return max(found)
    return None


def _line_at(text: str, pos: int) -> str:
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return text[start: end if end >= 0 else len(text)].strip()
