"""``versions.json``: the machine-readable record of every version, its diffs and hashes.

Its keys are a contract: readers and the ``verify`` command rely on them.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from typing import Any

from ..content.provenance import Commit
from ..foundation import urls
from ..foundation.model import SiteConfig
from .models import DocumentView

def versions_json(site: SiteConfig, docs: Sequence[DocumentView],
                  pairs: Mapping[str, Sequence[tuple[str, str]]],
                  commits: Mapping[str, Commit | None], sources: Mapping[tuple[str, str], str],
                  updated: dt.date | None, next_update: dt.date | None,
                  translations: Mapping[tuple[str, str], Mapping[str, Any]] | None = None
                  ) -> str:
    """The machine-readable record of every version (``translations``: for a site with
    translation languages, each version's translations by language)."""
    out: dict[str, Any] = {"base_url": site.base_url, "title": site.title,
                           "language": site.language,
                           "updated": updated.isoformat() if updated else None,
                           "next_update": next_update.isoformat() if next_update else None,
                           "documents": []}
    for d in docs:
        versions = []
        for v in d.versions:
            commit = commits.get(sources[(d.slug, v.key)])
            entry: dict[str, Any] = {
                "effective": v.key,
                "effective_to": v.effective_to.isoformat() if v.effective_to else None,
                "status": v.status,
                "url": urls.absolute(site.base_url, urls.version(d.slug, v.key)),
                "sha256": v.sha256,
                "text_url": urls.absolute(site.base_url, urls.text(d.slug, v.key)),
                "chain": v.chain,
                "title": v.title,
                "source": sources[(d.slug, v.key)],
                "commit": commit.hexsha if commit else None,
                "commit_date": commit.date.isoformat() if commit else None,
                "notice": urls.absolute(site.base_url, urls.notice(d.slug, v.key)),
                "errata": [{"date": e.date.isoformat(), "reason": e.reason} for e in v.errata],
            }
            if v.announced is not None:  # absent where the file does not give it
                entry["announced"] = v.announced.isoformat()
            if v.change is not None:
                entry["change"] = v.change
            if translations is not None:
                entry["translations"] = dict(translations.get((d.slug, v.key), {}))
            versions.append(entry)
        out["documents"].append({
            "slug": d.slug,
            "title": d.title,
            "url": urls.absolute(site.base_url, urls.document(d.slug)),
            "current": d.current.key if d.current else None,
            "feed": urls.absolute(site.base_url, urls.feed(d.slug)),
            "versions": versions,
            "diffs": [
                {"from": a, "to": b, "url": urls.absolute(site.base_url, urls.diff(d.slug, a, b)),
                 "side_by_side": urls.absolute(site.base_url,
                                               urls.diff(d.slug, a, b, "side-by-side")),
                 "table": urls.absolute(site.base_url, urls.diff(d.slug, a, b, "table"))}
                for a, b in pairs[d.slug]
            ],
        })
    return json.dumps(out, ensure_ascii=False, indent=2) + "\n"
