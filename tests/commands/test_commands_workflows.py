"""Every CI file ``init`` can write (each ``--deploy``, each language, GitLab, Dependabot) and
the tool's own release workflow, validated as GitHub and GitLab would read them:
``check-jsonschema`` against its built-in copies of the GitHub workflow, Dependabot and
GitLab CI schemas, and ``zizmor`` (offline) with no finding above low. The tools are slow to
start, so each runs once on every variant."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path

import pytest
from support.tools import dev_tool as tool

from policy_archive.commands.init import Options, init

REPO = Path(__file__).resolve().parent.parent.parent
RELEASE = REPO / ".github" / "workflows" / "release.yml"
VARIANTS = {
    "pages-ja": Options(language="ja", package="policy-archive==0.1.0", deploy="pages"),
    "branch-en": Options(language="en", package="policy-archive==0.1.0", deploy="branch"),
    "pages-en-berlin": Options(language="en", time_zone="Europe/Berlin", branch="trunk",
                               package="policy-archive @ git+https://example.com/o/p@v1"),
    "branch-ja": Options(language="ja", package="policy-archive==0.1.0", deploy="branch"),
}


@pytest.fixture(scope="module")
def repos(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("init-variants")
    out = {}
    for name, options in VARIANTS.items():
        init(base / name, dt.date(2026, 1, 5), options)
        out[name] = base / name
    return out


def _check(schema: str, files: list[Path]) -> None:
    assert files
    done = subprocess.run([tool("check-jsonschema"), "--builtin-schema", schema,
                           *map(str, files)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize(("schema", "rel"), [
    ("vendor.github-workflows", ".github/workflows/publish.yml"),
    ("vendor.dependabot", ".github/dependabot.yml"),
    ("vendor.gitlab-ci", ".gitlab-ci.yml"),
])
def test_every_variant_passes_its_schema(repos: dict[str, Path], schema: str,
                                         rel: str) -> None:
    extra = [RELEASE] if rel.endswith("publish.yml") else []
    _check(schema, [root / rel for root in repos.values()] + extra)


def test_a_workflow_that_breaks_the_schema_fails_the_check(tmp_path: Path) -> None:
    """The check can fail: a job with no runs-on and a step that is neither run nor uses."""
    bad = tmp_path / "bad.yml"
    bad.write_text("on: push\njobs:\n  x:\n    steps:\n      - name: nothing\n", "utf-8")
    done = subprocess.run([tool("check-jsonschema"), "--builtin-schema",
                           "vendor.github-workflows", str(bad)], capture_output=True)
    assert done.returncode == 1


def test_zizmor_finds_nothing_above_low(repos: dict[str, Path]) -> None:
    paths = [root / ".github" for root in repos.values()] + [RELEASE]
    done = subprocess.run([tool("zizmor"), "--offline", "--format", "json", "--no-progress",
                           *map(str, paths)], capture_output=True, text=True, timeout=120)
    assert done.stdout.strip(), done.stderr
    findings = json.loads(done.stdout)
    serious = [(f["ident"], f["determinations"]["severity"], f["locations"][0]["symbolic"]
                ["key"]) for f in findings
               if f["determinations"]["severity"] not in ("Informational", "Low", "Unknown")]
    assert serious == []
    audited = done.stderr.count("completed")
    assert audited >= 2 * len(repos) + 1, done.stderr  # each workflow and dependabot.yml


def test_zizmor_would_flag_a_checkout_that_keeps_its_credentials(tmp_path: Path,
                                                                 repos: dict[str, Path]) -> None:
    """The review can fail: the workflow as init wrote it before (artipacked, medium)."""
    wf = tmp_path / ".github" / "workflows" / "publish.yml"
    wf.parent.mkdir(parents=True)
    text = (repos["branch-en"] / ".github" / "workflows" / "publish.yml").read_text("utf-8")
    wf.write_text(text.replace("          persist-credentials: false\n", ""), "utf-8")
    done = subprocess.run([tool("zizmor"), "--offline", "--format", "json", "--no-progress",
                           str(wf)], capture_output=True, text=True, timeout=120)
    assert "artipacked" in {f["ident"] for f in json.loads(done.stdout)}
