"""The 新旧対照表's marks by 字句 (diff/chars.py ``word_ops``) and the citation of a 項・号
(diff/sections.py ``provision_places``): whole numbers, no unchanged character marked, both
texts rebuilt exactly."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policy_archive.diff.chars import word_ops, words
from policy_archive.diff.ops import new_text, old_text
from policy_archive.diff.sections import kanji_number, provision_places
from policy_archive.text.render import render_markdown


def _marked(a: str, b: str) -> tuple[str, str]:
    """(old, new) with each changed run between ［ and ］."""
    ops = word_ops(a, b)
    old = "".join(f"［{t.text}］" if t.op == "delete" else t.text for t in ops if t.op != "insert")
    new = "".join(f"［{t.text}］" if t.op == "insert" else t.text for t in ops if t.op != "delete")
    return old, new


@pytest.mark.parametrize("old,new,old_marked,new_marked", [
    ("十一　情報管理規程", "十七　情報管理規程", "［十一］　情報管理規程", "［十七］　情報管理規程"),
    ("第十項の規定", "第十三項の規定", "［第十項］の規定", "［第十三項］の規定"),
    ("５　前各項の規定", "４　前三項の規定", "［５］　前［各］項の規定", "［４］　前［三］項の規定"),
    ("もの（第二条", "者（第四条", "［もの］（［第二条］", "［者］（［第四条］"),
    ("第二十一条の二", "第二十一条の三", "［第二十一条の二］", "［第二十一条の三］"),
    ("二千万円以下", "五百万円以下", "［二千万］円以下", "［五百万］円以下"),
    ("第1条（目的）", "第2条（目的）", "［第1条］（目的）", "［第2条］（目的）"),
    ("クッキーを用いる", "ウェブビーコンを用いる", "［クッキー］を用いる", "［ウェブビーコン］を用いる"),
    # a kana that only happens to match inside a rewording is part of it
    ("不正の目的をもって、", "不正の利益を得る目的で、又はその保有者に損害を加える目的で、",
     "不正の目的［をもって］、", "不正の［利益を得る］目的［で、又はその保有者に損害を加える目的で］、"),
])
def test_marks_cover_whole_words(old: str, new: str, old_marked: str, new_marked: str) -> None:
    assert _marked(old, new) == (old_marked, new_marked)


_PIECE = st.sampled_from(["第", "十", "一", "七", "三", "条", "項", "号", "の", "前", "各", "　",
                          "2", "１", "を", "もって", "クッキー", "、", "目的"])
_TEXT = st.lists(_PIECE, max_size=14).map("".join)


@settings(max_examples=300, deadline=None)
@given(_TEXT, _TEXT)
def test_word_ops_rebuild_both_texts_and_cut_only_between_words(a: str, b: str) -> None:
    ops = word_ops(a, b)
    assert old_text(ops) == a and new_text(ops) == b
    assert all(x.op != y.op for x, y in zip(ops, ops[1:]))
    for text, skip in ((a, "insert"), (b, "delete")):
        bounds = {0}
        for w in words(text):
            bounds.add(max(bounds) + len(w))
        pos = 0
        for t in ops:
            if t.op == skip:
                continue
            assert pos in bounds, (text, ops)  # no mark starts or ends inside a 字句
            pos += len(t.text)


def test_kanji_numbers() -> None:
    assert [kanji_number(n) for n in (1, 2, 10, 11, 17, 20, 99, 100, 123)] == [
        "一", "二", "十", "十一", "十七", "二十", "九十九", "百", "百二十三"]


def test_the_places_of_clauses_and_items() -> None:
    blocks = render_markdown("## 第二十一条（罰則）\n\n柱書\n\n- 一　甲\n\n２　次に掲げる\n\n"
                             "- 一　乙\n\n## 第1条（目的）\n\n本文\n\n2 次に掲げる\n").blocks
    places = [provision_places(blocks).get((b.line, b.text), "") for b in blocks]
    assert places == ["", "", "第一号", "第二項", "第二項第一号", "", "", "第2項"]
