"""The reader's text of a block (text/reader.py): white space as HTML collapses it, ``<br>``
as a line break, ruby bases without their readings; and the search page's folding in Python
against a literal transcription of search.js's ``fold``."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policy_archive.text.reader import (
    JS_SPACE,
    count,
    fold,
    reader_links,
    reader_look,
    reading,
    rubies,
    search_text,
    walked,
)
from policy_archive.text.render import render_markdown


def blocks_of(markdown: str) -> list[object]:
    return list(render_markdown(markdown, keep_chunks=False).blocks)


def one(markdown: str) -> object:
    (block,) = blocks_of(markdown)
    return block


@pytest.mark.parametrize(("markdown", "text", "readings"), [
    ("agency.  GitHub", "agency. GitHub", ()),
    ("a\tb \t c", "a b c", ()),
    ("first line\nsecond line", "first line second line", ()),
    ("hard break  \nnext", "hard break\nnext", ()),
    ("Service.<br>As described below", "Service.\nAs described below", ()),
    ("Service. <br> As described", "Service.\nAs described", ()),
    ("*a*  **b**", "a b", ()),
    ("全角　空白は　残る", "全角　空白は　残る", ()),
    ("no&nbsp;&nbsp;break", "no\u00a0\u00a0break", ()),
    ("<ruby>珪弗<rt>けいふつ</rt></ruby>化ナトリウム", "珪弗化ナトリウム", ((2, "rt", "けいふつ"),)),
    ("<ruby>砒<rp>（</rp><rt>ひ</rt><rp>）</rp></ruby>素", "砒素",
     ((1, "rp", "（"), (1, "rt", "ひ"), (1, "rp", "）"))),
    ("<ruby>漢<rt> かん </rt>字<rt>じ</rt></ruby>", "漢字", ((1, "rt", "かん"), (2, "rt", "じ"))),
    ("plain text", "plain text", ()),
])
def test_reader_text(markdown: str, text: str, readings: tuple[object, ...]) -> None:
    r = reading(one(markdown))
    assert r.text == text
    assert r.readings == readings


@pytest.mark.parametrize(("markdown", "words"), [
    ("<ruby>漢<rt>かん</rt>字<rt>じ</rt></ruby>です", [(0, 1, "かん"), (1, 2, "じ")]),
    ("前 <ruby>砒<rp>（</rp><rt>ひ</rt><rp>）</rp></ruby>素", [(2, 3, "ひ")]),
    ("<ruby>珪弗<rt>けいふつ</rt></ruby>化と<ruby>明日<rt>あす</rt></ruby>", [
        (0, 2, "けいふつ"), (4, 6, "あす")]),
    ("no ruby", []),
])
def test_rubies(markdown: str, words: list[tuple[int, int, str]]) -> None:
    assert rubies(one(markdown)) == words


def test_table_cells_collapse_each_and_stay_apart() -> None:
    row = blocks_of("| a | b |\n|---|---|\n| Service.<br>As  described | x   y |\n")[1]
    assert reading(row).text == "Service.\nAs described\tx y"
    assert search_text(row) == "Service. As described x y"


def test_code_keeps_its_white_space() -> None:
    code = one("```\na  =  1\n    b\n```\n")
    assert reading(code).text == code.text
    pre = one("<pre>keep   these\n  spaces</pre>\n")
    assert reading(pre).text == pre.text


def test_markup_is_placed_in_the_reader_text() -> None:
    a, b = one("See  [the  docs](https://x.example/) now."), one("See [the docs](https://x.example/) now.")
    assert reader_look(a) == reader_look(b)
    assert reader_links(a) == (("the docs", "https://x.example/"),)
    moved = one("See [the docs](https://y.example/) now.")
    assert reader_look(moved) != reader_look(b)
    emphasis = one("See *the docs* now.")
    assert reader_look(emphasis) != reader_look(one("See the docs now."))


@pytest.mark.parametrize(("a", "b"), [
    ("<ruby>珪弗<rt>けいふつ</rt></ruby>", "<ruby>珪弗<rt>けいふっ</rt></ruby>"),  # a reading
    ("one<br>two", "one two"),  # a break shows
    ("一　二", "一 二"),  # U+3000 is not collapsed
    ("a b", "ab"),
])
def test_what_shows_is_a_difference(a: str, b: str) -> None:
    assert reader_look(one(a)) != reader_look(one(b))


_ws = st.sampled_from([" ", "  ", "\t", "\n", "\t "])  # no hard break (two spaces, then a line end)
_word = st.text(alphabet=st.sampled_from("abcXYZ0１あ漢.,"), min_size=1, max_size=6)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(_ws, _word), min_size=1, max_size=8), _ws)
def test_collapsing_is_html_s(parts: list[tuple[str, str]], tail: str) -> None:
    """Any spacing of the same words reads as the words with one space between them."""
    words = [w for _, w in parts]
    markdown = "".join(space + w for space, w in parts) + tail
    block = blocks_of("x " + markdown)[0]
    assert reading(block).text == "x " + " ".join(words)


_inline = st.sampled_from(["a", "b c", " ", "  ", "\n", "\t", "*e*", "[l](https://x.example/)",
                           "`c  d`", "<span> s </span>", "**b  c**"])


@settings(max_examples=200, deadline=None)
@given(st.lists(_inline, min_size=1, max_size=10))
def test_runs_read_as_a_character_walk_does(parts: list[str]) -> None:
    """The fast way (by runs of white space) gives the character walk's text and markup."""
    for block in blocks_of("x" + "".join(parts) + "y"):
        if block.kind != "code":  # an indented line may start a code block: kept as is
            assert reading(block) == walked(block)


