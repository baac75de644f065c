"""The CI files ``init`` writes into a new policy repository: the GitHub Actions workflow
(deployed with GitHub Pages' own actions, or pushed to the ``gh-pages`` branch), the GitLab CI
job, Dependabot's settings and the ``requirements.txt`` that pins the tool for all of them.

Every workflow installs ``-r requirements.txt``, runs ``check --strict``, then builds. The
checkout keeps no credentials (``persist-credentials: false``); each job has only the
permissions it uses. tests/test_install.py validates every variant against the workflow,
Dependabot and GitLab CI schemas and reviews it with zizmor.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import NamedTuple

from .. import __version__
from ..output.outfolder import MARKER

#: The actions the GitHub workflows use, each pinned by the full commit of a release (the tag
#: goes in a comment beside it). tests/fixtures/action-releases.txt lists the releases known
#: to exist; change both together.
ACTIONS = {
    "actions/checkout": ("11bd71901bbe5b1630ceea73d27597364c9af683", "v4.2.2"),
    "actions/setup-python": ("a26af69be951a213d495a4c3e4e4022e16d87065", "v5.6.0"),
    "actions/upload-pages-artifact": ("56afc609e74202658d3ffba0e8f6dda462b719fa", "v3.0.1"),
    "actions/deploy-pages": ("d6db90164ac5ed86f2b6aed7e0febac5b3c0c03e", "v4.0.5"),
}
RUNNER = "ubuntu-24.04"
#: The GitLab job's image, by exact tag. Not -slim: the build reads the history with git.
GITLAB_IMAGE = "python:3.11.14-bookworm"
PYTHON = "3.11"
#: A scheduled run starts this long after local midnight (and may be late: never early).
AFTER_MIDNIGHT = dt.timedelta(minutes=10)
PAGES_BRANCH = "gh-pages"
#: How the GitHub workflow publishes: GitHub Pages' actions, or a push of the pages branch.
DEPLOYS = ("pages", "branch")


class Schedule(NamedTuple):
    time_zone: str
    cron: str  # the GitHub schedule (UTC)
    branch: str  # the repository's default branch


def _uses(action: str) -> str:
    commit, tag = ACTIONS[action]
    return f"{action}@{commit} # {tag}"


def _q(value: str) -> str:
    """A YAML scalar that reads back as ``value`` (JSON's quoting is YAML's)."""
    return json.dumps(value, ensure_ascii=False)


def requirements(package: str) -> str:
    """The new repository's ``requirements.txt``: the tool, pinned."""
    return f"""\
# The policy-archive the CI workflows install (python -m pip install -r requirements.txt).
# Dependabot proposes its updates; to move by hand, change this line and commit.
# Written by policy-archive init {__version__}.
{package}
"""


def _head(deploy: str, s: Schedule) -> str:
    how = ("deploys it with GitHub Pages' own actions" if deploy == "pages" else
           f"publishes it to the {PAGES_BRANCH} branch")
    pages = ("GitHub Pages: Settings > Pages > Build and deployment > Source: GitHub Actions."
             if deploy == "pages" else
             "GitHub Pages: Settings > Pages > Build and deployment > Source: Deploy from a\n"
             f"# branch, Branch: {PAGES_BRANCH}, / (root).")
    return f"""\
# Checks the policy site, builds it and {how}: on every push to
# {s.branch}, once a day just after midnight in {s.time_zone} (on the day a version takes
# effect it becomes current) and by hand (Actions > publish > Run workflow).
# {pages} GitHub Pages ignores _headers: the pages carry their CSP.
# GitHub disables the schedule of a public repository after 60 days without activity.
# Written by policy-archive init {__version__}; the actions are pinned by commit.
name: publish

on:
  push:
    branches: [{_q(s.branch)}]
  schedule:
    # 00:{AFTER_MIDNIGHT.seconds // 60:02d} in {s.time_zone} (cron runs in UTC; GitHub may start \
a scheduled run late, never early).
    - cron: "{s.cron}"
  workflow_dispatch:

permissions: {{}}

concurrency:
  group: publish
  cancel-in-progress: false

jobs:
"""


