"""A diff for terminals: a word-diff, coloured when asked."""

from __future__ import annotations

from collections.abc import Sequence

from ..diff.classes import op_class
from ..diff.ops import TextOp
from ..diff.result import DocumentDiff
from .numbering import numbered

_RED, _GREEN, _CYAN, _RESET = "\x1b[31m", "\x1b[32m", "\x1b[36m", "\x1b[0m"


def terminal_text(diff: DocumentDiff, color: bool) -> str:
    """A word-diff: ``[-deleted-]{+inserted+}`` (coloured, without markers, on a terminal);
    a changed link is followed by its old and new targets."""

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
                 f"{s.moved} moved; +{s.chars_inserted} -{s.chars_deleted} characters; "
                 f"{s.links} links changed; change: {s.change}")
    for item in numbered(diff):
        op = item.op
        if not item.number:
            continue
        where = " › ".join(op.block.section) or "(top)"
        kind = op_class(op)
        head = (f"@@ {item.number} {op.op}{' ' + op.direction if op.direction else ''}"
                f"{'' if kind == 'text' else ' (' + kind + ')'}: {where} @@")
        lines.append(f"{_CYAN}{head}{_RESET}" if color else head)
        if op.op == "changed" or op.direction == "in":
            lines.append(seq(op.text_ops))
            assert op.a is not None and op.b is not None
            old = {t for _, _, t in op.a.links} - {t for _, _, t in op.b.links}
            new = {t for _, _, t in op.b.links} - {t for _, _, t in op.a.links}
            lines.extend(f"  link {d(t)}" for t in sorted(old))
            lines.extend(f"  link {i(t)}" for t in sorted(new))
        elif op.op == "inserted":
            lines.append(i(op.block.text))
        else:
            lines.append(d(op.block.text))
    return "\n".join(lines) + "\n"
