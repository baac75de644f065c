"""Installed the way its users expect: PyPA's build makes a wheel and an sdist of a clean
checkout that pass ``twine check --strict``; the wheel, installed into a fresh venv, gives the
command ``policy-archive``, whose ``init`` makes a repository that builds with no edit, with
CI workflows that name only pinned, existing steps.

The install tests build the distributions once (a module fixture) and a fresh virtual
environment (``python -m venv``), so they need the package index and take about a minute;
they are marked ``slow`` and run in CI like every other test.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
import tomllib
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from projects import BUILD_PY, REPO, run_build, version_text, write
from support.building import run_in_process
from support.tools import dev_tool

from policy_archive import __version__
from policy_archive.commands import init as init_mod
from policy_archive.foundation import resources

RELEASES = REPO / "tests" / "fixtures" / "action-releases.txt"
AS_OF = "2026-01-05"
INIT_FILES = ["content/site.yaml", f"versions/privacy/{AS_OF}.md", "content/privacy.md",
              ".gitignore", "requirements.txt", ".github/workflows/publish.yml",
              ".github/dependabot.yml", ".gitlab-ci.yml"]
PACKAGE = f"policy-archive=={__version__}"
slow = pytest.mark.slow


# --- helpers --------------------------------------------------------------------------


def known_releases() -> dict[tuple[str, str], str]:
    """(action, commit) -> tag, from the recorded list."""
    out = {}
    for line in RELEASES.read_text("utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            action, sha, tag = line.split()
            out[(action, sha)] = tag
    return out


def clean_checkout(dest: Path) -> Path:
    """The files a fresh clone has (tracked ones, and new ones not ignored), copied to
    ``dest``: what ``pip install .`` sees on a fresh machine, and the checkout stays clean
    of build/ and *.egg-info."""
    listed = subprocess.run(["git", "-C", str(REPO), "ls-files", "-z", "--cached", "--others",
                             "--exclude-standard"], capture_output=True, check=True).stdout
    for rel in sorted({r for r in listed.decode().split("\0") if r}):
        src = REPO / rel
        if src.is_file():  # a file deleted but not yet committed is skipped
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / rel)
    return dest


def pip_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("SOURCE_DATE_EPOCH", "PYTHONPATH", "VIRTUAL_ENV")}
    return {**env, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}


def run(cmd: list[str], cwd: Path, timeout: int = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=cwd, env=pip_env(), capture_output=True, text=True,
                          timeout=timeout)


def must(done: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    assert done.returncode == 0, f"{done.args} exited {done.returncode}:\n{done.stdout}" \
                                 f"{done.stderr[-4000:]}"
    return done


def tracked_templates() -> list[str]:
    return sorted(p.relative_to(REPO / "templates").as_posix()
                  for p in (REPO / "templates").rglob("*")
                  if p.is_file() and "__pycache__" not in p.parts and not p.name.startswith("."))


def init_repo(tmp_path: Path, *args: str) -> Path:
    """``init`` from the checkout, which cannot name an installable source by itself: with
    ``--package`` unless the test gives one."""
    target = tmp_path / "repo"
    package = () if "--package" in args else ("--package", PACKAGE)
    r = run_in_process("init", str(target), "--as-of", AS_OF, *package, *args)
    assert r.code == 0, r
    return target


def workflow(root: Path) -> dict[Any, Any]:
    data = yaml.safe_load((root / ".github" / "workflows" / "publish.yml").read_text("utf-8"))
    assert isinstance(data, dict)
    return data


def gitlab(root: Path) -> dict[str, Any]:
    data = yaml.safe_load((root / ".gitlab-ci.yml").read_text("utf-8"))
    assert isinstance(data, dict)
    return data


def steps(root: Path) -> list[dict[str, Any]]:
    jobs = workflow(root)["jobs"]
    return [s for job in jobs.values() for s in job["steps"]]


# --- the package ----------------------------------------------------------------------


def test_pyproject_dependencies_are_the_pins_of_requirements_txt() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["project"]
    pins = [line.split("#")[0].strip()
            for line in (REPO / "requirements.txt").read_text("utf-8").splitlines()]
    pins = [p for p in pins if p]
    assert pins and all(re.fullmatch(r"[A-Za-z0-9._-]+==[0-9][A-Za-z0-9.]*", p) for p in pins)
    assert sorted(project["dependencies"], key=str.lower) == sorted(pins, key=str.lower)
    assert project["scripts"] == {"policy-archive": "policy_archive.commands.cli:main"}
    assert project["requires-python"] == ">=3.11"
    build = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["build-system"]
    assert all("==" in r for r in build["requires"]), "the build backend is pinned"


def test_in_the_checkout_the_templates_are_the_top_level_folder() -> None:
    assert resources.BUILTIN_TEMPLATES == REPO / "templates"
    assert resources.sample_project() == REPO
    assert resources.default_root(REPO / "tests") == REPO  # not a project: the sample
    assert resources.default_root(REPO) == REPO


def test_the_current_folder_is_the_default_project(tmp_path: Path) -> None:
    root = init_repo(tmp_path)
    r = run_in_process("check", "--strict", "--as-of", AS_OF, cwd=root)
    assert r.code == 0, r
    assert "checked 1 document, 1 version: 0 warnings" in r.out  # the new one, not the sample


def test_nothing_in_the_package_reads_files_beside_the_checkout() -> None:
    """Only resources.py knows where the package lives relative to other files."""
    modules = sorted((REPO / "policy_archive").rglob("*.py"))
    assert len(modules) > 50
    offenders = [p.name for p in modules
                 if "parent.parent" in p.read_text("utf-8")
                 and p.name != "resources.py"]
    assert offenders == []


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sdist and the wheel of a clean checkout (with the caches a used one holds, which
    must not ship), built once by PyPA's build as the release workflow builds them, from
    outside the checkout (there ``python -m build`` would import our build.py)."""
    tmp = tmp_path_factory.mktemp("dist")
    src = clean_checkout(tmp / "src")
    for junk in ("policy_archive/__pycache__/compiled-templates/0123.bin",
                 "policy_archive/__pycache__/cli.cpython-311.pyc",
                 "templates/__pycache__/x.pyc", "templates/static/.DS_Store",
                 "templates/.cache/policy_archive/markdown.pickle"):
        write(src / junk, "junk")
    must(run([dev_tool("pyproject-build"), "--outdir", str(tmp / "dist"), str(src)], tmp))
    return tmp / "dist"


