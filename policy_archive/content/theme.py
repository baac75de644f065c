"""``theme:`` in ``content/site.yaml``: the company's logo, colours, links, footer, files and
the sources it adds to the pages' Content-Security-Policy, each checked at its line.

Colours are read as CSS colours (tinycss2's CSS Color parser) and every colour that is
read as text (the text itself, links in the primary colour, the accent) must reach the
WCAG AA contrast for text, 4.5:1, against its scheme's background. Files are the
project's own, under ``templates/``: the folder whose every file a build's stamp and
its reuse of unchanged pages already hash, so a new logo is never missed.
"""

from __future__ import annotations

import math
import os
import re
from pathlib import Path

import yaml

from ..foundation.inputs import outside_problem
from ..foundation.model import Link, Theme
from .frontmatter import Settings, node_line

THEME_KEYS = ("logo", "home", "colors", "header_links", "footer_links", "footer", "favicon",
              "fonts", "extra_css", "csp")
#: Each scheme's colours when the theme does not give them: the built-in stylesheet's.
SCHEMES = {"light": {"primary": "#0b4f8a", "text": "#1b1b1b", "background": "#ffffff"},
           "dark": {"primary": "#8cc4ff", "text": "#e8e8e8", "background": "#16181d"}}
ROLES = ("primary", "accent", "text", "background")
#: WCAG 2 AA, normal text.
MIN_CONTRAST = 4.5
FILE_KINDS = {
    "logo": (".svg", ".png", ".jpg", ".jpeg", ".webp", ".gif", ".avif"),
    "favicon": (".svg", ".png", ".ico"),
    "fonts": (".woff2", ".woff", ".ttf", ".otf"),
    "extra_css": (".css",),
}
#: The directives ``csp:`` may add sources to.
CSP_DIRECTIVES = ("img-src", "font-src", "style-src", "script-src", "connect-src",
                  "media-src", "frame-src")
_SOURCE = re.compile(r"https://[A-Za-z0-9.-]+(?::[0-9]{1,5})?(?:/[A-Za-z0-9._~/-]*)?|"
                     r"https://\*\.[A-Za-z0-9.-]+")
_URL = re.compile(r"(?:https?://[A-Za-z0-9.-]+(?::[0-9]{1,5})?|mailto:[^\s/]|/)[!-~]*")


def load_theme(m: Settings, root: Path, languages: tuple[str, ...]) -> Theme | None:
    """``theme:`` of the site settings ``m`` (None when there is none); problems are added
    to ``m``'s. ``languages``: the site's, the original first."""
    node = m.values.get("theme")
    if node is None:
        return None
    t = Settings(node, m.shown, m.first_line, m.problems, THEME_KEYS, "theme")
    logo, alt = _logo(t, root)
    home = t.text("home")
    if home and not _URL.fullmatch(home):
        t.error(t.line_of("home"), f"'home' must be an address such as "
                                   f"'https://example.com/', not {home!r}")
    return Theme(
        logo=logo, logo_alt=alt, home=home, colors=_colors(t),
        header_links=_links(t, "header_links", languages),
        footer_links=_links(t, "footer_links", languages),
        footer=t.text("footer"), favicon=_file(t, "favicon", root),
        fonts=tuple(_files(t, "fonts", root)), extra_css=tuple(_files(t, "extra_css", root)),
        csp=_csp(t))


def _logo(t: Settings, root: Path) -> tuple[str, str]:
    """``logo: {file: templates/…, alt: …}``: the alt text is required (it is the link's name)."""
    node = t.values.get("logo")
    if node is None:
        return "", ""
    logo = Settings(node, t.shown, t.first_line, t.problems, ("file", "alt"), "theme: logo")
    return (_file(logo, "file", root, "logo", required=True),
            logo.text("alt", required=True))


def _file(t: Settings, key: str, root: Path, kind: str | None = None, *,
          required: bool = False) -> str:
    """A project file named by ``key``, checked (None: it is wrong and said so)."""
    value = t.text(key, required=required)
    return _checked_file(t, t.line_of(key), value, kind or key, root) if value else ""


def _files(t: Settings, key: str, root: Path) -> list[str]:
    out = []
    for item in t.sequence(key):
        value = str(item.value) if isinstance(item, yaml.ScalarNode) else ""
        line = node_line(item, t.first_line)
        checked = _checked_file(t, line, value, key, root)
        if checked:
            out.append(checked)
    return out


def _checked_file(t: Settings, line: int, value: str, kind: str, root: Path) -> str:
    """``value`` when it names a file of ``kind`` under the project's ``templates/``."""
    parts = value.split("/")
    if parts[0] != "templates" or len(parts) < 2 or any(p in ("", ".", "..") for p in parts):
        t.error(line, f"the {kind} file {value!r} must be a path under templates/ written "
                      "with '/', e.g. 'templates/static/brand.svg' (a change there rebuilds "
                      "every page)")
        return ""
    if not value.lower().endswith(FILE_KINDS[kind]):
        t.error(line, f"the {kind} file {value!r} must end in {', '.join(FILE_KINDS[kind])}")
        return ""
    path = root / value
    outside = outside_problem(path, root) if os.path.lexists(path) else None
    if outside or not path.is_file():
        t.error(line, f"the {kind} file {value!r} {outside or 'is not a file in the project'}")
        return ""
    return value


