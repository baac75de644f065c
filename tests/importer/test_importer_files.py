"""``build.py import docx`` and ``import html``: a Word file made here with python-docx and
saved pages, imported as a user would, then the project read back and built."""

from __future__ import annotations

import io
import re
import struct
import zlib
from pathlib import Path
from typing import Any

import pytest
from contract import policy_text
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from import_helpers import AS_OF, body, build_and_check, every_word_kept, files, project
from projects import run_build, write
from support.building import run_in_process


def _png() -> bytes:
    """A 1×1 PNG, written out by hand (no image library needed)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))


def _numbered(doc: Any, text: str, level: int) -> None:
    p = doc.add_paragraph(text)
    p._p.get_or_add_pPr().append(parse_xml(
        f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>'))


def _numbering(doc: Any) -> None:
    """A numbering of three levels (項, 号, 細目), as Word writes one."""
    levels = "".join(f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
                     f'<w:lvlText w:val="%{i + 1}"/></w:lvl>'
                     for i, fmt in enumerate(("decimal", "decimalFullWidth", "iroha")))
    numbering = doc.part.numbering_part.element
    numbering.insert(0, parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">'
                                  f'{levels}</w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId '
                               'w:val="90"/></w:num>'))


def _footnote(doc: Any, paragraph: Any, text: str) -> None:
    """python-docx cannot add footnotes: the footnotes part is built here from its XML."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    xml = (f'<w:footnotes {nsdecls("w")}>'
           '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p>'
           '</w:footnote><w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r>'
           '<w:continuationSeparator/></w:r></w:p></w:footnote>'
           f'<w:footnote w:id="1"><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:footnote>'
           '</w:footnotes>')
    part = Part(PackURI("/word/footnotes.xml"), "application/vnd.openxmlformats-"
                "officedocument.wordprocessingml.footnotes+xml", xml.encode(), doc.part.package)
    doc.part.relate_to(part, RT.FOOTNOTES)
    paragraph.add_run()._r.append(parse_xml(
        f'<w:footnoteReference {nsdecls("w")} w:id="1"/>'))


FOOTNOTE = "個人情報保護法第二条第一項に定める個人情報をいう。"
TABLE = [("区分", "保存期間"), ("顧客情報", "五年間"), ("採用応募者情報", "一年間")]


def make_docx(path: Path) -> Path:
    import docx

    doc = docx.Document()
    doc.core_properties.title = "個人情報取扱規程（令和3年4月1日施行）"
    _numbering(doc)
    doc.add_heading("個人情報取扱規程", 1)
    doc.add_heading("第1条（目的）", 2)
    p = doc.add_paragraph("この規程は、当社が取り扱う")
    p.add_run("個人情報").bold = True
    p.add_run("の管理について定める。")
    _footnote(doc, p, FOOTNOTE)
    doc.add_heading("第2条（安全管理措置）", 2)
    _numbered(doc, "当社は、次の措置を講ずる。", 0)
    _numbered(doc, "組織的安全管理措置", 1)
    _numbered(doc, "責任者の設置", 2)
    _numbered(doc, "技術的安全管理措置", 1)
    _numbered(doc, "従業者は、前項の措置に従う。", 0)
    doc.add_heading("第3条（保存期間）", 2)
    table = doc.add_table(rows=len(TABLE), cols=2)
    for r, row in enumerate(TABLE):
        for c, cell in enumerate(row):
            table.cell(r, c).text = cell
    doc.add_picture(io.BytesIO(_png()))
    doc.save(str(path))
    return path


def docx_words(path: Path) -> list[str]:
    """The words of the Word file, read with python-docx (not with the importer)."""
    import docx

    doc = docx.Document(str(path))
    texts = [p.text for p in doc.paragraphs] + [c.text for row in doc.tables[0].rows
                                                for c in row.cells] + [FOOTNOTE]
    return re.findall(r"[A-Za-z0-9]{3,}|[\u3040-\u30ff\u3400-\u9fff]+", "\n".join(texts))