@slow
def test_the_distributions_pass_twine_check_strict(dist: Path) -> None:
    files = sorted(dist.iterdir())
    assert [f.name for f in files] == [f"policy_archive-{__version__}-py3-none-any.whl",
                                       f"policy_archive-{__version__}.tar.gz"]
    done = must(run([dev_tool("twine"), "check", "--strict", *map(str, files)], dist))
    assert done.stdout.count("PASSED") == 2, done.stdout


@slow
def test_the_wheel_holds_the_package_and_its_templates_only(dist: Path) -> None:
    (wheel,) = dist.glob("policy_archive-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    tops = {n.split("/")[0] for n in names}
    assert tops == {"policy_archive", wheel.name.split("-py3")[0] + ".dist-info"}, tops
    packaged = sorted(n.removeprefix("policy_archive/templates/") for n in names
                      if n.startswith("policy_archive/templates/"))
    assert packaged == tracked_templates()
    modules = sorted(n for n in names if n.startswith("policy_archive/") and n.endswith(".py")
                     and not n.startswith("policy_archive/templates/"))
    assert modules == sorted(p.relative_to(REPO).as_posix()
                             for p in (REPO / "policy_archive").rglob("*.py")
                             if "__pycache__" not in p.parts)
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc") or "/." in n
                or re.match(r"(tests|bench|content|versions)/", n)]
    entry = zipfile.ZipFile(wheel).read(wheel.name.split("-py3")[0]
                                        + ".dist-info/entry_points.txt").decode()
    assert "policy-archive = policy_archive.commands.cli:main" in entry
    print(f"wheel {wheel.name}: {wheel.stat().st_size} bytes")


