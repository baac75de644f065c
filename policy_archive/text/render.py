"""Markdown to blocks and HTML, once per version.

CommonMark with tables, autolinks and footnotes (markdown-it-py, mdit-py-plugins). Raw HTML is let through only via the
allow-list in :mod:`sanitize`, one leaf (inline run or HTML block) at a time, so the page and
the diff engine see exactly the same text. Markdown-it's link validation stays on (it drops
``javascript:``/``vbscript:``/``file:``/``data:`` links). Headings get stable ids, also for
Japanese text, and each block knows the section it is in.

Versions of one policy share most of their text, so a text is parsed in top-level chunks
(:func:`chunks`), each parsed once per process however many versions hold it (figures in
``bench/README.md``). A chunk starts after a blank line, at a heading (``#``) or a line opening
with a letter, where no CommonMark block can still be open (tested against one whole parse
by hypothesis); a text with link reference definitions, fenced code or an HTML block that
may span blank lines is parsed whole.
"""

from __future__ import annotations

import copy
import re
import unicodedata
from html import escape, unescape
from bisect import bisect_right
from collections.abc import Sequence
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.rules_block import html_block
from markdown_it.rules_block.state_block import StateBlock
from markdown_it.rules_inline import html_inline
from markdown_it.rules_inline.state_inline import StateInline
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

from ..foundation.model import Block, BlockKind, Heading, Note, RenderedText, Span
from .inline import phrasing_at, sanitized_inline, unnested_links
from .markup import text_and_spans
from .sanitize import BLOCK_TAGS, is_markup, removed_markup, sanitize, split_tables

_SECTION_NUMBER = re.compile(
    r"^\s*(?:第\s*(?P<kanji>[0-9]+)\s*条|(?P<paren>[(（]\s*[0-9]+\s*[)）])|(?P<plain>[0-9]+)(?=[.．、。:：\s]|$))"
)


_TAG_AT = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)")


def _only_markup_inline(state: StateInline, silent: bool) -> bool:
    """Raw inline HTML only for real markup: ``<Data Protection Officer>`` stays text."""
    m = _TAG_AT.match(state.src, state.pos)
    if m and not is_markup(m.group(1)):
        return False
    return html_inline(state, silent)


def _only_markup_block(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """An HTML block only when it opens with real markup (a line ``<EU Representative>``
    followed by an address is a paragraph, not raw HTML that swallows the address)."""
    pos = state.bMarks[start] + state.tShift[start]
    m = _TAG_AT.match(state.src, pos)
    if m and not is_markup(m.group(1)):
        return False
    return html_block(state, start, end, silent)


def _image(self: RendererHTML, tokens: Sequence[Token], idx: int, options: object,
           env: object) -> str:
    """A local image as ``<img>``; an image on another host as a link to it: the pages load
    nothing from other hosts (their CSP forbids it), so it would only show broken."""
    tok = tokens[idx]
    src = str(tok.attrGet("src") or "")
    alt = _inline_text(tok.children or [])
    if is_external(src):
        label = alt or src
        return (f'<a class="external-image" href="{escape(src)}" aria-label="{escape(label)}">'
                f'<span aria-hidden="true">\U0001f5bc {escape(label)}</span></a>')
    title = tok.attrGet("title")
    title_attr = f' title="{escape(str(title))}"' if title else ""
    return f'<img src="{escape(src)}" alt="{escape(alt)}"{title_attr}>'


def _footnote_anchor(self: RendererHTML, tokens: Sequence[Token], idx: int, options: object,
                     env: object) -> str:
    """The way back from a footnote: a link whose glyph is not part of the policy text."""
    ident = str(tokens[idx].meta["id"] + 1)
    sub = tokens[idx].meta.get("subId", -1)
    ref = ident + (f":{sub}" if sub > 0 else "")
    return (f' <a href="#fnref{ref}" class="footnote-backref" aria-label="[{ident}]">'
            '<span aria-hidden="true">\u21a9\ufe0e</span></a>')


def is_external(url: str) -> bool:
    """A URL on another host (with a scheme or ``//``), not a path on this site."""
    return bool(re.match(r"[A-Za-z][A-Za-z0-9+.-]*:|//", url))


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True}).enable("table").use(footnote_plugin)
    md.inline.ruler.at("html_inline", _only_markup_inline)
    md.block.ruler.at("html_block", _only_markup_block,
                      {"alt": ["paragraph", "reference", "blockquote"]})
    md.add_render_rule("image", _image)
    md.add_render_rule("footnote_anchor", _footnote_anchor)
    return md


