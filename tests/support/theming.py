"""A project with every theme key (``theme:`` in site.yaml): a logo, a favicon, colours for
both schemes, header and footer links, a footer, a self-hosted font and a stylesheet whose
``url()`` names the font and a background image, and a source added to the CSP."""

from __future__ import annotations

import shutil
import struct
import zlib
from pathlib import Path

from projects import make_project, write

#: A small font of the machine, copied into the project (Debian: fonts-dejavu-core).
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf")
LOGO = ('<svg xmlns="http://www.w3.org/2000/svg" width="120" height="32" viewBox="0 0 120 32">'
        '<rect width="120" height="32" rx="6" fill="#0b4f8a"/>'
        '<path d="M14 24 L22 8 L30 24 Z M40 8 h16 v4 h-12 v4 h10 v4 h-10 v4 h12 v4 h-16 Z" '
        'fill="#fff"/><circle cx="88" cy="16" r="9" fill="#f0a500"/></svg>\n')
THEME = """\
theme:
  logo:
    file: templates/static/acme-logo.svg
    alt: ACME Corporation
  home: https://acme.example/
  colors:
    light:
      primary: "#0b4f8a"
      accent: rebeccapurple
    dark:
      primary: "#9cc7ff"
      accent: hsl(30 100% 70%)
  header_links:
    - text: ACME home
      url: https://acme.example/
    - text: Help centre
      url: https://help.acme.example/
  footer_links:
    - text: Contact us
      url: mailto:privacy@acme.example
  footer: "**ACME Corporation**, 1 Harbour Road, Springfield"
  favicon: templates/static/acme-icon.png
  fonts: [templates/brand/fonts/acme.ttf]
  extra_css: [templates/brand/acme.css]
  csp:
    img-src: [https://images.acme.example]
"""
BRAND_CSS = """\
/* ACME's own look */
@font-face { font-family: "ACME Sans"; src: url("fonts/acme.ttf") format("truetype"); }
body { font-family: "ACME Sans", sans-serif; }
.site-header { background: url(paper.png) repeat; }
"""


def png(width: int = 2, height: int = 2) -> bytes:
    """A small valid PNG (light grey)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data +
                struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    rows = b"".join(b"\x00" + b"\xee\xee\xee" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2,
                                                              0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def make_themed_project(root: Path) -> Path:
    """An English two-version project with every theme key set."""
    make_project(root, language="en")
    site = root / "content" / "site.yaml"
    write(site, site.read_text("utf-8") + THEME)
    write(root / "templates" / "static" / "acme-logo.svg", LOGO)
    (root / "templates" / "static" / "acme-icon.png").write_bytes(png(16, 16))
    write(root / "templates" / "brand" / "acme.css", BRAND_CSS)
    (root / "templates" / "brand" / "paper.png").write_bytes(png())
    (root / "templates" / "brand" / "fonts").mkdir(parents=True)
    shutil.copyfile(FONT, root / "templates" / "brand" / "fonts" / "acme.ttf")
    return root
