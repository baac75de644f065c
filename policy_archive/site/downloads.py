"""The files the site offers (``downloads`` in ``site.yaml``): the 新旧対照表 (``docx``,
``pdf``), offered on the table page, and the redline (``redline-docx``: Word with tracked
changes, ``redline-pdf``), offered on the redline page.

One file per format for each amendment (each version against the one before it) and for
each draft against the version it would replace, beside the table page. Made by
:mod:`.export` from the diff the site shows, so the file and the page say the same; kept in
the build cache (kind ``export``) by the two texts' hashes, the headings and the settings,
so a build makes only the files of new diffs.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, NamedTuple, Protocol

from ..foundation.model import UNDATED, Archive, Version
from ..runtime.progress import Progress
from ..paper.amendment import amendment_table, column_heads
from ..paper.export import docx_bytes, pdf_bytes, sheet
from ..paper.redline_docx import redline_docx_bytes, redline_info
from ..paper.redline_pdf import redline_pdf_bytes
from .comparisons import Comparison, steps

if TYPE_CHECKING:
    from ..diff.result import DocumentDiff


class FileCache(Protocol):
    """Where the files are kept between builds (the build's cache, :mod:`.cache`: a stage
    below the build does not import it)."""

    def key(self, *parts: str | bytes) -> str: ...

    def read_file(self, kind: str, key: str) -> bytes | None: ...

    def write_file(self, kind: str, key: str, payload: bytes) -> None: ...


class Download(NamedTuple):
    format: str  # "docx" | "pdf" | "redline-docx" | "redline-pdf"
    path: str  # site path, in the table page's folder
    data: bytes


def wanted(archive: Archive) -> dict[Comparison, tuple[Version, Version]]:
    """The comparisons that get files: consecutive versions, and each draft."""
    out: dict[Comparison, tuple[Version, Version]] = {}
    if archive.site.downloads:
        for doc in archive.documents:
            out.update(steps(archive, doc))
    return out


def file_name(comparison: Comparison, fmt: str) -> str:
    slug, a, b = comparison
    if fmt.startswith("redline-"):
        return f"{slug}_{a}_{b}_redline.{fmt.split('-', 1)[1]}"
    return f"{slug}_{a}_{b}.{fmt}"


def is_redline(download: Download) -> bool:
    """Is this file the redline's (offered on the redline page), not the table's?"""
    return download.format.startswith("redline-")


def site_downloads(archive: Archive, diffs: Mapping[tuple[str, str], DocumentDiff],
                   table_paths: Mapping[Comparison, str], cache: FileCache,
                   progress: Progress | None = None) -> dict[Comparison, tuple[Download, ...]]:
    """Every file, by comparison; ``table_paths``: where each comparison's table page is."""
    site = archive.site
    titles = {d.slug: d.title for d in archive.documents}
    todo = {c: pair for c, pair in wanted(archive).items() if c in table_paths}
    tick = (progress or Progress()).stage("downloads", len(todo) * len(site.downloads))
    out: dict[Comparison, tuple[Download, ...]] = {}
    for comparison, (a, b) in todo.items():
        draft = comparison[2] == "draft"
        new_date = None if draft and b.effective == UNDATED else b.effective
        heads = column_heads(site.language, a.effective, new_date, draft)
        page = sheet(titles[comparison[0]], heads, site.language, new_date or a.effective,
                     draft, site.comparison_columns, b.amended_by, site.paper)
        table = None
        files = []
        for fmt in site.downloads:
            key = cache.key("export", fmt, a.sha256, b.sha256, repr(page), repr(b.reasons))
            data = cache.read_file("export", key)
            diff = diffs[(a.sha256, b.sha256)]
            if data is None and fmt.startswith("redline-"):
                info = redline_info(titles[comparison[0]], heads, site.language,
                                    new_date or a.effective, site.paper)
                data = redline_docx_bytes(diff, info) if fmt == "redline-docx" else \
                    redline_pdf_bytes(diff, info)
                cache.write_file("export", key, data)
            if data is None:
                if table is None:
                    table = amendment_table(diff, site.language,
                                            reasons=[(r.section, r.text) for r in b.reasons])
                data = docx_bytes(table, page) if fmt == "docx" else pdf_bytes(table, page)
                cache.write_file("export", key, data)
            files.append(Download(fmt, table_paths[comparison] + file_name(comparison, fmt),
                                  data))
            tick(1)
        out[comparison] = tuple(files)
    return out
