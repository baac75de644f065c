"""Static assets: the built-in and the project's static files, the theme's files and its
stylesheet, each under a content-hashed name in ``static/``; a stylesheet's ``url()``
references to other files of the project rewritten to those names.

A reference is rewritten where it stands in the stylesheet's text (tinycss2 finds it; the
rest of the file keeps its bytes), so a stylesheet without one is copied as it is. A file a
project stylesheet references under ``templates/`` is copied even when no list names it.
"""

from __future__ import annotations

import hashlib
import posixpath
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

from ..foundation.inputs import inside, read_bytes
from ..foundation.model import Theme
from ..foundation.resources import BUILTIN_TEMPLATES

#: The key of the theme's generated stylesheet among the assets (no file has this name).
THEME_CSS = ":theme.css"
#: The print sheets of a Letter site (``paper: letter``): copied only for one.
LETTER_SHEETS = "print-letter"
#: The dark scheme's other colours (muted text, rules), readable on its background.
DARK_EXTRAS = "  --muted: #b8bcc4;\n  --rule: #4a4e57;\n"
_FOREIGN = ("data:", "http:", "https:", "//", "#", "/")


class Source(NamedTuple):
    """Where an asset's bytes come from: the file, the folder it is shown relative to, and
    its place there (``static/style.css``, ``templates/static/brand.css``)."""

    path: Path
    top: Path
    shown: str


def static_dir(root: Path) -> list[Path]:
    """Folders of static assets: the project's own first (it overrides by name)."""
    return [p for p in (root / "templates" / "static", BUILTIN_TEMPLATES / "static") if p.is_dir()]


def asset_key(shown: str) -> str:
    """The key templates name a project file by: a file of ``templates/static/`` by its
    name (as the built-in ones are), any other by its project path."""
    head, _, name = shown.rpartition("/")
    return name if head == "templates/static" else shown


def hashed(name: str, data: bytes) -> str:
    """``static/<stem>.<hash>.<ext>``: a new name for new bytes (cached for a year)."""
    digest = hashlib.sha256(data).hexdigest()[:10]
    stem, dot, ext = name.rpartition(".")
    return f"static/{stem}.{digest}.{ext}" if dot else f"static/{name}.{digest}"


def theme_files(theme: Theme | None) -> list[str]:
    """The project files the theme names."""
    if theme is None:
        return []
    return [f for f in (theme.logo, theme.favicon, *theme.fonts, *theme.extra_css) if f]


def _sources(root: Path, theme: Theme | None) -> dict[str, Source]:
    out: dict[str, Source] = {}
    for folder in static_dir(root):
        top = BUILTIN_TEMPLATES if inside(folder, BUILTIN_TEMPLATES) else root
        for path in sorted(folder.iterdir()):
            if not path.is_dir() and not path.name.startswith(".") and path.name not in out:
                out[path.name] = Source(path, top, path.relative_to(top).as_posix())
    for shown in theme_files(theme):
        out.setdefault(asset_key(shown), Source(root / shown, root, shown))
    return out


def static_assets(root: Path, theme: Theme | None = None,
                  paper: str = "a4") -> dict[str, tuple[str, bytes]]:
    """key -> (content-hashed site path, bytes): every static file, the theme's files and
    (with a theme) its stylesheet, stylesheets last (their references rewritten); the
    Letter print sheets only on a site whose ``paper`` is letter."""
    sources = _sources(root, theme)
    if paper != "letter":  # no page of an A4 site links them
        sources = {k: s for k, s in sources.items() if not k.startswith(LETTER_SHEETS)}
    data = {key: read_bytes(s.path, s.shown, s.top) for key, s in sources.items()}
    sheets = [key for key in sources if sources[key].shown.endswith(".css")]
    for key in sheets:  # what project stylesheets reference, copied too
        for ref in _references(data[key]):
            target = _resolved(sources[key], ref.value)
            if target and sources[key].top == root and target not in sources and \
                    target.startswith("templates/") and (root / target).is_file():
                sources[asset_key(target)] = Source(root / target, root, target)
                data[asset_key(target)] = read_bytes(root / target, target, root)
    out = {key: (hashed(sources[key].path.name, data[key]), data[key])
           for key in sources if key not in sheets}
    for key in sheets:
        text = _rewritten(data[key], sources[key], out)
        out[key] = (hashed(sources[key].path.name, text), text)
    if theme is not None:
        css = theme_css(theme).encode("utf-8")
        out[THEME_CSS] = (hashed("theme.css", css), css)
    return out


class Reference(NamedTuple):
    """A ``url()`` in a stylesheet: what it names, and the span of bytes it takes."""

    value: str
    start: int
    end: int


