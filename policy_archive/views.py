"""Presentations of one :class:`~policy_archive.diff.DocumentDiff`.

* :func:`inline_html` — one column, deletions in ``<del>``, insertions in ``<ins>``, inside
  one element with ``data-diff="inline"``. Removing every ``<ins>`` leaves A's text,
  removing every ``<del>`` leaves B's: moved blocks are a ``<del>`` where they left and an
  ``<ins>`` (holding their own edits) where they arrived.
* :func:`side_by_side_html` — A left, B right, aligned by block; long unchanged runs folded
  into ``<details>``.
* :func:`amendment_table_html` — the 新旧対照表: only changed articles with their
  headings, changed passages underlined (傍線), (新設)/(削除) in the other column.
* :func:`summary_html` — counts, changed sections and a list of every change, as links.
* :func:`terminal_text` — a word-diff for terminals (coloured when asked).

Every change gets the id ``change-N`` (N counts the non-equal ops from 1) in every view, so
the summary's links work in all of them. Screen-reader labels inside ``<ins>``/``<del>`` carry
``data-diff-label``; decorations carry ``aria-hidden="true"``.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from html import escape
from typing import NamedTuple

from .diff import BlockOp, DocumentDiff, SectionRef, TextOp
from .model import Block

LABELS = {
    "ja": {
        "ins": "追加：", "del": "削除：", "ins_end": "（追加ここまで）", "del_end": "（削除ここまで）",
        "changed": "変更", "inserted": "追加", "deleted": "削除", "moved": "移動",
        "moved_to": "移動先：{where}", "moved_from": "移動元：{where}", "top": "冒頭",
        "unchanged": "変更のない{n}ブロック", "new": "改正後", "old": "改正前",
        "new_article": "（新設）", "deleted_article": "（削除）", "omitted": "（略）",
        "note": "（傍線部分は改正部分）", "identical": "2つの版の本文に違いはありません。",
        "summary": "{changed}ブロック変更、{inserted}ブロック追加、{deleted}ブロック削除、{moved}ブロック移動",
        "chars": "{ins}文字追加、{dele}文字削除",
        "sections": "変更のある節", "changes": "変更箇所の一覧（{n}件）", "change_n": "変更{n}",
        "keys": "キーボードの n / j で次の変更、p / k で前の変更へ移動できます。",
        "caption": "新旧対照表", "prev": "前の変更", "next": "次の変更",
    },
    "en": {
        "ins": "[inserted] ", "del": "[deleted] ", "ins_end": " [end of insertion]",
        "del_end": " [end of deletion]",
        "changed": "changed", "inserted": "added", "deleted": "removed", "moved": "moved",
        "moved_to": "moved to: {where}", "moved_from": "moved from: {where}", "top": "the top",
        "unchanged": "{n} unchanged blocks", "new": "Amended (new)", "old": "Before (old)",
        "new_article": "(new)", "deleted_article": "(deleted)", "omitted": "(omitted)",
        "note": "(Underlined passages are amended.)",
        "identical": "The two versions have the same text.",
        "summary": "{changed} blocks changed, {inserted} added, {deleted} removed, {moved} moved",
        "chars": "{ins} characters inserted, {dele} deleted",
        "sections": "Changed sections", "changes": "List of changes ({n})",
        "change_n": "Change {n}",
        "keys": "Press n / j for the next change, p / k for the previous one.",
        "caption": "Comparison table of amendments", "prev": "Previous change",
        "next": "Next change",
    },
}
COLLAPSE_AT = 4  # unchanged runs of this many blocks or more are folded in side by side


def _labels(language: str) -> dict[str, str]:
    return LABELS.get(language, LABELS["en"])


def _text(text: str) -> str:
    """Escape text; a tab (between table cells) becomes a visual separator."""
    out = escape(text, quote=False)
    if "\t" in out:
        out = out.replace("\t", '<span class="cell-sep" aria-hidden="true"> │ </span>')
    return out


def _mark(tag: str, text: str, lab: dict[str, str], extra_class: str = "") -> str:
    key = "ins" if tag == "ins" else "del"
    classes = [c for c in (extra_class, "ws" if not text.strip() else "") if c]
    cls = f' class="{" ".join(classes)}"' if classes else ""
    return (f'<{tag}{cls}><span class="sr-only" data-diff-label>{lab[key]}</span>'
            f"{_text(text)}<span class=\"sr-only\" data-diff-label>{lab[key + '_end']}</span>"
            f"</{tag}>")


#: Char ops rendered in this process: (id of the ops tuple, side, class, id of the labels)
#: -> (the tuple, the labels, the HTML). The diff engine memoises the char ops of two texts,
#: so the same tuple comes back in every diff from a version before an edit to one after it
#: (up to 15 of the English benchmark archive's 31 diffs) and in three views. Keyed by
#: identity (hashing the ops cost more than rendering them); the tuple and labels are kept,
#: so their ids are not reused while the entry exists. Views of the English archive: 15 %
#: less time.
_OPS_MEMO_LIMIT = 1 << 14
_ops_memo: dict[tuple[int, str, str, int], tuple[object, object, str]] = {}


def ops_html(text_ops: Sequence[TextOp], side: str, lab: dict[str, str],
             extra_class: str = "") -> str:
    """Char ops as HTML: ``side`` "both" (redline), "a" (old only) or "b" (new only)."""
    key = (id(text_ops), side, extra_class, id(lab))
    got = _ops_memo.get(key)
    if got is not None and got[0] is text_ops and got[1] is lab:
        return got[2]
    out = []
    for t in text_ops:
        if t.op == "equal":
            out.append(_text(t.text))
        elif t.op == "delete" and side in ("both", "a"):
            out.append(_mark("del", t.text, lab, extra_class))
        elif t.op == "insert" and side in ("both", "b"):
            out.append(_mark("ins", t.text, lab, extra_class))
    html = "".join(out)
    if len(_ops_memo) >= _OPS_MEMO_LIMIT:
        _ops_memo.clear()
    if isinstance(text_ops, tuple):  # immutable: the same id, the same ops
        _ops_memo[key] = (text_ops, lab, html)
    return html


def _plain_block(block: Block) -> str:
    """An unchanged block's content (table rows as text with separators)."""
    return _text(block.text) if block.kind in ("row", "code") else block.html


