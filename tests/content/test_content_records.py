"""Every record guarded (issue 33): translations locked and chained; a locked or published
version deleted, renamed, re-dated, unlocked or rewritten is refused by ``check``, ``build``
and ``lock`` as ``publish`` refuses it; ``publish`` refuses a site edited after the build;
``verify --root`` compares every version, listed or not; errata after the build date refused.

Each tampering case must fail cleanly: exit 1, ``path:line: message`` lines, no traceback, and
nothing written (the project, ``site/`` and the pages branch as they were)."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from projects import git, make_translated_project
from support.building import run_in_process

AS_OF = "2023-01-01"
V = "versions/privacy"


def digest(folder: Path) -> str:
    """One hash of every file under ``folder`` but git's and the cache's."""
    h = hashlib.sha256()
    for p in sorted(folder.rglob("*")):
        rel = p.relative_to(folder).as_posix()
        if p.is_file() and not rel.startswith((".git/", ".cache/")):
            h.update(rel.encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()


@pytest.fixture(scope="module")
def published_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A Japanese project with English translations, locked, committed, built, published."""
    root = make_translated_project(tmp_path_factory.mktemp("records") / "proj")
    git(root, "init", "-q", "-b", "main")
    r = run_in_process("lock", "--root", str(root), "--as-of", AS_OF)
    assert r.code == 0 and "7 entries recorded" in r.out, r.out + r.err
    git(root, "add", "-A")
    git(root, "commit", "-qm", "content")
    assert run_in_process("build", "--root", str(root), "--as-of", AS_OF).code == 0
    r = run_in_process("publish", "--root", str(root))
    assert r.code == 0, r.err
    return root


@pytest.fixture
def project(published_once: Path, tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    shutil.copytree(published_once, root, symlinks=True)
    return root


def edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text("utf-8")
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new, 1), "utf-8")


def clean_failure(err: str, out: str = "") -> list[str]:
    """The problem lines of a clean failure (each ``path:line: message``)."""
    assert "Traceback" not in err + out, err
    lines = err.splitlines()
    assert lines and re.fullmatch(r"\d+ errors?: nothing was written", lines[-1]), err
    for line in lines[:-1]:
        assert re.match(r"[^\s:][^:]*:\d+: \S", line), line
    return lines[:-1]


# --- check and build refuse what publish refuses ----------------------------------------


def _edit_translation(root: Path) -> None:
    edit(root, f"{V}/2020-04-01.en.md", "We collect names", "We collect names and faces")


def _delete(root: Path) -> None:
    (root / f"{V}/2020-04-01.md").unlink()
    (root / f"{V}/2020-04-01.en.md").unlink()


def _rename(root: Path) -> None:
    """The document renamed: its folder and its slug."""
    (root / "versions/privacy").rename(root / "versions/privacy-policy")
    edit(root, "content/site.yaml", "slug: privacy", "slug: privacy-policy")


def _redate(root: Path) -> None:
    (root / f"{V}/2020-04-01.md").rename(root / f"{V}/2020-05-01.md")
    (root / f"{V}/2020-04-01.en.md").rename(root / f"{V}/2020-05-01.en.md")
    edit(root, f"{V}/2020-05-01.md", "effective: 2020-04-01", "effective: 2020-05-01")


def _unlock(root: Path) -> None:
    lock = root / "content/versions.lock.json"
    data = json.loads(lock.read_text("utf-8"))
    del data["versions"]["privacy/2020-04-01"]
    lock.write_text(json.dumps(data), "utf-8")


def _unlock_and_rewrite_committed(root: Path) -> None:
    """Whoever rewrites can rewrite the lock, and commit both: the pages branch still knows."""
    edit(root, f"{V}/2020-04-01.md", "氏名とメールアドレス", "氏名と電話番号")
    _unlock(root)
    git(root, "commit", "-qam", "quiet rewrite")


