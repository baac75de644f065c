"""The 新旧対照表 in Chromium as legal staff use it: copied into Word or a mail, and printed
(issue 17)."""

from __future__ import annotations

import io
import re
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from projects import make_project

pypdf = pytest.importorskip("pypdf")

ARTICLES = 40  # enough changed articles for the printed table to run over several pages


def _text(version: int) -> str:
    parts = ["# 利用規約\n"]
    for n in range(1, ARTICLES + 1):
        extra = "及び関係法令" if version == 2 and n % 2 else ""
        parts.append(f"## 第{n}条（第{n}の事項）\n\n当社は、第{n}の事項について、この規約{extra}"
                     "に従い、誠実に対応するものとし、その詳細は別に定める細則によるものとする。"
                     "細則は当社のウェブサイトに掲示する。\n")
    return "\n".join(parts)


@pytest.fixture(scope="module")
def table_url(tmp_path_factory: pytest.TempPathFactory, site_server: Any,
              build_site: Any) -> Any:
    root = make_project(tmp_path_factory.mktemp("terms") / "proj",
                        {"terms": {"2022-04-01": _text(1), "2023-04-14": _text(2)}},
                        titles={"terms": "利用規約"})
    out = root.parent / "site"
    build_site(root, out)
    with site_server(out, "/legal/") as server:
        yield server.url("terms/diff/2022-04-01/2023-04-14/table/")


COPY = """() => {
  const table = document.querySelector("table.amend");
  const range = document.createRange();
  range.selectNode(table);
  const selection = document.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
  const data = new DataTransfer();
  const event = new ClipboardEvent("copy", {clipboardData: data, bubbles: true,
                                            cancelable: true});
  table.dispatchEvent(event);
  return {plain: data.getData("text/plain"), html: data.getData("text/html"),
          handled: event.defaultPrevented};
}"""


def test_copying_the_table_gives_its_text_with_underlines_and_no_labels(
        new_page: Any, table_url: str, japanese_font: None) -> None:
    page, log = new_page()
    page.goto(table_url)
    copied = page.evaluate(COPY)
    assert copied["handled"]
    plain = copied["plain"]
    for label in ("追加：", "（追加ここまで）", "削除：", "変更 1", "↓"):
        assert label not in plain and label not in copied["html"], label
    lines = plain.splitlines()
    assert lines[0] == "改正後（2023年4月14日施行）\t改正前（2022年4月1日施行）"
    assert "第1条（第1の事項）\t第1条（第1の事項）" in lines
    changed = next(ln for ln in lines if "及び関係法令" in ln)
    new, old = changed.split("\t")
    assert new.replace("及び関係法令", "") == old
    assert "<u>及び関係法令</u>" in copied["html"]
    assert not log.problems()


def test_the_printed_table_comes_first_and_repeats_its_column_headings(
        new_page: Any, table_url: str, japanese_font: None, artifacts: Path) -> None:
    page, _ = new_page()
    page.goto(table_url)
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    (artifacts / "amendment-table-long.pdf").write_bytes(pdf)
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 2
    # NFKC: the PDF's font maps some kanji to their compatibility forms (⽤ for 用).
    def nf(text: str) -> str:
        return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))

    texts = [nf(p.extract_text()) for p in reader.pages]
    box = reader.pages[0].mediabox
    assert float(box.width) > float(box.height)  # A4 landscape
    assert "概要" not in texts[0]  # the web summary is not printed before the table
    for n, text in enumerate(texts, 1):
        assert nf("改正後（2023年4月14日施行）") in text, f"page {n} has no column headings"
    assert "変更箇所の一覧" not in "".join(texts)
    # No page starts with a row whose article heading stayed on the page before.
    for text in texts[1:]:
        body = text.split(nf("改正前（2022年4月1日施行）"), 1)[1]
        assert not body.startswith("当社は"), "a heading row was separated from its text"
