"""``policy-archive init DIR``: a new policy repository that builds with no edit, and
deploys on its first push.

It writes ``content/site.yaml`` (every setting explained), a first version of a privacy
policy (a template, dated the build date), a draft of the next version, ``.gitignore``,
``requirements.txt`` pinning the tool, a GitHub Actions workflow and a GitLab CI file that
check, build and publish on every push and once a day just after local midnight (the day a
version takes effect, it becomes current), and Dependabot's settings (:mod:`.workflows`).
When it cannot tell a requirement CI can install the tool by, it refuses without
``--package``. It never overwrites: when DIR holds any of these files, nothing is written.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from pathlib import Path
from typing import NamedTuple

import yaml

from .. import __version__
from ..foundation.errors import ContentError, Problem, UsageError
from ..foundation.i18n import long_date
from .starter import STARTERS
from .workflows import (
    AFTER_MIDNIGHT,
    DEPENDABOT,
    DEPLOYS,
    Schedule,
    github_workflow,
    gitlab_ci,
    requirements,
)

#: The time zone of each site language, when --timezone is not given.
TIME_ZONES = {"ja": "Asia/Tokyo", "en": "UTC"}
#: Fixed offsets (minutes east of UTC) of those defaults, for a system with no zone data.
FIXED_OFFSETS = {"Asia/Tokyo": 540, "UTC": 0, "Etc/UTC": 0}
GITIGNORE = """\
# Built site, build cache and virtual environment: made again by every build.
/site/
/public/
/.cache/
/.venv/
"""


class InitResult(NamedTuple):
    written: tuple[str, ...]  # paths relative to the new repository, in the order written
    package: str  # the pip requirement the workflows install (requirements.txt)
    time_zone: str
    cron: str  # the GitHub schedule (UTC)


class Options(NamedTuple):
    language: str = "ja"
    base_url: str = "https://example.com/policies/"
    package: str | None = None
    time_zone: str | None = None
    branch: str = "main"
    deploy: str = "pages"  # GitHub: Pages' own actions, or "branch" (push gh-pages)


# --- the package the workflows install ------------------------------------------------


def _installed() -> tuple[bool, dict[str, object] | None]:
    """Whether this package is an installed distribution (not a checkout run as
    ``build.py``), and its PEP 610 ``direct_url.json`` (None: installed from an index)."""
    from importlib import metadata

    from ..foundation.resources import PACKAGE

    try:
        dist = metadata.distribution("policy-archive")
    except metadata.PackageNotFoundError:
        return False, None
    if Path(str(dist.locate_file("policy_archive"))).resolve() != PACKAGE:
        return False, None  # another copy is installed (or an editable one): not this one
    text = dist.read_text("direct_url.json")
    try:
        data = json.loads(text) if text else None
    except ValueError:
        data = {}  # there, but unreadable: not from an index
    return True, data if isinstance(data, dict) or data is None else {}


def package_from_direct_url(direct: dict[str, object] | None, version: str,
                            installed: bool = True) -> tuple[str, bool]:
    """The requirement a CI job can install the running package by, and whether it is known
    to work: ``policy-archive @ git+URL@COMMIT`` when it was installed from a VCS address a
    CI job can reach (not a local ``file:`` one); ``policy-archive==VERSION`` when it was
    installed from a package index (no ``direct_url.json``), else that line, not known."""
    vcs = direct.get("vcs_info") if direct else None
    url = direct.get("url") if direct else None
    if isinstance(vcs, dict) and vcs.get("vcs") == "git" and isinstance(url, str) \
            and not url.startswith("file:"):
        commit = vcs.get("commit_id")
        if isinstance(commit, str) and re.fullmatch(r"[0-9a-f]{40}", commit):
            return f"policy-archive @ git+{url}@{commit}", True
    return f"policy-archive=={version}", installed and direct is None


def _check_package(spec: str) -> str:
    spec = spec.strip()
    if not spec or any(ord(c) < 32 for c in spec) or spec.startswith("-") \
            or re.search(r"\s#", spec):
        raise UsageError("--package must be one pip requirement on one line, with no "
                         "comment or option, e.g. 'policy-archive==0.1.0' or "
                         "'policy-archive @ git+https://example.com/you/policy-archive@v0.1.0'")
    return spec


def _package(given: str | None) -> str:
    """``--package``, else the requirement this copy is known to install by; else refused:
    a workflow that cannot install the tool fails on the first push."""
    if given is not None:
        return _check_package(given)
    installed, direct = _installed()
    package, known = package_from_direct_url(direct, __version__, installed)
    if not known:
        raise UsageError(
            "init cannot tell which policy-archive the CI workflows can install: this copy "
            "runs from a checkout or was installed from a local folder or file. Give "
            f"--package SPEC, e.g. --package 'policy-archive=={__version__}' once that release "
            "is on the package index, or --package 'policy-archive @ "
            "git+https://<host>/<owner>/policy_archive@<commit>'")
    return package


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


def plan(as_of: dt.date, options: Options) -> tuple[dict[str, str], InitResult]:
    """Every file to write (path relative to the new repository -> text), decided in full."""
    if options.language not in STARTERS:
        raise UsageError(f"--language must be one of {', '.join(STARTERS)}")
    if not re.fullmatch(r"[A-Za-z0-9._/-]+", options.branch) or options.branch.startswith("-"):
        raise UsageError(f"--branch {options.branch!r} is not a branch name")
    if options.deploy not in DEPLOYS:
        raise UsageError(f"--deploy must be one of {', '.join(DEPLOYS)}")
    time_zone = options.time_zone or TIME_ZONES[options.language]
    cron = daily_cron(time_zone, as_of.year)
    package = _package(options.package)
    schedule = Schedule(time_zone, cron, options.branch)
    lang = options.language
    files = {
        "content/site.yaml": _site_yaml(lang, options.base_url),
        f"versions/privacy/{as_of.isoformat()}.md": _first_version(lang, as_of),
        "content/privacy.md": _draft(lang, as_of),
        ".gitignore": GITIGNORE,
        "requirements.txt": requirements(package),
        ".github/workflows/publish.yml": github_workflow(options.deploy, schedule),
        ".github/dependabot.yml": DEPENDABOT,
        ".gitlab-ci.yml": gitlab_ci(schedule),
    }
    return files, InitResult(tuple(files), package, time_zone, cron)


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