def _unlock_translation_committed(root: Path) -> None:
    (root / "content/versions.lock.json").unlink()
    _edit_translation(root)
    git(root, "commit", "-qam", "lock gone, translation rewritten")


def _erratum_in_the_future(root: Path) -> None:
    edit(root, f"{V}/2020-04-01.md", "summary:", "errata:\n  - date: 9999-12-31\n"
         "    reason: 誤記の訂正\nsummary:")


TAMPERING: list[tuple[str, Callable[[Path], None], str, str]] = [
    ("translation edited", _edit_translation, f"{V}/2020-04-01.en.md",
     "the text of this translation changed after it was locked on 2023-01-01"),
    ("version deleted", _delete, f"{V}/2020-04-01.md",
     "this version is locked in content/versions.lock.json (on 2023-01-01) and is missing "
     "from the project"),
    ("document renamed", _rename, f"{V}/2019-04-01.md", "is missing from the project"),
    ("version re-dated", _redate, f"{V}/2020-04-01.md", "is missing from the project"),
    ("version unlocked", _unlock, "content/versions.lock.json",
     "'privacy/2020-04-01' is locked in the committed lock file but not in this one"),
    ("unlocked and rewritten, committed", _unlock_and_rewrite_committed, f"{V}/2020-04-01.md",
     "the text of this version differs from the one published on gh-pages"),
    ("lock deleted, translation rewritten, committed", _unlock_translation_committed,
     f"{V}/2020-04-01.en.md",
     "the text of this translation differs from the one published on gh-pages"),
    ("erratum in the future", _erratum_in_the_future, f"{V}/2020-04-01.md",
     "the erratum is dated 9999-12-31, after the build date 2023-01-01"),
]


@pytest.mark.parametrize(("mutate", "path", "message"), [c[1:] for c in TAMPERING],
                         ids=[c[0] for c in TAMPERING])
@pytest.mark.parametrize("command", ["check", "build", "lock"])
def test_check_and_build_refuse_a_tampered_record(
        project: Path, command: str, mutate: Callable[[Path], None], path: str,
        message: str) -> None:
    mutate(project)
    before = digest(project), git(project, "rev-parse", "gh-pages")
    r = run_in_process(command, "--root", str(project), "--as-of", AS_OF,
                       *(["--strict"] if command == "check" else []))
    assert r.code == 1, r.out + r.err
    lines = clean_failure(r.err)
    assert any(ln.startswith(path + ":") and message in ln for ln in lines), lines
    assert (digest(project), git(project, "rev-parse", "gh-pages")) == before


def test_an_erratum_on_the_build_date_is_accepted(project: Path) -> None:
    edit(project, f"{V}/2020-04-01.md", "summary:", "errata:\n  - date: 2023-01-01\n"
         "    reason: 誤記の訂正\nsummary:")
    assert run_in_process("check", "--root", str(project), "--as-of", AS_OF).code == 0


def test_a_translation_is_corrected_by_an_erratum_of_its_version(project: Path) -> None:
    _edit_translation(project)
    edit(project, f"{V}/2020-04-01.md", "summary:", "errata:\n  - date: 2023-01-02\n"
         "    reason: 英訳の誤りを訂正\nsummary:")
    r = run_in_process("build", "--root", str(project), "--as-of", "2023-01-02")
    assert r.code == 0, r.err
    r = run_in_process("publish", "--root", str(project))
    assert r.code == 0 and "committed" in r.out, r.err


