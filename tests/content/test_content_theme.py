"""``theme:`` in site.yaml validated: CSS colours, WCAG contrast (refused below 4.5:1 with
both colours and the ratio), files under templates/, links, and CSP sources that are never
``'unsafe-…'``; each error at its line."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from projects import make_project, write

from policy_archive.content.load import load_site
from policy_archive.content.theme import contrast, css_color
from policy_archive.foundation.errors import Problem


def _load(tmp_path: Path, theme: str) -> tuple[object, list[str]]:
    root = make_project(tmp_path / "p", language="en")
    write(root / "templates" / "static" / "logo.svg", "<svg/>")
    site = root / "content" / "site.yaml"
    write(site, site.read_text("utf-8") + "theme:\n" + theme)
    problems: list[Problem] = []
    config = load_site(root, problems)
    return config, [str(p) for p in problems]


@pytest.mark.parametrize(("value", "rgb"), [
    ("#fff", (1.0, 1.0, 1.0)), ("#0B4F8A", (11 / 255, 79 / 255, 138 / 255)),
    ("rebeccapurple", (0.4, 0.2, 0.6)), ("rgb(255 0 0)", (1.0, 0.0, 0.0)),
    ("hsl(120 100% 25%)", (0.0, 0.5, 0.0)), ("hwb(0 100% 0%)", (1.0, 1.0, 1.0)),
])
def test_css_colours_are_read(value: str, rgb: tuple[float, float, float]) -> None:
    found, why = css_color(value)
    assert why == "" and found == pytest.approx(rgb)


@pytest.mark.parametrize(("value", "why"), [
    ("blurple", "#rrggbb"), ("#12345", "#rrggbb"), ("rgb(0 0 0 / 50%)", "transparent"),
    ("transparent", "transparent"), ("oklch(60% 0.1 200)", "not read"), ("currentcolor", "#rrggbb"),
])
def test_other_values_are_not_colours(value: str, why: str) -> None:
    found, message = css_color(value)
    assert found is None and why in message


@pytest.mark.parametrize(("a", "b", "ratio"), [
    ("#000", "#fff", 21.0), ("#fff", "#fff", 1.0), ("#777", "#fff", 4.48),
    ("#767676", "#fff", 4.54), ("#0b4f8a", "#ffffff", 8.40),
])
def test_contrast_is_wcags(a: str, b: str, ratio: float) -> None:
    x, y = css_color(a)[0], css_color(b)[0]
    assert x is not None and y is not None
    assert contrast(x, y) == pytest.approx(ratio, abs=0.01)


channel = st.floats(min_value=0, max_value=1)


@given(st.tuples(channel, channel, channel), st.tuples(channel, channel, channel))
def test_contrast_is_symmetric_and_between_1_and_21(a: tuple[float, float, float],
                                                    b: tuple[float, float, float]) -> None:
    assert contrast(a, b) == pytest.approx(contrast(b, a))
    assert 1 <= contrast(a, b) <= 21.0000001


def test_a_low_contrast_is_refused_with_both_colours_and_the_ratio(tmp_path: Path) -> None:
    _, problems = _load(tmp_path, "  colors:\n    light:\n      primary: '#7fb2e5'\n"
                                  "    dark:\n      background: '#f0f0f0'\n")
    assert problems == [
        "content/site.yaml:12: the light scheme's primary #7fb2e5 on its background #ffffff "
        "has a contrast of 2.23:1, below the 4.5:1 WCAG AA asks for text: make one darker or "
        "lighter",
        "content/site.yaml:14: the dark scheme's text #e8e8e8 on its background #f0f0f0 has a "
        "contrast of 1.07:1, below the 4.5:1 WCAG AA asks for text: make one darker or lighter",
        "content/site.yaml:14: the dark scheme's primary #8cc4ff on its background #f0f0f0 has "
        "a contrast of 1.60:1, below the 4.5:1 WCAG AA asks for text: make one darker or "
        "lighter"]


@pytest.mark.parametrize(("theme", "line", "message"), [
    ("  logo: {file: templates/static/logo.svg}\n", 10, "'alt' is required"),
    ("  logo: {file: logo.svg, alt: A}\n", 10, "must be a path under templates/"),
    ("  logo: {file: templates/static/none.svg, alt: A}\n", 10, "is not a file in the project"),
    ("  favicon: templates/static/logo.txt\n", 10, "must end in .svg, .png, .ico"),
    ("  fonts: [templates/../../x.woff2]\n", 10, "must be a path under templates/"),
    ("  home: javascript:alert(1)\n", 10, "'home' must be an address"),
    ("  header_links:\n    - {text: A, url: 'javascript:x'}\n", 11, "'url' must be an address"),
    ("  footer_links:\n    ja: []\n", 11, "unknown setting 'ja'"),
    ("  colors:\n    light: {primary: blurple}\n", 11, "'primary' 'blurple' is not a colour"),
    ("  csp:\n    script-src: [\"'unsafe-inline'\"]\n", 11,
     "script-src may not add 'unsafe-inline': it would let a script or style injected"),
    ("  csp:\n    script-src: [\"'unsafe-eval'\"]\n", 11, "may not add 'unsafe-eval'"),
    ("  csp:\n    img-src: ['*']\n", 11, "must be an https address of a host"),
    ("  csp:\n    default-src: [https://x.example]\n", 11, "unknown setting 'default-src'"),
    ("  logos: x\n", 10, "unknown setting 'logos' in theme (did you mean 'logo'?)"),
])
def test_each_wrong_key_is_an_error_at_its_line(tmp_path: Path, theme: str, line: int,
                                                message: str) -> None:
    _, problems = _load(tmp_path, theme)
    assert any(p.startswith(f"content/site.yaml:{line}: ") and message in p
               for p in problems), problems


def test_a_theme_with_links_per_language(tmp_path: Path) -> None:
    config, problems = _load(tmp_path, "  header_links:\n    en:\n"
                                       "      - {text: Home, url: 'https://a.example/'}\n"
                                       "  footer: '**ACME**'\n  csp:\n"
                                       "    connect-src: [https://stats.a.example]\n")
    assert problems == []
    theme = config.theme  # type: ignore[attr-defined]
    assert [tuple(link) for link in theme.header_links] == [("Home", "https://a.example/", "en")]
    assert theme.csp == (("connect-src", ("https://stats.a.example",)),)
