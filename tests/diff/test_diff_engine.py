"""Tests of :mod:`policy_archive.diff` (alignment, char ops, classes, summary): case tables, then properties, then real Markdown.

Documents in the tables are written one block a line: ``## text`` a heading, ``- text`` a
list item, anything else a paragraph (``_doc``). Char ops are written wdiff-style:
``料金は[-490-]{+550+}円です`` (``_wdiff``). Block ops are written one symbol an op:
``=`` equal, ``~`` changed, ``+`` inserted, ``-`` deleted, ``>`` moved out, ``<`` moved in.
"""

from __future__ import annotations

import importlib.util
import json
import os
import random
import re
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policy_archive.diff import chars as chars_module
from policy_archive.diff.align import MAX_REGION_PAIRS, _best_chain, diff_blocks
from policy_archive.diff.anchors import anchored_opcodes
from policy_archive.diff.chars import diff_text, tokenize
from policy_archive.diff.ops import BlockOp, TextOp, new_text, old_text
from policy_archive.diff.result import DocumentDiff, to_json_data
from policy_archive.diff.sections import SectionRef
from policy_archive.diff.similarity import similarity
from policy_archive.foundation.model import Block, BlockKind
from policy_archive.text.reader import reader_look

ROOT = Path(__file__).resolve().parents[2]

# ---------------------------------------------------------------------------- helpers


def _slug(text: str) -> str:
    return re.sub(r"\W+", "-", text).strip("-") or "section"


def _blocks(specs: Sequence[tuple[BlockKind, str]]) -> tuple[Block, ...]:
    """Blocks as ``render_markdown`` makes them: a heading's section includes itself."""
    out: list[Block] = []
    section: tuple[str, ...] = ()
    section_id = ""
    for line, (kind, text) in enumerate(specs, start=1):
        anchor = number = ""
        if kind == "heading":
            section, section_id, anchor = (text,), _slug(text), _slug(text)
            m = re.match(r"\s*(\(\d+\)|\d+)", text)
            number = m.group(1) if m else ""
        out.append(
            Block(kind=kind, text=text, html=text, level=2 if kind == "heading" else 0,
                  section=section, section_id=section_id, number=number, anchor=anchor,
                  line=line)  # fmt: skip
        )
    return tuple(out)


def _doc(source: str) -> tuple[Block, ...]:
    """A document written one block a line (``## `` heading, ``- `` item, else paragraph)."""
    specs: list[tuple[BlockKind, str]] = []
    for line in source.strip("\n").split("\n"):
        if not line.strip():
            continue
        if line.startswith("## "):
            specs.append(("heading", line[3:]))
        elif line.startswith("- "):
            specs.append(("item", line[2:]))
        else:
            specs.append(("paragraph", line))
    return _blocks(specs)


def _wdiff(ops: Sequence[TextOp]) -> str:
    marks = {"equal": "{}", "delete": "[-{}-]", "insert": "{{+{}+}}"}
    return "".join(marks[t.op].format(t.text) for t in ops)


def _symbols(diff: DocumentDiff) -> str:
    signs = {"equal": "=", "changed": "~", "inserted": "+", "deleted": "-"}
    return " ".join(
        signs.get(op.op, ">" if op.direction == "out" else "<") for op in diff.ops
    )