#: A text holding any of these is parsed whole: link reference definitions (``[x]: url``)
#: apply to the whole text; fenced code and HTML blocks of kinds 1–5 (``<pre>``,
#: ``<!-- -->``, ``<?…?>``, ``<!X``, CDATA) may go on across blank lines.
_WHOLE_ONLY = re.compile(r"\]:|```|~~~|<[!?]|<(?:script|pre|style|textarea)", re.IGNORECASE)
#: A blank line, then a line that can only start a new top-level block: an ATX heading, or
#: a letter (a paragraph or a table; never a list marker, quote, fence or HTML).
_CHUNK_START = re.compile(r"\n[ \t]*\n(?=#{1,6}(?:[ \t]|\n|$)|[^\W\d_])")


@lru_cache(maxsize=256)  # a build cuts each text when it shares the work out, then parses it
def chunks(text: str) -> tuple[tuple[int, str], ...]:
    """``(first line, text)`` of the top-level chunks of a Markdown text: parsing each alone
    gives the tokens of parsing the whole (line numbers shifted). One chunk when the text
    may hold a construct that reaches past a blank line (:data:`_WHOLE_ONLY`) or a ``\\r``."""
    if "\r" in text or _WHOLE_ONLY.search(text):
        return ((0, text),)
    out: list[tuple[int, str]] = []
    start = line = 0
    for m in _CHUNK_START.finditer(text):
        end = m.end()
        part = text[start:end]
        out.append((line, part))
        line += part.count("\n")
        start = end
    out.append((line, text[start:]))
    return tuple(out)


_Leaf = tuple[str, str, tuple[Span, ...]]  # html, visible text, inline markup


class _Parsed:
    """One chunk's tokens, and the rendering of its leaves once made (by token index)."""

    __slots__ = ("tokens", "base", "leaves", "tags")

    def __init__(self, tokens: list[Token], base: int = 0) -> None:
        self.tokens = tokens
        self.base = base  # the chunk's first line in the text its tokens were parsed from
        self.leaves: dict[int, _Leaf] = {}  # inline/html/code: (html, text, spans)
        self.tags: dict[int, str] = {}  # other tokens: their HTML

    def leaf(self, r: _Renderer, i: int) -> _Leaf:
        got = self.leaves.get(i)
        if got is None:
            got = self.leaves[i] = r.leaf(self.tokens[i], {}, phrasing_at(self.tokens, i))
        return got

    def tag(self, r: _Renderer, i: int) -> str:
        got = self.tags.get(i)
        if got is None:
            rule = r.renderer.rules.get(self.tokens[i].type)
            got = self.tags[i] = (rule(self.tokens, i, r.md.options, {}) if rule is not None
                                  else r.renderer.renderToken(self.tokens, i, r.md.options, {}))
        return got


#: Chunks parsed in this process, by text; emptied when it holds more than this many
#: characters (tokens and their renderings take ~60 bytes a character: ~60 MB at most).
_PARSED_LIMIT = 1_000_000
_parsed: dict[str, _Parsed] = {}
_parsed_chars = 0


def forget_parsed() -> None:
    """Drop the parsed chunks kept in this process (a build that forks next need not copy
    them; a live preview keeps them for its next rebuild)."""
    global _parsed_chars
    _parsed.clear()
    _parsed_chars = 0


