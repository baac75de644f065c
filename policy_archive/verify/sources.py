"""``verify SITE --root DIR``: the project's versions, translations and lock file against the
site, every one of them, whether ``versions.json`` lists it or not.

Each version and translation of the sources must be listed in the site's record with the
same SHA-256; one the record does not list is missing from the site, or (when its
``text.md`` is there) present but unlisted. Each entry of the lock file must be listed, with
its text or a newer erratum (:func:`.records.refusals`, the rule ``check`` and ``publish``
apply); and each version the site lists must have its file in the project.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from ..content import records
from ..foundation import urls
from .site import Finding
from .sitefiles import SiteFolder


def sources(root: Path, site: SiteFolder, record: Mapping[str, Any],
            as_of: dt.date | None = None) -> Iterator[Finding]:
    """What is wrong between the project at ``root`` and the site's ``record`` (of the shape
    :func:`.sitefiles.shape_problems` accepts)."""
    from ..content.load import load_archive
    from ..content.provenance import read_lock
    from ..foundation.clock import build_date
    from ..foundation.errors import ContentError

    try:
        archive = load_archive(root, as_of or build_date(None, os.environ))
        lock = read_lock(root)
    except ContentError as e:
        for p in e.problems:
            yield Finding(p.path, f"line {p.line}: {p.message}", False)
        return
    listed = records.of_versions_json(record)
    here = records.of_archive(archive)
    found = [f for key, entry in sorted(here.items())
             for f in _compare(site, key, entry, listed.get(key))]
    yield from found
    named = {f.path for f in found}
    for p in records.refusals(records.lock_witness(lock), listed, "the site"):
        if p.path not in named:  # said once per file
            yield Finding(p.path, p.message, False)
    for key in sorted(set(listed) - set(here)):
        yield Finding(listed[key].source, "is missing: the site publishes this "
                                          f"{'translation' if key[2] else 'version'}", False)


def _compare(site: SiteFolder, key: records.Key, entry: records.Entry,
             listed: records.Entry | None) -> Iterator[Finding]:
    """One version or translation of the sources against what the site lists."""
    what = "translation" if key[2] else "version"
    if listed is None:
        text = urls.LanguagePaths(key[2]).text(key[0], key[1]) if key[2] else \
            urls.text(key[0], key[1])
        if site.exists(text):
            yield Finding(entry.source, f"the site holds this {what} ({text}) but versions.json "
                                        "does not list it: a version is published in the "
                                        "record, or not at all", False)
        else:
            yield Finding(entry.source, f"is missing from the site: versions.json does not list"
                                        f" this {what}", False)
    elif listed.sha256 != entry.sha256:
        yield Finding(entry.source, f"has SHA-256 {entry.sha256}, the site gives "
                                    f"{listed.sha256}", False)