def _check_fidelity(a: Sequence[Block], b: Sequence[Block], diff: DocumentDiff) -> None:
    """Both documents come back whole from the ops, and the summary matches the ops."""
    ops = diff.ops
    assert [op.a_index for op in ops if op.in_a] == list(range(len(a)))
    assert [op.b_index for op in ops if op.in_b] == list(range(len(b)))
    assert [op.a.text for op in ops if op.in_a and op.a] == [x.text for x in a]
    assert [op.b.text for op in ops if op.in_b and op.b] == [x.text for x in b]
    for op in ops:
        if op.a_index is not None:
            assert op.a is a[op.a_index]
        if op.b_index is not None:
            assert op.b is b[op.b_index]
        if op.op == "equal":
            # equal: the same to a reader (white space HTML collapses may differ)
            assert op.a and op.b and reader_look(op.a) == reader_look(op.b)
            assert op.text_ops == ()
            continue
        if op.a is not None:
            assert old_text(op.text_ops) == op.a.text
        if op.b is not None:
            assert new_text(op.text_ops) == op.b.text
        assert op.block is (op.a if op.op == "deleted" or op.direction == "out" else op.b)
    outs = sorted((op.a_index, op.b_index) for op in ops if op.direction == "out")
    ins = sorted((op.a_index, op.b_index) for op in ops if op.direction == "in")
    assert outs == ins
    assert all((op.op == "moved") == bool(op.direction) for op in ops)

    s = diff.summary
    counted = [op for op in ops if op.op != "equal" and op.direction != "in"]
    assert s.changed == sum(op.op == "changed" for op in ops)
    assert s.inserted == sum(op.op == "inserted" for op in ops)
    assert s.deleted == sum(op.op == "deleted" for op in ops)
    assert s.moved == len(outs)
    assert s.chars_inserted == sum(len(t.text) for op in counted for t in op.text_ops
                                   if t.op == "insert")  # fmt: skip
    assert s.chars_deleted == sum(len(t.text) for op in counted for t in op.text_ops
                                  if t.op == "delete")  # fmt: skip
    assert s.chars_inserted >= sum(len(op.b.text) for op in ops if op.op == "inserted" and op.b)
    assert diff.identical == (s.changed + s.inserted + s.deleted + s.moved == 0)
    assert diff.identical == (s.sections == ())
    assert len(set(s.sections)) == len(s.sections)
    json.dumps(to_json_data(diff), ensure_ascii=False)


def _check_text_ops(a: str, b: str, ops: Sequence[TextOp]) -> None:
    assert old_text(ops) == a
    assert new_text(ops) == b
    assert all(t.text for t in ops)
    for first, second in zip(ops, ops[1:]):
        assert first.op != second.op
        assert (first.op, second.op) != ("insert", "delete")  # an edit: delete, then insert
    # every boundary falls between tokens: no number or word is ever cut
    for text, side in ((a, "insert"), (b, "delete")):
        bounds, at = set(), 0
        for token in tokenize(text):
            bounds.add(at)
            at += len(token)
        at = 0
        for t in ops:
            if t.op != side:
                assert at in bounds or at == len(text)
                at += len(t.text)


# ---------------------------------------------------------------------------- char ops

TEXT_CASES = [
    # (id, a, b, expected in wdiff notation)
    ("number-whole-token", "料金は490円です", "料金は550円です", "料金は[-490-]{+550+}円です"),
    ("number-with-comma", "上限1,000円", "上限1,200円", "上限[-1,000-]{+1,200+}円"),
    ("decimal", "年3.5%", "年3.25%", "年[-3.5-]{+3.25+}%"),
    ("fullwidth-number", "第１０条", "第１１条", "第[-１０-]{+１１+}条"),
    ("width-digit", "第１条", "第1条", "第[-１-]{+1+}条"),
    ("width-each-kept-apart", "第１条（定義）", "第1条(定義)",
     "第[-１-]{+1+}条[-（-]{+(+}定義[-）-]{+)+}"),
    ("width-latin", "ＩＤＯＭの子会社", "IDOMの子会社", "[-ＩＤＯＭ-]{+IDOM+}の子会社"),
    ("punctuation-only", "氏名、性別、年齢", "氏名，性別、年齢", "氏名[-、-]{+，+}性別、年齢"),
    ("period-added", "ご相談下さい", "ご相談下さい。", "ご相談下さい{+。+}"),
    ("space-only", "受付時間 10:00", "受付時間  10:00", "受付時間[- -]{+  +}10:00"),
    ("space-removed", "代表取締役 山畑", "代表取締役山畑", "代表取締役[- -]山畑"),
    ("ideographic-space", "東京都\u3000千代田区", "東京都 千代田区",
     "東京都[-\u3000-]{+ +}千代田区"),
    ("newline-only", "一行目\n二行目", "一行目\n\n二行目", "一行目[-\n-]{+\n\n+}二行目"),
    ("insert-into-sentence", "住所、電話番号、ご職業", "住所、電話番号、運転免許証等の番号、ご職業",
     "住所、電話番号、{+運転免許証等の番号、+}ご職業"),
    ("delete-from-sentence", "開示、削除、追加", "開示、追加", "開示、[-削除、-]追加"),
    ("word-swap-merges-gap", "当社の個人情報", "弊社が個人情報", "[-当社の-]{+弊社が+}個人情報"),
    ("latin-word-whole", "Cookieを使用", "Cookiesを使用", "[-Cookie-]{+Cookies+}を使用"),
    ("gap-with-tab-kept", "1\t2", "3\t4", "[-1-]{+3+}\t[-2-]{+4+}"),
    ("gap-with-newline-kept", "甲\n乙", "丙\n丁", "[-甲-]{+丙+}\n[-乙-]{+丁+}"),
    ("long-gap-kept", "当社は個人情報を扱う", "弊社は個人情報を使う", "[-当-]{+弊+}社は個人情報を[-扱-]{+使+}う"),
    ("variation-selector-kept-whole", "葛\U000e0100飾区", "葛飾区", "[-葛\U000e0100-]{+葛+}飾区"),
    ("empty-to-text", "", "新設", "{+新設+}"),
    ("text-to-empty", "削除", "", "[-削除-]"),
    ("identical", "同じ", "同じ", "同じ"),
    ("both-empty", "", "", ""),
]


