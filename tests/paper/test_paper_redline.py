"""The redline to send round (issue 37): ``diff A B --view redline --format docx`` writes Word
tracked changes (accepting all gives the new text, rejecting all the old), lists keep their
numbering, a real reader (LibreOffice) opens it; ``--format pdf`` holds the change list."""

from __future__ import annotations

import copy
import datetime as dt
import io
import subprocess
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from projects import make_project
from support.building import run_in_process

from policy_archive.diff.align import diff_blocks
from policy_archive.foundation.model import Block
from policy_archive.paper.redline_docx import AUTHOR, RedlineInfo, redline_docx_bytes
from policy_archive.text.render import render_markdown

etree = pytest.importorskip("lxml.etree")
pypdf = pytest.importorskip("pypdf")

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}

# Terms of a small hosting company, amended once: a definition edited and one re-pointed
# link, a section moved up with an edit inside it, a price changed and a plan added in a
# four-column table, a disclaimer reworded, a list that starts at 3 (one word of it made
# bold), a nested list.
DEFINITIONS = """## A. Definitions

1. **Account** means your account with us. See [payment](#b-payment).
2. **Service** means the hosted service.
3. **User** means the person who uses the Service.
4. **Content** means text, images and files.
"""
PAYMENT = """## B. Payment

We bill monthly in advance. Fees are listed in the table:

| Plan | Price per month | Seats | Support |
|---|---|---|---|
| Free | 0 | 1 | Community forum |
| Team | 4 | 10 | Email |
| Enterprise | 21 | 100 | Phone |
"""
TERMINATION = """## C. Termination

You may close your account at any time.

- Data is kept for 90 days.
  - Backups are kept for 30 days.
- Invoices are kept for seven years.
"""
DISCLAIMER = """## D. Disclaimer

The Service is provided as is.

3. You keep copies of your Content.
4. We may suspend abusive accounts.
"""
OLD = "\n".join(["# Terms of Service\n", DEFINITIONS, PAYMENT, TERMINATION, DISCLAIMER])
NEW = "\n".join([
    "# Terms of Service\n",
    DEFINITIONS.replace("(#b-payment)", "(#c-payment)").replace(
        "the hosted service.", "the hosted service and its interfaces."),
    TERMINATION.replace("## C.", "## B.").replace("90 days", "30 days"),
    PAYMENT.replace("## B.", "## C.").replace("| Team | 4 |", "| Team | 5 |").replace(
        "| Enterprise", "| Business | 12 | 50 | Email |\n| Enterprise"),
    DISCLAIMER.replace("as is.", '"as is", without warranty of any kind.').replace(
        "abusive accounts", "abusive or fraudulent accounts").replace(
        "your Content.", "your **Content**.")])
DATES = ("2024-01-10", "2024-06-01")


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("redline") / "proj"
    return make_project(root, {"terms": dict(zip(DATES, (OLD, NEW)))},
                        titles={"terms": "Terms of Service"}, language="en")


def export(project: Path, fmt: str, *extra: str) -> bytes:
    out = project.parent / f"redline.{fmt}"
    r = run_in_process("diff", f"terms@{DATES[0]}", f"terms@{DATES[1]}", "--root", str(project),
                       "--view", "redline", "--format", fmt, "-o", str(out), *extra)
    assert r.code == 0, r.err
    return out.read_bytes()


@pytest.fixture(scope="module")
def word(project: Path) -> bytes:
    return export(project, "docx")


def body(data: bytes) -> object:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return etree.fromstring(z.read("word/document.xml")).find("w:body", NS)


# --- accepting and rejecting every revision, as a reader does -------------------------------

def _q(tag: str) -> str:
    return f"{{{W}}}{tag}"


def _unwrap(node: object) -> None:
    parent = node.getparent()  # type: ignore[attr-defined]
    index = parent.index(node)
    for k, child in enumerate(list(node)):  # type: ignore[call-overload]
        parent.insert(index + k, child)
    parent.remove(node)


