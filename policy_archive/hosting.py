"""Files static hosts expect: sitemap.xml, robots.txt and _headers."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence

from .model import SiteConfig
from .output import CSP

SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"


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
        f"  Content-Security-Policy: {CSP}; frame-ancestors 'none'\n"
        "  X-Content-Type-Options: nosniff\n"
        "  Referrer-Policy: strict-origin-when-cross-origin\n"
        "  Cache-Control: public, max-age=300\n"
        f"{base}static/*\n"
        "  Cache-Control: public, max-age=31536000, immutable\n"
    )