@pytest.mark.parametrize(("a", "b", "expected"), [c[1:] for c in TEXT_CASES],
                         ids=[c[0] for c in TEXT_CASES])  # fmt: skip
def test_diff_text_cases(a: str, b: str, expected: str) -> None:
    ops = diff_text(a, b)
    assert _wdiff(ops) == expected
    _check_text_ops(a, b, ops)


def test_huge_text_falls_back_to_one_replacement(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(chars_module, "MAX_TEXT_WORK", 4)
    ops = diff_text("前文。甲乙丙。後文。", "前文。丁戊己。後文。")
    assert _wdiff(ops) == "前文。[-甲乙丙-]{+丁戊己+}。後文。"
    assert _wdiff(diff_text("前甲乙丙後", "前甲丁丙後")) == "前甲[-乙-]{+丁+}丙後"  # 1×1 tokens


def test_tokens() -> None:
    assert tokenize("1,000円と３．５％、Cookieとｗｅｂ\u3000が\n\n") == [
        "1,000", "円", "と", "３．５", "％", "、", "Cookie", "と", "ｗｅｂ", "\u3000", "が", "\n\n",
    ]  # fmt: skip
    assert tokenize("1.収集") == ["1", ".", "収", "集"]


# ---------------------------------------------------------------------------- block ops

BLOCK_CASES = [
    # (id, A, B, expected ops)
    ("identical", "## 1.目的\n本文です。\n- 項目", "## 1.目的\n本文です。\n- 項目", "= = ="),
    ("both-empty", "", "", ""),
    ("empty-to-some", "", "## 1.目的\n本文です。", "+ +"),
    ("some-to-empty", "## 1.目的\n本文です。", "", "- -"),
    ("changed-in-place", "前文。\n料金は490円です。\n後文。", "前文。\n料金は550円です。\n後文。", "= ~ ="),
    ("inserted", "第一の段落です。\n第三の段落です。", "第一の段落です。\n新しい第二の段落。\n第三の段落です。",
     "= + ="),
    ("deleted", "第一の段落です。\n不要な段落です。\n第三の段落です。", "第一の段落です。\n第三の段落です。",
     "= - ="),
    ("replaced-unlike", "前。\nお問い合わせは窓口へ。\n後。", "前。\nCookieを使用します。\n後。",
     "= - + ="),
    ("paired-by-similarity-not-position",
     "前。\n全く別の話題の段落。\n当社は個人情報を適切に管理します。\n後。",
     "前。\n当社は個人情報を適切に管理・保護します。\n後。", "= - ~ ="),
    ("kind-change-is-changed", "本文です。\n条項です。", "本文です。\n- 条項です。", "= ~"),
    ("clause-added-to-short-item", "- 3.PLS株式会社との間において。",
     "- 3.PLS株式会社との間において、お客様が締結する自動車リース契約及び保証委託契約の遂行のため。",
     "~"),
    ("renumbered-headings",
     "## 1.目的\n目的の本文。\n## 2.第三者への提供\n提供の本文。\n## 3.権利\n権利の本文。",
     "## 1.目的\n目的の本文。\n## 2.共同利用\n共同利用の新しい本文。\n## 3.第三者への提供\n提供の本文。\n"
     "## 4.権利\n権利の本文。",
     "= = + + ~ = ~ ="),
    ("renumbered-paren-spacing", "## (1) 共同利用する者\n本文。\n## (2) 共同利用する項目\n項目。",
     "## (1) 共同利用する者\n本文。\n## (2)追加された項\n新しい本文。\n## (3)共同利用する項目\n項目。",
     "= = + + ~ ="),
    ("moved-to-other-section",
     "## 1.収集\n収集について説明します。\n尚、お電話の内容は録音させていただく場合がございます。\n"
     "## 2.利用\n利用について説明します。",
     "## 1.収集\n収集について説明します。\n## 2.利用\n利用について説明します。\n"
     "尚、お電話の内容は録音させていただく場合がございます。",
     "= = > = = <"),
    ("moved-and-edited",
     "## 1.収集\n尚、お電話の内容は録音させていただく場合がございます。\n収集の本文。\n"
     "## 2.利用\n利用の本文。",
     "## 1.収集\n収集の本文。\n## 2.利用\n利用の本文。\n"
     "尚、お電話の内容は録音させていただく場合があります。",
     "= > = = = <"),
    ("short-exact-move", "## 1.甲\nはい。\n## 2.乙\n本文。", "## 1.甲\n## 2.乙\n本文。\nはい。",
     "= > = = <"),
]


@pytest.mark.parametrize(("a", "b", "expected"), [c[1:] for c in BLOCK_CASES],
                         ids=[c[0] for c in BLOCK_CASES])  # fmt: skip
def test_diff_blocks_cases(a: str, b: str, expected: str) -> None:
    a_blocks, b_blocks = _doc(a) if a else (), _doc(b) if b else ()
    diff = diff_blocks(a_blocks, b_blocks)
    assert _symbols(diff) == expected
    _check_fidelity(a_blocks, b_blocks, diff)


def test_renumbered_heading_has_tiny_char_diff() -> None:
    a = _doc("## 3.第三者への提供について\n本文。")
    b = _doc("## 3.共同利用について\n新しい本文です。\n## 4.第三者への提供について\n本文。")
    changed = [op for op in diff_blocks(a, b).ops if op.op == "changed"]
    assert [_wdiff(op.text_ops) for op in changed] == ["[-3-]{+4+}.第三者への提供について"]


def test_move_names_both_sections() -> None:
    a = _doc("## 1.収集\n移動する段落はこちらです。\n## 2.利用\n利用の本文。")
    b = _doc("## 1.収集\n## 2.利用\n利用の本文。\n移動する段落はこちらです。")
    diff = diff_blocks(a, b)
    out, into = (op for op in diff.ops if op.op == "moved")
    assert (out.direction, into.direction) == ("out", "in")
    assert (out.a_index, out.b_index) == (into.a_index, into.b_index) == (1, 3)
    assert out.b and out.b.section == ("2.利用",)  # "moved to §2"
    assert into.a and into.a.section == ("1.収集",)  # "moved from §1"
    assert diff.summary.moved == 1
    assert diff.summary.sections == (SectionRef("1-収集", "1.収集"), SectionRef("2-利用", "2.利用"))


def test_summary_counts_and_sections() -> None:
    a = _doc("## 1.甲\n料金は490円です。\n削除される段落です。\n## 2.乙\n乙の本文。\n## 3.丙\n丙の本文。")
    b = _doc("## 1.甲\n料金は550円です。\n## 2.乙\n乙の本文。\n## 3.丙\n丙の本文。\n追加。")
    s = diff_blocks(a, b).summary
    assert (s.changed, s.inserted, s.deleted, s.moved) == (1, 1, 1, 0)
    assert s.chars_inserted == len("550") + len("追加。")
    assert s.chars_deleted == len("490") + len("削除される段落です。")
    assert s.sections == (SectionRef("1-甲", "1.甲"), SectionRef("3-丙", "3.丙"))


def test_identical_and_json() -> None:
    a = _doc("## 1.目的\n料金は490円です。")
    assert diff_blocks(a, a).identical
    assert diff_blocks((), ()).identical
    diff = diff_blocks(a, _doc("## 1.目的\n料金は550円です。\n追加。"))
    data = to_json_data(diff)
    assert list(data) == ["identical", "summary", "ops"]
    assert data["identical"] is False
    assert data["summary"]["changed"] == 1
    assert data["summary"]["sections"] == [{"id": "1-目的", "title": "1.目的"}]
    keys = ["op", "direction", "a", "b", "kind", "section_id", "a_line", "b_line", "class",
            "chars"]
    assert all(list(op) == keys for op in data["ops"])
    assert data["ops"][1]["chars"] == [
        {"op": "equal", "text": "料金は"}, {"op": "delete", "text": "490"},
        {"op": "insert", "text": "550"}, {"op": "equal", "text": "円です。"},
    ]  # fmt: skip
    assert data["ops"][2] == {
        "op": "inserted", "direction": None, "a": None, "b": 2, "kind": "paragraph",
        "section_id": "1-目的", "a_line": None, "b_line": 3, "class": "text",
        "chars": [{"op": "insert", "text": "追加。"}],
    }  # fmt: skip
    assert json.loads(json.dumps(data)) == data


def test_ops_are_immutable_values() -> None:
    block = _doc("本文。")[0]
    one = BlockOp("changed", 0, 1, block, block, (TextOp("equal", "本文。"),))
    two = BlockOp("changed", 0, 1, block, block, (TextOp("equal", "本文。"),), "")
    assert one == two and hash(one) == hash(two) and repr(one) == repr(two)
    with pytest.raises(AttributeError):
        one.op = "equal"  # type: ignore[misc]


def test_similarity_ignores_heading_numbers_only_for_headings() -> None:
    h3, h4 = _doc("## 3.第三者\n## 4.第三者")
    p3, p4 = _doc("3.第三者\n4.第三者")
    assert similarity(h3, h4) == 1.0
    assert similarity(p3, p4) < 1.0
    assert similarity(h3, p3) == 0.0


def test_large_region_pairs_through_index() -> None:
    """A region too large for all pairs still pairs edited blocks, in order."""
    rng = random.Random(7)
    words = "個人情報保護方針当社収集利用第三者提供開示訂正追加停止目的範囲管理責任"
    texts = ["".join(rng.choice(words) for _ in range(40)) for _ in range(40)]
    a = _blocks([("paragraph", t) for t in texts])
    b = _blocks([("paragraph", t[:20] + "を変更" + t[20:]) for t in texts])
    assert len(a) * len(b) > MAX_REGION_PAIRS
    diff = diff_blocks(a, b)
    assert _symbols(diff) == " ".join(["~"] * 40)
    assert [(op.a_index, op.b_index) for op in diff.ops] == [(k, k) for k in range(40)]


# ---------------------------------------------------------------------------- properties

ALPHABET = (
    "個人情報保護方針当社収集利用第三者提供開示訂正"  # CJK
    "あいうえおのをはがにでてすまし"  # hiragana
    "サービスクレジットカード"  # katakana
    "０１２３４５６７８９0123456789"  # digits
    "abcXYZＡＢＣｘｙｚ"  # Latin
    "、。，．・：:（）()「」%％/-"  # punctuation
    " \u3000\n\t"  # white space
)
WIDTH = str.maketrans("0123456789ABCXYZabcxyz(),.:%", "０１２３４５６７８９ＡＢＣＸＹＺａｂｃｘｙｚ（），．：％")
texts = st.text(alphabet=ALPHABET, max_size=40)


@st.composite
def edited(draw: st.DrawFn, text: str) -> str:
    """``text`` after a few random edits: insert, delete, replace, width change."""
    for _ in range(draw(st.integers(0, 3))):
        start = draw(st.integers(0, len(text)))
        stop = draw(st.integers(start, min(len(text), start + 8)))
        kind = draw(st.sampled_from(["insert", "delete", "replace", "width"]))
        if kind == "insert":
            text = text[:start] + draw(texts) + text[start:]
        elif kind == "delete":
            text = text[:start] + text[stop:]
        elif kind == "replace":
            text = text[:start] + draw(texts) + text[stop:]
        else:
            text = text[:start] + text[start:stop].translate(WIDTH) + text[stop:]
    return text


@st.composite
def text_pairs(draw: st.DrawFn) -> tuple[str, str]:
    a = draw(texts)
    b = draw(st.one_of(edited(a), texts, st.just(a), st.just("")))
    return a, b


@settings(max_examples=300, deadline=None)
@given(text_pairs())
def test_diff_text_rebuilds_both_texts(pair: tuple[str, str]) -> None:
    a, b = pair
    _check_text_ops(a, b, diff_text(a, b))
    _check_text_ops(b, a, diff_text(b, a))


KINDS: list[BlockKind] = ["heading", "paragraph", "paragraph", "item"]
kinds = st.sampled_from(KINDS)
block_specs = st.lists(st.tuples(kinds, texts), max_size=12)


@st.composite
def revised(draw: st.DrawFn, specs: list[tuple[BlockKind, str]]) -> list[tuple[BlockKind, str]]:
    """``specs`` after random block edits: text edits, inserts, deletes, moves."""
    out = list(specs)
    for _ in range(draw(st.integers(0, 5))):
        kind = draw(st.sampled_from(["edit", "insert", "delete", "move", "duplicate"]))
        if not out and kind != "insert":
            continue
        at = draw(st.integers(0, max(len(out) - 1, 0)))
        if kind == "edit":
            out[at] = (out[at][0], draw(edited(out[at][1])))
        elif kind == "insert":
            out.insert(draw(st.integers(0, len(out))), (draw(kinds), draw(texts)))
        elif kind == "delete":
            del out[at]
        elif kind == "move":
            moved = out.pop(at)
            out.insert(draw(st.integers(0, len(out))), moved)
        else:
            out.insert(draw(st.integers(0, len(out))), out[at])
    return out


@st.composite
def document_pairs(draw: st.DrawFn) -> tuple[tuple[Block, ...], tuple[Block, ...]]:
    a: list[tuple[BlockKind, str]] = draw(block_specs)
    b = draw(st.one_of(revised(a), revised(a), revised(a), block_specs, st.just(a), st.just([])))
    return _blocks(a), _blocks(b)


@settings(max_examples=250, deadline=None)
@given(document_pairs())
def test_diff_blocks_rebuilds_both_documents(pair: tuple[tuple[Block, ...], ...]) -> None:
    a, b = pair
    diff = diff_blocks(a, b)
    _check_fidelity(a, b, diff)
    if [(x.kind, x.text) for x in a] == [(x.kind, x.text) for x in b]:
        assert diff.identical


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 5), max_size=14), st.lists(st.integers(0, 5), max_size=14))
def test_align_is_a_valid_matching(a: list[int], b: list[int]) -> None:
    """Anchored opcodes cover both sides; a non-equal opcode's sides share no key."""
    i = j = 0
    opcodes = anchored_opcodes(a, b)
    for tag, i1, i2, j1, j2 in opcodes:
        assert (i1, j1) == (i, j)
        if tag == "equal":
            assert a[i1:i2] == b[j1:j2] and i2 > i1
        else:
            assert not set(a[i1:i2]) & set(b[j1:j2])
        i, j = i2, j2
    assert (i, j) == (len(a), len(b))
    assert all(not (x[0] == y[0] == "equal") for x, y in zip(opcodes, opcodes[1:]))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 5), st.integers(0, 5), st.integers(1, 9)),
                unique_by=lambda e: e[:2], max_size=14))  # fmt: skip