def test_a_lock_without_translations_is_accepted_and_lock_adds_them(project: Path) -> None:
    lock = project / "content/versions.lock.json"
    data = json.loads(lock.read_text("utf-8"))
    data["versions"] = {k: v for k, v in data["versions"].items() if "." not in k}
    lock.write_text(json.dumps(data), "utf-8")
    git(project, "commit", "-qam", "a lock of the time before translations were locked")
    assert run_in_process("check", "--strict", "--root", str(project), "--as-of", AS_OF).code == 0
    r = run_in_process("lock", "--root", str(project), "--as-of", AS_OF)
    assert r.code == 0 and "3 entries recorded" in r.out, r.out + r.err
    got = json.loads(lock.read_text("utf-8"))["versions"]
    assert sorted(k for k in got if "." in k) == [
        "privacy/2019-04-01.en", "privacy/2020-04-01.en", "privacy/2022-04-01.en"]
    assert got["privacy/2020-04-01.en"]["sha256"] == hashlib.sha256(
        (project / f"{V}/2020-04-01.en.md").read_bytes().split(b"---\n", 2)[2]).hexdigest()


def test_translations_are_chained_like_originals(project: Path) -> None:
    data = json.loads((project / "site/versions.json").read_text("utf-8"))
    versions = data["documents"][0]["versions"]
    previous, chained = "0" * 64, []
    for v in versions:
        t = v["translations"].get("en")
        if t is not None:
            previous = hashlib.sha256(
                f"{previous}\n{v['effective']}\n{t['sha256']}".encode()).hexdigest()
            chained.append((v["effective"], t["chain"] == previous))
    assert chained == [("2019-04-01", True), ("2020-04-01", True), ("2022-04-01", True)]


# --- publish refuses a site edited after the build --------------------------------------

JA_PAGE = "site/privacy/2020-04-01/index.html"
EN_TEXT = "site/en/privacy/2020-04-01/text.md"
DIFF_PAGE = "site/privacy/diff/2020-04-01/2021-04-01/index.html"


def _edit_page(root: Path) -> None:
    edit(root, JA_PAGE, "当社は氏名とメールアドレスを取得します", "当社は氏名を取得します")


def _edit_text(root: Path) -> None:
    edit(root, EN_TEXT, "We collect names", "We collect faces")


def _edit_diff(root: Path) -> None:
    """A word of the inline diff itself changed (not of the change list's excerpts)."""
    path = root / DIFF_PAGE
    text = path.read_text("utf-8")
    at = text.index("電話番号", text.index('data-diff="inline"'))
    path.write_text(text[:at] + "生年月日" + text[at + len("電話番号"):], "utf-8")


def _edit_feed(root: Path) -> None:
    data = json.loads((root / "site/versions.json").read_text("utf-8"))
    edit(root, "site/privacy/feed.xml", data["documents"][0]["versions"][1]["chain"],
         "f" * 64)


def _unlist(root: Path) -> None:
    path = root / "site/versions.json"
    data = json.loads(path.read_text("utf-8"))
    data["documents"][0]["versions"] = [v for v in data["documents"][0]["versions"]
                                        if v["effective"] != "2021-04-01"]
    path.write_text(json.dumps(data, ensure_ascii=False), "utf-8")


AFTER_BUILD: list[tuple[str, Callable[[Path], None], str]] = [
    ("page", _edit_page, f"{JA_PAGE}:1: shows a text other than its published text"),
    ("translated text.md", _edit_text, f"{EN_TEXT}:1: has SHA-256 "),
    ("diff page", _edit_diff, f"{DIFF_PAGE}:1: does not rebuild the newer text (2021-04-01)"),
    ("feed", _edit_feed, "site/privacy/feed.xml:1: gives chain ffff"),
    ("version unlisted", _unlist, f"{V}/2021-04-01.md:1: the site holds this version "
                                  "(privacy/2021-04-01/text.md) but versions.json does not "
                                  "list it"),
]


@pytest.mark.parametrize(("mutate", "expected"), [c[1:] for c in AFTER_BUILD],
                         ids=[c[0] for c in AFTER_BUILD])
