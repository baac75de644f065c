"""Where the built-in templates and static assets live."""

from pathlib import Path

BUILTIN_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
