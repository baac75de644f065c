"""Embargo: a version whose ``announced`` is after the build date is published nowhere — no
page, no ``versions.json`` entry, feed, search index, sitemap entry or download, not even the
end of the period of the version before it — until that day; the build on that day (the
same output folder, the stamp knows the day) publishes it; ``build --drafts`` previews it,
marked as embargoed. A document none of whose versions is announced yet is not shown."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from projects import version_text, write
from support.building import build_project, run_in_process

BEFORE, ANNOUNCED = "2022-01-15", "2022-02-01"
SECRET_TEXT, SECRET_SUMMARY, SECRET_TITLE = "封印された第三の本文", "秘密の改定のお知らせ", "封印規約"
#: What the embargoed versions would show of themselves, in every form a page writes a date.
FORBIDDEN = [SECRET_TEXT, SECRET_SUMMARY, SECRET_TITLE, "第二の規約",
             "2022-03-01", "2022/3/1", "2022年3月1日", "2022-02-28", "2022/2/28",
             "2022-02-01", "2022/2/1", "2022年2月1日", "2022-03-01.en", "Sealed"]
SITE_YAML = f"""\
title: 例示株式会社のポリシー
base_url: https://example.org/legal/
language: ja
languages: [ja, en]
organization: 例示株式会社
downloads: [docx]
documents:
  - slug: privacy
    title: プライバシーポリシー
  - slug: terms
    title: {SECRET_TITLE}
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("embargo") / "p"
    write(root / "content" / "site.yaml", SITE_YAML)
    v = root / "versions" / "privacy"
    write(v / "2020-01-01.md", version_text("2020-01-01", "# プライバシー\n\n最初の本文。\n"))
    write(v / "2021-06-01.md", version_text("2021-06-01", "# プライバシー\n\n二番目の本文。\n",
                                            summary="二番目の版です。"))
    write(v / "2022-03-01.md", version_text("2022-03-01", f"# プライバシー\n\n{SECRET_TEXT}。\n",
                                            announced=ANNOUNCED, summary=SECRET_SUMMARY))
    for date in ("2020-01-01", "2021-06-01"):
        write(v / f"{date}.en.md", f"---\ntitle: Privacy\n---\n# Privacy\n\nText of {date}.\n")
    write(v / "2022-03-01.en.md", "---\ntitle: Privacy\n---\n# Privacy\n\nSealed text.\n")
    write(root / "versions" / "terms" / "2022-03-01.md",
          version_text("2022-03-01", "# 規約\n\n第二の規約の本文。\n", announced=ANNOUNCED))
    return root


def every_text(site: Path) -> dict[str, str]:
    """Every file of the site as text, the parts of a Word file included."""
    out = {}
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        rel = path.relative_to(site).as_posix()
        if path.suffix == ".docx":
            with zipfile.ZipFile(path) as z:
                out[rel] = "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
        else:
            out[rel] = path.read_bytes().decode("utf-8", "replace")
    return out


