"""``release`` guards the record: every refusal is ``path:line: message`` with nothing
written; the draft's summary, reasons, note and title carry into the release; the draft is
retired, so the next ``build --drafts`` previews no text already released."""

from __future__ import annotations

from pathlib import Path

import pytest
from projects import make_project, tree_bytes, write
from support.building import build_project, run_in_process

AS_OF = "2022-01-01"  # the version in force is 2021-06-01 ("Second text.")
NEW = "# Privacy\n\nThird text.\n"
SAME = "# Privacy\n\nSecond text.\n"


def project(tmp_path: Path, draft: str) -> Path:
    root = make_project(tmp_path / "p")
    write(root / "content" / "privacy.md", draft)
    return root


def release(root: Path, *args: str) -> tuple[int, str, str]:
    r = run_in_process("release", "privacy", "--root", str(root), "--as-of", AS_OF, *args)
    return r.code, r.out, r.err


@pytest.mark.parametrize(("draft", "args", "said"), [
    (NEW, ["--effective", "2021-01-01", "--summary", "x"],
     "content/privacy.md:1: --effective 2021-01-01 is before 2021-06-01, the version in force"
     " (versions/privacy/2021-06-01.md)"),
    (NEW, ["--effective", "2020-06-01", "--summary", "x"], "an erratum"),
    ("---\nnote: n\n---\n" + SAME, ["--effective", "2022-02-01", "--summary", "x"],
     "content/privacy.md:4: the draft's text is the same as versions/privacy/2021-06-01.md"),
    ("---\ntitle: T\nsummary: The draft's words.\n---\n" + NEW,
     ["--effective", "2022-02-01", "--summary", "Other words."],
     "content/privacy.md:3: the draft has a summary, and --summary gives another"),
    (NEW, ["--effective", "2022-02-01"], "content/privacy.md:1: no summary"),
    ("---\neffective: 2022-03-01\n---\n" + NEW, ["--effective", "2022-02-01", "--summary", "x"],
     "content/privacy.md:2: the draft says it takes effect on 2022-03-01"),
    (NEW, ["--effective", "2021-06-01", "--summary", "x"],
     "versions/privacy/2021-06-01.md:1: this version exists already"),
], ids=["before-in-force", "long-before", "same-text", "summary-over-summary", "no-summary",
        "draft-date", "exists"])
def test_each_refusal_is_path_line_and_writes_nothing(tmp_path: Path, draft: str,
                                                      args: list[str], said: str) -> None:
    root = project(tmp_path, draft)
    before = tree_bytes(root)
    code, _, err = release(root, *args)
    assert code == 1 and said in err, err
    assert "Traceback" not in err
    assert tree_bytes(root) == before  # the draft stays, no version is written


def test_the_drafts_words_carry_into_the_release_and_the_draft_is_removed(
        tmp_path: Path) -> None:
    root = project(tmp_path, "---\ntitle: Privacy notice\nsummary: |\n  - Third text.\n"
                             "note: Reviewed by legal.\nreasons:\n  Privacy: 新しい本文\n"
                             "---\n" + NEW)
    code, out, err = release(root, "--effective", "2022-02-01", "--announced", "2022-01-10")
    assert code == 0, err
    assert "content/privacy.md removed" in out
    text = (root / "versions" / "privacy" / "2022-02-01.md").read_text("utf-8")
    assert text == ("---\neffective: 2022-02-01\nannounced: 2022-01-10\nsummary: |\n"
                    "  - Third text.\ntitle: |\n  Privacy notice\nnote: |\n"
                    "  Reviewed by legal.\nreasons:\n  \"Privacy\": \"新しい本文\"\n---\n" + NEW)
    assert not (root / "content" / "privacy.md").exists()
    out_dir = tmp_path / "site"
    build_project(root, out_dir, "2022-02-01", "--drafts")
    assert not (out_dir / "privacy" / "draft").exists()  # nothing left to preview


def test_replace_summary_and_same_text_are_on_purpose(tmp_path: Path) -> None:
    root = project(tmp_path, "---\nsummary: Old words.\n---\n" + SAME)
    code, _, err = release(root, "--effective", "2022-02-01", "--summary", "New words.",
                           "--replace-summary", "--same-text", "Only the date moves.")
    assert code == 0, err
    text = (root / "versions" / "privacy" / "2022-02-01.md").read_text("utf-8")
    assert "summary: |\n  New words.\n" in text and "note: |\n  Only the date moves.\n" in text
    assert "Old words." not in text


def test_keep_draft_keeps_it_as_the_next_draft_with_no_preview_until_it_changes(
        tmp_path: Path) -> None:
    root = project(tmp_path, "---\nsummary: Third.\n---\n" + NEW)
    code, out, err = release(root, "--effective", "2022-02-01", "--keep-draft")
    assert code == 0 and "kept as the next draft" in out, err
    kept = (root / "content" / "privacy.md").read_text("utf-8")
    assert kept.startswith("---\n# The draft of the version after versions/privacy/2022-02-01.md")
    assert kept.endswith(NEW) and "summary: Third." not in kept
    site = tmp_path / "site"
    build_project(root, site, "2022-02-01", "--drafts")
    assert not (site / "privacy" / "draft").exists()  # the same text as the release
    write(root / "content" / "privacy.md", kept.replace("Third text.", "Fourth text."))
    build_project(root, site, "2022-02-01", "--drafts")
    assert "Fourth text." in (site / "privacy" / "draft" / "index.html").read_text("utf-8")