def test_best_chain_is_the_heaviest_increasing_chain(edges: list[tuple[int, int, int]]) -> None:
    weighted = [(i, j, float(w)) for i, j, w in edges]
    chain = _best_chain(weighted)
    assert all(p[0] < q[0] and p[1] < q[1] for p, q in zip(chain, chain[1:]))
    weight = {(i, j): w for i, j, w in weighted}
    best: dict[tuple[int, int], float] = {}  # brute force over cells in order
    for i, j, w in sorted(weighted):
        best[(i, j)] = w + max(
            (v for (pi, pj), v in best.items() if pi < i and pj < j), default=0.0
        )
    assert sum(weight[p] for p in chain) == max(best.values(), default=0.0)


# ---------------------------------------------------------------------------- real Markdown

render = pytest.importorskip("policy_archive.text.render")


def _rendered(markdown: str) -> tuple[Block, ...]:
    blocks: tuple[Block, ...] = render.render_markdown(markdown).blocks
    return blocks


RENUMBERED_A = """\
# プライバシーポリシー

## 1.収集する個人情報に関して

当社では、各種サービスをご利用いただく際に、お客様の個人情報を収集しております。

尚、お電話でご連絡いただいた場合には、通話内容を録音させていただく場合がございます。

## 2.第三者への提供について

- 1.お客様の同意がある場合。
- 2.法令に基づき開示・提供を求められた場合。

| 項目 | 期間 |
|---|---|
| 氏名 | 5年 |

## 3.個人の権利の尊重

開示等の際には実費分の手数料（490円）をいただきます。
"""

