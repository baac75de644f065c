"""``verify`` treats the site it checks as hostile (issue 33): it reads only regular files
inside the site folder, of a bounded size, checks the shape of ``versions.json``, and reports
every problem as ``path: message`` with exit status 1, never a traceback.

Each case gets a copy of a built site and, beside it, a file outside the site holding a
unique secret: neither the secret nor its SHA-256 may appear in what ``verify`` prints."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from projects import make_translated_project
from support.building import run_in_process

BASE = "https://example.org/legal/"
TEXT = "privacy/2019-04-01/text.md"
PAGE = "privacy/2019-04-01/index.html"
#: verify's cap on what it reads (policy_archive.verify.sitefiles.MAX_BYTES, as the README says).
CAP = 16 * 1024 * 1024


@pytest.fixture(scope="module")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_translated_project(tmp_path_factory.mktemp("hostile") / "proj")
    out = root.parent / "site"
    r = run_in_process("build", "--root", str(root), "--out", str(out), "--as-of", "2023-01-01",
                       "--no-cache")
    assert r.code == 0, r.err
    assert run_in_process("verify", str(out)).code == 0
    return out


class Case:
    """A copy of the site, with a secret outside it."""

    def __init__(self, tmp: Path, built: Path) -> None:
        self.site = tmp / "site"
        shutil.copytree(built, self.site)
        self.token = f"secret-{uuid.uuid4().hex}"
        self.secret = tmp / "outside" / "secret.md"
        self.secret.parent.mkdir()
        self.secret.write_text(self.token + "\n", "utf-8")

    def record(self) -> Any:
        return json.loads((self.site / "versions.json").read_text("utf-8"))

    def save(self, data: Any) -> None:
        (self.site / "versions.json").write_text(json.dumps(data), "utf-8")

    def set_first(self, key: str, value: object) -> None:
        """``key`` of the first version to ``value`` (its sha256 made unlike any file's, so
        a file read would print its hash)."""
        data = self.record()
        v = data["documents"][0]["versions"][0]
        v[key] = value
        v["sha256"] = "0" * 64
        self.save(data)

    def replace(self, rel: str, make: Callable[[Path], object]) -> None:
        path = self.site / rel
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()
        make(path)


def _symlink(target: str | Path) -> Callable[[Path], object]:
    return lambda path: path.symlink_to(target)


def _deep(n: int) -> str:
    return "[" * n + "]" * n


CASES: list[tuple[str, Callable[[Case], object], str]] = [
    # text_url escaping the site
    ("text_url ..", lambda c: c.set_first("text_url", BASE + "../outside/secret.md"),
     "../outside/secret.md: lies outside the site folder"),
    ("text_url ../../../..", lambda c: c.set_first(
        "text_url", BASE + "privacy/" + "../" * 30 + str(c.secret).lstrip("/")),
     "lies outside the site folder"),
    ("text_url absolute path", lambda c: c.set_first("text_url", BASE + str(c.secret)),
     "lies outside the site folder"),
    ("text_url file:", lambda c: c.set_first("text_url", "file://" + str(c.secret)),
     "is not an address under base_url"),
    ("text_url with NUL", lambda c: c.set_first("text_url", BASE + "a\0b"), "is missing"),
    ("page url ..", lambda c: c.set_first("url", BASE + "../outside/secret.md"), ""),
    # links and special files
    ("text.md symlink out", lambda c: c.replace(TEXT, _symlink(c.secret)),
     f"{TEXT}: lies outside the site folder"),
    ("folder symlink out", lambda c: _folder_out(c), f"{TEXT}: lies outside the site folder"),
    ("/dev/zero via symlink", lambda c: c.replace(TEXT, _symlink("/dev/zero")),
     f"{TEXT}: lies outside the site folder"),
    ("/dev/zero via symlink, versions.json",
     lambda c: c.replace("versions.json", _symlink("/dev/zero")),
     "versions.json: cannot be read: it lies outside the site folder"),
    ("FIFO text.md", lambda c: c.replace(TEXT, lambda p: os.mkfifo(p)),
     f"{TEXT}: is not a regular file"),
    ("FIFO feed", lambda c: c.replace("feed.xml", lambda p: os.mkfifo(p)),
     "feed.xml: is not a regular file"),
    ("folder as versions.json", lambda c: c.replace("versions.json", lambda p: p.mkdir()),
     "versions.json: cannot be read: it is not a regular file"),
    ("huge text.md", lambda c: c.replace(TEXT, lambda p: os.truncate(
        p.write_bytes(b"") or p, CAP + 1)), f"{TEXT}: is larger than {CAP} bytes"),
    ("huge versions.json", lambda c: c.replace("versions.json", lambda p: os.truncate(
        p.write_bytes(b"") or p, CAP + 1)), "versions.json: cannot be read: it is larger"),
    # the record's shape
    ("non-object documents", lambda c: c.save({"base_url": BASE,
                                               "documents": [1, "x", None, []]}),
     "versions.json: is not a record of this tool: documents[0] is int, not an object"),
    ("non-object versions", lambda c: c.save({**c.record(), "documents": [
        {"slug": "privacy", "versions": [1, None, "v"]}]}),
     "documents[0].versions[0] is int, not an object"),
    ("record is a list", lambda c: c.save([1, 2]), "the record is list, not an object"),
    ("base_url a number", lambda c: c.save({**c.record(), "base_url": 5}),
     "the record.base_url is int, not a string"),
    ("sha256 a number", lambda c: c.set_first("sha256", 5), ""),
    ("wrong types", lambda c: _wrong_types(c), "versions[0].sha256 is int, not a string"),
    ("non-ASCII effective", lambda c: c.set_first("effective", "二〇一九年"),
     "the hash chain breaks here"),
    ("100,000 nested quotes in a text", lambda c: _text(c, ">" * 100_000 + " x\n"),
     f"{PAGE}: shows a text other than its published text"),
    ("translations a list", lambda c: c.set_first("translations", ["en"]),
     "translations is list, not an object"),
    ("100,000-deep JSON", lambda c: (c.site / "versions.json").write_text(
        _deep(100_000), "utf-8"), "versions.json: cannot be read: it is nested too deeply"),
    ("100,000-deep JSON in a key", lambda c: (c.site / "versions.json").write_text(
        '{"base_url": "x", "documents": ' + _deep(100_000) + "}", "utf-8"),
     "versions.json: cannot be read: it is nested too deeply"),
    ("huge integer", lambda c: (c.site / "versions.json").write_text(
        '{"base_url": ' + "9" * 5000 + "}", "utf-8"), "versions.json: cannot be read"),
    # encodings
    ("invalid UTF-8 versions.json", lambda c: (c.site / "versions.json").write_bytes(
        b'{"base_url": "\xff\xfe"}'), "versions.json: cannot be read: it is not UTF-8"),
    ("invalid UTF-8 text.md", lambda c: _invalid_text(c), f"{TEXT}: is not UTF-8"),
    ("invalid UTF-8 page", lambda c: (c.site / PAGE).write_bytes(b"<p>\xff</p>"),
     f"{PAGE}: is not UTF-8"),
    ("XML bomb feed", lambda c: (c.site / "feed.xml").write_text(_bomb(), "utf-8"),
     "feed.xml: cannot be read as a feed"),
    ("deeply nested page", lambda c: (c.site / PAGE).write_text(
        "<div data-policy-text>" + "<b>" * 200_000 + "x" + "</b>" * 200_000 + "</div>",
        "utf-8"), f"{PAGE}: shows a text other than its published text"),
    ("one page named 10,000 times", lambda c: _many_diffs(c, 10_000),
     "is named a second time in versions.json and is read only once"),
    # missing files
    ("text.md missing", lambda c: (c.site / TEXT).unlink(), f"{TEXT}: is missing"),
    ("page missing", lambda c: (c.site / PAGE).unlink(), f"{PAGE}: is missing"),
    ("feed missing", lambda c: (c.site / "feed.xml").unlink(), "feed.xml: is missing"),
    ("versions.json missing", lambda c: (c.site / "versions.json").unlink(),
     "versions.json: is missing"),
    ("translation's text missing", lambda c: (c.site / "en" / TEXT).unlink(),
     f"en/{TEXT}: is missing"),
]


def _folder_out(c: Case) -> None:
    """A version's folder linked to a copy outside the site, its text.md the secret."""
    shutil.copytree(c.site / "privacy/2019-04-01", c.secret.parent / "v")
    (c.secret.parent / "v/text.md").write_text(c.token, "utf-8")
    c.replace("privacy/2019-04-01", _symlink(c.secret.parent / "v"))


