"""What lets a reader check the record: the hash chain over a document's versions.

Each version's ``chain`` is the SHA-256 (hex) of the previous version's chain, a newline, its
effective date, a newline and the SHA-256 of its text; the first version's previous chain is
64 zeros. A feed entry carries the chain value at its version, so whoever kept an old feed can
show that a later site rewrote a version published before (every chain value from the
rewritten version on differs). Pure functions; ``verify.py`` recomputes the same values.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

GENESIS = "0" * 64


def chain_link(previous: str, effective: str, sha256: str) -> str:
    return hashlib.sha256(f"{previous}\n{effective}\n{sha256}".encode()).hexdigest()


def chain(versions: Iterable[tuple[str, str]]) -> list[str]:
    """The chain values of ``(effective, sha256)`` pairs, oldest first."""
    out: list[str] = []
    previous = GENESIS
    for effective, sha256 in versions:
        previous = chain_link(previous, effective, sha256)
        out.append(previous)
    return out