@slow
def test_the_wheel_installs_then_init_check_and_build(dist: Path, tmp_path: Path) -> None:
    """A fresh venv, ``pip install <the wheel file>``, then the installed command only, from
    folders outside any checkout."""
    (wheel,) = dist.glob("policy_archive-*.whl")
    venv = tmp_path / "venv"
    start = time.perf_counter()
    # The venv gets no pip of its own (ensurepip takes ~4 s); this one's pip installs into
    # it, without compiling every dependency's bytecode ahead (~3 s): what runs compiles.
    must(run([sys.executable, "-m", "venv", "--without-pip", str(venv)], tmp_path))
    must(run([sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"),
              "install", "--quiet", "--no-compile", str(wheel)], tmp_path))
    installed = time.perf_counter()
    command = str(venv / "bin" / "policy-archive")
    assert must(run([command, "--version"], tmp_path)).stdout == f"policy-archive {__version__}\n"
    repo = tmp_path / "repo"
    # installed from a file: no source CI can install from is known, so init refuses
    refused = run([command, "init", str(repo), "--as-of", AS_OF], tmp_path)
    assert refused.returncode == 2 and "--package" in refused.stderr, refused
    assert not repo.exists()
    made = must(run([command, "init", str(repo), "--as-of", AS_OF, "--package", PACKAGE],
                    tmp_path))
    for rel in INIT_FILES:
        assert f"wrote {repo / rel}" in made.stdout
    assert "git init" in made.stdout and "policy-archive serve" in made.stdout
    assert "build.py" not in made.stdout  # the new repository has none
    assert PACKAGE in (repo / "requirements.txt").read_text("utf-8").splitlines()
    must(run([command, "check", "--strict", "--as-of", AS_OF], repo))  # as CI runs it
    must(run([command, "build", "--as-of", AS_OF, "--quiet"], repo / "versions" / "privacy"))
    built = time.perf_counter()
    site = repo / "site"
    assert (site / "index.html").is_file()
    doc = json.loads((site / "versions.json").read_text("utf-8"))["documents"][0]
    assert doc["slug"] == "privacy" and doc["current"] == AS_OF
    assert [v["effective"] for v in doc["versions"]] == [AS_OF]

    # the sample, copied out of the checkout, builds with the installed command
    sample = tmp_path / "sample"
    for part in ("content", "versions"):
        shutil.copytree(REPO / part, sample / part)
    must(run([command, "check", "--strict", "--root", str(sample)], tmp_path))
    must(run([command, "build", "--root", str(sample), "--quiet"], tmp_path))
    assert (sample / "site" / "privacy" / "index.html").is_file()

    # the installed templates are the checkout's, and are the ones used
    where = must(run([str(venv / "bin" / "python"), "-c",
                      "from policy_archive.foundation.resources import BUILTIN_TEMPLATES as t; print(t)"],
                     tmp_path)).stdout.strip()
    templates = Path(where)
    assert templates.is_relative_to(venv) and templates.name == "templates"
    assert sorted(p.relative_to(templates).as_posix() for p in templates.rglob("*")
                  if p.is_file() and "__pycache__" not in p.parts) == tracked_templates()

    # the same subcommands as build.py
    def commands(help_text: str) -> list[str]:
        found = re.search(r"\{([a-z,]+)\}", help_text)
        return found[1].split(",") if found else []

    ours = commands(must(run([command, "--help"], tmp_path)).stdout)
    assert "init" in ours and ours == commands(run_build("--help").out)  # build.py's own
    bad = run([command, "frobnicate"], tmp_path)
    assert bad.returncode == 2 and bad.stderr.startswith("policy-archive:")

    # init into a folder that holds its files refuses, and writes nothing
    before = {p: p.read_bytes() for p in repo.rglob("*") if p.is_file()}
    again = run([command, "init", str(repo), "--as-of", "2026-02-01", "--package", PACKAGE],
                tmp_path)
    assert again.returncode == 1
    assert f"{repo / 'content' / 'site.yaml'}:1: exists already" in again.stderr
    assert {p: p.read_bytes() for p in repo.rglob("*") if p.is_file()} == before
    print(f"install {installed - start:.1f} s; init + build {built - installed:.2f} s")