def _many_diffs(c: Case, n: int) -> None:
    """Every diff of the record one and the same page, made large."""
    data = c.record()
    diffs = data["documents"][0]["diffs"]
    (c.site / PAGE).write_text("<p>" + "x" * (CAP - 100) + "</p>", "utf-8")
    data["documents"][0]["diffs"] = [{**diffs[0], "url": BASE + PAGE.removesuffix(
        "index.html")} for _ in range(n)]
    c.save(data)


def _wrong_types(c: Case) -> None:
    data = c.record()
    doc = data["documents"][0]
    doc["versions"][0]["sha256"] = 5
    doc["versions"][1]["effective"] = None
    doc["diffs"] = "x"
    doc["feed"] = 3
    c.save(data)


def _text(c: Case, text: str) -> None:
    """The first version's published text replaced, its record's hash too."""
    (c.site / TEXT).write_text(text, "utf-8")
    record = c.record()
    record["documents"][0]["versions"][0]["sha256"] = hashlib.sha256(
        text.encode()).hexdigest()
    c.save(record)


def _invalid_text(c: Case) -> None:
    data = b"# \xff\xfe\n"
    (c.site / TEXT).write_bytes(data)
    record = c.record()
    record["documents"][0]["versions"][0]["sha256"] = hashlib.sha256(data).hexdigest()
    c.save(record)


def _bomb() -> str:
    entities = "".join(f'<!ENTITY e{i} "{f"&e{i - 1};" * 10}">' for i in range(1, 10))
    return (f'<?xml version="1.0"?><!DOCTYPE feed [<!ENTITY e0 "boom">{entities}]>'
            '<feed xmlns="http://www.w3.org/2005/Atom">&e9;</feed>')


@pytest.mark.parametrize(("mutate", "expected"), [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_verify_on_a_hostile_site_reports_and_reads_nothing_outside(
        built_site: Path, tmp_path: Path, mutate: Callable[[Case], object],
        expected: str) -> None:
    case = Case(tmp_path, built_site)
    mutate(case)
    r = run_in_process("verify", str(case.site))
    printed = r.out + r.err
    assert r.code == 1, printed
    assert "Traceback" not in printed and "Error" not in printed.replace("ParseError", ""), \
        printed
    secret_hash = hashlib.sha256(case.secret.read_bytes()).hexdigest()
    assert case.token not in printed and secret_hash not in printed, printed
    lines = r.err.splitlines()
    assert lines, printed
    for line in lines:
        assert re.match(r"\S[^\n]*: \S", line), line  # path: message
    assert r.out.startswith(f"verified {case.site}: ") and " problem" in r.out, r.out
    assert any(expected in ln for ln in lines), lines
