"""The pages' policies hold in Chromium: Trusted Types are required (no string reaches an
HTML or script sink, and no page may make a policy to turn one into markup), every feature
Permissions-Policy denies is one the browser knows and is denied, and a violation is seen by
the ``securitypolicyviolation`` listener every browser test runs with (conftest.py), so the
other browser tests fail on any.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

#: Each (case, script run in the page): a string into a sink, or a policy made.
SINKS = [
    ("innerHTML", "document.body.innerHTML = '<img src=x>'"),
    ("outerHTML", "document.querySelector('main').outerHTML = '<main></main>'"),
    ("insertAdjacentHTML", "document.body.insertAdjacentHTML('beforeend', '<b>x</b>')"),
    ("document.write", "document.write('<b>x</b>')"),
    ("DOMParser", "new DOMParser().parseFromString('<b>x</b>', 'text/html')"),
    ("script.src", "document.createElement('script').src = 'static/x.js'"),
    ("script text", "document.createElement('script').textContent = 'alert(1)'"),
    ("setTimeout with a string", "setTimeout('1')"),
    ("a policy of its own", "trustedTypes.createPolicy('mine', {createHTML: s => s})"),
    ("a default policy", "trustedTypes.createPolicy('default', {createHTML: s => s})"),
]


@pytest.mark.parametrize("script", [s for _, s in SINKS], ids=[n for n, _ in SINKS])
def test_a_string_into_a_sink_is_refused_and_reported(
        new_page: Callable[..., tuple[Any, Any]], sample_url: Callable[[str], str],
        script: str) -> None:
    page, log = new_page()
    page.goto(sample_url("current"))
    page.wait_for_load_state("load")
    refused = page.evaluate(f"() => {{ try {{ {script}; return ''; }} "
                            "catch (e) { return String(e); } }")
    page.wait_for_timeout(200)  # the violation event is queued after the refusal
    assert refused, "the sink took the string"
    assert log.violations, "no securitypolicyviolation was reported"
    assert any("trusted-types" in v or "script-src" in v for v in log.violations), log.violations
    log.violations.clear()  # seen, as it should be: the fixture fails on any left


def test_every_denied_feature_is_known_and_denied(
        new_page: Callable[..., tuple[Any, Any]], sample_url: Callable[[str], str]) -> None:
    page, log = new_page()
    page.goto(sample_url("current"))
    header = page.evaluate("""async () => (await fetch(location.href)).headers
                              .get('permissions-policy')""")
    denied = [part.strip().removesuffix("=()") for part in header.split(",")]
    assert {"camera", "microphone", "geolocation", "payment", "usb"} <= set(denied)
    known = page.evaluate("() => document.featurePolicy.features()")
    assert [f for f in denied if f not in known] == [], "features Chromium does not know"
    allowed = page.evaluate("fs => fs.filter(f => document.featurePolicy.allowsFeature(f))",
                            denied)
    assert allowed == []
    assert not log.problems()
