"""Where the built-in templates and static assets live, and where the sample project is.

Installed, the templates are the sub-package ``policy_archive/templates`` (setuptools maps it
from the checkout's top-level ``templates/``, see pyproject.toml); in a checkout (or an
editable install) they are ``<checkout>/templates``. Nothing else in the package reads
files relative to the checkout.
"""

from __future__ import annotations

from pathlib import Path

#: The package folder (this module is in its ``foundation/``).
PACKAGE = Path(__file__).resolve().parent.parent


def _builtin_templates() -> Path:
    installed = PACKAGE / "templates"
    return installed if installed.is_dir() else PACKAGE.parent / "templates"


BUILTIN_TEMPLATES = _builtin_templates()


def sample_project() -> Path | None:
    """The checkout holding this package, when it is one with its sample (not installed)."""
    checkout = PACKAGE.parent
    if (checkout / "build.py").is_file() and (checkout / "content" / "site.yaml").is_file():
        return checkout
    return None


def find_project(cwd: Path) -> Path | None:
    """The nearest folder at or above ``cwd`` that holds ``content/site.yaml`` (the way git
    finds its repository), or None."""
    for folder in (cwd, *cwd.parents):
        if (folder / "content" / "site.yaml").is_file():
            return folder
    return None


def default_root(cwd: Path) -> Path:
    """``--root`` when none is given: the project at or above the current folder
    (:func:`find_project`), else the sample in a checkout, else the current folder (whose
    missing ``content/site.yaml`` the build then reports)."""
    return find_project(cwd) or sample_project() or cwd