def _where(block: Block, lab: dict[str, str]) -> str:
    return block.section[-1] if block.section else lab["top"]


class _Numbered(NamedTuple):
    number: int  # 0 for equal ops
    op: BlockOp
    total: int  # how many changes the diff has


#: The last diff numbered and its numbering: a build renders the four views of one diff in
#: a row, which number its ops alike.
_last_numbered: list[tuple[DocumentDiff, tuple[_Numbered, ...]]] = []


def _numbered(diff: DocumentDiff) -> tuple[_Numbered, ...]:
    if _last_numbered and _last_numbered[0][0] is diff:
        return _last_numbered[0][1]
    total = sum(1 for op in diff.ops if op.op != "equal")
    out = []
    n = 0
    for op in diff.ops:
        if op.op != "equal":
            n += 1
            out.append(_Numbered(n, op, total))
        else:
            out.append(_Numbered(0, op, total))
    numbered = tuple(out)
    _last_numbered[:] = [(diff, numbered)]
    return numbered


def _steps(number: int, total: int, lab: dict[str, str]) -> str:
    """Previous/next links for pointer users; keyboard users have n/p and the change list,
    screen-reader users the change list (the links sit in an aria-hidden decoration)."""
    prev = (f' <a class="step" href="#change-{number - 1}" tabindex="-1" '
            f'title="{lab["prev"]}">↑</a>' if number > 1 else "")
    nxt = (f' <a class="step" href="#change-{number + 1}" tabindex="-1" '
           f'title="{lab["next"]}">↓</a>' if number < total else "")
    return prev + nxt


def _tag_for(block: Block) -> tuple[str, str]:
    if block.kind == "heading":
        level = min(block.level + 1, 6)
        return f"h{level}", ""
    if block.kind == "code":
        return "pre", ""
    depth = f" depth-{block.level}" if block.kind == "item" else ""
    # An HTML block may hold block elements (<p>, <table>): it cannot sit inside a <p>.
    return "div" if block.kind in ("item", "row", "html") else "p", depth


