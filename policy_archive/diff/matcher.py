"""The sequence matcher every diff step uses: cydifflib's compiled one, else difflib's.

Bench and tests may replace :data:`_Matcher` on this module (``bench/diff_bench.py`` measures
the engine with difflib's); every caller goes through :func:`sequence_matcher`, so one
assignment reaches them all.
"""

from __future__ import annotations

import difflib
import importlib
from collections.abc import Sequence
from typing import Any, cast

__all__ = ["sequence_matcher"]


def _load_matcher() -> type[difflib.SequenceMatcher[Any]]:
    """cydifflib's compiled SequenceMatcher (a drop-in for difflib's), else difflib's."""
    try:
        module = importlib.import_module("cydifflib")
    except ImportError:  # pragma: no cover - cydifflib is a pinned dependency
        return difflib.SequenceMatcher
    return cast("type[difflib.SequenceMatcher[Any]]", module.SequenceMatcher)


_Matcher = _load_matcher()


def sequence_matcher(a: Sequence[Any], b: Sequence[Any]) -> difflib.SequenceMatcher[Any]:
    """A matcher of ``a`` against ``b`` with no junk heuristic (``autojunk=False``)."""
    return _Matcher(None, a, b, autojunk=False)
