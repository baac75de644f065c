"""Change classes and clause history decided on the reader's text: white space HTML
collapses is no change, anything a reader can see is one (never ``none``)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policy_archive.diff.align import diff_blocks
from policy_archive.diff.classes import op_class
from policy_archive.diff.history import document_history
from policy_archive.diff.ops import new_text, old_text
from policy_archive.foundation.model import Document, Version
from policy_archive.text.reader import reader_look
from policy_archive.text.render import render_markdown


def classes(a: str, b: str) -> tuple[str, list[str]]:
    diff = diff_blocks(render_markdown(a).blocks, render_markdown(b).blocks)
    return diff.change, [op_class(op) for op in diff.ops if op.op != "equal"]


@pytest.mark.parametrize(("a", "b", "want"), [
    ("an agency.  GitHub acts", "an agency. GitHub acts", "none"),
    ("one\ntwo", "one two", "none"),
    ("| a | b |\n|---|---|\n| x  y | z |\n", "| a | b |\n|---|---|\n| x y | z |\n", "none"),
    ("Service.<br>As described", "Service.<br> As  described", "none"),
    ("See [the  docs](https://a.example/).", "See [the docs](https://a.example/).", "none"),
    ("<ruby>珪<rt>けい</rt></ruby>", "<ruby>珪<rt>けい</rt></ruby>", "none"),
    # what a reader can see
    ("<ruby>珪<rt>けい</rt></ruby>素", "<ruby>珪<rt>けえ</rt></ruby>素", "text"),
    ("Service.<br>As described", "Service. As described", "text"),
    ("一　二", "一 二", "text"),
    ("agency.  GitHub", "agency.GitHub", "text"),
    ("See [the docs](https://a.example/).", "See [the docs](https://b.example/).", "links"),
    ("an agency.  GitHub acts", "an *agency*. GitHub acts", "formatting"),
    ("```\na  b\n```\n", "```\na b\n```\n", "text"),
])
def test_change_class(a: str, b: str, want: str) -> None:
    change, per_op = classes(a, b)
    assert change == want
    if want == "none":
        assert per_op == []  # equal blocks: nothing to mark
    else:
        assert "none" not in per_op


_ws = st.sampled_from([" ", "  ", "\t", "\n"])
_text = st.lists(st.tuples(st.sampled_from(["policy", "data", "個人", "情報", "<br>", "*x*"]),
                           _ws), min_size=1, max_size=6)


@settings(max_examples=120, deadline=None)
@given(_text, _text)
def test_none_only_when_a_reader_sees_nothing(a: list[tuple[str, str]],
                                              b: list[tuple[str, str]]) -> None:
    """``none`` exactly when every block reads the same; the char ops still rebuild both
    source texts exactly."""
    ma = "".join(w + s for w, s in a).rstrip()
    mb = "".join(w + s for w, s in b).rstrip()
    ra, rb = render_markdown(ma).blocks, render_markdown(mb).blocks
    diff = diff_blocks(ra, rb)
    same = [reader_look(x) for x in ra] == [reader_look(y) for y in rb]
    assert (diff.change == "none") == same
    for op in diff.ops:
        if op.op in ("changed", "moved"):
            assert op.a is not None and op.b is not None
            assert old_text(op.text_ops) == op.a.text and new_text(op.text_ops) == op.b.text


def _version(day: str, body: str) -> Version:
    return Version("terms", dt.date.fromisoformat(day), "Terms", None, "", "", (), body,
                   day, "", 1)


def test_a_white_space_edit_redates_no_section() -> None:
    texts = {
        "2021-01-01": "# Terms\n\n## Agency\n\nan agency.  GitHub acts\n\n## Fees\n\nYou pay.\n",
        "2022-01-01": "# Terms\n\n## Agency\n\nan agency. GitHub acts\n\n## Fees\n\nYou  pay.\n",
        "2023-01-01": "# Terms\n\n## Agency\n\nan agency. GitHub acts\n\n## Fees\n\nYou pay now.\n",
    }
    doc = Document("terms", "Terms", tuple(_version(d, t) for d, t in texts.items()))
    rendered = {v.sha256: render_markdown(v.body) for v in doc.versions}
    diffs = {(a.sha256, b.sha256): diff_blocks(rendered[a.sha256].blocks,
                                               rendered[b.sha256].blocks)
             for a, b in zip(doc.versions, doc.versions[1:])}
    history = document_history(doc, rendered, diffs)
    last = {s.title: s.last_changed for s in history["2023-01-01"]}
    assert last == {"Terms": "2023-01-01", "Agency": "2021-01-01", "Fees": "2023-01-01"}
    assert [c.key for c in history["2023-01-01"][2].changes] == ["2021-01-01", "2023-01-01"]