def test_docx_keeps_headings_lists_table_footnote_and_names_the_image(tmp_path: Path) -> None:
    source = make_docx(tmp_path / "kitei.docx")
    root = project(tmp_path / "p", language="ja")
    done = run_build("import", "docx", str(source), "--slug", "privacy", "--root", str(root))
    assert done.code == 0, done.err
    version = root / "versions" / "privacy" / "2021-04-01.md"  # dated by the file's title
    text = body(version)
    assert "# 個人情報取扱規程" in text and "## 第1条（目的）" in text
    assert "**個人情報**" in text
    assert re.search(r"^1\. 当社は、次の措置を講ずる。\n +1\. 組織的安全管理措置\n +1\. 責任者の設置",
                     text, re.M), text
    assert "| 区分 | 保存期間 |\n| --- | --- |\n| 顧客情報 | 五年間 |" in text
    assert "定める。[^1]" in text and f"[^1]: {FOOTNOTE}" in text
    assert "data:image" not in text
    assert "image 1 (image/png) not imported" in done.out
    assert "every word of the source is in the page" in done.out
    check = run_in_process("check", "--root", str(root), "--strict", "--as-of", AS_OF)
    assert check.code == 0, check.err
    warnings, out = build_and_check(root)
    assert warnings == ""
    page = out / "privacy" / "2021-04-01" / "index.html"
    shown = policy_text(page)
    assert [w for w in docx_words(source) if w not in shown] == []
    assert "<table" in page.read_text("utf-8")


PAGE = """<!doctype html><html><head><title>Privacy Policy (2022-06-01)</title>
<script>var tracking = "scriptwords";</script></head><body>
<header><nav><a href="/">Home</a> <a href="/products">Products navigation</a></nav></header>
<main><h1>Privacy Policy</h1><p>Effective date: June 1, 2022</p>
<h2>What we collect</h2><p>We collect your <strong>email address</strong> and
<a href="https://example.org/help">nothing else</a>.</p>
<ul><li>Account information</li><li>Payment records</li></ul>
<table><tr><th>Data</th><th>Kept for</th></tr><tr><td>Invoices</td><td>seven years</td></tr>
</table></main>
<footer>Copyright footerword Example Inc. <a href="/jobs">Careers</a></footer></body></html>
"""


@pytest.mark.parametrize("select", [None, "main"])
def test_html_imports_only_the_policy(tmp_path: Path, select: str | None) -> None:
    page = write(tmp_path / "saved.html", PAGE)
    root = project(tmp_path / "p")
    args = ["--select", select] if select else []
    done = run_in_process("import", "html", page.as_uri(), "--slug", "privacy", "--root",
                          str(root), *args)
    assert done.code == 0, done.err
    text = body(root / "versions" / "privacy" / "2022-06-01.md")
    for kept in ("# Privacy Policy", "## What we collect", "**email address**",
                 "[nothing else](https://example.org/help)", "- Account information",
                 "| Invoices | seven years |"):
        assert kept in text
    for gone in ("navigation", "footerword", "Careers", "scriptwords", "Home"):
        assert gone not in text
    assert "the policy is the element 'main'" in done.out
    assert "dated by the date line 'Effective date: June 1, 2022'" in done.out
    warnings, out = build_and_check(root)
    assert warnings == ""
    every_word_kept(root, out)


@pytest.mark.parametrize(("args", "message"), [
    (["git", "/nonexistent", "--path", "x.md"], "not a git repository"),
    (["docx", "a.docx", "b.docx", "--effective", "2020-01-01"], "--effective dates one file"),
    (["html", "https://example.org/", "--effective", "2020-01-01"], "only saved pages"),
    (["html", "x.html", "--effective", "2020-13-01"], "not a date"),
])
def test_usage_errors_exit_2_and_write_nothing(tmp_path: Path, args: list[str],
                                               message: str) -> None:
    root = project(tmp_path / "p")
    before = files(root)
    done = run_in_process("import", *args, "--slug", "privacy", "--root", str(root))
    assert done.code == 2 and message in done.err
    assert files(root) == before


def test_an_undeclared_slug_is_a_usage_error(tmp_path: Path) -> None:
    page = write(tmp_path / "saved.html", PAGE)
    root = project(tmp_path / "p")
    done = run_in_process("import", "html", str(page), "--slug", "terms", "--root", str(root))
    assert done.code == 2 and "no document 'terms'" in done.err
    assert not (root / "versions").exists()