# The search page's fold (templates/static/search.js), transcribed literally: a character at
# a time, white space runs to one space (none at the start), NFKC, lower case.
def js_fold(text: str) -> str:
    out, space = [], True
    for ch in text:
        if ch in JS_SPACE:
            if not space:
                out.append(" ")
            space = True
            continue
        space = False
        out.append(unicodedata.normalize("NFKC", ch).lower())
    return "".join(out)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(
    list("aZ Σσς\tİ１０ＡＢａｂｶﾞかが゙　\u00a0\u2028ﾊﾟ①㍻ﬁ\u0301e") + ["\ufeff"]), max_size=20))
def test_fold_is_the_search_page_s(text: str) -> None:
    assert fold(text) == js_fold(text)


@pytest.mark.parametrize(("text", "query", "n"), [
    ("Personal Information and personal information", "PERSONAL INFORMATION", 2),
    ("LINEアカウントとLINE　アカウント", "line アカウント", 2),
    ("LINE アカウント", "LINEアカウント", 0),  # a space in the text is not optional
    ("１０　この法律において", "10 この法律", 1),
    ("ＧＥＮＥＲＡＬ　DATA", "general data", 1),
    ("aaaa", "aa", 2),  # matches do not overlap
    ("text", "   ", 0),
])
def test_count(text: str, query: str, n: int) -> None:
    assert count(text, query) == n
    pattern = re.compile(" ?".join(re.escape(w) for w in js_fold(query).strip().split(" ")))
    if query.strip():
        assert n == len(pattern.findall(js_fold(text)))


def test_look_keys_compare_within_a_call_even_when_emptied(monkeypatch: pytest.MonkeyPatch) -> None:
    from policy_archive.text import reader

    monkeypatch.setattr(reader, "_MAX_KEYS", 3)
    a = blocks_of("one  two\n\nthree\n\nfour")
    b = blocks_of("one two\n\nfour\n\nfive")
    for _ in range(3):  # every call starts near the bound: the tables are emptied first
        ka, kb = reader.look_keys(a, b)
        assert ka[0] == kb[0] and ka[2] == kb[1]
        assert len({*ka, *kb}) == 4