def _references(css: bytes) -> list[Reference]:
    """Every ``url()`` of the stylesheet, by its place in the text (a sheet without one is
    not parsed)."""
    if b"url(" not in css.lower():
        return []
    import tinycss2  # type: ignore[import-untyped]

    text = css.decode("utf-8", errors="replace")
    starts = [0]
    for i, ch in enumerate(text):
        if ch == "\n":
            starts.append(i + 1)
    found = []
    for node in _walk(tinycss2.parse_component_value_list(text, skip_comments=True)):
        start = starts[node.source_line - 1] + node.source_column - 1
        if node.type == "url":
            end = text.index(")", start) + 1
            found.append(Reference(node.value, start, end))
        elif node.type == "function" and node.lower_name == "url":
            strings = [a for a in node.arguments if a.type == "string"]
            if strings:
                quote_at = starts[strings[0].source_line - 1] + strings[0].source_column - 1
                close = text.index(text[quote_at], quote_at + 1 + len(strings[0].value))
                found.append(Reference(strings[0].value, start, text.index(")", close) + 1))
    # offsets in characters: the bytes are rewritten through the decoded text
    return found


def _walk(nodes: list[Any]) -> Iterator[Any]:
    for node in nodes:
        if node.type in ("url", "function"):
            yield node
        inner = getattr(node, "content", None) or getattr(node, "arguments", None)
        if isinstance(inner, list) and node.type != "url":
            yield from _walk(inner)


def _resolved(source: Source, ref: str) -> str | None:
    """The file (shown relative to the sheet's top) a reference names, or None for one
    that leaves the site (another host, a data: URL, an absolute path)."""
    ref = ref.split("?", 1)[0].split("#", 1)[0]
    if not ref or ref.lower().startswith(_FOREIGN):
        return None
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(source.shown), ref))
    return None if joined.startswith("../") else joined


def _rewritten(css: bytes, source: Source, done: dict[str, tuple[str, bytes]]) -> bytes:
    """The stylesheet with each ``url()`` naming an asset pointed at its hashed name (all
    assets are in ``static/``, beside the sheet)."""
    refs = _references(css)
    if not refs:
        return css
    text = css.decode("utf-8", errors="replace")
    out, last = [], 0
    for ref in refs:
        target = _resolved(source, ref.value)
        key = None if target is None else (
            asset_key(target) if source.top != BUILTIN_TEMPLATES else posixpath.basename(target))
        if key in done:
            out.append(text[last:ref.start])
            out.append(f'url("{posixpath.basename(done[key][0])}")')
            last = ref.end
    out.append(text[last:])
    return "".join(out).encode("utf-8")


def theme_css(theme: Theme) -> str:
    """The theme's stylesheet: its colours as the custom properties the site's stylesheet
    uses (and ``--brand-primary``/``--brand-accent`` for a project's own), and the rules
    for the logo and the theme's links. The dark scheme colours the header and footer in a
    reader's dark mode; the policy and its diffs keep the light background their marks'
    colours are made for."""
    from ..content.theme import SCHEMES

    names = {"primary": ("--brand-primary", "--accent"), "accent": ("--brand-accent",),
             "text": ("--text",), "background": ("--bg",)}
    out = ["/* policy_archive: the theme of content/site.yaml */\n"]
    for scheme in SCHEMES:
        given = {role: value for s, role, value in theme.colors if s == scheme}
        if not given:
            continue
        if scheme == "dark":  # the rest of the dark scheme: the defaults
            given = {**SCHEMES["dark"], **given}
        props = "".join(f"  {name}: {value};\n" for role, value in given.items()
                        for name in names[role]) + DARK_EXTRAS * (scheme == "dark")
        out.append(f":root {{\n{props}}}\n" if scheme == "light" else
                   "@media (prefers-color-scheme: dark) {\n.site-header, .site-footer {\n"
                   f"{props}  background: var(--bg);\n  color: var(--text);\n}}\n}}\n")
    out.append(
        ".site-logo { display: inline-flex; align-items: center; }\n"
        ".site-logo img { height: 2rem; width: auto; display: block; }\n"
        ".site-header { border-bottom: 3px solid var(--brand-accent, var(--rule)); "
        "justify-content: flex-start; align-items: center; }\n"
        ".site-header .site-search { margin-left: auto; }\n"
        ".site-header .theme-links { list-style: none; display: flex; flex-wrap: wrap; "
        "gap: 0.4em 1rem; margin: 0; padding: 0; }\n"
        ".site-footer .theme-footer a, .site-header .theme-links a { color: "
        "var(--brand-primary, var(--accent)); }\n")
    return "".join(out)