def _wrap(block: Block, content: str, css: str, item: _Numbered | None, lab: dict[str, str],
          tag_text: str = "") -> str:
    """A block of the redline; ``item`` None for an unchanged one."""
    tag, extra = _tag_for(block)
    number = item.number if item else 0
    attrs = f' id="change-{number}" data-change tabindex="-1"' if number else ""
    label = (f'<span class="tag" aria-hidden="true">{escape(tag_text)}'
             f"{_steps(number, item.total, lab)}</span>" if tag_text and item else "")
    return (f'<{tag} class="diff-block kind-{block.kind}{extra} {css}"{attrs}>'
            f"{label}{content}</{tag}>\n")


@lru_cache(maxsize=1 << 15)
def _equal_inline(block: Block, language: str) -> str:
    """An unchanged block in the redline; the same in every diff that holds it (memoised:
    most blocks of most diffs of an archive are unchanged ones met before)."""
    return _wrap(block, _plain_block(block), "equal", None, _labels(language))


def _inline_op(item: _Numbered, lab: dict[str, str], language: str) -> str:
    op, n = item.op, item.number
    if op.op == "equal":
        assert op.b is not None
        return _equal_inline(op.b, language)
    if op.op == "changed":
        return _wrap(op.block, ops_html(op.text_ops, "both", lab), "changed", item, lab,
                     f"{lab['changed']} {n}")
    if op.op == "inserted":
        return _wrap(op.block, _mark("ins", op.block.text, lab), "inserted", item, lab,
                     f"{lab['inserted']} {n}")
    if op.op == "deleted":
        return _wrap(op.block, _mark("del", op.block.text, lab), "deleted", item, lab,
                     f"{lab['deleted']} {n}")
    assert op.a is not None and op.b is not None
    if op.direction == "out":
        note = lab["moved_to"].format(where=_where(op.b, lab))
        return _wrap(op.a, _mark("del", op.a.text, lab), "moved", item, lab,
                     f"{lab['moved']} {n} · {note}")
    note = lab["moved_from"].format(where=_where(op.a, lab))
    inner = ops_html(op.text_ops, "both", lab)
    return _wrap(op.b, f'<ins class="moved"><span class="sr-only" data-diff-label>'
                       f"{escape(note)}</span>{inner}</ins>", "moved", item, lab,
                 f"{lab['moved']} {n} · {note}")


def inline_html(diff: DocumentDiff, language: str) -> str:
    """The redline: the one element with ``data-diff="inline"``."""
    lab = _labels(language)
    body = "".join(_inline_op(item, lab, language) for item in _numbered(diff))
    return f'<div class="diff-inline" data-diff="inline" lang="{language}">\n{body}</div>\n'


# --- side by side ------------------------------------------------------------------------


def _sbs_cells(item: _Numbered, lab: dict[str, str]) -> tuple[str, str, str]:
    op = item.op
    if op.op == "equal":
        assert op.a is not None and op.b is not None
        return _plain_block(op.a), _plain_block(op.b), "equal"
    if op.op == "changed":
        return ops_html(op.text_ops, "a", lab), ops_html(op.text_ops, "b", lab), "changed"
    if op.op == "inserted":
        return "", _mark("ins", op.block.text, lab), "inserted"
    if op.op == "deleted":
        return _mark("del", op.block.text, lab), "", "deleted"
    assert op.a is not None and op.b is not None
    if op.direction == "out":
        return (_mark("del", op.a.text, lab),
                f'<span class="tag">{escape(lab["moved_to"].format(where=_where(op.b, lab)))}'
                "</span>", "moved")
    return (f'<span class="tag">{escape(lab["moved_from"].format(where=_where(op.a, lab)))}'
            "</span>", ops_html(op.text_ops, "b", lab), "moved")


@lru_cache(maxsize=1 << 15)
def _equal_sbs_row(a: Block, b: Block, language: str) -> str:
    """An unchanged row side by side (memoised like :func:`_equal_inline`)."""
    return _make_sbs_row(_Numbered(0, BlockOp("equal", 0, 0, a, b), 0), _labels(language))


def _sbs_row(item: _Numbered, lab: dict[str, str], language: str) -> str:
    op = item.op
    if op.op == "equal":
        assert op.a is not None and op.b is not None
        return _equal_sbs_row(op.a, op.b, language)
    return _make_sbs_row(item, lab)