def _parse(text: str) -> list[tuple[int, _Parsed]]:
    """``(line offset, parsed chunk)`` of each chunk of ``text``, parsing only new chunks.

    Consecutive new chunks are parsed in one call and the tokens cut apart after: a call has
    a fixed cost (state, rule chains) that would dominate for small chunks."""
    global _parsed_chars
    parts = chunks(text)
    got: list[_Parsed | None] = [_parsed.get(part) for _, part in parts]
    i = 0
    while i < len(parts):
        if got[i] is not None:
            i += 1
            continue
        j = i
        while j < len(parts) and got[j] is None:
            j += 1
        run = parts[i:j]
        if _parsed_chars + sum(len(p) for _, p in run) > _PARSED_LIMIT:
            _parsed.clear()
            _parsed_chars = 0
        for (_, part), (tokens, base) in zip(run, _parse_run([p for _, p in run])):
            parsed = _Parsed(tokens, base)
            if part not in _parsed:
                _parsed[part] = parsed
                _parsed_chars += len(part)
            got[i] = parsed
            i += 1
    return [(line, parsed) for (line, _), parsed in zip(parts, got) if parsed is not None]


def _whole(text: str) -> _Parsed:
    """``text`` parsed in one piece, not kept."""
    return _Parsed(_parse_run([text])[0][0])


def _parse_run(run: list[str]) -> list[tuple[list[Token], int]]:
    """The tokens of each of consecutive chunks, parsed together, with the line the chunk
    starts at: each list is what parsing that chunk alone gives, its line numbers counted
    from that line (left as they are: shifting every token costs more than the parse)."""
    tokens = _markdown().parse("".join(run), {})
    starts = [0]
    for part in run[:-1]:
        starts.append(starts[-1] + part.count("\n"))
    out: list[list[Token]] = [[] for _ in run]
    current = out[0]
    for tok in tokens:
        if tok.level == 0 and tok.nesting >= 0 and tok.map:
            current = out[bisect_right(starts, tok.map[0]) - 1]
        if tok.type in ("th_open", "td_open"):
            _cell_align_to_class(tok)
        current.append(tok)
    return list(zip(out, starts))


def section_number(heading_text: str) -> str:
    """The number a heading gives its section: ``1.収集…`` and ``7. 「…`` give "1" and "7",
    ``(1) 共同…``/``（２）…`` give "(1)"/"(2)", ``第3条`` gives "3"; "" when there is none."""
    m = _SECTION_NUMBER.match(unicodedata.normalize("NFKC", heading_text))
    if not m:
        return ""
    if m.group("paren"):
        return "(" + re.sub(r"\D", "", m.group("paren")) + ")"
    return m.group("kanji") or m.group("plain") or ""


def slugify(text: str) -> str:
    """A readable, stable id for a heading: NFKC, lower case, letters and digits of any
    script kept, runs of anything else turned into one hyphen."""
    norm = unicodedata.normalize("NFKC", text).lower()
    slug = re.sub(r"[^\w]+", "-", norm).strip("-_")
    return slug or "section"


def _inline_text(children: Sequence[Token]) -> str:
    parts: list[str] = []
    for tok in children:
        if tok.type == "image":
            continue
        if tok.type in ("text", "code_inline"):
            parts.append(tok.content)
        elif tok.type in ("softbreak", "hardbreak"):
            parts.append("\n")
    return "".join(parts)


class _Renderer:
    """Renders a token stream, sanitising each leaf once and recording it as a block."""

    def __init__(self, md: MarkdownIt) -> None:
        self.md = md
        assert isinstance(md.renderer, RendererHTML)
        self.renderer: RendererHTML = md.renderer

    def leaf(self, token: Token, env: dict[str, object], phrasing: bool = False) -> _Leaf:
        """(html, visible text, inline markup) of an ``inline``, ``html_block`` or code
        token; ``phrasing``: an inline token in a paragraph or heading, where its raw HTML
        may hold no block element (the browser would end the paragraph there)."""
        if token.type == "inline":
            children = unnested_links(token.children or [])
            if any(c.type == "html_inline" for c in children):
                html = sanitized_inline(self.renderer, self.md.options, children, env, phrasing)
            else:
                html = self.renderer.renderInline(children, self.md.options, env)
            text, spans = text_and_spans(html)
            return html, text, spans
        if token.type == "html_block":
            html = sanitize(token.content)
            text, spans = text_and_spans(html)
            return html, text, spans
        html = self.renderer.rules[token.type](  # fence, code_block
            [token], 0, self.md.options, env
        )
        return html, token.content, ()