def settle(tree: object, accept: bool) -> object:
    """The document with every revision accepted (or rejected): what is kept unwrapped,
    what is dropped removed, whole paragraphs and rows too."""
    tree = copy.deepcopy(tree)
    keep, drop = ("ins", "moveTo"), ("del", "moveFrom")
    if not accept:
        keep, drop = drop, keep
    for container, marker in (("p", "pPr/w:rPr"), ("tr", "trPr")):
        for node in list(tree.iter(_q(container))):  # type: ignore[attr-defined]
            if any(node.find(f"w:{marker}/w:{tag}", NS) is not None for tag in drop):
                node.getparent().remove(node)
    for tag in drop:
        for node in list(tree.iter(_q(tag))):  # type: ignore[attr-defined]
            if node.getparent() is not None and node.getparent().tag not in (
                    _q("rPr"), _q("trPr")):
                node.getparent().remove(node)
    for tag in keep:
        for node in list(tree.iter(_q(tag))):  # type: ignore[attr-defined]
            if node.getparent().tag not in (_q("rPr"), _q("trPr")):
                _unwrap(node)
    for node in tree.iter(_q("delText")):  # type: ignore[attr-defined]
        node.tag = _q("t")
    return tree


def _text(p: object) -> str:
    out = []
    for node in p.iter(_q("t"), _q("delText"), _q("br"), _q("tab")):  # type: ignore[attr-defined]
        out.append(node.text or "" if node.tag in (_q("t"), _q("delText"))
                   else "\n" if node.tag == _q("br") else "\t")
    return "".join(out)


def texts(tree: object) -> list[str]:
    """The texts of the body as the program's blocks hold them: a paragraph's, a row's
    cells joined by tabs (the title and the line naming the versions left out)."""
    out = []
    for node in tree:  # type: ignore[attr-defined]
        if node.tag == _q("p"):
            out.append(_text(node))
        elif node.tag == _q("tbl"):
            out += ["\t".join(_text(c) for c in tr.findall("w:tc", NS))
                    for tr in node.findall("w:tr", NS)]
    return out[2:]


def block_texts(markdown: str) -> list[str]:
    return [b.text for b in render_markdown(markdown).blocks]


# --- tests ------------------------------------------------------------------------------------

def test_accepting_all_gives_the_new_text_and_rejecting_all_the_old(word: bytes) -> None:
    tree = body(word)
    assert texts(settle(tree, accept=True)) == block_texts(NEW)
    assert texts(settle(tree, accept=False)) == block_texts(OLD)


def _revision_texts(tree: object, tag: str) -> list[str]:
    return [_text(n) for n in tree.iter(_q(tag))  # type: ignore[attr-defined]
            if n.getparent().tag not in (_q("rPr"), _q("trPr"))]


def test_revisions_are_exactly_the_changed_runs(word: bytes) -> None:
    tree = body(word)
    assert _revision_texts(tree, "ins") == [
        "payment", " and its interfaces", "Termination", "30", "C. Payment", "5", "Business",
        "12", "50", "Email", '"', '", without warranty of any kind', "or fraudulent "]
    assert _revision_texts(tree, "del") == ["payment", "Payment", "90", "4", "C. Termination"]
    moved = ["You may close your account at any time.", "Data is kept for 90 days.",
             "Backups are kept for 30 days.", "Invoices are kept for seven years."]
    assert _revision_texts(tree, "moveFrom") == moved
    moved[1] = "Data is kept for 9030 days."  # the edit inside, deleted and inserted
    assert _revision_texts(tree, "moveTo") == moved
    reformatted = [r for r in tree.iter(_q("r"))  # type: ignore[attr-defined]
                   if r.find("w:rPr/w:rPrChange", NS) is not None]
    assert [_text(r) for r in reformatted] == ["Content"]  # made bold, nothing else
    assert reformatted[0].find("w:rPr/w:b", NS) is not None
    assert reformatted[0].find("w:rPr/w:rPrChange/w:rPr/w:b", NS) is None
    revisions = ("ins", "del", "moveFrom", "moveTo", "rPrChange")
    ids = [n.get(_q("id")) for n in tree.iter(*map(_q, revisions))]
    assert len(ids) == len(set(ids))
    for n in tree.iter(*map(_q, revisions)):
        assert (n.get(_q("author")), n.get(_q("date"))) == (AUTHOR, "2024-06-01T00:00:00Z")
    starts = {n.get(_q("name")) for n in tree.iter(_q("moveFromRangeStart"))}
    assert starts and starts == {n.get(_q("name")) for n in tree.iter(_q("moveToRangeStart"))}


def test_a_re_pointed_link_names_both_targets_in_a_comment(word: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(word)) as z:
        comments = etree.fromstring(z.read("word/comments.xml"))
    assert ["".join(c.itertext()) for c in comments] == [
        "link changed: \u201cB. Payment\u201d (#b-payment) → \u201cC. Payment\u201d (#c-payment)"]
    assert {c.get(_q("date")) for c in comments} == {"2024-06-01T00:00:00Z"}