# --- init -----------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["ja", "en"])
def test_init_builds_with_no_edit_and_no_warning(tmp_path: Path, language: str) -> None:
    root = init_repo(tmp_path, "--language", language)
    assert sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()) \
        == sorted(INIT_FILES)
    check = run_in_process("check", "--strict", "--root", str(root), "--as-of", AS_OF)
    assert check.code == 0 and check.err == "", check
    out = tmp_path / "site"
    built = run_in_process("build", "--root", str(root), "--out", str(out), "--as-of", AS_OF,
                      "--drafts")  # the draft example is valid too
    assert built.code == 0 and "0 warnings" in built.out, built
    assert (out / "privacy" / "draft" / "index.html").is_file()
    site = yaml.safe_load((root / "content" / "site.yaml").read_text("utf-8"))
    assert site["language"] == language
    version = (root / "versions" / "privacy" / f"{AS_OF}.md").read_text("utf-8")
    assert version.startswith(f"---\neffective: {AS_OF}\n")
    assert ("ひな形" if language == "ja" else "template") in version  # says what it is


def test_site_yaml_explains_every_setting(tmp_path: Path) -> None:
    from policy_archive.content.load import SITE_KEYS

    text = (init_repo(tmp_path) / "content" / "site.yaml").read_text("utf-8")
    comments = "\n".join(line for line in text.splitlines() if line.startswith("#"))
    assert [k for k in SITE_KEYS if not re.search(rf"^# {k}( \(required\))?: \w", comments,
                                                  re.M)] == []


@pytest.mark.parametrize("present", ["content/site.yaml", ".gitignore",
                                     f"versions/privacy/{AS_OF}.md"])
def test_init_refuses_a_folder_holding_its_files(tmp_path: Path, present: str) -> None:
    target = tmp_path / "repo"
    (target / present).parent.mkdir(parents=True, exist_ok=True)
    (target / present).write_text("mine\n", encoding="utf-8")
    (target / "README.md").write_text("mine too\n", encoding="utf-8")
    r = run_in_process("init", str(target), "--as-of", AS_OF, "--package", PACKAGE)
    assert r.code == 1
    assert f"{target / present}:1: exists already: init never overwrites a file" in r.err
    assert sorted(p.relative_to(target).as_posix() for p in target.rglob("*")
                  if p.is_file()) == sorted([present, "README.md"])
    assert (target / present).read_text("utf-8") == "mine\n"


def test_init_into_a_folder_with_other_files_adds_its_own(tmp_path: Path) -> None:
    target = tmp_path / "repo"
    target.mkdir()
    (target / "README.md").write_text("mine\n", encoding="utf-8")
    assert run_in_process("init", str(target), "--as-of", AS_OF, "--package", PACKAGE).code == 0
    assert (target / "README.md").read_text("utf-8") == "mine\n"
    assert (target / "content" / "site.yaml").is_file()


@pytest.mark.parametrize("args", [["--language", "fr"], ["--timezone", "Mars/Olympus"],
                                  ["--package", ""], ["--branch", "-x"], ["--deploy", "ftp"],
                                  ["--base-url", "not an address"]])
def test_init_usage_errors_exit_2_and_write_nothing(tmp_path: Path, args: list[str]) -> None:
    r = run_in_process("init", str(tmp_path / "repo"), "--package", PACKAGE, *args)
    assert r.code == 2, r
    assert not (tmp_path / "repo").exists()


def test_the_first_version_is_dated_the_build_date(tmp_path: Path) -> None:
    epoch = str(int(dt.datetime(2027, 3, 9, 12, tzinfo=dt.timezone.utc).timestamp()))
    r = run_in_process("init", str(tmp_path / "repo"), "--package", PACKAGE,
                  env={"SOURCE_DATE_EPOCH": epoch})
    assert r.code == 0, r
    assert (tmp_path / "repo" / "versions" / "privacy" / "2027-03-09.md").is_file()


# --- the CI workflows -----------------------------------------------------------------


