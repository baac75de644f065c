"""Stylesheets' ``url()`` references rewritten to the hashed names where they stand (the
rest of the sheet keeps its bytes); other hosts, data: URLs and missing files left alone."""

from __future__ import annotations

from pathlib import Path

import pytest
from projects import write

from policy_archive.output.assets import static_assets


@pytest.mark.parametrize(("css", "expected"), [
    ("a { background: url(bg.png); }", 'a { background: url("bg.{h}.png"); }'),
    ("a { background: url( 'bg.png' ) }", 'a { background: url("bg.{h}.png") }'),
    ('a { background: URL("./bg.png") no-repeat; }', 'a { background: url("bg.{h}.png") no-repeat; }'),
    ("/* url(bg.png) */ a { b: url(bg.png) }", '/* url(bg.png) */ a { b: url("bg.{h}.png") }'),
    ("@media print { a { b: url(bg.png?v=1#x) } }", '@media print { a { b: url("bg.{h}.png") } }'),
    ("a { b: url(data:image/png;base64,AAAA) }", "a { b: url(data:image/png;base64,AAAA) }"),
    ("a { b: url(https://cdn.example/x.png) }", "a { b: url(https://cdn.example/x.png) }"),
    ("a { b: url(missing.png) }", "a { b: url(missing.png) }"),
    ("a { b: url(../../content/site.yaml) }", "a { b: url(../../content/site.yaml) }"),
    ("a::before { content: \"url(bg.png)\"; }", "a::before { content: \"url(bg.png)\"; }"),
    ("a { font-family: \"日本語\"; b: url(bg.png) }", 'a { font-family: "日本語"; b: url("bg.{h}.png") }'),
])
def test_url_references_point_at_the_hashed_names(tmp_path: Path, css: str,
                                                   expected: str) -> None:
    root = tmp_path / "p"
    write(root / "templates" / "static" / "site.css", css)
    (root / "templates" / "static" / "bg.png").write_bytes(b"PNG")
    assets = static_assets(root)
    digest = assets["bg.png"][0].split(".")[-2]
    assert assets["site.css"][1].decode("utf-8") == expected.replace("{h}", digest)
    assert assets["site.css"][0].startswith("static/site.")
    assert "content/site.yaml" not in {k for k in assets}
