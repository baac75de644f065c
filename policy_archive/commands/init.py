"""``policy-archive init DIR``: a new policy repository that builds with no edit.

It writes ``content/site.yaml`` (every setting explained), a first version of a privacy
policy (a template, dated the build date), a draft of the next version, ``.gitignore``, a
GitHub Actions workflow and a GitLab CI file that build and publish on every push and once a
day just after local midnight (the day a version takes effect, it becomes current). It never
overwrites: when DIR holds any of these files, nothing is written.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shlex
from pathlib import Path
from typing import NamedTuple

import yaml

from .. import __version__
from ..foundation.errors import ContentError, Problem, UsageError
from ..foundation.i18n import long_date
from .starter import STARTERS

#: The actions the GitHub workflow uses, each pinned by the full commit of a release (the tag
#: goes in a comment beside it). tests/fixtures/action-releases.txt lists the releases known
#: to exist; change both together.
ACTIONS = {
    "actions/checkout": ("11bd71901bbe5b1630ceea73d27597364c9af683", "v4.2.2"),
    "actions/setup-python": ("a26af69be951a213d495a4c3e4e4022e16d87065", "v5.6.0"),
}
RUNNER = "ubuntu-24.04"
#: The GitLab job's image, by exact tag. Not -slim: the build reads the history with git.
GITLAB_IMAGE = "python:3.11.14-bookworm"
PYTHON = "3.11"
#: The time zone of each site language, when --timezone is not given.
TIME_ZONES = {"ja": "Asia/Tokyo", "en": "UTC"}
#: Fixed offsets (minutes east of UTC) of those defaults, for a system with no zone data.
FIXED_OFFSETS = {"Asia/Tokyo": 540, "UTC": 0, "Etc/UTC": 0}
#: A scheduled run starts this long after local midnight (and may be late: never early).
AFTER_MIDNIGHT = dt.timedelta(minutes=10)
PAGES_BRANCH = "gh-pages"
GITIGNORE = """\
# Built site, build cache and virtual environment: made again by every build.
/site/
/public/
/.cache/
/.venv/
"""


class InitResult(NamedTuple):
    written: tuple[str, ...]  # paths relative to the new repository, in the order written
    package: str  # the pip requirement the workflows install
    package_known: bool  # False: --package was not given and no VCS source is known
    time_zone: str
    cron: str  # the GitHub schedule (UTC)


class Options(NamedTuple):
    language: str = "ja"
    base_url: str = "https://example.com/policies/"
    package: str | None = None
    time_zone: str | None = None
    branch: str = "main"


# --- the package the workflows install ------------------------------------------------


def _direct_url() -> dict[str, object] | None:
    """PEP 610 ``direct_url.json`` of the installed distribution, if any."""
    from importlib import metadata

    try:
        text = metadata.distribution("policy-archive").read_text("direct_url.json")
    except metadata.PackageNotFoundError:
        return None
    try:
        data = json.loads(text) if text else None
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def package_from_direct_url(direct: dict[str, object] | None,
                            version: str) -> tuple[str, bool]:
    """The requirement a CI job can install the running package by, and whether it is known
    to work: ``policy-archive @ git+URL@COMMIT`` when it was installed from a VCS address a
    CI job can reach (not a local ``file:`` one), else ``policy-archive==VERSION``."""
    vcs = direct.get("vcs_info") if direct else None
    url = direct.get("url") if direct else None
    if isinstance(vcs, dict) and vcs.get("vcs") == "git" and isinstance(url, str) \
            and not url.startswith("file:"):
        commit = vcs.get("commit_id")
        if isinstance(commit, str) and re.fullmatch(r"[0-9a-f]{40}", commit):
            return f"policy-archive @ git+{url}@{commit}", True
    return f"policy-archive=={version}", False


def _check_package(spec: str) -> str:
    spec = spec.strip()
    if not spec or any(ord(c) < 32 for c in spec):
        raise UsageError("--package must be one pip requirement on one line, e.g. "
                         "'policy-archive @ git+https://example.com/you/policy-archive@v0.1.0'")
    return spec


# --- time zone and schedule -----------------------------------------------------------


def _offsets(name: str, year: int) -> list[dt.timedelta]:
    """The UTC offsets ``name`` uses in ``year``, smallest first (two with summer time)."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        zone = ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        if name in FIXED_OFFSETS:  # a system without zone data
            return [dt.timedelta(minutes=FIXED_OFFSETS[name])]
        raise UsageError(f"--timezone {name!r} is not a time zone this system knows "
                         "(an IANA name such as Asia/Tokyo or Europe/Berlin)") from None
    days = (dt.datetime(year, m, 1, 12, tzinfo=zone) for m in range(1, 13))
    return sorted({d.utcoffset() or dt.timedelta(0) for d in days})


