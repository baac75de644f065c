"""Shared fixtures: building projects, serving a built site, the browser and outside tools.

Tools the tests need (chromium, java + the Nu Html Checker, axe-core) are installed by
``bash scripts/test.sh``. When one is missing a test that needs it is skipped with the
reason, except in CI (``CI=true``), where a missing tool fails the test instead.
"""

from __future__ import annotations

import http.server
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent
AS_OF = "2026-11-26"
#: The sample's base_url is https://norel.jp/policies/: serve it under the same sub-path.
SAMPLE_PREFIX = "/policies/"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts"
IN_CI = os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: needs chromium (Playwright)")
    config.addinivalue_line("markers", "slow: builds a wheel or a virtual environment (about "
                                       "a minute, needs the package index)")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)


def missing_tool(reason: str) -> None:
    """Skip the test, or fail it in CI, where every tool must be present."""
    hint = " (install with: bash scripts/test.sh)"
    if IN_CI:
        pytest.fail(f"{reason}: required when CI=true{hint}", pytrace=False)
    pytest.skip(reason + hint)


# --- building -------------------------------------------------------------------------


def build_project(root: Path, out: Path, as_of: str = AS_OF,
                  *extra: str) -> subprocess.CompletedProcess[str]:
    """Run ``build.py build`` on the project at ``root``; fail the test on a non-zero exit."""
    cmd = [sys.executable, str(ROOT / "build.py"), "build", "--root", str(root),
           "--out", str(out), "--as-of", as_of, "--quiet", *extra]
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        pytest.fail(f"build of {root} failed (exit {done.returncode}):\n{done.stdout}"
                    f"{done.stderr}", pytrace=False)
    return done


@pytest.fixture(scope="session")
def build_site() -> Callable[..., subprocess.CompletedProcess[str]]:
    """``build_site(root, out, as_of=AS_OF, *extra_args)``: build any project folder."""
    return build_project


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled sample (NOREL privacy policy), built as of AS_OF; do not modify it."""
    out = tmp_path_factory.mktemp("sample") / "site"
    build_project(ROOT, out)
    return out


def html_files(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def page_path(site: Path, file: Path) -> str:
    """The site-relative address of a built HTML file: ``privacy/`` for privacy/index.html."""
    rel = file.relative_to(site).as_posix()
    return rel[: -len("index.html")] if rel.endswith("index.html") else rel


def csp_problems(html: str) -> list[str]:
    """What is wrong with a page's Content-Security-Policy meta: it must come before any
    script or stylesheet (else it does not cover them) and allow nothing but the site."""
    import html5lib

    head = html5lib.parse(html, namespaceHTMLElements=False).find("head")
    children = list(head) if head is not None else []
    for i, el in enumerate(children):
        if el.tag != "meta" or el.get("http-equiv", "").lower() != "content-security-policy":
            continue
        problems = [f"the CSP comes after a <{e.tag}>" for e in children[:i]
                    if e.tag in ("script", "link", "style")]
        policy: dict[str, list[str]] = {}
        for part in el.get("content", "").split(";"):
            if part.strip():
                name, *sources = part.split()
                policy[name.lower()] = sources
        if policy.get("default-src") != ["'none'"]:
            problems.append(f"default-src is {policy.get('default-src')}, not 'none'")
        for name in ("script-src", "style-src", "base-uri"):
            if name not in policy:
                problems.append(f"no {name}")
        if policy.get("require-trusted-types-for") != ["'script'"]:
            problems.append("Trusted Types are not required for scripts")
        problems += [f"{name} allows {sources}" for name, sources in policy.items()
                     if name != "require-trusted-types-for"
                     and not set(sources) <= {"'self'", "'none'"}]
        return problems
    return ["no Content-Security-Policy meta in <head>"]


@pytest.fixture(scope="session")
def check_csp() -> Callable[[str], list[str]]:
    """``check_csp(html) -> problems`` (see csp_problems)."""
    return csp_problems


# --- serving --------------------------------------------------------------------------


def _header_rules(site: Path) -> list[tuple[str, list[tuple[str, str]]]]:
    """The site's ``_headers`` file (Netlify / Cloudflare Pages format), if any."""
    rules: list[tuple[str, list[tuple[str, str]]]] = []
    path = site / "_headers"
    if not path.is_file():
        return rules
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace():
            rules.append((line.strip(), []))
        elif rules and ":" in line:
            name, value = line.strip().split(":", 1)
            rules[-1][1].append((name.strip(), value.strip()))
    return rules