def _colors(t: Settings) -> tuple[tuple[str, str, str], ...]:
    """``colors: {light: {primary: …, accent: …}, dark: {…}}``, each a CSS colour, every
    text colour against its background at 4.5:1 at least."""
    node = t.values.get("colors")
    if node is None:
        return ()
    schemes = Settings(node, t.shown, t.first_line, t.problems, tuple(SCHEMES), "theme: colors")
    out: list[tuple[str, str, str]] = []
    for scheme in SCHEMES:
        if scheme not in schemes.values:
            continue
        given = Settings(schemes.values[scheme], t.shown, t.first_line, t.problems, ROLES,
                         f"theme: colors: {scheme}")
        rgb: dict[str, tuple[float, float, float]] = {}
        for role in ROLES:
            value = given.text(role)
            if not value:
                continue
            parsed, why = css_color(value)
            if parsed is None:
                given.error(given.line_of(role), f"'{role}' {value!r} is not a colour this "
                                                 f"site can use: {why}")
                continue
            rgb[role] = parsed
            out.append((scheme, role, value))
        _contrasts(given, scheme, rgb)
    return tuple(out)


def _contrasts(given: Settings, scheme: str, rgb: dict[str, tuple[float, float, float]]
               ) -> None:
    """Every text colour of ``scheme`` (given, or the default text) against its background
    (given, or the default), as WCAG AA asks; a pair of two defaults is not checked."""
    values = {**SCHEMES[scheme], **{role: given.text(role) for role in rgb}}
    colours = {**{role: css_color(v)[0] for role, v in SCHEMES[scheme].items()}, **rgb}
    back = colours["background"]
    for role in ("text", "primary", "accent"):
        fore = colours.get(role)
        if fore is None or back is None or (role not in rgb and "background" not in rgb):
            continue
        ratio = contrast(fore, back)
        if ratio < MIN_CONTRAST:
            given.error(given.line_of(role if role in rgb else "background"),
                        f"the {scheme} scheme's {role} {values[role]} on its background "
                        f"{values['background']} has a contrast of "
                        f"{math.floor(ratio * 100) / 100:.2f}:1, below the {MIN_CONTRAST}:1 "
                        "WCAG AA asks for text: make one darker or lighter")


def css_color(value: str) -> tuple[tuple[float, float, float] | None, str]:
    """``value`` as sRGB (each 0..1) and "", or None and why not (an opaque colour in a
    notation that converts to sRGB: a name, #hex, rgb(), hsl(), hwb())."""
    from tinycss2.color4 import Color, parse_color  # type: ignore[import-untyped]

    found = parse_color(value)
    if not isinstance(found, Color):
        return None, "write it as #rrggbb, rgb(), hsl(), hwb() or a CSS colour name"
    if found.alpha < 1:
        return None, "it is partly transparent: give an opaque colour (contrast depends on it)"
    try:
        channels = found.to("srgb").coordinates
    except NotImplementedError:
        return None, "use #rrggbb, rgb(), hsl(), hwb() or a name (lab(), oklch() … are not read)"
    r, g, b = (min(1.0, max(0.0, float(c))) for c in channels)
    return (r, g, b), ""


def luminance(rgb: tuple[float, float, float]) -> float:
    """The relative luminance of an sRGB colour (WCAG 2)."""
    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: tuple[float, float, float], b: tuple[float, float, float]) -> float:
    """The WCAG 2 contrast ratio of two colours, 1 to 21."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _links(t: Settings, key: str, languages: tuple[str, ...]) -> tuple[Link, ...]:
    """A list of ``{text, url}``, or per language a mapping of such lists."""
    node = t.values.get(key)
    if node is None:
        return ()
    if isinstance(node, yaml.MappingNode):
        per = Settings(node, t.shown, t.first_line, t.problems, languages,
                       f"theme: {key} (one list per language of the site)")
        return tuple(link for code in languages if code in per.values
                     for link in _link_list(per, code, code))
    return tuple(_link_list(t, key, ""))


def _link_list(t: Settings, key: str, language: str) -> list[Link]:
    out = []
    for item in t.sequence(key):
        entry = Settings(item, t.shown, t.first_line, t.problems, ("text", "url"),
                         f"an entry of {key}")
        text, url = entry.text("text", required=True), entry.text("url", required=True)
        if url and not _URL.fullmatch(url):
            entry.error(entry.line_of("url"), f"'url' must be an address (https://…, "
                                              f"mailto:… or /…), not {url!r}")
        elif text and url:
            out.append(Link(text, url, language))
    return out


def _csp(t: Settings) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """``csp: {img-src: [https://…], …}``: https sources only, never 'unsafe-…'."""
    node = t.values.get("csp")
    if node is None:
        return ()
    given = Settings(node, t.shown, t.first_line, t.problems, CSP_DIRECTIVES, "theme: csp")
    out = []
    for directive in CSP_DIRECTIVES:
        sources = []
        for item in given.sequence(directive):
            value = str(item.value) if isinstance(item, yaml.ScalarNode) else ""
            line = node_line(item, t.first_line)
            if "unsafe" in value.lower():
                given.error(line, f"{directive} may not add {value}: it would let a script "
                                  "or style injected into a page run, which the policy "
                                  "exists to prevent")
            elif not _SOURCE.fullmatch(value):
                given.error(line, f"{directive} source {value!r} must be an https address "
                                  "of a host, such as 'https://stats.example.com'")
            else:
                sources.append(value)
        if sources:
            out.append((directive, tuple(sources)))
    return tuple(out)
