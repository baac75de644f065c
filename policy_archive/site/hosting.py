"""Files static hosts expect: sitemap.xml, robots.txt and _headers."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence

from ..foundation.model import SiteConfig

SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"

#: Every page's policy (its <meta>; ``_headers`` adds frame-ancestors). The site's scripts
#: build their markup with DOM calls only, so Trusted Types are required and no policy may
#: be made: no string ever reaches an HTML, script or script-URL sink.
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
       "connect-src 'self'; base-uri 'none'; form-action 'self'; "
       "require-trusted-types-for 'script'; trusted-types 'none'")

#: Browser features the pages never use, each allowed to no one (no page, no frame).
UNUSED_FEATURES = (
    "accelerometer", "autoplay", "browsing-topics", "camera", "clipboard-read",
    "clipboard-write", "display-capture", "encrypted-media", "fullscreen", "gamepad",
    "geolocation", "gyroscope", "hid", "identity-credentials-get", "idle-detection",
    "local-fonts", "magnetometer", "microphone", "midi", "otp-credentials", "payment",
    "picture-in-picture", "publickey-credentials-create", "publickey-credentials-get",
    "screen-wake-lock", "serial", "usb", "window-management", "xr-spatial-tracking",
)
#: The headers every response of the site carries: in ``_headers`` for the hosts that read
#: it, and from ``serve``. Referrer-Policy is the browsers' own default, written out: a page
#: behaves the same on a host that sends no headers (GitHub Pages, GitLab Pages), a link
#: to another site tells it the site's origin only, never which page or version was read
#: (nothing from https to plain http), and the host's own logs keep the site's paths.
SITE_HEADERS = (
    ("Content-Security-Policy", f"{CSP}; frame-ancestors 'none'"),
    ("Permissions-Policy", ", ".join(f"{name}=()" for name in UNUSED_FEATURES)),
    ("Cross-Origin-Opener-Policy", "same-origin"),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
)


def site_csp(site: SiteConfig) -> str:
    """The pages' policy for ``site``: :data:`CSP`, and with a theme ``font-src 'self'``
    (its fonts) and the sources its ``csp:`` adds (checked: https hosts, nothing unsafe)."""
    if site.theme is None:
        return CSP
    added = dict(site.theme.csp)
    added["font-src"] = ("'self'", *added.get("font-src", ()))
    parts = []
    for part in CSP.split("; "):
        name = part.split(" ", 1)[0]
        sources = added.pop(name, ())
        parts.append(" ".join((part, *sources)) if sources else part)
    at = next(i for i, p in enumerate(parts) if p.startswith("base-uri"))
    parts[at:at] = [" ".join((name, *sources)) for name, sources in sorted(added.items())]
    return "; ".join(parts)


def site_headers(site: SiteConfig) -> tuple[tuple[str, str], ...]:
    """:data:`SITE_HEADERS` with ``site``'s own policy."""
    csp = site_csp(site)
    return tuple((name, f"{csp}; frame-ancestors 'none'" if name == "Content-Security-Policy"
                  else value) for name, value in SITE_HEADERS)


def sitemap_xml(site: SiteConfig, paths: Sequence[str]) -> str:
    ET.register_namespace("", SITEMAP)
    root = ET.Element(f"{{{SITEMAP}}}urlset")
    for path in sorted(set(paths)):
        url = ET.SubElement(root, f"{{{SITEMAP}}}url")
        ET.SubElement(url, f"{{{SITEMAP}}}loc").text = site.base_url + path
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def robots_txt(site: SiteConfig) -> str:
    return f"User-agent: *\nAllow: /\nSitemap: {site.base_url}sitemap.xml\n"


def headers_file(site: SiteConfig) -> str:
    base = site.base_path
    return (
        f"{base}*\n"
        + "".join(f"  {name}: {value}\n" for name, value in site_headers(site))
        + "  Cache-Control: public, max-age=300\n"
        f"{base}static/*\n"
        "  Cache-Control: public, max-age=31536000, immutable\n"
    )