@pytest.fixture(scope="module")
def sites(project: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("embargo-sites")
    out = {"before": base / "before", "preview": base / "preview"}
    build_project(project, out["before"], BEFORE)
    build_project(project, out["preview"], BEFORE, "--drafts")
    return out


def test_before_its_announced_day_it_is_nowhere(sites: Path | dict[str, Path]) -> None:
    assert isinstance(sites, dict)
    texts = every_text(sites["before"])
    found = [(rel, word) for rel, text in texts.items() for word in FORBIDDEN
             if word in text or word in rel]
    assert found == []
    assert "privacy/2021-06-01/index.html" in texts  # the site itself is there
    data = json.loads(texts["versions.json"])
    assert [d["slug"] for d in data["documents"]] == ["privacy"]
    assert [v["effective"] for v in data["documents"][0]["versions"]] == ["2020-01-01",
                                                                           "2021-06-01"]


def test_check_strict_passes_and_the_announced_day_publishes_it(
        project: Path, sites: dict[str, Path], tmp_path: Path) -> None:
    checked = run_in_process("check", "--strict", "--root", str(project), "--as-of", BEFORE)
    assert checked.code == 0, checked.out + checked.err
    site = sites["before"]
    build_project(project, site, ANNOUNCED)  # the same folder: the stamp must not skip it
    texts = every_text(site)
    assert SECRET_TEXT in texts["privacy/2022-03-01/index.html"]
    assert SECRET_TEXT in texts["en/privacy/2022-03-01/index.html"] or \
        "Sealed text." in texts["en/privacy/2022-03-01/index.html"]
    assert SECRET_SUMMARY in texts["feed.xml"] and "2022-03-01" in texts["sitemap.xml"]
    assert SECRET_TEXT in texts["search/privacy.json"]
    assert "terms/2022-03-01/index.html" in texts
    assert any(rel.endswith(".docx") and "2022-03-01" in rel for rel in texts)
    data = json.loads(texts["versions.json"])
    assert [d["slug"] for d in data["documents"]] == ["privacy", "terms"]


def test_a_preview_shows_it_marked_as_embargoed(sites: dict[str, Path]) -> None:
    page = (sites["preview"] / "privacy" / "2022-03-01" / "index.html").read_text("utf-8")
    assert SECRET_TEXT in page and "公表前（2022年2月1日まで非公開）" in page
    assert (sites["preview"] / "terms" / "2022-03-01" / "index.html").is_file()


def test_check_reads_an_embargoed_version_as_its_announced_day_will(tmp_path: Path) -> None:
    """What would fail the scheduled build on the announced day fails ``check`` today."""
    root = tmp_path / "p"
    write(root / "content" / "site.yaml", SITE_YAML.replace("downloads: [docx]\n", "")
          .replace("languages: [ja, en]\n", ""))
    v = root / "versions" / "privacy"
    write(v / "2020-01-01.md", version_text("2020-01-01", "# プライバシー\n\n最初の本文。\n"))
    write(v / "2022-03-01.md", f"---\neffective: 2022-03-01\nannounced: {ANNOUNCED}\n"
          "summary: 次の版。\nreasons:\n  存在しない節: 理由\n---\n# プライバシー\n\n次の本文。\n")
    write(root / "versions" / "terms" / "2020-01-01.md",
          version_text("2020-01-01", "# 規約\n\n本文。\n"))
    r = run_in_process("check", "--root", str(root), "--as-of", BEFORE)
    assert r.code == 1 and "versions/privacy/2022-03-01.md:" in r.err, r.out + r.err


def test_publish_before_the_announced_day_commits_a_site_without_it(tmp_path: Path) -> None:
    """``publish --as-of`` checks the site against the project as of that day (not the day
    it runs): the embargoed version is rightly missing, and is not committed."""
    import os
    import subprocess

    root = tmp_path / "p"
    write(root / "content" / "site.yaml", SITE_YAML.replace("downloads: [docx]\n", "")
          .replace("languages: [ja, en]\n", ""))
    v = root / "versions" / "privacy"
    write(v / "2020-01-01.md", version_text("2020-01-01", "# プライバシー\n\n最初の本文。\n"))
    write(v / "2022-03-01.md", version_text("2022-03-01", f"# プライバシー\n\n{SECRET_TEXT}。\n",
                                            announced=ANNOUNCED, summary=SECRET_SUMMARY))
    write(root / "versions" / "terms" / "2020-01-01.md",
          version_text("2020-01-01", "# 規約\n\n本文。\n"))
    env = {**os.environ, "GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "T", "GIT_COMMITTER_EMAIL": "t@example.org"}
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-qm", "content"]):
        subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)
    build_project(root, root / "site", BEFORE)
    r = run_in_process("publish", "--root", str(root), "--as-of", BEFORE)
    assert r.code == 0, r.err
    tree = subprocess.run(["git", "grep", "-l", SECRET_TEXT, "gh-pages"], cwd=root,
                          capture_output=True, text=True)
    assert tree.stdout == ""
