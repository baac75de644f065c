"""Broken content: every kind gives ``path:line: message``, exit 1, and leaves the output as it was.

Each row: a name, a function that breaks a good project, the expected ``path:line`` and a
fragment of the message a non-programmer can act on.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from projects import make_project, tree_bytes, version_text, write
from support.building import run_in_process

V1 = "versions/privacy/2020-01-01.md"
V2 = "versions/privacy/2021-06-01.md"


def put(rel: str, text: str, encoding: str = "utf-8") -> Callable[[Path], None]:
    return lambda root: write(root / rel, text, encoding) and None


def put_bytes(rel: str, data: bytes) -> Callable[[Path], None]:
    def f(root: Path) -> None:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)
    return f


def remove(rel: str) -> Callable[[Path], None]:
    return lambda root: (root / rel).unlink()


SITE_OK = "title: T\nbase_url: https://example.org/\ndocuments:\n  - slug: privacy\n    title: P\n"

CASES: list[tuple[str, Callable[[Path], None], str, str]] = [
    ("no front matter", put(V2, "# Privacy\n\nText.\n"), f"{V2}:1", "no front matter"),
    ("unclosed front matter", put(V2, "---\neffective: 2021-06-01\n# Privacy\n"), f"{V2}:1",
     "not closed"),
    ("YAML syntax error", put(V2, "---\neffective: 2021-06-01\nsummary: [oops\n---\nText\n"),
     f"{V2}:", "YAML error"),
    ("missing effective", put(V2, "---\nsummary: x\n---\nText\n"), f"{V2}:2",
     "'effective' is required"),
    ("impossible date", put(V2, "---\neffective: 2021-02-30\n---\nText\n"), f"{V2}:2",
     "real date"),
    ("date not matching file name", put(V2, "---\neffective: 2021-06-02\nsummary: s\n---\nT\n"),
     f"{V2}:2", "file name says 2021-06-01"),
    ("file name not a date", put("versions/privacy/latest.md", version_text("2022-01-01", "T\n")),
     "versions/privacy/latest.md:1", "is not a date"),
    ("Shift_JIS file", put(V2, "---\neffective: 2021-06-01\nsummary: 変更\n---\n個人情報\n",
                           "shift_jis"), f"{V2}:", "Shift_JIS"),
    ("binary file", put_bytes(V2, b"\x89PNG\r\n\x1a\n\x00\x00\x00"), f"{V2}:1", "binary"),
    ("mistyped key", put(V2, "---\neffective: 2021-06-01\nsumary: s\n---\nText\n"), f"{V2}:3",
     "did you mean 'summary'"),
    ("unknown key", put(V2, "---\neffective: 2021-06-01\nsummary: s\nauthor: me\n---\nT\n"),
     f"{V2}:4", "unknown setting 'author'"),
    ("summary of the wrong type", put(V2, "---\neffective: 2021-06-01\nsummary:\n  - a\n---\nT\n"),
     f"{V2}:4", "must be text"),
    ("errata not a list", put(V2, "---\neffective: 2021-06-01\nsummary: s\nerrata: yes\n---\nT\n"),
     f"{V2}:4", "must be a list"),
    ("erratum without reason",
     put(V2, "---\neffective: 2021-06-01\nsummary: s\nerrata:\n  - date: 2021-07-01\n---\nT\n"),
     f"{V2}:5", "'reason' is required"),
    ("empty body", put(V2, "---\neffective: 2021-06-01\nsummary: s\n---\n\n  \n"), f"{V2}:5",
     "no policy text"),
    ("announced after effective",
     put(V2, "---\neffective: 2021-06-01\nannounced: 2021-07-01\nsummary: s\n---\nT\n"),
     f"{V2}:3", "after 'effective'"),
    ("duplicate key", put(V2, "---\neffective: 2021-06-01\nsummary: a\nsummary: b\n---\nT\n"),
     f"{V2}:4", "given twice"),
    ("front matter not a mapping", put(V2, "---\n- effective\n---\nT\n"), f"{V2}:2",
     "key: value"),
    ("missing site.yaml", remove("content/site.yaml"), "content/site.yaml:1", "is missing"),
    ("site.yaml YAML error", put("content/site.yaml", "title: [x\nbase_url: /\n"),
     "content/site.yaml:", "YAML error"),
    ("site.yaml without title", put("content/site.yaml", SITE_OK.replace("title: T\n", "")),
     "content/site.yaml:1", "'title' is required"),
    ("slug with ..", put("content/site.yaml", SITE_OK.replace("slug: privacy", "slug: ..")),
     "content/site.yaml:4", "lower-case letters"),
    ("slug with /", put("content/site.yaml", SITE_OK.replace("slug: privacy", "slug: a/b")),
     "content/site.yaml:4", "lower-case letters"),
    ("duplicate slug", put("content/site.yaml", SITE_OK + "  - slug: privacy\n    title: Q\n"),
     "content/site.yaml:6", "declared twice"),
    ("versions of an undeclared document",
     put("versions/terms/2020-01-01.md", version_text("2020-01-01", "T\n")),
     "versions/terms/:1", "no document 'terms'"),
    ("declared document without versions",
     put("content/site.yaml", SITE_OK + "  - slug: terms\n    title: Terms\n"),
     "content/site.yaml:1", "document 'terms' has no versions"),
    ("unknown language", put("content/site.yaml", SITE_OK + "language: fr\n"),
     "content/site.yaml:6", "'language' must be one of"),
    ("documents not a list", put("content/site.yaml",
                                 "title: T\nbase_url: /\ndocuments: privacy\n"),
     "content/site.yaml:3", "must be a list"),
    ("base_url that is not an address",
     put("content/site.yaml", SITE_OK.replace("https://example.org/", 'https://ex"am<p>le.org/')),
     "content/site.yaml:2", "'base_url' must be an address"),
    ("not a Markdown file", put("versions/privacy/notes.txt", "hello"),
     "versions/privacy/notes.txt:1", "is not a version file"),
]


@pytest.fixture
def built(tmp_path: Path) -> tuple[Path, Path, dict[str, bytes]]:
    root = make_project(tmp_path / "proj")
    out = tmp_path / "out"
    r = run_in_process("build", "--root", str(root), "--out", str(out), "--as-of", "2022-01-01")
    assert r.code == 0, r.err
    return root, out, tree_bytes(out)


@pytest.mark.parametrize("name,breaks,where,fragment", CASES, ids=[c[0] for c in CASES])
def test_broken_content_is_reported_and_output_kept(
    built: tuple[Path, Path, dict[str, bytes]], name: str, breaks: Callable[[Path], None],
    where: str, fragment: str,
) -> None:
    root, out, before = built
    breaks(root)
    r = run_in_process("build", "--root", str(root), "--out", str(out), "--as-of", "2022-01-01")
    assert r.code == 1, (r.out, r.err)
    lines = [ln for ln in r.err.splitlines() if ln.startswith(where)]
    assert lines, f"expected a line starting {where!r} in:\n{r.err}"
    assert any(fragment in ln for ln in lines), r.err
    assert "Traceback" not in r.err
    assert tree_bytes(out) == before, "the output folder changed"
    assert not list(out.parent.glob(".out.tmp-*")), "a temporary folder was left behind"
    check = run_in_process("check", "--root", str(root), "--as-of", "2022-01-01")
    assert check.code == 1 and where in check.err


def test_every_error_is_reported_at_once(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    write(root / V1, "---\neffective: 2020-01-02\n---\nT\n")
    write(root / V2, "---\neffective: 2021-06-01\nsumary: s\n---\nT\n")
    r = run_in_process("check", "--root", str(root))
    assert r.code == 1
    assert f"{V1}:2:" in r.err and f"{V2}:3:" in r.err
    assert "2 errors" in r.err


def test_odd_but_valid_input_builds(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p")
    text = version_text("2021-06-01", "# Privacy\u3000 \n\nＳｅｃｏｎｄ　text.  \n",
                        summary="Full-width ａｎｄ trailing spaces  ")
    (root / V2).write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    r = run_in_process("build", "--root", str(root), "--out", str(tmp_path / "o"), "--as-of",
                  "2022-01-01")
    assert r.code == 0, r.err
    page = (tmp_path / "o" / "privacy" / "2021-06-01" / "index.html").read_text("utf-8")
    assert "Ｓｅｃｏｎｄ　text." in page


def test_warning_fails_only_strict_check(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    write(root / V2, "---\neffective: 2021-06-01\n---\n# Privacy\n\nSecond.\n")
    r = run_in_process("check", "--root", str(root))
    assert r.code == 0
    assert f"{V2}:2: warning: has no 'summary'" in r.err
    strict = run_in_process("check", "--strict", "--root", str(root))
    assert strict.code == 1


@pytest.mark.parametrize("args", [["build", "--as-of", "2021-13-01"], ["build", "--bogus"],
                                  ["frobnicate"], ["diff", "only-one"]])
def test_usage_errors_exit_2(args: list[str]) -> None:
    r = run_in_process(*args)
    assert r.code == 2, r
    assert "Traceback" not in r.err and r.err.startswith("build.py:")
