"""``amended_by`` (issue 36): the instrument that made a version, one line, checked at its
line; the build refuses anything else with ``path:line: message``."""

from __future__ import annotations

from pathlib import Path

import pytest
from projects import make_project, version_text, write
from support.building import run_in_process

BODY = "# 規程\n\n## 第一条（目的）\n\nこの規程は、目的を定める。\n"


@pytest.mark.parametrize("value,ok", [
    ("平成30年法律第33号", True),
    ("令和六年三月一日取締役会決議", True),
    ("平成30年法律第33号\n令和元年法律第1号", False),
    ("x" * 201, False),
])
def test_amended_by_is_one_line_checked_at_its_line(tmp_path: Path, value: str,
                                                     ok: bool) -> None:
    root = make_project(tmp_path / "p", {"rules": {"2020-04-01": BODY}})
    write(root / "versions" / "rules" / "2021-04-01.md",
          version_text("2021-04-01", BODY.replace("目的を定める", "目的及び範囲を定める"),
                       summary="範囲を加えた。", amended_by=value))
    done = run_in_process("check", "--root", str(root))
    if ok:
        assert done.code == 0, done.err
        return
    assert done.code == 1
    assert "versions/rules/2021-04-01.md:4: 'amended_by' must be one line" in done.err, done.err
    assert "Traceback" not in done.err