def _build_steps(s: Schedule) -> str:
    return f"""\
    env:
      # The build date is the local date, and versions take effect at local midnight.
      TZ: {s.time_zone}
    steps:
      - uses: {_uses("actions/checkout")}
        with:
          fetch-depth: 0  # the build reads the history of versions/ and content/
          persist-credentials: false
      - uses: {_uses("actions/setup-python")}
        with:
          python-version: "{PYTHON}"
      - name: Install policy-archive
        run: python -m pip install -r requirements.txt
      - name: Check
        run: policy-archive check --strict
      - name: Build
        run: policy-archive build
"""


def github_workflow(deploy: str, s: Schedule) -> str:
    """``.github/workflows/publish.yml`` for ``deploy`` (one of :data:`DEPLOYS`)."""
    if deploy == "pages":
        return _head(deploy, s) + f"""\
  build:
    name: Check and build
    runs-on: {RUNNER}
    permissions:
      contents: read
{_build_steps(s)}\
      - name: Leave out the output folder's marker (for builds, not readers)
        run: rm -f site/{MARKER}
      - uses: {_uses("actions/upload-pages-artifact")}
        with:
          path: site

  deploy:
    name: Deploy to GitHub Pages
    needs: build
    runs-on: {RUNNER}
    permissions:
      pages: write  # deploy-pages publishes the artifact
      id-token: write  # and proves to Pages that this workflow made it
    environment:
      name: github-pages
      url: ${{{{ steps.deployment.outputs.page_url }}}}
    steps:
      - id: deployment
        uses: {_uses("actions/deploy-pages")}
"""
    fetch = (f"git fetch --no-tags origin '+refs/heads/{PAGES_BRANCH}:refs/heads/{PAGES_BRANCH}'"
             f" || echo 'no {PAGES_BRANCH} branch yet: this publish starts it'")
    return _head(deploy, s) + f"""\
  publish:
    name: Check, build and publish
    runs-on: {RUNNER}
    permissions:
      contents: write  # publish pushes the {PAGES_BRANCH} branch
{_build_steps(s)}\
      - name: Publish
        env:
          GITHUB_TOKEN: ${{{{ github.token }}}}
        run: |
          # The checkout kept no credentials: this step alone gets the token, for git.
          auth=$(printf 'x-access-token:%s' "$GITHUB_TOKEN" | base64 -w0)
          export GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=http.https://github.com/.extraheader
          export GIT_CONFIG_VALUE_0="AUTHORIZATION: basic $auth"
          {fetch}
          policy-archive publish --remote origin
"""


def gitlab_ci(s: Schedule) -> str:
    minutes = AFTER_MIDNIGHT.seconds // 60
    return f"""\
# GitLab Pages: checks the policy site and builds it into public/ on every push to the
# default branch ({s.branch}) and on every scheduled pipeline.
# Add a daily schedule (Build > Pipeline schedules > New schedule): interval
# "{minutes} 0 * * *", cron timezone {s.time_zone}, target branch {s.branch}. On the day a
# version takes effect it then becomes current.
# GitLab Pages sends no custom headers (_headers is ignored): the pages carry their CSP.
# Written by policy-archive init {__version__}.
pages:
  image: {GITLAB_IMAGE}
  variables:
    GIT_DEPTH: "0"  # the build reads the history of versions/ and content/
    TZ: {s.time_zone}  # the build date is the local date; versions take effect at midnight
    PIP_ROOT_USER_ACTION: ignore
  script:
    - if [ -f "$(git rev-parse --git-dir)/shallow" ]; then git fetch --unshallow --quiet; fi
    - python -m pip install -r requirements.txt
    - policy-archive check --strict
    - policy-archive build --out public
    - rm -f public/{MARKER}  # the output folder's marker: for builds, not readers
  artifacts:
    paths:
      - public
  rules:
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
    - if: $CI_PIPELINE_SOURCE == "schedule"
"""


DEPENDABOT = """\
# Dependabot proposes updates of the tool (requirements.txt) and of the pinned actions, as
# pull requests; their CI run checks and builds the site before anyone merges.
version: 2
updates:
  - package-ecosystem: pip
    directory: /
    schedule:
      interval: weekly
    cooldown:
      default-days: 7
  - package-ecosystem: github-actions
    directory: /
    schedule:
      interval: weekly
    cooldown:
      default-days: 7
"""
