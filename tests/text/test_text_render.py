"""Markdown as real policies are written: blocks, ids, raw HTML and template syntax."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it.token import Token

from policy_archive.text import chunks as chunking
from policy_archive.text import leaves
from policy_archive.text.headings import section_number, slugify
from policy_archive.text.markdown import parser
from policy_archive.text.render import render_markdown


@pytest.mark.parametrize("heading,number", [
    ("1.収集する個人情報に関して", "1"),
    ("7. 「個人情報の収集、利用及び提供などに関する基本原則」変更についての通知", "7"),
    ("10. 提携会社との共同利用について", "10"),
    ("(1) 共同利用する者の範囲とその利用目的", "(1)"),
    ("(2)共同利用する項目", "(2)"),
    ("（３）当該個人データ", "(3)"),
    ("第12条（定義）", "12"),
    ("１．全角の番号", "1"),
    ("プライバシーポリシー", ""),
    ("2023年の改定", ""),
])
def test_section_numbers_in_both_styles(heading: str, number: str) -> None:
    assert section_number(heading) == number


def test_japanese_heading_ids_are_stable_and_unique() -> None:
    r = render_markdown("## 1.収集する個人情報\n\n## (2)共同利用する項目\n\n## (2)共同利用する項目\n")
    assert [h.anchor for h in r.headings] == ["1-収集する個人情報", "2-共同利用する項目",
                                              "2-共同利用する項目-2"]
    assert 'id="1-収集する個人情報"' in r.html
    assert slugify("Ｐｒｉｖａｃｙ Policy!") == "privacy-policy"


def test_blocks_know_kind_section_and_line() -> None:
    md = ("# T\n\n## 2.目的\n\n- 1.自動車\n- 7.分析\n  - ※ 統計のみ\n\n"
          "| 項目 | 内容 |\n|---|---|\n| 氏名<br>住所 | 必須 |\n")
    blocks = render_markdown(md).blocks
    assert [(b.kind, b.level) for b in blocks] == [
        ("heading", 1), ("heading", 2), ("item", 1), ("item", 1), ("item", 2), ("row", 0),
        ("row", 0)]
    assert blocks[4].section == ("T", "2.目的") and blocks[4].section_id == "2-目的"
    assert blocks[4].line == 7
    assert blocks[6].text == "氏名\n住所\t必須" or blocks[6].text == "氏名住所\t必須"
    assert blocks[5].header and not blocks[6].header


@pytest.mark.parametrize("markdown,present,absent", [
    ("A<br>B", ["A<br>"], []),
    ("<!-- internal note -->\n\nText", ["Text"], ["internal note", "<!--"]),
    ('<a id="contact"></a>Contact', ['id="contact"'], []),
    ("<script>alert(1)</script>\n\nok", ["ok"], ["<script", "alert(1)"]),
    ('<img src=x onerror="alert(1)">', [], ["onerror", "<img"]),
    ('<a href="javascript:alert(1)">x</a>', [">x</a>"], ["javascript:"]),
    ("[x](javascript:alert(1))", [], ['href="javascript']),
    ("[x](vbscript:msgbox)", [], ['href="vbscript']),
    ("[x](data:text/html,hi)", [], ['href="data:']),
    ('<iframe src="https://evil.example"></iframe>after', ["after"], ["<iframe"]),
    ("<style>body{display:none}</style>\n\nok", ["ok"], ["<style", "display:none"]),
    ('<form action="/x"><input name=a>field</form>', ["field"], ["<form", "<input"]),
    ('<span style="color:red" onclick="x()">s</span>', ["<span>s</span>"], ["style=", "onclick"]),
    ("{{ site.x }} and {% if a %}b{% endif %}", ["{{ site.x }} and {% if a %}b{% endif %}"], []),
    ("| a |\n|:--:|\n| b |", ['class="align-center"'], ["style="]),
    ("<https://norel.jp/agreement>", ['href="https://norel.jp/agreement"'], []),
])
def test_raw_html_through_the_allow_list(markdown: str, present: list[str],
                                         absent: list[str]) -> None:
    html = render_markdown(markdown).html
    for p in present:
        assert p in html
    for a in absent:
        assert a not in html


def test_block_texts_add_up_to_the_visible_text() -> None:
    md = "# A &amp; B\n\nText *em* `code` <span>raw</span>\n\n> quote\n\n```\nx < y\n```\n"
    blocks = render_markdown(md).blocks
    assert "".join(b.text for b in blocks) == "A & BText em code rawquotex < y\n"


# --- chunked parsing: the same tokens as one parse of the whole text ----------------------

_LINES = [
    "# Privacy Statement", "## 1. Changes", "### (2)共同利用する項目", "#hashtag, not a heading",
    "####### seven hashes", "#", "Plain paragraph text.", "日本語の段落です。", "Ａ full-width",
    "éclair, a Latin-1 start", "Text with *emphasis*, `code` and a break  ", "_underscore start",
    "- item", "  - nested item", "* star item", "+ plus item", "1. first", "2) second",
    "10. tenth", "   indented continuation", "    indented code", "\tcode after a tab",
    "> quote", ">", "> - quoted item", "| a | b |", "| --- | :-: |", "a | b", "--|--",
    "===", "---", "***", "___", "<div>", "</div>", "<span>inline</span> text",
    "<https://example.com>", "[a link][ref]", "</pre>", "１. 全角の番号", "Term", "", "", "",
    "  ", "\t",
]
#: Lines after which a text is parsed whole (constructs that may reach past a blank line).
_WHOLE_LINES = ["```", "~~~", "```js", "   ```", "[ref]: https://example.com",
                "<!-- a comment -->", "<pre>", "<?php ?>", "<![CDATA[", "<script>"]


def _shape(tokens: list[Token], shift: int = 0) -> list[tuple[object, ...]]:
    return [(t.type, t.tag, t.nesting, dict(t.attrs), t.content, t.markup, t.info, t.hidden,
             t.level, t.block, [m + shift for m in t.map] if t.map else None,
             _shape(t.children) if t.children else None) for t in tokens]


_TEXTS = st.builds(
    lambda lines, end: "\n".join(lines) + end,
    st.lists(st.sampled_from(_LINES), max_size=40)
    | st.lists(st.sampled_from(_LINES + _WHOLE_LINES), max_size=40),
    st.sampled_from(["", "\n", "\n\n"]),
)


@settings(max_examples=500, deadline=None)
@given(_TEXTS)
def test_chunks_parse_like_the_whole_text(text: str) -> None:
    md = parser()
    parts = chunking.chunks(text)
    assert "".join(p for _, p in parts) == text
    starts = [0]
    for _, p in parts[:-1]:
        starts.append(starts[-1] + p.count("\n"))
    assert [line for line, _ in parts] == starts
    chunked = [s for line, part in parts for s in _shape(md.parse(part, {}), line)]
    assert chunked == _shape(md.parse(text, {}))


@settings(max_examples=300, deadline=None)
@given(_TEXTS)
def test_chunks_parsed_together_are_cut_into_what_each_parses_alone(text: str) -> None:
    md = parser()
    parts = [p for _, p in chunking.chunks(text)]
    together = chunking._parse_run(parts)
    assert len(together) == len(parts)
    for part, (tokens, base) in zip(parts, together):
        alone = md.parse(part, {})
        for tok in alone:  # as _parse_run leaves them
            if tok.type in ("th_open", "td_open"):
                chunking._cell_align_to_class(tok)
        assert _shape(tokens, -base) == _shape(alone)


def test_chunks_split_at_headings_and_paragraphs_only_after_a_blank_line() -> None:
    text = "# T\n\nPara one\nstill one\n\n- item\n\nNew para\n## H\n\n１. not a split\n"
    assert [p for _, p in chunking.chunks(text)] == [
        "# T\n\n", "Para one\nstill one\n\n- item\n\n", "New para\n## H\n\n１. not a split\n"]
    assert len(chunking.chunks("# A\n\n```\n\n# in code\n```\n")) == 1
    assert len(chunking.chunks("# A\n\n[x]: /u\n\n# B\n")) == 1


@settings(max_examples=150, deadline=None)
@given(_TEXTS)
def test_rendering_by_chunks_is_rendering_the_whole(text: str) -> None:
    by_chunks = render_markdown(text)
    whole = render_markdown(text, keep_chunks=False)  # parsed in one piece, nothing kept
    assert by_chunks == whole


def test_a_chunk_seen_before_renders_again_the_same() -> None:
    a = "# P\n\n## 1. A\n\nSame text.\n\n## 1. A\n\nSame text.\n\n| x | y |\n|:--|--:|\n| 1 | 2 |\n"
    first, second = render_markdown(a), render_markdown(a)
    assert first == second
    assert 'id="1-a-2"' in first.html and '<td class="align-right">2</td>' in first.html


@pytest.mark.parametrize(("markdown", "images", "kept"), [
    # The renderer's markers are characters the text holds in no form: a text holding the
    # first ones, as themselves or as references, keeps them, and its image is put back.
    ("<b>b</b> \ue000 \ue0000\ue001 ![a](i.png)", 1, "\ue000 \ue0000\ue001"),
    ('<a href="https://x.test/&#xE000;0&#xE001;">l</a> ![ onfocus=alert(1) x](?x=)', 1,
     "https://x.test/\ue0000\ue001"),
    ('<span title="&#57344;0&#57345;">s</span> ![x](i.png) [^1]\n\n[^1]: n', 1, "\ue0000\ue001"),
])
def test_no_text_forges_where_an_image_goes(markdown: str, images: int, kept: str) -> None:
    html = render_markdown(markdown + "\n").html
    assert html.count("<img ") == images and kept in html
    assert not re.search(r'="[^"]*<img', html)  # no image inside an attribute


def test_a_text_holding_every_marker_character_shows_no_image(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(leaves, "_PRIVATE_USE", (range(0xE000, 0xE002),))
    html = render_markdown("<b>b</b> \ue000\ue001 ![a](i.png)\n").html
    assert "<img" not in html and "\ue000\ue001" in html


@pytest.mark.parametrize(("markdown", "html"), [
    # In a paragraph or a heading raw HTML holds no block (the browser would end the
    # paragraph there, and read the rest otherwise than the sanitiser did) ...
    ("a <p>b</p> c <div>d</div>", "<p>a b c d</p>"),
    ("## h <p>q</p>", '<h2 id="h-q">h q</h2>'),
    # ... where blocks may stand, they stay:
    ("| a | <ul><li>x</li></ul> |\n|---|---|", "<th><ul><li>x</li></ul></th>"),
    ("- t <div>d</div>", "<li>t <div>d</div></li>"),
    # A link holds no link: an autolink in a link's text is its text.
    ("[t <https://a.example/> u](https://b.example/)",
     '<p><a href="https://b.example/">t https://a.example/ u</a></p>'),
])
def test_raw_html_nests_as_html_allows(markdown: str, html: str) -> None:
    assert html in render_markdown(markdown + "\n").html


def test_check_says_which_block_a_paragraph_loses() -> None:
    notes = render_markdown("a <p>b</p>\n\n- t <div>d</div>\n").notes
    assert [(n.line, n.message.split(":")[0]) for n in notes] == [
        (1, "<p> cannot stand inside a paragraph or heading")]


@pytest.mark.parametrize("tag", ["div", "blockquote", "ul", "span"])
def test_html_nested_deeper_than_a_browser_nests_is_its_text_alone(tag: str) -> None:
    """Nested past 512 levels (where Blink's parser stops nesting; the sanitiser's time
    grows with the square of the depth, bench/README.md), raw HTML shows its text, escaped,
    and nothing of its markup, scripts or comments; ``check`` says where."""
    deep = f"<{tag}>" * 30000 + "a &lt;b&gt; <em>c</em><script>x()</script><!-- d -->\n"
    r = render_markdown("Intro.\n\n" + deep)
    inline = tag == "span"  # a paragraph of raw HTML: the paragraph stays
    assert r.html == "<p>Intro.</p>\n" + ("<p>a &lt;b&gt; c</p>\n" if inline else "a &lt;b&gt; c\n")
    assert [(n.line, n.message[:40]) for n in r.notes] == [
        (3, "the HTML here opens more than 512 elemen")]
    at_the_limit = render_markdown(f"<{tag}>" * 512 + "a\n")
    assert at_the_limit.html.count(f"<{tag}>") == 512 and not at_the_limit.notes
