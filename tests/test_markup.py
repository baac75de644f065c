"""Inline markup as stand-off spans: any range of a text back to HTML, in linear time."""

from __future__ import annotations

import time
from collections.abc import Callable
from html import escape

from hypothesis import given, settings
from hypothesis import strategies as st

from policy_archive.markup import Span, render_range, text_and_spans


def reference_range(text: str, spans: tuple[Span, ...], start: int, end: int,
                    note: Callable[[str], str] | None = None) -> str:
    """What render_range must give, computed the slow, obvious way: every piece of the
    range between two boundaries, with the spans that cover it, each looked up among all."""
    cuts = sorted({start, end} | {x for s in spans for x in (s.start, s.end) if start < x < end})
    out: list[str] = []
    stack: list[Span] = []

    def close(s: Span) -> None:
        out.append(f"</{s.tag}>")
        if note is not None and s.tag == "a" and s.href and not s.href.startswith("#"):
            out.append(note(s.href))

    def points(x: int) -> None:
        out.extend(s.point_html() for s in spans if s.is_point and s.start == x)

    for p0, p1 in zip(cuts, cuts[1:]):
        cover = [s for s in spans if not s.is_point and s.start <= p0 and s.end >= p1]
        keep = 0
        while keep < min(len(stack), len(cover)) and stack[keep] is cover[keep]:
            keep += 1
        while len(stack) > keep:
            close(stack.pop())
        points(p0)
        for s in cover[keep:]:
            out.append(f"<{s.tag}{s.attrs}>")
            stack.append(s)
        out.append(escape(text[p0:p1], quote=False))
    while stack:
        close(stack.pop())
    if start == end or end == len(text):
        points(end)
    return "".join(out)


PIECES = ["ab", "c d", "<em>", "</em>", "<strong>", "</strong>", '<a href="https://x.test/1">',
          '<a href="#here">', "</a>", "<br>", "<img src=\"i.png\" alt=\"i\">", "<code>", "</code>",
          '<span aria-hidden="true">h</span>', '<a id="anchor"></a>', "&amp;", "<b><i>", "</i></b>"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=25), st.data())
def test_any_range_renders_as_the_obvious_way_does(pieces: list[str], data: st.DataObject) -> None:
    text, spans = text_and_spans("".join(pieces))
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    note = (lambda href: f"[{href}]") if data.draw(st.booleans()) else None
    assert render_range(text, spans, start, end, None, note) == \
        reference_range(text, spans, start, end, note)


def test_many_spans_render_in_linear_time() -> None:
    """4,000 links and 4,000 footnote-like references in one paragraph, the whole and in
    4,000 pieces (as a diff view renders a changed paragraph): well under a second each,
    where the time grew with the square of the spans (about 20 s and 60 s)."""
    links = "".join(f'<a href="https://x.test/{i}">l{i}</a> ' for i in range(4000))
    refs = "".join(f'w{i}<sup><a href="#fn{i}" id="fnref{i}">[{i}]</a></sup> '
                   for i in range(4000))
    for html in (links, refs):
        text, spans = text_and_spans(html)
        t0 = time.perf_counter()
        whole = render_range(text, spans, 0, len(text))
        step = max(1, len(text) // 4000)
        parts = "".join(render_range(text, spans, i, min(i + step, len(text)))
                        for i in range(0, len(text), step))
        took = time.perf_counter() - t0
        assert whole.count("</a>") == 4000 and parts.count("</a>") >= 4000
        assert took < 2.0, f"{took:.2f} s"