RENUMBERED_B = """\
# プライバシーポリシー

## 1.収集する個人情報に関して

当社では、各種サービスをご利用いただく際に、お客様の個人情報を収集しております。

## 2.共同利用について

当社は、当社の親会社との間において、相互にお客様の個人情報を共同して利用する場合があります。

## 3.第三者への提供について

- 1.お客様の同意がある場合（ウェブで同意いただいたものも含まれます）。
- 2.法令に基づき開示・提供を求められた場合。

| 項目 | 期間 |
|---|---|
| 氏名 | ７年 |

## 4.個人の権利の尊重

開示等の際には実費分の手数料（550円）をいただきます。

尚、お電話でご連絡いただいた場合には、通話内容を録音させていただく場合がございます。
"""


def test_rendered_markdown_renumbering_moves_and_rows() -> None:
    a, b = _rendered(RENUMBERED_A), _rendered(RENUMBERED_B)
    diff = diff_blocks(a, b)
    _check_fidelity(a, b, diff)
    shown = [(op.op, op.direction, _wdiff(op.text_ops)) for op in diff.ops if op.op != "equal"]
    assert shown == [
        ("moved", "out", "尚、お電話でご連絡いただいた場合には、通話内容を録音させていただく場合がございます。"),
        ("inserted", "", "{+2.共同利用について+}"),
        ("inserted", "", "{+当社は、当社の親会社との間において、相互にお客様の個人情報を共同して利用する場合があります。+}"),
        ("changed", "", "[-2-]{+3+}.第三者への提供について"),
        ("changed", "", "1.お客様の同意がある場合{+（ウェブで同意いただいたものも含まれます）+}。"),
        ("changed", "", "氏名\t[-5-]{+７+}年"),
        ("changed", "", "[-3-]{+4+}.個人の権利の尊重"),
        ("changed", "", "開示等の際には実費分の手数料（[-490-]{+550+}円）をいただきます。"),
        ("moved", "in", "尚、お電話でご連絡いただいた場合には、通話内容を録音させていただく場合がございます。"),
    ]  # fmt: skip
    moved_in = diff.ops[-1]
    assert moved_in.a and moved_in.a.section[-1] == "1.収集する個人情報に関して"
    assert moved_in.b and moved_in.b.section[-1] == "4.個人の権利の尊重"
    titles = [s.title for s in diff.summary.sections]
    assert titles == ["1.収集する個人情報に関して", "2.共同利用について", "3.第三者への提供について",
                      "4.個人の権利の尊重"]  # fmt: skip