def _make_sbs_row(item: _Numbered, lab: dict[str, str]) -> str:
    left, right, css = _sbs_cells(item, lab)
    block = item.op.block
    tag, extra = _tag_for(block)
    attrs = f' id="change-{item.number}" data-change tabindex="-1"' if item.number else ""
    label = (f'<span class="sr-only">{lab[css]} {item.number}</span>'
             f'<span class="tag row-steps" aria-hidden="true">'
             f"{_steps(item.number, item.total, lab)}</span>" if item.number else "")

    def cell(content: str, side: str) -> str:
        empty = " empty" if not content else ""
        heading = " heading" if tag.startswith("h") else ""
        return (f'<div class="sbs-cell {side}{empty}{heading} kind-{block.kind}{extra}">'
                f"{content}</div>")

    return (f'<div class="sbs-row {css}"{attrs}>{label}{cell(left, "old")}'
            f'{cell(right, "new")}</div>\n')


def side_by_side_html(diff: DocumentDiff, language: str, old_label: str,
                      new_label: str) -> str:
    lab = _labels(language)
    rows: list[str] = [
        f'<div class="sbs" lang="{language}">\n<div class="sbs-row sbs-head">'
        f'<div class="sbs-cell old">{escape(old_label)}</div>'
        f'<div class="sbs-cell new">{escape(new_label)}</div></div>\n'
    ]
    run: list[_Numbered] = []

    def flush() -> None:
        if len(run) >= COLLAPSE_AT:
            rows.append(_sbs_row(run[0], lab, language))
            rows.append(f'<details class="unchanged"><summary>'
                        f'{lab["unchanged"].format(n=len(run) - 2)}</summary>\n')
            rows.extend(_sbs_row(i, lab, language) for i in run[1:-1])
            rows.append("</details>\n")
            rows.append(_sbs_row(run[-1], lab, language))
        else:
            rows.extend(_sbs_row(i, lab, language) for i in run)
        run.clear()

    for item in _numbered(diff):
        if item.op.op == "equal":
            run.append(item)
        else:
            flush()
            rows.append(_sbs_row(item, lab, language))
    flush()
    rows.append("</div>\n")
    return "".join(rows)


# --- 新旧対照表 ------------------------------------------------------------------------


def _section_key(op: BlockOp) -> SectionRef:
    block = op.block
    if block.kind == "heading" and block.anchor:
        return SectionRef(block.anchor, block.text)
    return SectionRef(block.section_id, block.section[-1] if block.section else "")


def _amend_cells(item: _Numbered, lab: dict[str, str]) -> tuple[str, str]:
    """(new, old) cell contents with changed passages underlined."""
    op = item.op
    if op.op == "equal":
        return lab["omitted"], lab["omitted"]
    if op.op in ("changed",) or op.op == "moved" and op.direction == "in":
        new = ops_html(op.text_ops, "b", lab, "mark")
        old = ops_html(op.text_ops, "a", lab, "mark") if op.op == "changed" else \
            escape(lab["moved_from"].format(where=_where(op.a, lab))) if op.a else ""
        return new, old
    if op.op == "inserted":
        return _mark("ins", op.block.text, lab, "mark"), lab["new_article"]
    if op.op == "deleted":
        return lab["deleted_article"], _mark("del", op.block.text, lab, "mark")
    assert op.b is not None
    return (escape(lab["moved_to"].format(where=_where(op.b, lab))),
            _mark("del", op.block.text, lab, "mark"))


def amendment_table_html(diff: DocumentDiff, language: str, columns: str) -> str:
    """新旧対照表: per changed section, its heading and its changed blocks."""
    lab = _labels(language)
    items = _numbered(diff)
    keys = [_section_key(i.op) for i in items]
    changed_sections = {key for i, key in zip(items, keys) if i.number}
    groups: dict[SectionRef, list[_Numbered]] = {}
    for item, key in zip(items, keys):
        if key in changed_sections:
            groups.setdefault(key, []).append(item)
    new_first = columns != "old-new"
    heads = [lab["new"], lab["old"]] if new_first else [lab["old"], lab["new"]]
    out = [f'<p class="amend-note">{lab["note"]}</p>\n'
           f'<table class="amend" lang="{language}"><caption>{lab["caption"]}</caption>\n'
           f'<colgroup><col><col></colgroup>\n<thead><tr><th scope="col">{heads[0]}</th>'
           f'<th scope="col">{heads[1]}</th></tr></thead>\n<tbody>\n']
    for key, group in groups.items():
        heading = escape(key.title) if key.title else lab["top"]
        heading_changed = any(i.op.block.kind == "heading" and i.number for i in group)
        if not heading_changed:
            out.append(f'<tr class="article-heading"><td>{heading}</td><td>{heading}</td></tr>\n')
        omitted = False
        for item in group:
            own_heading = item.op.block.kind == "heading" and item.op.block.anchor == key.section_id
            if not item.number and own_heading:
                continue
            if not item.number:
                if not omitted:
                    new, old = _amend_cells(item, lab)
                    cells = (new, old) if new_first else (old, new)
                    out.append(f'<tr class="omitted"><td>{cells[0]}</td><td>{cells[1]}</td></tr>\n')
                omitted = True
                continue
            omitted = False
            new, old = _amend_cells(item, lab)
            cells = (new, old) if new_first else (old, new)
            css = " article-heading" if item.op.block.kind == "heading" else ""
            out.append(f'<tr class="amend-row{css}" id="change-{item.number}" data-change '
                       f'tabindex="-1"><td>{cells[0]}</td><td>{cells[1]}</td></tr>\n')
    out.append("</tbody></table>\n")
    return "".join(out)