def test_publish_refuses_a_site_edited_after_the_build(
        project: Path, mutate: Callable[[Path], None], expected: str) -> None:
    edit(project, f"{V}/2022-04-01.md", "summary:", "errata:\n  - date: 2023-01-02\n"
         "    reason: 誤記の訂正\nsummary:")  # a site publish would commit
    assert run_in_process("build", "--root", str(project), "--as-of", "2023-01-02").code == 0
    mutate(project)
    before = digest(project), git(project, "rev-parse", "gh-pages")
    r = run_in_process("publish", "--root", str(project))
    assert r.code == 1, r.out + r.err
    lines = clean_failure(r.err, r.out)
    assert any(ln.startswith(expected) for ln in lines), lines
    assert all("publish commits only a site that verify passes" in ln
               or ln.startswith("site:1: not published:") for ln in lines), lines
    assert (digest(project), git(project, "rev-parse", "gh-pages")) == before


# --- verify --root: every source and every locked version, listed or not ----------------


def _drop_from_site(root: Path) -> None:
    _unlist(root)
    shutil.rmtree(root / "site/privacy/2021-04-01")


def _drop_translation_from_site(root: Path) -> None:
    path = root / "site/versions.json"
    data = json.loads(path.read_text("utf-8"))
    for v in data["documents"][0]["versions"]:
        v["translations"].pop("en", None) if v["effective"] == "2020-04-01" else None
    path.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    (root / EN_TEXT).unlink()


def _source_deleted(root: Path) -> None:
    (root / f"{V}/2021-04-01.md").unlink()


SOURCES: list[tuple[str, Callable[[Path], None], str]] = [
    ("listed nowhere, present", _unlist, f"{V}/2021-04-01.md: the site holds this version"),
    ("missing from the site", _drop_from_site,
     f"{V}/2021-04-01.md: is missing from the site: versions.json does not list this version"),
    ("translation missing from the site", _drop_translation_from_site,
     f"{V}/2020-04-01.en.md: is missing from the site"),
    ("locked version without its source", _source_deleted,
     f"{V}/2021-04-01.md: is missing: the site publishes this version"),
]


@pytest.mark.parametrize(("mutate", "expected"), [c[1:] for c in SOURCES],
                         ids=[c[0] for c in SOURCES])
def test_verify_root_compares_every_version_listed_or_not(
        project: Path, mutate: Callable[[Path], None], expected: str) -> None:
    r = run_in_process("verify", str(project / "site"), "--root", str(project))
    assert r.code == 0, r.err
    mutate(project)
    r = run_in_process("verify", str(project / "site"), "--root", str(project))
    assert r.code == 1 and "Traceback" not in r.err, r.err
    assert any(ln.startswith(expected) for ln in r.err.splitlines()), r.err


def _translation_entries(root: Path, change: Callable[[dict[str, str]], object]) -> None:
    path = root / "site/versions.json"
    data = json.loads(path.read_text("utf-8"))
    for v in data["documents"][0]["versions"]:
        if "en" in v["translations"]:
            change(v["translations"]["en"])
    path.write_text(json.dumps(data, ensure_ascii=False), "utf-8")


@pytest.mark.parametrize(("change", "code", "expected"), [
    (lambda t: t.pop("chain"), 0, ""),  # a site built before translations were chained
    (lambda t: t.update(chain="0" * 64), 1,
     "versions.json (privacy 2019-04-01) en: the hash chain of the translations breaks here"),
    (lambda t: t.update(sha256="0" * 64), 1, "en/privacy/2019-04-01/text.md: has SHA-256"),
], ids=["no chain (older site)", "chain rewritten", "hash rewritten"])
def test_verify_checks_the_chain_of_translations(
        project: Path, change: Callable[[dict[str, str]], object], code: int,
        expected: str) -> None:
    _translation_entries(project, change)
    r = run_in_process("verify", str(project / "site"))
    assert r.code == code and "Traceback" not in r.err, r.err
    lines = r.err.splitlines()
    assert any(ln.startswith(expected) for ln in lines) if expected else lines == [], lines