def test_lists_are_word_lists_that_keep_their_numbers(word: bytes) -> None:
    tree = body(word)
    with zipfile.ZipFile(io.BytesIO(word)) as z:
        numbering = etree.fromstring(z.read("word/numbering.xml"))
    starts = {n.get(_q("numId")): int(n.find("w:lvlOverride/w:startOverride", NS).get(_q("val")))
              for n in numbering.findall("w:num", NS) if n.find("w:lvlOverride", NS) is not None}
    listed = [(p.find("w:pPr/w:numPr/w:numId", NS).get(_q("val")),
               int(p.find("w:pPr/w:numPr/w:ilvl", NS).get(_q("val"))), _text(p)[:7])
              for p in tree.iter(_q("p")) if p.find("w:pPr/w:numPr", NS) is not None]
    definitions = {num for num, _, text in listed[:4]}
    assert len(definitions) == 1 and starts[definitions.pop()] == 1
    nested = [level for _, level, text in listed if text.startswith("Backups")]
    assert nested == [1, 1]  # moved out and moved in, one level down
    last = listed[-2:]
    assert last[0][0] == last[1][0] and starts[last[0][0]] == 3
    assert len({num for num, _, _ in listed}) == 4  # definitions, moved-from, moved-to, 3.


def test_the_same_diff_gives_the_same_bytes(project: Path, word: bytes) -> None:
    assert export(project, "docx") == word


def test_a_real_reader_opens_the_redline(word: bytes, soffice: str, tmp_path: Path) -> None:
    (tmp_path / "redline.docx").write_bytes(word)
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(tmp_path / "redline.docx")],
                   check=True, capture_output=True, timeout=120)
    text = "".join(p.extract_text() for p in pypdf.PdfReader(tmp_path / "redline.pdf").pages)
    for words in ("Terms of Service: redline", "hosted service and its interfaces",
                  "Business", "without warranty of any kind"):
        assert words in text


def test_the_pdf_redline_starts_with_the_change_list(project: Path) -> None:
    data = export(project, "pdf")
    pages = pypdf.PdfReader(io.BytesIO(data)).pages
    text = " ".join(" ".join(p.extract_text().split()) for p in pages)
    assert text.index("List of changes (") < text.index("Change 1: link changed — A. Definitions")
    assert "Change 2: changed — A. Definitions" in text
    assert "moved from: C. Termination" in text
    assert "Data is kept for 90 days." in text and "Data is kept for 30 days." in text
    assert "[inserted]" not in text  # the screen reader's labels are not printed
    assert text.rindex("We may suspend abusive") > text.index("List of changes")


# --- the accept/reject property over any edit -------------------------------------------------

WORDS = st.sampled_from(["the", "Service", "account", "data", "may", "fees", "notice", "30"])
LINES = st.lists(st.lists(WORDS, min_size=1, max_size=6).map(" ".join), min_size=1, max_size=6)
SHAPES = st.sampled_from(["{}", "1. {}", "- {}", "## {}", "| {} | x |"])


def _markdown(lines: list[str], shapes: list[str]) -> str:
    parts = []
    for line, shape in zip(lines, shapes * len(lines)):
        if shape.startswith("|"):
            parts.append("| a | b |\n|---|---|\n" + shape.format(line))
        else:
            parts.append(shape.format(line))
    return "# Terms\n\n" + "\n\n".join(parts) + "\n"


@settings(max_examples=20, deadline=None)
@given(LINES, LINES, st.lists(SHAPES, min_size=1, max_size=3))
def test_any_edit_accepted_is_the_new_text_rejected_the_old(
        old: list[str], new: list[str], shapes: list[str]) -> None:
    a, b = _markdown(old, shapes), _markdown(new, shapes)
    diff = diff_blocks(render_markdown(a).blocks, render_markdown(b).blocks)
    tree = body(redline_docx_bytes(diff, RedlineInfo("T", "a → b", dt.date(2024, 1, 1))))
    assert texts(settle(tree, accept=True)) == block_texts(b)
    assert texts(settle(tree, accept=False)) == block_texts(a)


def test_a_block_has_the_text_the_property_compares() -> None:
    blocks: list[Block] = list(render_markdown("Two\\\nlines\n\n```\ncode\n```\n").blocks)
    assert [b.text for b in blocks] == ["Two\nlines", "code\n"]