@pytest.mark.parametrize("deploy", ["pages", "branch"])
def test_every_step_is_pinned_to_a_known_release(tmp_path: Path, deploy: str) -> None:
    root = init_repo(tmp_path, "--deploy", deploy)
    known = known_releases()
    files = [root / ".github" / "workflows" / "publish.yml",
             REPO / ".github" / "workflows" / "release.yml"]  # the tool's own, too
    for path in files:
        text = path.read_text("utf-8")
        uses = re.findall(r"uses: (\S+)", text)
        assert len(uses) >= 2
        for use in uses:
            action, _, ref = use.partition("@")
            assert re.fullmatch(r"[0-9a-f]{40}", ref), f"{use} is not pinned by commit"
            assert (action, ref) in known, f"{use} is not in {RELEASES.name}"
            assert f"uses: {use} # {known[(action, ref)]}\n" in text  # the tag beside it
    used = {u.partition("@")[0] for u in re.findall(r"uses: (\S+)", files[0].read_text())}
    assert used == {"actions/checkout", "actions/setup-python"} | (
        {"actions/upload-pages-artifact", "actions/deploy-pages"} if deploy == "pages" else set())


@pytest.mark.parametrize("deploy", ["pages", "branch"])
def test_github_workflow_checks_builds_and_deploys_on_push_daily_and_by_hand(
        tmp_path: Path, deploy: str) -> None:
    root = init_repo(tmp_path, "--deploy", deploy)
    wf = workflow(root)
    on = wf.get("on", wf.get(True))  # YAML 1.1 reads a bare `on` as true
    assert on["push"]["branches"] == ["main"]
    assert "workflow_dispatch" in on
    assert [s["cron"] for s in on["schedule"]] == ["10 15 * * *"]  # 00:10 in Tokyo
    assert wf["permissions"] == {}  # each job says what it needs
    jobs = wf["jobs"]
    first = next(iter(jobs.values()))
    assert first["env"]["TZ"] == "Asia/Tokyo"
    all_steps = steps(root)
    checkout = next(s for s in all_steps if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"] == {"fetch-depth": 0, "persist-credentials": False}
    python = next(s for s in all_steps if s.get("uses", "").startswith("actions/setup-python@"))
    assert str(python["with"]["python-version"]) == "3.11"
    script = "\n".join(s.get("run", "") for s in all_steps)
    lines = [ln.strip() for ln in script.splitlines() if ln.strip()]
    assert lines[:3] == ["python -m pip install -r requirements.txt",
                         "policy-archive check --strict", "policy-archive build"]
    if deploy == "branch":
        assert first["permissions"] == {"contents": "write"}
        assert lines[-1] == "policy-archive publish --remote origin"
    else:
        assert first["permissions"] == {"contents": "read"}
        upload = next(s for s in all_steps if "upload-pages-artifact" in s.get("uses", ""))
        assert upload["with"] == {"path": "site"}
        assert lines[3] == "rm -f site/.policy-archive"  # the marker is not for readers
        assert jobs["deploy"]["needs"] == "build"
        assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
        assert jobs["deploy"]["environment"]["name"] == "github-pages"
        assert "publish" not in script


def test_dependabot_updates_the_tool_and_the_actions(tmp_path: Path) -> None:
    root = init_repo(tmp_path)
    data = yaml.safe_load((root / ".github" / "dependabot.yml").read_text("utf-8"))
    assert data["version"] == 2
    assert sorted((u["package-ecosystem"], u["directory"]) for u in data["updates"]) == [
        ("github-actions", "/"), ("pip", "/")]


def test_gitlab_job_builds_into_public_on_the_default_branch_and_schedules(
        tmp_path: Path) -> None:
    root = init_repo(tmp_path, "--language", "en", "--timezone", "Europe/Berlin")
    job = gitlab(root)["pages"]
    assert re.fullmatch(r"python:3\.11\.\d+-[a-z]+", job["image"])  # an exact tag
    assert job["artifacts"]["paths"] == ["public"]
    assert job["script"][1:] == ["python -m pip install -r requirements.txt",
                                 "policy-archive check --strict",
                                 "policy-archive build --out public",
                                 "rm -f public/.policy-archive"]
    rules = [r["if"] for r in job["rules"]]
    assert "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH" in rules
    assert '$CI_PIPELINE_SOURCE == "schedule"' in rules
    assert job["variables"]["TZ"] == "Europe/Berlin"
    assert str(job["variables"]["GIT_DEPTH"]) == "0"
    text = (root / ".gitlab-ci.yml").read_text("utf-8")
    assert "Pipeline schedules" in text and "Europe/Berlin" in text  # how to add the schedule
    assert [s["cron"] for s in workflow(root)[True]["schedule"]] == ["10 23 * * *"]


def test_the_ci_steps_run_as_written_in_fresh_clones(tmp_path: Path) -> None:
    """The Build and Publish steps, run as written in two fresh full clones (what
    actions/checkout with fetch-depth 0 gives): the second publish continues the pages branch
    the first one pushed (a fresh clone has it only as origin/gh-pages). Then the GitLab
    job's script in a shallow clone."""
    root = init_repo(tmp_path, "--deploy", "branch")
    env = {**pip_env(), "GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "T", "GIT_COMMITTER_EMAIL": "t@example.org",
           "SOURCE_DATE_EPOCH": "1772323200"}  # 2026-03-01

    def git(cwd: Path, *args: str) -> str:
        return must(subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True,
                                   text=True)).stdout.strip()

    shim = tmp_path / "bin" / "policy-archive"  # the installed command, here build.py
    write(shim, f"#!/bin/sh\nexec {shlex.quote(sys.executable)} {shlex.quote(str(BUILD_PY))} "
                '"$@"\n')
    shim.chmod(0o755)
    env["PATH"] = f"{shim.parent}{os.pathsep}{env['PATH']}"
    origin = tmp_path / "origin.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(origin))
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "policy site")
    git(root, "push", "-q", str(origin), "main")
    scripts = {s["name"]: s["run"] for s in steps(root) if s.get("name") in ("Build", "Publish")}
    assert list(scripts) == ["Build", "Publish"]
    scripts = {"Check": next(s["run"] for s in steps(root) if s.get("name") == "Check"),
               **scripts}
    for day in ("first", "second"):
        if day == "second":  # a new version arrives on main
            write(root / "versions" / "privacy" / "2026-02-01.md",
                  version_text("2026-02-01", "# プライバシーポリシー\n\n改定後の本文。\n",
                               summary="全面改定しました。"))
            git(root, "add", "-A")
            git(root, "commit", "-qm", "new version")
            git(root, "push", "-q", str(origin), "main")
        clone = tmp_path / f"clone-{day}"
        git(tmp_path, "clone", "-q", str(origin), str(clone))
        for name, script in scripts.items():
            done = subprocess.run(["bash", "-e", "-c", script], cwd=clone, env=env,
                                  capture_output=True, text=True, timeout=300)
            assert done.returncode == 0, f"{day} {name}:\n{done.stdout}{done.stderr}"
    assert git(origin, "rev-list", "--count", "gh-pages") == "2"
    pages = git(origin, "ls-tree", "-r", "--name-only", "gh-pages").splitlines()
    assert "privacy/2026-02-01/index.html" in pages and ".nojekyll" in pages

    # the GitLab job's script (but its pip install) in a shallow clone, as a runner makes it
    shallow = tmp_path / "clone-gitlab"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{origin}", str(shallow))
    assert (shallow / ".git" / "shallow").exists()
    for line in gitlab(root)["pages"]["script"]:
        if "pip install" not in line:
            done = subprocess.run(["bash", "-e", "-c", line], cwd=shallow, env=env,
                                  capture_output=True, text=True, timeout=300)
            assert done.returncode == 0, f"{line}:\n{done.stdout}{done.stderr}"
    assert not (shallow / ".git" / "shallow").exists()  # the history the build reads
    assert (shallow / "public" / "privacy" / "2026-02-01" / "index.html").is_file()