class _SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Serves ``site`` under ``prefix`` only, with the site's 404.html and _headers."""

    site: Path
    prefix: str
    rules: list[tuple[str, list[tuple[str, str]]]]
    log: list[str]

    def send_head(self) -> Any:
        url_path = unquote(urlsplit(self.path).path)
        if url_path == "/favicon.ico":
            # The browser asks the host root for an icon on its own; the host root is not
            # part of the site (it lives under the prefix), so answer "nothing", not 404.
            self.send_response(204)
            self.end_headers()
            return None
        if not url_path.startswith(self.prefix):
            self.send_error(404)
            return None
        return super().send_head()

    def translate_path(self, path: str) -> str:
        url_path = unquote(urlsplit(path).path)
        return super().translate_path("/" + url_path[len(self.prefix):])

    def list_directory(self, path: Any) -> None:  # a static host lists no folders
        self.send_error(404)
        return None

    def end_headers(self) -> None:
        url_path = unquote(urlsplit(self.path).path)
        for pattern, headers in self.rules:
            if (url_path.startswith(pattern[:-1]) if pattern.endswith("*")
                    else url_path == pattern):
                for name, value in headers:
                    self.send_header(name, value)
        super().end_headers()

    def send_error(self, code: int, message: str | None = None,
                   explain: str | None = None) -> None:
        page = self.site / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        self.log.append(f"{self.command} {self.path}")


@dataclass
class SiteServer:
    """A built site served at ``http://127.0.0.1:PORT{prefix}``."""

    base_url: str
    requests: list[str] = field(default_factory=list)

    def url(self, path: str = "") -> str:
        return self.base_url + path.lstrip("/")


@contextmanager
def serve_site(site: Path, prefix: str = SAMPLE_PREFIX) -> Iterator[SiteServer]:
    """Serve ``site`` on 127.0.0.1 (a free port) under the sub-path ``prefix``."""
    assert prefix.startswith("/") and prefix.endswith("/")
    log: list[str] = []
    handler = type("Handler", (_SiteHandler,), {
        "site": site, "prefix": prefix, "rules": _header_rules(site), "log": log})
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), partial(handler, directory=str(site)))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield SiteServer(f"http://127.0.0.1:{server.server_address[1]}{prefix}", log)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def sample_pages(sample_site: Path) -> list[str]:
    """Site-relative addresses of every HTML page of the sample (``privacy/`` etc.)."""
    return [page_path(sample_site, f) for f in html_files(sample_site)]


@pytest.fixture(scope="session")
def site_server() -> Callable[..., Any]:
    """``with site_server(site_dir, prefix) as server:`` serves a site (see serve_site)."""
    return serve_site


@pytest.fixture(scope="session")
def sample_server(sample_site: Path) -> Iterator[SiteServer]:
    """The sample site at http://127.0.0.1:PORT/policies/ (its base_url's path)."""
    with serve_site(sample_site, SAMPLE_PREFIX) as server:
        yield server


# --- the browser ----------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless chromium (the Debian package) shared by the whole session."""
    if not CHROMIUM.is_file():
        missing_tool(f"{CHROMIUM} is not installed (Debian package 'chromium')")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@dataclass
