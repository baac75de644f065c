"""Which diffs the site shows, with what labels, and their presentations packed.

Decided from the archive alone, before any diff is computed: the pairs of versions with diff
pages (:func:`diff_pairs`), each one's :class:`DiffJob` (the two texts by SHA-256, the column
labels, the reasons), and the amendments of a document (:func:`steps`). A diff's
presentations are computed once, packed for the cache (:func:`pack_views`) and unpacked
when its pages are written (:func:`views_source`).
"""

from __future__ import annotations

import pickle
import zlib
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, NamedTuple

from ..foundation import i18n, urls
from ..foundation.model import UNDATED, Archive, Document, SiteConfig, Version
from ..present.inline import inline_html
from ..present.side_by_side import SideBySideParts, side_by_side_parts, with_labels
from ..present.summary import summary_html
from ..present.table import amendment_table_html
from ..paper.amendment import column_heads

if TYPE_CHECKING:
    from ..diff.result import DocumentDiff

#: (slug, older key, newer key or "draft"): a diff shown on the site.
Comparison = tuple[str, str, str]


class DiffJob(NamedTuple):
    """A diff to show: the SHA-256 of the older and the newer text, and the column labels."""

    a: str
    b: str
    old_label: str
    new_label: str
    #: The 新旧対照表's (new, old) column headings, with the dates (:func:`.amendment.column_heads`).
    table_heads: tuple[str, str] = ("", "")
    #: (section heading or id, why it changed): the newer version's ``reasons``, for a
    #: version against the one before it (or a draft against the version in force).
    reasons: tuple[tuple[str, str], ...] = ()
    language: str = ""  # of the labels; "" for the site's language


def diff_pairs(doc: Document, all_pairs_up_to: int) -> list[tuple[str, str]]:
    """Which (older, newer) pairs get diff pages, in a stable order."""
    keys = [v.key for v in doc.versions]
    pairs: set[tuple[str, str]] = set(zip(keys, keys[1:]))
    current = doc.current
    if current is not None:
        for v in doc.versions:
            if v.key != current.key:
                pairs.add((min(v.key, current.key), max(v.key, current.key)))
    if len(keys) <= all_pairs_up_to:
        pairs.update((a, b) for i, a in enumerate(keys) for b in keys[i + 1:])
    return sorted(pairs)


def draft_of(archive: Archive, doc: Document) -> tuple[Version, Version] | None:
    """(the version a document's draft is compared with, the draft), if it has one."""
    draft = next((x for x in archive.drafts if x.slug == doc.slug), None)
    base = doc.current or (doc.versions[-1] if doc.versions else None)
    return (base, draft) if draft is not None and base is not None else None


def steps(archive: Archive, doc: Document) -> dict[Comparison, tuple[Version, Version]]:
    """The amendments of a document: each version against the one before it, then its
    draft against the version it would replace (the one helper for these pairs: the diffs
    whose reasons apply, the 新旧対照表 files, the alignments later stages read)."""
    out = {(doc.slug, a.key, b.key): (a, b) for a, b in zip(doc.versions, doc.versions[1:])}
    with_draft = draft_of(archive, doc)
    if with_draft is not None:
        out[(doc.slug, with_draft[0].key, "draft")] = with_draft
    return out


def comparisons(archive: Archive) -> dict[Comparison, DiffJob]:
    """Every diff the site shows: the pairs of :func:`diff_pairs`, and each draft against
    the version it would replace."""
    out = {}
    limit = archive.site.compare_all_pairs_up_to
    for d in archive.documents:
        by_key = {v.key: v for v in d.versions}
        amended = steps(archive, d)
        for a, b in diff_pairs(d, limit):
            out[(d.slug, a, b)] = _diff_job(archive.site, by_key[a], by_key[b],
                                            step=(d.slug, a, b) in amended)
        for (slug, a, b), (base, draft) in amended.items():
            if b == "draft":
                out[(slug, a, b)] = _diff_job(archive.site, base, draft, draft=True, step=True)
    return out


def _diff_job(site: SiteConfig, a: Version, b: Version, *, draft: bool = False,
              step: bool = False) -> DiffJob:
    """``step``: ``b`` is the version after ``a`` (or a draft of it): ``b``'s reasons apply."""
    t = i18n.Translator(site.language)
    new = (t("diff_new_draft") if draft
           else t("diff_new", period=i18n.period(b.effective, b.effective_to, site.language)))
    heads = column_heads(site.language, a.effective,
                         None if draft and b.effective == UNDATED else b.effective, draft)
    return DiffJob(a.sha256, b.sha256,
                   t("diff_old", period=i18n.period(a.effective, a.effective_to, site.language)),
                   new, heads,
                   tuple((r.section, r.text) for r in b.reasons) if step else ())


def table_path(comparison: Comparison) -> str:
    """Where a comparison's 新旧対照表 page is (its download files sit beside it)."""
    slug, a, b = comparison
    return urls.draft(slug) + "diff/table/" if b == "draft" else urls.diff(slug, a, b, "table")


class DiffViews(NamedTuple):
    """The presentations of one diff, as HTML."""

    summary: str
    inline: str
    side_by_side: str
    table: str

    def body(self, view: str) -> str:
        """The HTML of one view by its name in :data:`.urls.DIFF_VIEWS`."""
        return {"inline": self.inline, "side-by-side": self.side_by_side,
                "table": self.table}[view]


def diff_views(diff: DocumentDiff, site: SiteConfig, job: DiffJob
               ) -> tuple[str, str, SideBySideParts, str]:
    """Every presentation of ``diff`` (the one place that calls :mod:`.present`): summary,
    inline, side by side without its column labels (:func:`.side_by_side.with_labels` adds them),
    table."""
    lang = job.language or site.language
    return (summary_html(diff, lang), inline_html(diff, lang),
            side_by_side_parts(diff, lang),
            amendment_table_html(diff, lang, site.comparison_columns,
                                 job.table_heads if job.table_heads[0] else None,
                                 job.reasons))


def stored_job(job: DiffJob) -> DiffJob:
    """What a diff's packed views depend on: ``job`` without its column labels (they name
    the two versions' periods, which change when a version is added after them, and the
    rest does not)."""
    return job._replace(old_label="", new_label="")


def pack_views(diff: DocumentDiff, site: SiteConfig, job: DiffJob) -> bytes:
    """A diff's views as compressed bytes, the side by side in its parts without the column
    labels: kept for every diff until its pages are written, and in the cache (HTML
    compresses about tenfold)."""
    unlabelled = diff_views(diff, site, stored_job(job))
    return zlib.compress(pickle.dumps(unlabelled, protocol=pickle.HIGHEST_PROTOCOL), 1)


def views_source(packed: Mapping[DiffJob, bytes]) -> Callable[[DiffJob], DiffViews]:
    """``views(job)``: a diff's views, unpacked when its pages are written, the side by side
    headed by its column labels; the last one is kept, since a diff's pages are written one
    after another."""
    last: dict[DiffJob, DiffViews] = {}

    def views_of(job: DiffJob) -> DiffViews:
        if job not in last:
            last.clear()
            summary, inline, sbs, table = pickle.loads(zlib.decompress(packed[job]))
            last[job] = DiffViews(summary, inline,
                                  with_labels(sbs, job.old_label, job.new_label), table)
        return last[job]

    return views_of