def test_package_spec_is_pinned_in_requirements_txt_that_ci_installs(tmp_path: Path) -> None:
    spec = "policy-archive @ git+https://example.com/a%20b/policy-archive.git@v1"
    root = init_repo(tmp_path, "--package", spec)
    assert (root / "requirements.txt").read_text("utf-8").splitlines()[-1] == spec
    installs = [s["run"] for s in steps(root) if "pip install" in s.get("run", "")]
    installs += [line for line in gitlab(root)["pages"]["script"] if "pip install" in line]
    assert installs == ["python -m pip install -r requirements.txt"] * 2
    r = run_in_process("init", str(tmp_path / "other"), "--package", spec)
    assert r.code == 0 and f"install {spec} (requirements.txt)" in r.out


@pytest.mark.parametrize("spec", ["policy-archive==1 #frag", "-e .", "a\nb"])
def test_a_package_spec_a_requirements_file_reads_otherwise_is_refused(
        tmp_path: Path, spec: str) -> None:
    r = run_in_process("init", str(tmp_path / "repo"), "--package", spec)
    assert r.code == 2 and "--package" in r.err
    assert not (tmp_path / "repo").exists()


def test_init_without_a_source_ci_can_install_refuses(tmp_path: Path) -> None:
    """From a checkout no index nor address is known: the workflows would fail."""
    r = run_in_process("init", str(tmp_path / "repo"), "--as-of", AS_OF)
    assert r.code == 2 and "--package SPEC" in r.err and "Traceback" not in r.err
    assert not (tmp_path / "repo").exists()