def daily_cron(time_zone: str, year: int) -> str:
    """A UTC cron line for a daily run just after local midnight in ``time_zone`` all year:
    timed by its smallest offset (standard time), so summer time makes it later, never
    before midnight."""
    offset = _offsets(time_zone, year)[0]
    at = (dt.datetime(2000, 1, 2) + AFTER_MIDNIGHT - offset).time()
    return f"{at.minute} {at.hour} * * *"


# --- the files ------------------------------------------------------------------------


def _scalar(value: str) -> str:
    """``value`` as a YAML scalar: plain when YAML reads it back unchanged, else quoted."""
    try:
        if yaml.safe_load(f"k: {value}") == {"k": value} and "#" not in value:
            return value
    except yaml.YAMLError:
        pass
    return json.dumps(value, ensure_ascii=False)


def _site_yaml(language: str, base_url: str) -> str:
    """``site.yaml`` for ``base_url``, read back as a build reads it (a usage error if the
    address is not one the schema takes)."""
    import tempfile

    from ..content.load import load_site

    text = STARTERS[language].site_yaml
    text = text.replace("{base_url}", _scalar(base_url)).replace("{language}", language)
    problems: list[Problem] = []
    with tempfile.TemporaryDirectory(prefix="policy-archive-init-") as tmp:
        (Path(tmp) / "content").mkdir()
        (Path(tmp) / "content" / "site.yaml").write_text(text, encoding="utf-8")
        load_site(Path(tmp), problems)
    if problems:
        raise UsageError(f"--base-url {base_url!r}: " + "; ".join(p.message for p in problems))
    return text


def _first_version(language: str, date: dt.date) -> str:
    s = STARTERS[language]
    body = s.policy.replace("{date}", long_date(date, language))
    return (f"---\neffective: {date.isoformat()}\nnote: {_scalar(s.note)}\n---\n" + body)


def _draft(language: str, date: dt.date) -> str:
    s = STARTERS[language]
    body = s.policy.replace("{date}", long_date(date, language))
    old, new = s.draft_change
    assert old in body, "the draft's change must apply to the first version"
    return s.draft_front + body.replace(old, new)


def _github_workflow(package: str, time_zone: str, cron: str, branch: str) -> str:
    checkout, checkout_tag = ACTIONS["actions/checkout"]
    setup, setup_tag = ACTIONS["actions/setup-python"]
    install = _scalar(f"python -m pip install {shlex.quote(package)}")
    fetch = (f"git fetch --no-tags origin '+refs/heads/{PAGES_BRANCH}:refs/heads/{PAGES_BRANCH}'"
             f" || echo 'no {PAGES_BRANCH} branch yet: this publish starts it'")
    return f"""\
# Builds the policy site and publishes it to the {PAGES_BRANCH} branch: on every push to
# {branch}, once a day just after midnight in {time_zone} (on the day a version takes effect
# it becomes current; on other days the build changes nothing and publish makes no
# commit), and by hand (Actions > publish > Run workflow).
# GitHub Pages: Settings > Pages > Build and deployment > Source: Deploy from a branch,
# Branch: {PAGES_BRANCH}, / (root). GitHub Pages ignores _headers: the pages carry their CSP.
# GitHub disables the schedule of a public repository after 60 days without activity.
# Written by policy-archive init {__version__}; the actions are pinned by commit.
name: publish

on:
  push:
    branches: [{_scalar(branch)}]
  schedule:
    # 00:{AFTER_MIDNIGHT.seconds // 60:02d} in {time_zone} (cron runs in UTC; GitHub may start a
    # scheduled run late, never early).
    - cron: "{cron}"
  workflow_dispatch:

permissions:
  contents: write  # publish pushes the {PAGES_BRANCH} branch

concurrency:
  group: publish
  cancel-in-progress: false

jobs:
  publish:
    runs-on: {RUNNER}
    env:
      # The build date is the local date, and versions take effect at local midnight.
      TZ: {time_zone}
    steps:
      - uses: actions/checkout@{checkout} # {checkout_tag}
        with:
          fetch-depth: 0  # the build reads the history of versions/ and content/
      - uses: actions/setup-python@{setup} # {setup_tag}
        with:
          python-version: "{PYTHON}"
      - name: Install policy-archive
        run: {install}
      - name: Build
        run: policy-archive build
      - name: Publish
        run: |
          {fetch}
          policy-archive publish --remote origin
"""