# --- summary ------------------------------------------------------------------------------


def summary_html(diff: DocumentDiff, language: str) -> str:
    lab = _labels(language)
    s = diff.summary
    if diff.identical:
        return f'<p>{lab["identical"]}</p>\n'
    first: dict[SectionRef, int] = {}
    changes: list[tuple[int, BlockOp]] = []
    for item in _numbered(diff):
        if item.number:
            first.setdefault(_section_key(item.op), item.number)
            changes.append((item.number, item.op))
    out = [f'<p>{lab["summary"].format(changed=s.changed, inserted=s.inserted, deleted=s.deleted, moved=s.moved)}'
           f'<br>{lab["chars"].format(ins=s.chars_inserted, dele=s.chars_deleted)}</p>\n']
    out.append(f'<h3>{lab["sections"]}</h3>\n<ul class="changed-sections">\n')
    for ref in s.sections:
        n = first.get(ref)
        title = escape(ref.title) if ref.title else lab["top"]
        out.append(f'<li><a href="#change-{n}">{title}</a></li>\n' if n else f"<li>{title}</li>\n")
    out.append("</ul>\n")
    items = "".join(
        f'<li><a href="#change-{n}">{lab["change_n"].format(n=n)}</a>: {lab[op.op]}'
        f' — {escape(_where(op.block, lab))}</li>\n' for n, op in changes)
    out.append(f'<details class="change-list"><summary>{lab["changes"].format(n=len(changes))}'
               f"</summary>\n<ol>\n{items}</ol>\n</details>\n")
    out.append(f'<p class="no-print">{lab["keys"]}</p>\n')
    return "".join(out)


# --- terminal -----------------------------------------------------------------------------

_RED, _GREEN, _CYAN, _BOLD, _RESET = "\x1b[31m", "\x1b[32m", "\x1b[36m", "\x1b[1m", "\x1b[0m"


def terminal_text(diff: DocumentDiff, color: bool) -> str:
    """A word-diff: ``[-deleted-]{+inserted+}`` (coloured, without markers, on a terminal)."""

    def d(text: str) -> str:
        return f"{_RED}{text}{_RESET}" if color else f"[-{text}-]"

    def i(text: str) -> str:
        return f"{_GREEN}{text}{_RESET}" if color else f"{{+{text}+}}"

    def seq(ops: Sequence[TextOp]) -> str:
        return "".join(t.text if t.op == "equal" else d(t.text) if t.op == "delete"
                       else i(t.text) for t in ops)

    lines = []
    s = diff.summary
    lines.append(f"{s.changed} changed, {s.inserted} inserted, {s.deleted} deleted, "
                 f"{s.moved} moved; +{s.chars_inserted} -{s.chars_deleted} characters")
    for item in _numbered(diff):
        op = item.op
        if not item.number:
            continue
        where = " › ".join(op.block.section) or "(top)"
        head = f"@@ {item.number} {op.op}{' ' + op.direction if op.direction else ''}: {where} @@"
        lines.append(f"{_CYAN}{head}{_RESET}" if color else head)
        if op.op == "changed" or op.direction == "in":
            lines.append(seq(op.text_ops))
        elif op.op == "inserted":
            lines.append(i(op.block.text))
        else:
            lines.append(d(op.block.text))
    return "\n".join(lines) + "\n"