def _cell_align_to_class(token: Token) -> None:
    style = token.attrGet("style")
    if isinstance(style, str) and style:
        token.attrs.pop("style", None)
        align = style.split(":", 1)[-1].strip()
        token.attrSet("class", f"align-{align}")


def _row_block_parts(cells: Sequence[_Leaf], header: bool,
                    tags: Sequence[str] | None = None) -> tuple[str, str, tuple[Span, ...]]:
    """(html, text, spans) of a table row: cells joined by tabs, spans placed in the row."""
    html_parts: list[str] = []
    texts: list[str] = []
    spans: list[Span] = []
    pos = 0
    for k, (html, text, cell_spans) in enumerate(cells):
        name = "th" if header else "td"
        opening = tags[k] if tags else f"<{name}>"
        close = "</th>" if opening.startswith("<th") else "</td>"
        html_parts.append(f"{opening}{html}{close}")
        texts.append(text)
        spans.extend(sp._replace(start=sp.start + pos, end=sp.end + pos) for sp in cell_spans)
        pos += len(text) + 1
    return "".join(html_parts), "\t".join(texts), tuple(spans)


class _Blocks:
    """Collects the blocks of one text, each knowing its section and its shape."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.section: list[tuple[int, str, str]] = []  # (level, text, anchor)

    def add(self, kind: BlockKind, leaf: _Leaf, level: int, line: int, *, number: str = "",
            anchor: str = "", header: bool = False, shape: str = "") -> None:
        html, text_, spans = leaf
        if not text_.strip() and kind != "heading" and not spans:
            return
        section = self.section
        self.blocks.append(Block(
            kind=kind, text=text_, html=html, level=level,
            section=tuple(s[1] for s in section),
            section_id=section[-1][2] if section else "",
            number=number, anchor=anchor, line=line, header=header, spans=spans, shape=shape,
        ))

    def html_block(self, leaf: _Leaf, line: int) -> None:
        """A raw-HTML block; a table in it becomes one block per row, like a pipe table."""
        pieces = split_tables(leaf[0])
        if pieces is None:
            self.add("html", leaf, 0, line)
            return
        for piece in pieces:
            if isinstance(piece, str):
                text_, spans = text_and_spans(piece)
                self.add("html", (piece, text_, spans), 0, line)
            else:
                cells = [(inner, *text_and_spans(inner)) for _, inner in piece.cells]
                tags = [opening for opening, _ in piece.cells]
                self.add("row", _row_block_parts(cells, piece.header, tags), 0, line,
                         header=piece.header)


def render_markdown(text: str, *, keep_chunks: bool = True) -> RenderedText:
    """Render a version's Markdown text to page HTML, its blocks and its headings.

    ``keep_chunks``: keep the parsed chunks for the next texts of this process (false for a
    text rendered once, in a process of its own: parsed whole, nothing kept)."""
    md = _markdown()
    r = _Renderer(md)
    html_renderer = r.renderer

    used_ids: dict[str, int] = {}
    headings: list[Heading] = []
    found = _Blocks()
    section = found.section
    out: list[str] = []
    containers: list[str] = []  # open list items / blockquotes / footnotes
    lists: list[str] = []  # the shape of each open list: "ul", "ol 3"
    row_cells: list[_Leaf] | None = None
    row_line = 0
    row_header = False
    in_thead = False
    notes: list[Note] = []

    for offset, parsed in _parse(text) if keep_chunks else [(0, _whole(text))]:
        tokens = parsed.tokens
        i = 0
        while i < len(tokens):
            tok = tokens[i]
            t = tok.type
            line = offset + (tok.map[0] + 1 - parsed.base if tok.map else 1)
            if t == "heading_open":
                leaf = parsed.leaf(r, i + 1)
                notes.extend(_notes(tokens[i + 1], leaf, line, phrasing=True))
                text_ = leaf[1]
                base = slugify(text_)
                n = used_ids.get(base, 0) + 1
                used_ids[base] = n
                anchor = base if n == 1 else f"{base}-{n}"
                opening = copy.copy(tok)
                opening.attrs = {**tok.attrs, "id": anchor}
                level = int(tok.tag[1])
                number = section_number(text_)
                while section and section[-1][0] >= level:
                    section.pop()
                section.append((level, text_, anchor))
                headings.append(Heading(level, text_, anchor, number))
                found.add("heading", leaf, level, line, number=number, anchor=anchor)
                out.append(html_renderer.renderToken([opening, tokens[i + 1]], 0, md.options, {}))
                out.append(leaf[0])
                out.append(parsed.tag(r, i + 2))
                i += 3
                continue
            if t == "inline":
                leaf = parsed.leaf(r, i)
                notes.extend(_notes(tok, leaf, line, phrasing_at(tokens, i)))
                out.append(leaf[0])
                if row_cells is not None:
                    row_cells.append(leaf)
                else:
                    kind: BlockKind = "paragraph"
                    shape = ""
                    if containers and containers[-1] == "li":
                        kind = "item"
                        loose = i > 0 and tokens[i - 1].type == "paragraph_open" \
                            and not tokens[i - 1].hidden
                        shape = lists[-1] + (" loose" if loose else "")
                    elif containers and containers[-1] == "blockquote":
                        kind = "quote"
                    elif containers and containers[-1] == "footnote":
                        shape = "footnote"
                    found.add(kind, leaf, len(lists), line, shape=shape)
                i += 1
                continue
            if t in ("html_block", "fence", "code_block"):
                leaf = parsed.leaf(r, i)
                notes.extend(_notes(tok, leaf, line))
                out.append(leaf[0])
                if t == "html_block":
                    found.html_block(leaf, line)
                else:
                    found.add("code", leaf, 0, line)
                i += 1
                continue
            if t == "bullet_list_open":
                lists.append("ul")
            elif t == "ordered_list_open":
                lists.append(f"ol {tok.attrGet('start') or 1}")
            elif t in ("bullet_list_close", "ordered_list_close"):
                lists.pop()
            elif t == "list_item_open":
                containers.append("li")
            elif t == "blockquote_open":
                containers.append("blockquote")
            elif t == "footnote_open":
                containers.append("footnote")
            elif t in ("list_item_close", "blockquote_close", "footnote_close"):
                containers.pop()
            elif t == "thead_open":
                in_thead = True
            elif t == "thead_close":
                in_thead = False
            elif t == "tr_open":
                row_cells, row_line, row_header = [], line, in_thead
            elif t == "tr_close" and row_cells is not None:
                tags = [
                    f"<{tk.tag}{_attrs(tk)}>" for tk in _cells_of(tokens, i)
                ]
                found.add("row", _row_block_parts(row_cells, row_header, tags), 0, row_line,
                          header=row_header)
                row_cells = None
            if tok.nesting != 0 or t in ("hr", "footnote_anchor"):
                out.append(parsed.tag(r, i))
            i += 1
    html = "".join(out)
    blocks = tuple(found.blocks)
    if 'href="#' in html:
        html, blocks = _fragment_links(html, blocks, headings)
    return RenderedText(html=html, blocks=blocks, headings=tuple(headings), notes=tuple(notes))


_FRAGMENT = re.compile(r'href="#([^"]+)"')


def _other_slugs(text: str) -> set[str]:
    """Ids other tools give a heading: GitHub's (punctuation dropped, spaces to hyphens),
    and the plain text with spaces to hyphens. Texts link to headings by them."""
    low = unicodedata.normalize("NFKC", text).strip().lower()
    github = re.sub(r"\s", "-", re.sub(r"[^\w\s-]", "", low))
    return {github, re.sub(r"\s+", "-", low)}


def _fragment_links(html: str, blocks: tuple[Block, ...], headings: Sequence[Heading]
                    ) -> tuple[str, tuple[Block, ...]]:
    """In-page links written for another tool's heading ids (``#githubs-global-privacy``
    for a heading whose id here is ``github-s-global-privacy``) made to lead to it."""
    ids = {h.anchor for h in headings} | set(re.findall(r'\sid="([^"]*)"', html))
    other: dict[str, str] = {}
    for h in headings:
        for slug in _other_slugs(h.text) - ids:
            other[slug] = "" if slug in other else h.anchor  # "" for an ambiguous one
    wanted = {unescape(f) for f in _FRAGMENT.findall(html)}
    wanted = {f for f in wanted if f not in ids and other.get(f)}
    if not wanted:
        return html, blocks

    def fix(text: str) -> str:
        return _FRAGMENT.sub(lambda m: f'href="#{other[unescape(m.group(1))]}"'
                             if unescape(m.group(1)) in wanted else m.group(0), text)

    fixed = []
    for b in blocks:
        if 'href="#' in b.html:
            b = b._replace(html=fix(b.html), spans=tuple(
                s._replace(attrs=fix(s.attrs)) for s in b.spans))
        fixed.append(b)
    return fix(html), tuple(fixed)


_TEMPLATE_SYNTAX = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}")


def _notes(token: Token, leaf: _Leaf, line: int, phrasing: bool = False) -> list[Note]:
    """What in a leaf renders, but probably not as meant (warned about by ``check``);
    ``phrasing``: an inline token in a paragraph or heading."""
    notes: list[Note] = []
    if token.type == "code_block":
        notes.append(Note(line, "indented by four spaces or more, so it is shown as code, "
                                "not as policy text: remove the indentation (or fence it "
                                "with ``` if it is code)"))
        return notes
    if token.type == "fence":
        return notes
    source = token.content

    def at(needle: str) -> int:
        """The line of the text where ``needle`` first stands."""
        pos = source.find(needle)
        return line + (source[:pos].count("\n") if pos > 0 else 0)

    raw = source if token.type == "html_block" else "".join(
        c.content for c in token.children or [] if c.type == "html_inline")
    for name in removed_markup(raw, phrasing):
        why = ("cannot stand inside a paragraph or heading" if name in BLOCK_TAGS
               else "is HTML that is not allowed in a policy text")
        notes.append(Note(at(f"<{name}"), f"<{name}> {why}: the element is removed (its text "
                                          "stays); write it without that markup"))
    for m in _TEMPLATE_SYNTAX.finditer(leaf[1]):
        notes.append(Note(at(m.group(0)), f"{m.group(0)!r} looks like template syntax left "
                                          "over from another system: it is published as it "
                                          "is"))
    for child in token.children or []:
        src = str(child.attrGet("src") or "") if child.type == "image" else ""
        if src and is_external(src):
            notes.append(Note(at(src), f"the image {src} is on another host: pages load nothing "
                                    "from other hosts, so it is shown as a link to the image; "
                                    "copy the image into the project's static files or "
                                    "remove it"))
    return notes


def _cells_of(tokens: Sequence[Token], close: int) -> list[Token]:
    """The ``th``/``td`` opening tokens of the row that ends at ``close``."""
    cells: list[Token] = []
    k = close - 1
    while k >= 0 and tokens[k].type != "tr_open":
        if tokens[k].type in ("th_open", "td_open"):
            cells.append(tokens[k])
        k -= 1
    return cells[::-1]


def _attrs(tok: Token) -> str:
    return "".join(f' {k}="{escape(str(v))}"' for k, v in tok.attrs.items())


def plain_text(rendered: RenderedText) -> str:
    """All visible text of a rendered version (the concatenation of its blocks)."""
    return "".join(b.text for b in rendered.blocks)