def _with_revisions(source: Path, target: Path) -> Path:
    """The Word file with a tracked insertion, a tracked deletion and a comment added."""
    import zipfile

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    with zipfile.ZipFile(source) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    doc = parts["word/document.xml"].decode()
    doc = doc.replace("<w:body>", '<w:body><w:p><w:ins w:id="1" w:author="A"><w:r><w:t>'
                      "追加された文言</w:t></w:r></w:ins><w:del w:id=\"2\" w:author=\"A\"><w:r>"
                      "<w:delText>削られた文言</w:delText></w:r></w:del></w:p>", 1)
    parts["word/document.xml"] = doc.encode()
    parts["word/comments.xml"] = (f'<w:comments {w}><w:comment w:id="0" w:author="A"><w:p>'
                                  "<w:r><w:t>要確認</w:t></w:r></w:p></w:comment>"
                                  "</w:comments>").encode()
    with zipfile.ZipFile(target, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return target


def test_docx_names_tracked_changes_and_comments(tmp_path: Path) -> None:
    source = _with_revisions(make_docx(tmp_path / "a.docx"), tmp_path / "旧規約.docx")
    root = project(tmp_path / "p", language="ja")
    done = run_build("import", "docx", str(source), "--slug", "privacy", "--root", str(root),
                     "--effective", "2020-04-01", "--dry-run")
    assert done.code == 0, done.err
    for named in ("not converted: 1 comments (left out)",
                  "not converted: 1 tracked deletions (left out, as accepted)",
                  "not converted: 1 tracked insertions (taken as accepted)",
                  "dated by --effective", "every word of the source is in the page"):
        assert named in done.out
    assert not (root / "versions").exists()


@pytest.mark.parametrize(("page", "select", "message"), [
    ("<html><body><div>Policy</div></body></html>", None, "no element matches main"),
    ("<html><body><main>A</main><main>B</main></body></html>", None, "2 elements match"),
    ("<html><body><div id=x>Policy text</div></body></html>", "#y", "no element matches #y"),
    ("<html><body><main>Policy text without a date</main></body></html>", None,
     "no date in the policy"),
])
def test_html_that_cannot_be_read_is_an_error_at_its_path(tmp_path: Path, page: str,
                                                           select: str | None,
                                                           message: str) -> None:
    saved = write(tmp_path / "saved.html", page)
    root = project(tmp_path / "p")
    done = run_in_process("import", "html", str(saved), "--slug", "privacy", "--root", str(root),
                          *(["--select", select] if select else []))
    assert done.code == 1 and f"{saved}:1: {message}" in done.err, done.err
    assert "Traceback" not in done.err and not (root / "versions").exists()


def test_importing_one_document_of_several_leaves_the_others_alone(tmp_path: Path) -> None:
    page = write(tmp_path / "saved.html", PAGE)
    root = project(tmp_path / "p")
    write(root / "content" / "site.yaml",
          "title: T\nbase_url: https://example.org/\nlanguage: en\ndocuments:\n"
          "  - slug: privacy\n    title: P\n"
          "  - slug: terms\n    title: Terms\n")  # terms has no versions yet: not our business
    done = run_in_process("import", "html", str(page), "--slug", "privacy", "--root", str(root))
    assert done.code == 0, done.err
    assert (root / "versions" / "privacy" / "2022-06-01.md").is_file()


LINKED = """<html><head><title>Privacy 2022-06-01</title>{head}</head><body><main>
<h1>Privacy</h1><p>See <a href="/help/contact">our contact page</a>, <a href="#top">the top</a>
and <a href="mailto:privacy@example.org">privacy mail</a>.</p></main></body></html>"""


@pytest.mark.parametrize(("head", "args", "href", "said"), [
    ('<link rel="canonical" href="https://example.com/legal/privacy">', [],
     "https://example.com/help/contact", "1 relative links made absolute against "
                                         "https://example.com/legal/privacy"),
    ('<base href="https://old.example.com/p/">', [], "https://old.example.com/help/contact",
     "made absolute against https://old.example.com/p/"),
    ("", ["--base-url", "https://given.example/x/"], "https://given.example/help/contact",
     "made absolute against https://given.example/x/"),
    ("", [], "/help/contact", "1 relative links kept as they are"),
])
def test_html_relative_links_made_absolute_against_the_pages_address(
        tmp_path: Path, head: str, args: list[str], href: str, said: str) -> None:
    page = write(tmp_path / "saved.html", LINKED.format(head=head))
    root = project(tmp_path / "p")
    done = run_in_process("import", "html", str(page), "--slug", "privacy", "--root", str(root),
                          *args)
    assert done.code == 0, done.err
    text = body(root / "versions" / "privacy" / "2022-06-01.md")
    assert f"[our contact page]({href})" in text and said in done.out
    assert "(mailto:privacy@example.org)" in text
