"""The browser: one headless Chromium per session (the Debian package, driven by Playwright),
fresh pages that record what they did, and every page's CSP and Trusted Types checked."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from .tools import missing_tool

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]


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
