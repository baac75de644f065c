"""No crash on any input (issue 33): parser bombs, hostile YAML tags and encodings end in
``path:line: message`` and exit 1, never a traceback or a signal, with nothing written.

The bombs run in processes of their own (30,000 nested ``[`` once killed the process in
libyaml's composer, exit 139, which no in-process test survives), forked from a server that
has the package imported (``support/forked.py``); the fuzzing runs ``check``
in-process, for speed, on arbitrary bytes and YAML-ish text as a version file and as
``site.yaml``.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import signal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from projects import make_project, tree_bytes
from support.forked import run_forked, run_in_fork

from policy_archive.commands import cli

AS_OF = "2022-01-01"
V2 = "versions/privacy/2021-06-01.md"
SITE = "content/site.yaml"
SITE_HEAD = "title: T\nbase_url: https://example.org/\n"
SITE_DOCS = "documents:\n  - slug: privacy\n    title: P\n"
#: A problem as the CLI reports it: ``path:line: message``.
PROBLEM = re.compile(r"^[^\s:][^:]*:\d+: \S", re.M)


def front(*lines: str, body: str = "# P\n\nText.\n") -> str:
    return "---\neffective: 2021-06-01\nsummary: s\n" + "".join(ln + "\n" for ln in lines) \
        + "---\n" + body


def site(*lines: str) -> str:
    return SITE_HEAD + "".join(ln + "\n" for ln in lines) + SITE_DOCS


LAUGHS = "\n".join(["title:", "  a: &a [x, x, x, x, x, x, x, x, x, x]"] + [
    f"  {chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 10)}]"
    for i in range(9)])

#: (id, file, its text or bytes, where the problem is reported, a fragment of the message)
BOMBS: list[tuple[str, str, str | bytes, str, str]] = [
    ("30,000 nested [", V2, front("title: " + "[" * 30000), f"{V2}:4", "nested more than 50"),
    ("30,000 nested { ", V2, front("title: " + "{a: " * 30000), f"{V2}:4", "nested more than"),
    ("30,000 nested block lists", V2, front("title:\n" + "- " * 30000 + "x"), f"{V2}:5",
     "nested more than"),
    ("30,000 nested [ closed", V2, front("title: " + "[" * 30000 + "]" * 30000), f"{V2}:4",
     "nested more than"),
    ("30,000 nested [ in site.yaml", SITE, site("description: " + "[" * 30000), f"{SITE}:3",
     "nested more than"),
    ("!!python/object/apply", V2, front("title: !!python/object/apply:os.system "
                                        "['touch pwned']"), f"{V2}:4", "'!!python/object/apply"),
    ("!!python/object/new", V2, front("note: !!python/object/new:os.system [id]"), f"{V2}:4",
     "is not allowed"),
    ("!!python/name", SITE, site("title2: !!python/name:os.system"), f"{SITE}:3",
     "is not allowed"),
    ("!!binary", V2, front("title: !!binary aGVsbG8="), f"{V2}:4", "'!!binary' is not allowed"),
    ("!!set", V2, front("title: !!set {a, b}"), f"{V2}:4", "'!!set' is not allowed"),
    ("a tag of one's own", V2, front("title: !mine x"), f"{V2}:4", "'!mine' is not allowed"),
    ("!!int 'abc'", SITE, site("compare_all_pairs_up_to: !!int 'abc'"), f"{SITE}:3",
     "whole number"),
    ("!!int in front matter", V2, front("errata:\n  - date: !!int 'abc'\n    reason: r"),
     f"{V2}:5", "real date"),
    ("!!float 'x'", SITE, site("compare_all_pairs_up_to: !!float 'x'"), f"{SITE}:3",
     "whole number"),
    ("5,000-digit integer", SITE, site("compare_all_pairs_up_to: " + "9" * 5000), f"{SITE}:3",
     "whole number"),
    ("5,000-digit negative hex", SITE, site("compare_all_pairs_up_to: -0x" + "f" * 5000),
     f"{SITE}:3", "whole number"),
    ("300-character slug", SITE, SITE_HEAD + "documents:\n  - slug: " + "a" * 300 +
     "\n    title: P\n  - slug: privacy\n    title: P\n", f"{SITE}:4", "at most 64"),
    ("billion laughs", V2, front(LAUGHS), f"{V2}:5", "must be text"),
    ("a list that holds itself", V2, front("title: &a [*a]"), f"{V2}:4", "must be text"),
    ("a mapping key that is a list", V2, front("? [a, b]\n: x"), f"{V2}:4", "unknown setting"),
    ("UTF-16 with BOM", V2, front("title: x").encode("utf-16"), f"{V2}:1", "binary"),
    ("UTF-32", V2, front("title: x").encode("utf-32"), f"{V2}:1", "binary"),
    ("Shift_JIS", V2, front("title: 個人情報").encode("cp932"), f"{V2}:4", "Shift_JIS"),
    ("CESU-8 surrogate", V2, front("title: x").encode() + b"\xed\xa0\x80\n", f"{V2}:9",
     "not UTF-8"),
    ("overlong UTF-8", V2, front("title: x").encode() + b"\xc0\xaf\n", f"{V2}:9", "not UTF-8"),
    ("NUL in site.yaml", SITE, site("title3: a\x00b"), f"{SITE}:1", "binary"),
    ("a lone surrogate as a YAML escape", V2, front('note: "a\\ud800b"'), f"{V2}:4",
     "U+D800"),
    ("NUL as a YAML escape", SITE, site('description: "a\\0b"'), f"{SITE}:3", "U+0000"),
    ("ESC as a YAML escape in a key", V2, front('"\\x1b[31m": x'), f"{V2}:4", "U+001B"),
    ("U+FFFF as a YAML escape", V2, front('title: "\\uffff"'), f"{V2}:4", "U+FFFF"),
    ("YAML control character", V2, front("title: a\x07b"), f"{V2}:4", "is not allowed in YAML"),
    ("a lone BOM mid-text", V2, front("title: a\ufeffb", body="\ufeff# P\n\nx\n"), "", ""),
    # Markdown that nests without end: rendered (markdown-it-py limits nesting), not a crash
    ("30,000 nested block quotes", V2, front(body=">" * 30000 + " x\n"), "", ""),
    ("30,000 [ in the text", V2, front(body="[" * 30000 + "\n"), "", ""),
    ("10,000 unclosed link openers", V2, front(body="[x](" * 10000 + "\n"), "", ""),
    ("30,000 nested <div>", V2, front(body="<div>" * 30000 + "\n"), "", ""),
]


@pytest.fixture(scope="module")
def built_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_project(tmp_path_factory.mktemp("built") / "proj")
    code, err = run_forked("build", "--root", str(root), "--as-of", AS_OF)
    assert code == 0, err
    return root


@pytest.fixture
def built(built_once: Path, tmp_path: Path) -> Path:
    """A built project of the test's own (a copy of one build: the site and cache are what
    that build wrote)."""
    return Path(shutil.copytree(built_once, tmp_path / "proj", symlinks=True))


@pytest.mark.parametrize("rel,data,where,fragment", [b[1:] for b in BOMBS],
                         ids=[b[0] for b in BOMBS])
def test_parser_bombs_and_encodings_fail_cleanly(built: Path, rel: str, data: str | bytes,
                                                 where: str, fragment: str) -> None:
    root = built
    (root / rel).write_bytes(data.encode() if isinstance(data, str) else data)
    before = tree_bytes(root)
    for command in ("check", "build"):
        code, err = run_forked(command, "--root", str(root), "--as-of", AS_OF)
        assert "Traceback" not in err and code in (0, 1), (command, code, err)
        if where:  # else: odd but valid, it builds
            assert code == 1, (command, err)
            lines = [ln for ln in err.splitlines() if ln.startswith(where + ":")]
            assert any(fragment in ln for ln in lines), (command, err)
        assert tree_bytes(root) == before or not where, f"{command} wrote something"
    assert not (root / "pwned").exists() and not Path("pwned").exists()


def _segfault(args: list[str]) -> int:
    os.kill(os.getpid(), signal.SIGSEGV)
    return 0


def _raise(args: list[str]) -> int:
    raise RecursionError(" ".join(args))


def test_the_forked_runner_reports_a_signal_and_a_traceback() -> None:
    """What the bombs are checked with sees a process killed and an exception not caught."""
    assert run_in_fork(_segfault)[0] == -signal.SIGSEGV
    code, err = run_in_fork(_raise, "too", "deep")
    assert code == 1 and "Traceback" in err and "RecursionError: too deep" in err
    code, err = run_forked("check", "--root", "/nonexistent/project")
    assert code == 2 and "Traceback" not in err and "/nonexistent/project" in err


def check_in_process(root: Path) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = cli.main(["check", "--root", str(root), "--as-of", AS_OF])
    return code, err.getvalue()


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_project(tmp_path_factory.mktemp("fuzz") / "proj")


#: Pieces of YAML and of the settings, joined at random.
PIECES = [*"[]{}:-,?&*!|>'\"#%@`\\\t\n ab1.~\x85\ufeff日", "effective: ", "2021-06-01",
          "title: ", "summary: ", "errata:\n  - date: ", "!!int ", "!!python/object:os.system ",
          "&a ", "*a ", "<<: ", "---\n", "...\n", "documents:\n", "  - slug: ",
          "reasons:\n  ", "compare_all_pairs_up_to: ", "9" * 5000, '"\\ud800"', '"\\0"',
          '"\\x1b"', '"\\uffff"', '"\\U0010ffff"', "\\"]
YAMLISH = st.lists(st.sampled_from(PIECES), max_size=80).map("".join)
#: Settings with odd values: "key: value" lines, the keys known ones.
KEYS = ["effective", "title", "summary", "note", "announced", "errata", "reasons", "base_url",
        "documents", "language", "languages", "compare_all_pairs_up_to", "downloads",
        "translation_notice", "comparison_columns", "  - date", "  - slug", "    reason"]
VALUES = ['"\\ud800"', '"\\0"', '"\\x1b"', '"\\uffff"', "!!int x", "!!float y", "9" * 5000,
          "-0x" + "f" * 5000, "[[[", "&a [*a]", "*a", "2021-13-45", "2021-06-01", "9999-12-31",
          "!!binary aGk=", "!!python/name:os.system", "|\n  x", "\n  - a\n  - b", "{a: b}",
          "~", "null", "yes", "0x1F", ".inf", "-.nan", "''", "'a'", '"\\t"', "ja", "[ja, en]",
          "[en, ja]", "https://x/", "\n  - slug: privacy\n    title: P", "<script>", "{{ 1/0 }}"]
SETTINGS = st.lists(st.tuples(st.sampled_from(KEYS), st.sampled_from(VALUES)), max_size=8).map(
    lambda pairs: "".join(f"{k}: {v}\n" for k, v in pairs))


def _assert_clean(root: Path) -> None:
    code, err = check_in_process(root)  # an exception would escape here and fail the test
    assert code in (0, 1), err
    if code == 1:
        assert PROBLEM.search(err), err


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(data=st.one_of(st.binary(max_size=400), YAMLISH.map(lambda t: ("---\n" + t).encode()),
                      YAMLISH.map(lambda t: ("---\neffective: 2021-06-01\n" + t
                                             + "\n---\n# P\n\nx\n").encode()),
                      SETTINGS.map(lambda t: ("---\neffective: 2021-06-01\n" + t
                                              + "---\n# P\n\nx\n").encode())))
def test_any_version_file_ends_in_a_message(fuzzed: Path, data: bytes) -> None:
    (fuzzed / V2).write_bytes(data)
    _assert_clean(fuzzed)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(data=st.one_of(st.binary(max_size=400), YAMLISH.map(str.encode),
                      YAMLISH.map(lambda t: (SITE_HEAD + t + "\n" + SITE_DOCS).encode()),
                      YAMLISH.map(lambda t: (SITE_HEAD + SITE_DOCS + t).encode()),
                      SETTINGS.map(lambda t: (SITE_HEAD + SITE_DOCS + t).encode())))
def test_any_site_yaml_ends_in_a_message(fuzzed: Path, data: bytes) -> None:
    (fuzzed / SITE).write_bytes(data)
    _assert_clean(fuzzed)
