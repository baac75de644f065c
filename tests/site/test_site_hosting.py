"""What a host is told to send (``_headers``, the Netlify / Cloudflare Pages format), the CSP
every page carries, and the ``base_url`` both are made from, validated in ``site.yaml``."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from projects import make_project, tree_bytes, write
from support.building import run_in_process

#: Each header the site's pages must be sent with, and what its value must hold.
REQUIRED = {
    "Content-Security-Policy": ["default-src 'none'", "script-src 'self'",
                                "require-trusted-types-for 'script'", "trusted-types 'none'",
                                "frame-ancestors 'none'", "base-uri 'none'"],
    "Permissions-Policy": [f"{feature}=()" for feature in (
        "camera", "microphone", "geolocation", "payment", "usb", "serial", "hid", "midi",
        "display-capture", "xr-spatial-tracking", "publickey-credentials-get")],
    "Cross-Origin-Opener-Policy": ["same-origin"],
    "X-Content-Type-Options": ["nosniff"],
    "Referrer-Policy": ["strict-origin-when-cross-origin"],
    "Cache-Control": ["max-age=300"],
}


def header_rules(site: Path) -> dict[str, dict[str, str]]:
    """``_headers`` read as a host reads it: rule path -> header name -> value."""
    rules: dict[str, dict[str, str]] = {}
    for line in (site / "_headers").read_text("utf-8").splitlines():
        if line and not line[0].isspace():
            current = rules.setdefault(line, {})
        elif line.strip():
            name, _, value = line.strip().partition(":")
            assert name not in current, f"{name} given twice"
            current[name] = value.strip()
    return rules


def test_headers_holds_every_header(sample_site: Path) -> None:
    rules = header_rules(sample_site)
    assert list(rules) == ["/policies/*", "/policies/static/*"]
    pages = rules["/policies/*"]
    for name, parts in REQUIRED.items():
        assert name in pages, f"_headers lacks {name}"
        assert [p for p in parts if p not in pages[name]] == [], name
    assert "immutable" in rules["/policies/static/*"]["Cache-Control"]


def test_the_pages_carry_the_same_csp_with_trusted_types(sample_site: Path) -> None:
    header = header_rules(sample_site)["/policies/*"]["Content-Security-Policy"]
    expected = header.replace("; frame-ancestors 'none'", "")  # not allowed in a <meta>
    pages = sorted(sample_site.rglob("*.html"))
    assert len(pages) > 50
    metas = {p: re.findall(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">',
                           p.read_text("utf-8")) for p in pages}
    assert [p for p, found in metas.items() if [html.unescape(m) for m in found] != [expected]] \
        == []


def test_the_scripts_use_no_string_sinks(sample_site: Path) -> None:
    """What Trusted Types would refuse, looked for in the shipped scripts (the browser tests
    run each script's feature under the CSP)."""
    sinks = ("innerHTML =", "outerHTML", "insertAdjacentHTML", "document.write", "eval(",
             "new Function", "srcdoc", "createContextualFragment", "parseFromString")
    scripts = sorted((sample_site / "static").glob("*.js"))
    assert len(scripts) >= 7
    found = [f"{js.name}: {s}" for js in scripts for s in sinks if s in js.read_text("utf-8")]
    assert found == []


BAD_BASE_URLS = [  # (case, the base_url line of site.yaml, what the message says)
    ("a line break at its end", 'base_url: "https://example.org/p/\\n"', "white space"),
    ("a block scalar (line break)", "base_url: |\n  https://example.org/p/", "white space"),
    ("a space in the path", "base_url: https://example.org/my policies/", "white space"),
    ("a tab", 'base_url: "https://example.org/\\tp/"', "white space"),
    ("a control character", 'base_url: "https://example.org/p\\x01/"', "U+0001"),
    ("a path only", "base_url: /policies/", "must start with 'https://'"),
    ("the root path only", "base_url: /", "must start with 'https://'"),
    ("no scheme", "base_url: example.org/policies/", "must start with 'https://'"),
    ("another scheme", "base_url: ftp://example.org/", "must start with 'https://'"),
    ("javascript:", "base_url: 'javascript:alert(1)//'", "must start with 'https://'"),
    ("upper-case scheme", "base_url: HTTPS://example.org/", "must start with 'https://'"),
    ("no host", "base_url: https:///policies/", "is not a host name"),
    ("user info", "base_url: https://user@example.org/", "is not a host name"),
    ("port 0", "base_url: https://example.org:0/", "is not a host name"),
    ("port too high", "base_url: https://example.org:70000/", "is not a host name"),
    ("markup in the host", "base_url: https://ex\"am<p>le.org/", "is not a host name"),
    ("'//' in the path", "base_url: https://example.org/p//", "'//'"),
    ("'//' inside the path", "base_url: https://example.org/a//b/", "'//'"),
    ("a query", "base_url: https://example.org/p/?x=1", "query"),
    ("a fragment", "base_url: https://example.org/p/#top", "fragment"),
    ("'..' in the path", "base_url: https://example.org/a/../p/", "'..'"),
    ("encoded '..'", "base_url: https://example.org/%2e%2e/p/", "'..'"),
    ("'.' in the path", "base_url: https://example.org/./p/", "'.'"),
    ("an encoded slash", "base_url: https://example.org/a%2fb/", "encoded '/'"),
    ("an encoded NUL", "base_url: https://example.org/a%00/", "control"),
    ("a bad escape", "base_url: https://example.org/a%zz/", "%XX"),
    ("a quote", "base_url: \"https://example.org/it's/\"", "%XX"),
    ("a backslash", "base_url: https://example.org/a\\b/", "%XX"),
    ("not text", "base_url: [https://example.org/]", "must be text"),
]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "proj")


