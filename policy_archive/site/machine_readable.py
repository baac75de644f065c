"""The files other programs read: ``versions.json``, the machine-readable record of every
version, its diffs and hashes (its keys are a contract: readers and the ``verify`` command
rely on them), and for the company's own app, per document, ``latest.json`` (the current
version, its dates, the upcoming one, the diff from each earlier version to the current one)
and ``embed.js``, a script another site includes to tell a user who agreed on some date what
has changed.

``embed.js`` holds its data (no request is made, so it works from any origin and any static
host, whatever headers it sends), builds its notice with DOM calls only (a page's Trusted
Types hold), and is styled through CSS custom properties the including page may set::

    <script src="https://example.com/policies/privacy/embed.js"
            data-accepted="2022-04-01" async></script>
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Collection, Mapping, Sequence
from typing import Any

from ..content.provenance import Commit
from ..foundation import urls
from ..foundation.model import SiteConfig
from .models import DocumentView, Page, VersionView


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


#: The notice, by language: {date} is the current version's effective date, {accepted} the
#: day the user agreed (both as the language writes them).
MESSAGES = {
    "ja": {"text": "{date}に改定されました。", "link": "{accepted}にご同意いただいた版からの変更を見る"},
    "en": {"text": "Updated on {date}. ", "link": "See what changed since you agreed on {accepted}"},
}


def latest(site: SiteConfig, doc: DocumentView, pairs: Sequence[tuple[str, str]]
           ) -> dict[str, Any]:
    """The document's current state for an app: what is in force, what comes, and where
    the diff from each earlier version to the current one is."""
    current = doc.current
    keys = set(pairs)
    since = {v.key: urls.absolute(site.base_url, urls.diff(doc.slug, v.key, current.key))
             for v in doc.versions if current and (v.key, current.key) in keys}
    upcoming = doc.upcoming[0] if doc.upcoming else None
    return {
        "document": doc.slug, "title": doc.title, "language": site.language,
        "url": urls.absolute(site.base_url, urls.document(doc.slug)),
        "current": _version(site, doc, current) if current else None,
        "upcoming": _version(site, doc, upcoming) if upcoming else None,
        "versions": [v.key for v in doc.versions if v.status != "upcoming"],
        "diff_to_current": since,
    }


def _version(site: SiteConfig, doc: DocumentView, v: VersionView) -> dict[str, Any]:
    return {"effective": v.key, "announced": v.announced.isoformat() if v.announced else None,
            "url": urls.absolute(site.base_url, urls.version(doc.slug, v.key)),
            "text_url": urls.absolute(site.base_url, urls.text(doc.slug, v.key)),
            "sha256": v.sha256}


def embed_pages(site: SiteConfig, docs: Sequence[DocumentView],
                pairs: Mapping[str, Sequence[tuple[str, str]]], kept: Collection[str] = ()
                ) -> list[Page]:
    """``<slug>/latest.json`` and ``<slug>/embed.js`` of each document (not those kept)."""
    out = []
    for d in docs:
        if d.slug in kept:
            continue
        data = latest(site, d, pairs[d.slug])
        folder = urls.document(d.slug)
        out.append(Page(f"{folder}latest.json", None,
                        text=json.dumps(data, ensure_ascii=False, indent=2) + "\n"))
        out.append(Page(f"{folder}embed.js", None, text=embed_js(data)))
    return out


def embed_js(data: Mapping[str, Any]) -> str:
    """The script: the versions in force and the diffs since each, and the notice it shows
    after its own element when the day the user agreed (``data-accepted``) is before the
    current version; nothing otherwise."""
    current = data["current"]
    known = {"current": current["effective"] if current else None,
             "versions": data["versions"], "diffs": data["diff_to_current"],
             "lang": data["language"], "messages": MESSAGES}
    return SCRIPT.replace("/*DATA*/null", json.dumps(known, ensure_ascii=True,
                                                     separators=(",", ":"), sort_keys=True))


SCRIPT = """\
/* policy_archive embed.js: has the policy changed since the user agreed? */
(function () {
  "use strict";
  var D = /*DATA*/null;
  var me = document.currentScript;
  if (!me || !D.current) { return; }
  var accepted = me.getAttribute("data-accepted") || "";
  if (!/^\\d{4}-\\d{2}-\\d{2}$/.test(accepted) || accepted >= D.current) { return; }
  var agreed = D.versions.filter(function (k) { return k <= accepted; }).pop() || D.versions[0];
  var href = D.diffs[agreed];
  if (!href || agreed === D.current) { return; }
  var lang = me.getAttribute("data-lang") || D.lang;
  var words = D.messages[lang] || D.messages[D.lang];
  function day(key) {
    var p = key.split("-").map(Number);
    try {
      return new Intl.DateTimeFormat(lang === "en" ? "en-GB" : lang,
        { dateStyle: "long", timeZone: "UTC" }).format(new Date(Date.UTC(p[0], p[1] - 1, p[2])));
    } catch (e) { return key; }
  }
  var box = document.createElement("p");
  box.className = "policy-archive-notice";
  box.setAttribute("role", "status");
  box.lang = lang;
  var css = { color: "--policy-archive-color", background: "--policy-archive-background",
              border: "--policy-archive-border", padding: "--policy-archive-padding",
              font: "--policy-archive-font" };
  var fallback = { color: "inherit", background: "transparent", border: "0",
                   padding: "0", font: "inherit" };
  Object.keys(css).forEach(function (k) {
    box.style.setProperty(k, "var(" + css[k] + ", " + fallback[k] + ")");
  });
  box.appendChild(document.createTextNode(words.text.replace("{date}", day(D.current))));
  var a = document.createElement("a");
  a.href = href;
  a.textContent = words.link.replace("{accepted}", day(accepted));
  a.style.setProperty("color", "var(--policy-archive-link, inherit)");
  box.appendChild(a);
  me.parentNode.insertBefore(box, me.nextSibling);
})();
"""