class PageLog:
    """What a page did: console errors, uncaught exceptions, dialogs and every request."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    #: Responses with status >= 400, as "STATUS URL".
    failures: list[str] = field(default_factory=list)
    #: Addresses expected to answer 404 (e.g. a test visiting a missing page on purpose).
    expected_404: set[str] = field(default_factory=set)
    #: Content-Security-Policy and Trusted Types violations (``securitypolicyviolation``).
    violations: list[str] = field(default_factory=list)

    def foreign_requests(self, allowed_prefix: str = "http://127.0.0.1:") -> list[str]:
        return [u for u in self.requests if not u.startswith(allowed_prefix)]

    def problems(self) -> list[str]:
        """Everything that should not happen on a page of the site, described."""
        missing = {f"404 {u}" for u in self.expected_404}
        console = [m for m in self.console_errors
                   if not (m.startswith("Failed to load resource: the server responded with a "
                                        "status of 404") and
                           f"404 {m.rsplit('(', 1)[-1].rstrip(')')}" in missing)]
        return ([f"console error: {m}" for m in console]
                + [f"page error: {m}" for m in self.page_errors]
                + [f"dialog: {m}" for m in self.dialogs]
                + [f"policy violation: {m}" for m in self.violations]
                + [f"failed response: {m}" for m in self.failures if m not in missing]
                + [f"request to another host: {u}" for u in self.foreign_requests()])

    def clear(self) -> None:
        for items in (self.console_errors, self.page_errors, self.dialogs, self.requests,
                      self.failures):  # not the violations: the fixture fails on any
            items.clear()


#: Run in every page before its own scripts: reports each CSP or Trusted Types violation.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", function (e) {
  console.error("%s " + e.effectiveDirective + " blocked " + (e.blockedURI || "?") +
                " at " + e.sourceFile + ":" + e.lineNumber + " " + (e.sample || ""));
}, true);
"""
VIOLATION = "securitypolicyviolation:"
REPORT_VIOLATIONS = REPORT_VIOLATIONS.replace("%s", VIOLATION)


def _on_console(log: PageLog, page: Any, message: Any) -> None:
    text = f"{message.text} ({message.location.get('url') or page.url})"
    if message.text.startswith(VIOLATION):
        log.violations.append(text)
    elif message.type == "error":
        log.console_errors.append(text)


def watch(page: Any) -> PageLog:
    """Record what ``page`` does; dialogs are recorded and dismissed."""
    log = PageLog()
    page.on("console", partial(_on_console, log, page))
    page.on("pageerror", lambda e: log.page_errors.append(f"{e} ({page.url})"))
    page.on("request", lambda r: log.requests.append(r.url))
    page.on("response", lambda r: log.failures.append(f"{r.status} {r.url}")
            if r.status >= 400 else None)

    def on_dialog(d: Any) -> None:
        log.dialogs.append(f"{d.type}: {d.message} ({page.url})")
        d.dismiss()

    page.on("dialog", on_dialog)
    return log


@pytest.fixture
def new_page(browser: Any) -> Iterator[Callable[..., tuple[Any, PageLog]]]:
    """``new_page(**context_options) -> (page, log)`` in a fresh context, closed afterwards."""
    contexts: list[Any] = []
    logs: list[PageLog] = []

    def make(**options: Any) -> tuple[Any, PageLog]:
        options.setdefault("locale", "ja-JP")
        options.setdefault("service_workers", "block")
        context = browser.new_context(**options)
        context.set_default_timeout(15_000)
        context.add_init_script(REPORT_VIOLATIONS)
        contexts.append(context)
        page = context.new_page()
        logs.append(watch(page))
        return page, logs[-1]

    yield make
    for context in contexts:
        context.close()
    # Whatever else a test looks at, the pages' CSP and Trusted Types must hold.
    violations = [v for log in logs for v in log.violations]
    if violations:
        pytest.fail("policy violations:\n" + "\n".join(violations), pytrace=False)


# --- other tools ----------------------------------------------------------------------


@pytest.fixture(scope="session")
def java() -> str:
    path = shutil.which("java")
    if path is None:
        missing_tool("java is not installed (Debian package 'default-jre-headless')")
    assert path is not None
    return path


@pytest.fixture(scope="session")
def vnu(java: str) -> list[str]:
    """The command prefix that runs the Nu Html Checker."""
    if not VNU_JAR.is_file():
        missing_tool(f"{VNU_JAR.relative_to(ROOT)} is missing (run: npm ci --ignore-scripts)")
    return [java, "-Xss16m", "-jar", str(VNU_JAR)]


@pytest.fixture(scope="session")
def axe_js() -> Path:
    if not AXE_JS.is_file():
        missing_tool(f"{AXE_JS.relative_to(ROOT)} is missing (run: npm ci --ignore-scripts)")
    return AXE_JS


@pytest.fixture(scope="session")
def japanese_font() -> None:
    """A Japanese font for chromium (layout and screenshots of the ja sample need one)."""
    fc_list = shutil.which("fc-list")
    found = subprocess.run([fc_list, ":lang=ja", "family"], capture_output=True,
                           text=True).stdout.strip() if fc_list else ""
    if not found:
        missing_tool("no Japanese font (Debian package 'fonts-noto-cjk')")


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """``test-artifacts/`` (git-ignored): screenshots and PDFs for people to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
