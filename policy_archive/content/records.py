"""The rules a published record keeps, in one place for ``check``, ``build`` and ``publish``.

A version (or a translation of one) that a witness holds — the lock file, the lock file as
committed, the pages branch — stays, under its name and date, with the same text, unless an
erratum the witness does not hold yet records the correction (for the lock: one dated on or
after the day it was locked; a translation is corrected by an erratum of the version it
translates). ``check`` and ``build`` ask every witness; ``publish`` asks the pages branch it
commits to, about the site it is given. So a ``check --strict`` that passes means ``publish``
will not refuse the same sources.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NamedTuple

from ..foundation.errors import Problem
from ..foundation.model import Archive
from .provenance import LOCK_FILE, LockEntry, committed_lock, read_lock, repo_prefix, show_file

#: The pages branch ``check`` and ``build`` compare with (``publish --branch`` names its own).
PAGES_BRANCH = "gh-pages"

#: (slug, effective date, language): "" as the language for the original.
Key = tuple[str, str, str]


class Entry(NamedTuple):
    sha256: str
    source: str  # the file a person opens: versions/<slug>/<date>[.<lang>].md
    line: int
    errata: frozenset[tuple[str, str]] = frozenset()  # (date, reason) of the version


class Witness(NamedTuple):
    """Who holds a record from before, and how to say so."""

    entries: Mapping[Key, Entry]
    since: Mapping[Key, str]  # the lock's dates: only errata from that day on count
    branch: str = ""  # the pages branch and its commit; "" for the lock
    commit: str = ""


def _source(key: Key) -> str:
    slug, date, language = key
    return f"versions/{slug}/{date}{'.' + language if language else ''}.md"


def _errata(value: object) -> frozenset[tuple[str, str]]:
    items = value if isinstance(value, (list, tuple)) else []
    return frozenset((str(e.get("date")), str(e.get("reason"))) for e in items
                     if isinstance(e, dict))


# --- records: of the sources, of a versions.json, of a lock file ----------------------------


def of_archive(archive: Archive) -> dict[Key, Entry]:
    """Every version and translation of the sources."""
    out: dict[Key, Entry] = {}
    errata: dict[tuple[str, str], frozenset[tuple[str, str]]] = {}
    for doc in archive.documents:
        for v in doc.versions:
            errata[(v.slug, v.key)] = frozenset((e.date.isoformat(), e.reason) for e in v.errata)
            out[(v.slug, v.key, "")] = Entry(v.sha256, v.source, v.body_line,
                                             errata[(v.slug, v.key)])
    for t in archive.translations:
        out[(t.slug, t.key, t.language)] = Entry(t.sha256, t.source, t.body_line,
                                                 errata.get((t.slug, t.key), frozenset()))
    return out


def of_versions_json(data: Any) -> dict[Key, Entry]:
    """Every version and translation a ``versions.json`` lists (what is not shaped as this
    tool writes it is left out)."""
    out: dict[Key, Entry] = {}
    docs = data.get("documents") if isinstance(data, dict) else None
    for d in docs if isinstance(docs, list) else []:
        versions = d.get("versions") if isinstance(d, dict) else None
        for v in versions if isinstance(versions, list) else []:
            if not isinstance(v, dict):
                continue
            key: Key = (str(d.get("slug")), str(v.get("effective")), "")
            errata = _errata(v.get("errata"))
            out[key] = Entry(str(v.get("sha256")), str(v.get("source") or _source(key)), 1,
                             errata)
            translations = v.get("translations")
            for lang, t in (translations.items() if isinstance(translations, dict) else ()):
                if isinstance(t, dict):
                    tkey = (key[0], key[1], str(lang))
                    out[tkey] = Entry(str(t.get("sha256")), _source(tkey), 1, errata)
    return out


def lock_witness(lock: Mapping[str, LockEntry]) -> Witness:
    entries: dict[Key, Entry] = {}
    since: dict[Key, str] = {}
    for name, e in lock.items():
        slug, _, rest = name.partition("/")
        date, _, language = rest.partition(".")
        key = (slug, date, language)
        entries[key] = Entry(e.sha256, _source(key), 1)
        since[key] = e.locked.isoformat()
    return Witness(entries, since)


def branch_witness(versions_json: bytes, branch: str, commit: str) -> Witness | None:
    """What the pages branch publishes; None when it holds no record of this tool."""
    try:
        data = json.loads(versions_json.decode("utf-8"))
    except (ValueError, RecursionError):
        return None
    return Witness(of_versions_json(data), {}, branch, commit[:10])


# --- the rule --------------------------------------------------------------------------------


def refusals(witness: Witness, now: Mapping[Key, Entry], missing_from: str) -> list[Problem]:
    """Each entry of ``witness`` that ``now`` dropped, or holds with another text and no new
    erratum. ``missing_from``: where a dropped one is missing ("the site", "the project")."""
    problems = []
    for key, old in sorted(witness.entries.items()):
        new = now.get(key)
        since = witness.since.get(key)
        if new is None:
            problems.append(Problem(old.source, 1, _missing(witness, key, missing_from)))
        elif new.sha256 != old.sha256 and not any(
                e not in old.errata and (since is None or e[0] >= since) for e in new.errata):
            problems.append(Problem(new.source, new.line, _changed(witness, key, old, new)))
    return problems


def _what(key: Key) -> str:
    return "translation" if key[2] else "version"


def _changed(witness: Witness, key: Key, old: Entry, new: Entry) -> str:
    what = _what(key)
    how = ("record it under 'errata' of the version it translates" if key[2] else
           "record it under 'errata'") + " with a date and a reason"
    if not witness.branch:
        return (f"the text of this {what} changed after it was locked on {witness.since[key]} "
                f"(SHA-256 was {old.sha256[:12]}…, now {new.sha256[:12]}…). A published "
                f"{what} must not change silently: undo the change, or {how}, then run "
                "'policy-archive lock'")
    return (f"the text of this {what} differs from the one published on {witness.branch} "
            f"(commit {witness.commit}: SHA-256 {old.sha256[:12]}…, now {new.sha256[:12]}…). "
            f"A published {what} must not change silently: undo the change, or {how}")


def _missing(witness: Witness, key: Key, missing_from: str) -> str:
    held = (f"published on {witness.branch} (commit {witness.commit})" if witness.branch
            else f"locked in {LOCK_FILE} (on {witness.since[key]})")
    return (f"this {_what(key)} is {held} and is missing from {missing_from}: a published "
            f"{_what(key)} stays published, under its name and date. Restore its file")


# --- check and build: every witness ----------------------------------------------------------


def check_records(root: Path, archive: Archive) -> list[Problem]:
    """Every refusal of the lock file, of the lock as committed, and of the pages branch
    (``gh-pages``, else ``origin/gh-pages``), for the sources as they are; one per file."""
    lock = read_lock(root)
    committed = committed_lock(root)
    now = of_archive(archive)
    problems = [Problem(LOCK_FILE, 1, f"'{name}' is locked in the committed lock file but "
                                      "not in this one: a lock entry is never removed. Restore"
                                      f" it: git checkout HEAD -- {LOCK_FILE}")
                for name in sorted(set(committed) - set(lock))]
    witnesses = [lock_witness(lock), lock_witness(committed)]
    branch = pages_witness(root)
    if branch is not None:
        witnesses.append(branch)
    seen = set()
    for w in witnesses:
        for p in refusals(w, now, "the project"):
            if p.path not in seen:
                seen.add(p.path)
                problems.append(p)
    return problems


def pages_witness(root: Path) -> Witness | None:
    """What the pages branch publishes: the local branch, else origin's."""
    found = repo_prefix(root)
    if found is None:
        return None
    for ref in (f"refs/heads/{PAGES_BRANCH}", f"refs/remotes/origin/{PAGES_BRANCH}"):
        commit = _rev_parse(found[0], ref)
        if commit:
            data = show_file(found[0], commit, "versions.json")
            return branch_witness(data, PAGES_BRANCH, commit) if data is not None else None
    return None


def _rev_parse(top: Path, ref: str) -> str:
    import subprocess

    try:
        return subprocess.run(["git", "rev-parse", "--verify", "--quiet", ref], cwd=top,
                              check=True, capture_output=True, text=True,
                              stdin=subprocess.DEVNULL).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""