def _version_bodies() -> list[str]:
    split = pytest.importorskip("policy_archive.content.frontmatter").split_front_matter
    paths = sorted((ROOT / "versions" / "privacy").glob("*.md"))
    return [split(p.read_text(encoding="utf-8"), str(p), required=False).body for p in paths]


def test_sample_versions_rebuild_exactly() -> None:
    bodies = _version_bodies()
    if len(bodies) < 2:
        pytest.skip("fewer than two sample versions")
    for old, new in zip(bodies, bodies[1:]):
        a, b = _rendered(old), _rendered(new)
        _check_fidelity(a, b, diff_blocks(a, b))
        _check_fidelity(b, a, diff_blocks(b, a))


def _make_synthetic() -> object:
    spec = importlib.util.spec_from_file_location(
        "make_synthetic", ROOT / "bench" / "make_synthetic.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_synthetic"] = module
    spec.loader.exec_module(module)
    return module


def test_synthetic_pair_rebuilds_exactly() -> None:
    synthetic = _make_synthetic()
    a_md, b_md = synthetic.make_pair(60_000, seed=3)  # type: ignore[attr-defined]
    assert (a_md, b_md) == synthetic.make_pair(60_000, seed=3)  # type: ignore[attr-defined]
    a, b = _rendered(a_md), _rendered(b_md)
    diff = diff_blocks(a, b)
    _check_fidelity(a, b, diff)
    s = diff.summary
    assert s.changed > 0 and s.inserted > 0 and s.deleted > 0 and s.moved > 0
    renumbered = [op for op in diff.ops if op.op == "changed" and op.block.kind == "heading"]
    assert renumbered  # the inserted section renumbers the later ones


