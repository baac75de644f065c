"""Per document ``latest.json`` (what an app needs: the current version, its dates, the
upcoming one, the diff from any earlier version) and ``embed.js`` (self-contained, small)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from policy_archive.site.machine_readable import embed_js


def test_latest_json_says_what_is_in_force(sample_site: Path) -> None:
    data = json.loads((sample_site / "privacy" / "latest.json").read_text("utf-8"))
    versions = json.loads((sample_site / "versions.json").read_text("utf-8"))["documents"][0]
    current = next(v for v in versions["versions"] if v["status"] == "current")
    assert data["current"] == {"effective": current["effective"],
                               "announced": current["announced"], "url": current["url"],
                               "text_url": current["text_url"], "sha256": current["sha256"]}
    assert data["upcoming"] is None and data["document"] == "privacy"
    earlier = [v["effective"] for v in versions["versions"] if v["status"] == "past"]
    assert sorted(data["diff_to_current"]) == earlier
    diffs = {(d["from"], d["to"]): d["url"] for d in versions["diffs"]}
    assert all(diffs[(k, current["effective"])] == url
               for k, url in data["diff_to_current"].items())


def test_embed_js_is_self_contained_and_small(sample_site: Path) -> None:
    script = (sample_site / "privacy" / "embed.js").read_bytes()
    size = len(gzip.compress(script, 9))
    print(f"\nembed.js: {len(script)} bytes, {size} gzipped")
    assert size < 5 * 1024
    for word in (b"fetch(", b"XMLHttpRequest", b"innerHTML", b"import(", b"eval("):
        assert word not in script


def test_embed_js_of_many_versions_stays_small() -> None:
    keys = [f"{2000 + i // 12}-{i % 12 + 1:02d}-01" for i in range(60)]
    data = {"current": {"effective": keys[-1]}, "versions": keys, "language": "en",
            "diff_to_current": {k: f"https://example.com/legal/privacy/diff/{k}/{keys[-1]}/"
                                for k in keys[:-1]}}
    assert len(gzip.compress(embed_js(data).encode(), 9)) < 5 * 1024
