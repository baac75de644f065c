"""The build date: the one place the clock is read.

``--as-of YYYY-MM-DD`` wins, else ``SOURCE_DATE_EPOCH`` (seconds, read as a UTC date), else
today's date. Everything downstream receives the date as a value.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from .errors import UsageError


def parse_iso_date(text: str) -> dt.date | None:
    """``YYYY-MM-DD`` exactly, or None (also for impossible dates such as 2023-02-30)."""
    if len(text) != 10 or text[4] != "-" or text[7] != "-":
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def build_date(as_of: str | None, environ: Mapping[str, str]) -> dt.date:
    if as_of is not None:
        date = parse_iso_date(as_of)
        if date is None:
            raise UsageError(f"--as-of {as_of!r} is not a date of the form YYYY-MM-DD")
        return date
    epoch = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc).date()
        except (ValueError, OverflowError, OSError):
            raise UsageError(
                f"SOURCE_DATE_EPOCH={epoch!r} is not a number of seconds since 1970-01-01"
            ) from None
    return dt.date.today()
