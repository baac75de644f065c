"""The redline as a PDF to circulate (WeasyPrint): the change list first (each change with its
kind, section and a short excerpt before and after, linked to where it stands), then the
redline itself (portrait, on the site's paper), insertions underlined and deletions struck through, table headers repeated
on every page and never left alone at a page's foot, the page's controls left out.

Typeset from the same HTML the site's redline is (:func:`.inline.inline_html`), so the two
say the same; the same input gives the same bytes (no creation time, a fixed identifier).
"""

from __future__ import annotations

import hashlib
from html import escape

from ..diff.result import DocumentDiff
from ..foundation.errors import UsageError
from ..present.inline import inline_html
from ..present.marks import labels
from ..present.summary import change_entries
from .export import PAPER_CSS
from .redline_docx import RedlineInfo

_CSS = """
@page { size: A4; margin: 18mm 16mm 18mm;
  @bottom-center { content: counter(page) " / " counter(pages); font-size: 9pt; } }
html { font-family: "DejaVu Serif", "Noto Serif CJK JP", serif; font-size: 10.5pt;
  line-height: 1.5; overflow-wrap: break-word; }
h1 { font-size: 16pt; margin: 0 0 2mm; }
p.subtitle { margin: 0 0 4mm; color: #333; }
h2 { font-size: 12pt; break-after: avoid; }
ins { text-decoration: underline; text-decoration-thickness: 0.8pt; color: #0b5a1e; }
del { text-decoration: line-through; color: #9b1111; }
ins.moved, del.moved { text-decoration-style: double; }
.sr-only, .tag, .step, [data-diff-label]:not(.link-target) { display: none; }
.link-target { font-size: 85%; color: #444; }
table { border-collapse: collapse; width: 100%; margin: 2mm 0; }
th, td { border: 0.5pt solid #777; padding: 1mm 2mm; vertical-align: top; text-align: left; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
tr:has(th) { break-after: avoid; }
ol.changes { padding-left: 0; list-style: none; }
ol.changes li { margin: 0 0 1.5mm; break-inside: avoid; }
ol.changes q { quotes: none; display: block; margin-left: 4mm; font-size: 95%; }
ol.changes q.old { text-decoration: line-through; color: #9b1111; }
ol.changes q.new { text-decoration: underline; color: #0b5a1e; }
.diff-inline { margin-top: 4mm; }
pre { white-space: pre-wrap; }
"""


def redline_document_html(diff: DocumentDiff, info: RedlineInfo) -> str:
    """The redline as one HTML document for print (what the PDF is typeset from)."""
    lab = labels(info.language)
    entries = change_entries(diff, info.language)
    items = "".join(
        f'<li id="change-list-{e.number}"><a href="#change-{e.number}">'
        f'{escape(lab["change_n"].format(n=e.number))}</a>: {escape(e.label)} — '
        f"{escape(e.section)}"
        + "".join(f'<q class="{side}">{escape(text)}</q>'
                  for side, text in (("old", e.before), ("new", e.after)) if text)
        + "</li>" for e in entries)
    css = _CSS.replace("size: A4;", f"size: {PAPER_CSS[info.paper]};")
    changes = (f'<h2>{escape(lab["changes"].format(n=len(entries)))}</h2>'
               f'<ol class="changes">{items}</ol>' if entries
               else f'<p>{escape(lab["identical"])}</p>')
    return (f'<!DOCTYPE html><html lang="{info.language}"><head><meta charset="utf-8">'
            f"<title>{escape(info.title)}</title><style>{css}</style></head><body>"
            f"<h1>{escape(info.title)}</h1>"
            f'<p class="subtitle">{escape(info.subtitle)}</p>{changes}'
            f"{inline_html(diff, info.language)}</body></html>")


def redline_pdf_bytes(diff: DocumentDiff, info: RedlineInfo) -> bytes:
    """The redline of ``diff`` as the bytes of a PDF file."""
    import logging

    try:
        import weasyprint  # type: ignore[import-untyped]
    except OSError as e:  # the Python package is there, the Pango library it loads is not
        raise UsageError(f"a PDF needs the Pango library ({e}): install "
                         "libpango-1.0-0 and libpangoft2-1.0-0") from None
    for name in ("weasyprint", "fontTools"):  # font notes are not the user's
        logging.getLogger(name).setLevel(logging.ERROR)
    html = redline_document_html(diff, info)
    digest = hashlib.sha256(html.encode("utf-8")).hexdigest()
    pdf = weasyprint.HTML(string=html).write_pdf(identifier=digest[:32].encode("ascii"))
    assert pdf is not None
    return bytes(pdf)