def test_output_does_not_depend_on_hash_seed() -> None:
    """Set iteration order (string hashes) never reaches the result: same JSON every run."""
    script = (
        "import json, random, sys\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        "from policy_archive.diff.align import diff_blocks\n"
        "from policy_archive.diff.result import to_json_data\n"
        "from policy_archive.foundation.model import Block\n"
        "rng = random.Random(5)\n"
        "words = '個人情報保護方針当社収集利用第三者提供開示訂正追加停止目的範囲管理責任'\n"
        "def doc(n):\n"
        "    return [Block('paragraph', ''.join(rng.choice(words) for _ in range(30)), '', 0,"
        " (), '', '', '', 1) for _ in range(n)]\n"
        "a, b = doc(60), doc(60)\n"
        "b[10:20] = [Block('paragraph', x.text[:9] + '変' + x.text[9:], '', 0, (), '', '', '', 1)"
        " for x in a[10:20]]\n"
        "print(json.dumps(to_json_data(diff_blocks(a, b)), ensure_ascii=False))\n"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", script], env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True, text=True, check=True,
        ).stdout
        for seed in ("1", "2", "3")
    }  # fmt: skip
    assert len(outputs) == 1


@st.composite
def linked(draw: st.DrawFn, text: str) -> tuple[tuple[int, int, str], ...]:
    """Links over ``text``: non-overlapping spans between tokens (as a link's brackets stand
    between words), each with one of a few targets."""
    bounds, at = [], 0
    for token in tokenize(text):
        bounds.append(at)
        at += len(token)
    bounds.append(len(text))
    links = []
    k = 0
    while k < len(bounds) - 1 and draw(st.booleans()):
        start = draw(st.integers(k, len(bounds) - 2))
        end = draw(st.integers(start + 1, min(len(bounds) - 1, start + 4)))
        links.append((bounds[start], bounds[end],
                      draw(st.sampled_from(["https://a/", "https://b/", "x/"]))))
        k = end + 1
    return tuple(links)


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_link_aware_char_ops_rebuild_both_texts_and_see_every_link_change(
        data: st.DataObject) -> None:
    a, b = data.draw(text_pairs())
    a_links, b_links = data.draw(linked(a)), data.draw(linked(b))
    ops = diff_text(a, b, a_links, b_links)
    _check_text_ops(a, b, ops)
    if a == b and a_links != b_links:
        # the same words: an edit only where a link differs, and none of its text is lost
        edits = [t for t in ops if t.op != "equal"]
        targets_a = {(a[s:e], t) for s, e, t in a_links}
        targets_b = {(b[s:e], t) for s, e, t in b_links}
        assert edits or targets_a == targets_b
    if a == b and a_links == b_links:
        assert all(t.op == "equal" for t in ops)


def test_a_re_pointed_link_is_an_edit_of_its_words_only() -> None:
    text = "See the List of Group Companies here."
    start = text.index("List")
    end = start + len("List of Group Companies")
    ops = diff_text(text, text, ((start, end, "https://old/"),), ((start, end, "https://new/"),))
    assert [(t.op, t.text) for t in ops] == [
        ("equal", "See the "), ("delete", "List of Group Companies"),
        ("insert", "List of Group Companies"), ("equal", " here.")]