@pytest.mark.parametrize(("direct", "expected", "known"), [
    ({"url": "https://example.com/org/policy-archive.git",
      "vcs_info": {"vcs": "git", "commit_id": "a" * 40, "requested_revision": "main"}},
     "policy-archive @ git+https://example.com/org/policy-archive.git@" + "a" * 40, True),
    ({"url": "file:///home/me/policy-archive",
      "vcs_info": {"vcs": "git", "commit_id": "a" * 40}}, "policy-archive==9.9", False),
    ({"url": "file:///home/me/policy-archive", "dir_info": {}}, "policy-archive==9.9", False),
    ({"url": "https://example.com/p.tar.gz", "archive_info": {}}, "policy-archive==9.9",
     False),
    (None, "policy-archive==9.9", True),  # installed from an index: it serves this version
])
def test_package_from_pep_610_direct_url(direct: dict[str, Any] | None, expected: str,
                                         known: bool) -> None:
    assert init_mod.package_from_direct_url(direct, "9.9") == (expected, known)
    # not installed (a checkout run as build.py): nothing is known
    assert init_mod.package_from_direct_url(direct, "9.9", installed=False)[1] == (
        known and direct is not None)


@pytest.mark.parametrize(("zone", "cron"), [
    ("Asia/Tokyo", "10 15 * * *"), ("UTC", "10 0 * * *"),
    ("America/New_York", "10 5 * * *"),  # 00:10 EST, 01:10 EDT: never before midnight
    ("Europe/Berlin", "10 23 * * *"), ("Asia/Kolkata", "40 18 * * *"),
])
def test_the_daily_run_is_just_after_local_midnight(zone: str, cron: str) -> None:
    assert init_mod.daily_cron(zone, 2026) == cron


# --- the changelog --------------------------------------------------------------------


def test_the_changelog_is_in_keep_a_changelog_form() -> None:
    """``## [Unreleased]`` first, then ``## [X.Y.Z] - YYYY-MM-DD`` newest first, each with
    entries only under Keep a Changelog's kinds; the release workflow needs the section of
    the version it releases."""
    lines = (REPO / "CHANGELOG.md").read_text("utf-8").splitlines()
    heads = [ln for ln in lines if ln.startswith("## ")]
    assert heads[0] == "## [Unreleased]"
    released = [re.fullmatch(r"## \[(\d+\.\d+\.\d+)\] - (\d{4}-\d{2}-\d{2})", h)
                for h in heads[1:]]
    assert all(released), heads
    versions = [tuple(map(int, m[1].split("."))) for m in released if m]
    assert versions == sorted(versions, reverse=True)
    kinds = {ln[4:] for ln in lines if ln.startswith("### ")}
    assert kinds <= {"Added", "Changed", "Deprecated", "Removed", "Fixed", "Security"}, kinds
    release = (REPO / ".github" / "workflows" / "release.yml").read_text("utf-8")
    assert 'grep -q "^## \\[$version\\]" CHANGELOG.md' in release