@pytest.mark.parametrize("line,fragment", [(b, f) for _, b, f in BAD_BASE_URLS],
                         ids=[name for name, _, _ in BAD_BASE_URLS])
def test_a_bad_base_url_is_refused_at_its_line(project: Path, tmp_path: Path, line: str,
                                               fragment: str) -> None:
    site_yaml = project / "content" / "site.yaml"
    text = site_yaml.read_text("utf-8")
    assert "base_url: https://example.org/legal/\n" in text
    write(site_yaml, text.replace("base_url: https://example.org/legal/", line))
    before = tree_bytes(project)
    out = tmp_path / "out"
    for command in (["build", "--out", str(out)], ["check"]):
        r = run_in_process(*command, "--root", str(project), "--as-of", "2022-01-01")
        assert r.code == 1, (r.out, r.err)
        said = [ln for ln in r.err.splitlines() if ln.startswith("content/site.yaml:2: ")]
        # A control character written as an escape is refused by the YAML reader already.
        assert len(said) == 1 and said[0].startswith(("content/site.yaml:2: 'base_url' must be ",
                                                      "content/site.yaml:2: a value holds")), r.err
        assert fragment in said[0], r.err
        assert "Traceback" not in r.err
    assert not out.exists() and tree_bytes(project) == before


@pytest.mark.parametrize("base_url,rule", [
    ("https://example.org", "/*"),
    ("https://example.org/", "/*"),
    ("https://example.org/legal", "/legal/*"),
    ("https://example.org/legal/", "/legal/*"),
    ("http://localhost:8080/a-b/c_d.e/~f/%E8%A6%8F%E7%B4%84/", "/a-b/c_d.e/~f/%E8%A6%8F%E7%B4%84/*"),
])
def test_a_good_base_url_makes_clean_rule_paths(project: Path, tmp_path: Path, base_url: str,
                                                rule: str) -> None:
    site_yaml = project / "content" / "site.yaml"
    text = site_yaml.read_text("utf-8")
    write(site_yaml, text.replace("https://example.org/legal/", base_url))
    out = tmp_path / "out"
    r = run_in_process("build", "--root", str(project), "--out", str(out), "--as-of", "2022-01-01")
    assert r.code == 0, r.err
    assert list(header_rules(out)) == [rule, rule[:-1] + "static/*"]
    assert (out / "robots.txt").read_text("utf-8").endswith(
        f"Sitemap: {base_url.rstrip('/')}/sitemap.xml\n")