def _gitlab_ci(package: str, time_zone: str, branch: str) -> str:
    install = _scalar(f"python -m pip install {shlex.quote(package)}")
    minutes = AFTER_MIDNIGHT.seconds // 60
    return f"""\
# GitLab Pages: builds the policy site into public/ on every push to the default branch
# ({branch}) and on every scheduled pipeline.
# Add a daily schedule (Build > Pipeline schedules > New schedule): interval
# "{minutes} 0 * * *", cron timezone {time_zone}, target branch {branch}. On the day a
# version takes effect it then becomes current.
# GitLab Pages sends no custom headers (_headers is ignored): the pages carry their CSP.
# Written by policy-archive init {__version__}.
pages:
  image: {GITLAB_IMAGE}
  variables:
    GIT_DEPTH: "0"  # the build reads the history of versions/ and content/
    TZ: {time_zone}  # the build date is the local date; versions take effect at midnight
    PIP_ROOT_USER_ACTION: ignore
  script:
    - if [ -f "$(git rev-parse --git-dir)/shallow" ]; then git fetch --unshallow --quiet; fi
    - {install}
    - policy-archive build --out public
  artifacts:
    paths:
      - public
  rules:
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
    - if: $CI_PIPELINE_SOURCE == "schedule"
"""


def plan(as_of: dt.date, options: Options) -> tuple[dict[str, str], InitResult]:
    """Every file to write (path relative to the new repository -> text), decided in full."""
    if options.language not in STARTERS:
        raise UsageError(f"--language must be one of {', '.join(STARTERS)}")
    if not re.fullmatch(r"[A-Za-z0-9._/-]+", options.branch) or options.branch.startswith("-"):
        raise UsageError(f"--branch {options.branch!r} is not a branch name")
    if options.package is not None:
        package, known = _check_package(options.package), True
    else:
        package, known = package_from_direct_url(_direct_url(), __version__)
    time_zone = options.time_zone or TIME_ZONES[options.language]
    cron = daily_cron(time_zone, as_of.year)
    lang = options.language
    files = {
        "content/site.yaml": _site_yaml(lang, options.base_url),
        f"versions/privacy/{as_of.isoformat()}.md": _first_version(lang, as_of),
        "content/privacy.md": _draft(lang, as_of),
        ".gitignore": GITIGNORE,
        ".github/workflows/publish.yml": _github_workflow(package, time_zone, cron,
                                                          options.branch),
        ".gitlab-ci.yml": _gitlab_ci(package, time_zone, options.branch),
    }
    return files, InitResult(tuple(files), package, known, time_zone, cron)


def init(target: Path, as_of: dt.date, options: Options) -> InitResult:
    """Write the new repository into ``target`` (which may exist); refuse, writing nothing,
    when it holds any of the files."""
    files, result = plan(as_of, options)
    if os.path.lexists(target) and not target.is_dir():  # a file, or a link to nothing
        raise ContentError.single(str(target), 1, "is a file: init needs a folder")
    present = [rel for rel in files if os.path.lexists(target / rel)]
    if present:
        raise ContentError([Problem(str(target / rel), 1, "exists already: init never "
                                                          "overwrites a file")
                            for rel in present])
    for rel, text in files.items():
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "x", encoding="utf-8", newline="\n") as f:  # never overwrite
            f.write(text)
    return result
