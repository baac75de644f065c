"""Writing: pages rendered with Jinja2, then swapped into the output folder atomically.

Everything is rendered in memory first; the files are written into a temporary folder
beside the output, and the folder is swapped in with two renames. A failed build leaves the
previous output as it was; a killed build leaves a temporary folder that the next build
removes. Files whose bytes did not change are hard-linked from the previous output rather
than written again.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import jinja2

from . import i18n, urls
from .errors import ContentError
from .pages import Page
from .resources import BUILTIN_TEMPLATES

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
       "connect-src 'self'; base-uri 'none'; form-action 'self'")


def environment(root: Path) -> jinja2.Environment:
    loaders: list[jinja2.BaseLoader] = []
    if (root / "templates").is_dir() and (root / "templates").resolve() != BUILTIN_TEMPLATES:
        loaders.append(jinja2.FileSystemLoader(str(root / "templates")))
    loaders.append(jinja2.FileSystemLoader(str(BUILTIN_TEMPLATES)))
    env = jinja2.Environment(loader=jinja2.ChoiceLoader(loaders), autoescape=True,
                             trim_blocks=False, lstrip_blocks=False, keep_trailing_newline=True)
    return env


def static_dir(root: Path) -> list[Path]:
    """Folders of static assets: the project's own first (it overrides by name)."""
    return [p for p in (root / "templates" / "static", BUILTIN_TEMPLATES / "static") if p.is_dir()]


def static_assets(root: Path) -> dict[str, tuple[str, bytes]]:
    """name -> (content-hashed site path, bytes)."""
    out: dict[str, tuple[str, bytes]] = {}
    for folder in static_dir(root):
        for path in sorted(folder.iterdir()):
            if path.is_file() and not path.name.startswith(".") and path.name not in out:
                data = path.read_bytes()
                digest = hashlib.sha256(data).hexdigest()[:10]
                stem, dot, ext = path.name.rpartition(".")
                out[path.name] = (f"static/{stem}.{digest}.{ext}" if dot else
                                  f"static/{path.name}.{digest}", data)
    return out


def render_pages(pages: list[Page], env: jinja2.Environment, common: Mapping[str, Any],
                 assets: Mapping[str, tuple[str, bytes]],
                 progress: Callable[[int], None] | None = None) -> dict[str, bytes]:
    """Render every page to bytes, keyed by output file path."""
    site = common["site"]
    translator = i18n.Translator(site.language)
    lang = site.language
    base = {
        **common,
        "t": translator,
        "paths": urls,
        "csp": CSP,
        "long": lambda d: i18n.long_date(d, lang),
        "short": lambda d: i18n.short_date(d, lang),
        "period": lambda a, b: i18n.period(a, b, lang),
    }
    files: dict[str, bytes] = {}
    for n, page in enumerate(pages):
        file = urls.file_of(page.path)
        if page.template is None:
            files[file] = (page.text or "").encode("utf-8")
            continue
        here = page.context.get("link_base", page.path)

        if page.context.get("absolute_links"):  # e.g. 404.html, served at any address

            def link(target: str) -> str:
                return site.base_path + target

            def asset(name: str) -> str:
                return site.base_path + assets[name][0]
        else:

            def link(target: str, _here: str = here) -> str:
                return urls.relative(_here, target)

            def asset(name: str, _here: str = here) -> str:
                return urls.relative(_here, assets[name][0])

        ctx = {**base, "link": link, "asset": asset,
               "canonical": urls.absolute(site.base_url,
                                          page.context.get("canonical_path", page.path)),
               **page.context}
        try:
            files[file] = env.get_template(page.template).render(ctx).encode("utf-8")
        except jinja2.TemplateSyntaxError as e:
            raise ContentError.single(f"templates/{e.name or page.template}", e.lineno or 1,
                                      f"template error: {e.message}") from None
        except jinja2.TemplateError as e:
            raise ContentError.single(f"templates/{page.template}", 1,
                                      f"template error while writing {file}: {e}") from None
        if progress is not None:
            progress(n)
    for name, (path, data) in assets.items():
        files[path] = data
    return files


def _alive(pid_text: str) -> bool:
    try:
        pid = int(pid_text)
    except ValueError:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return pid != os.getpid()


def remove_stale_temporaries(out: Path) -> None:
    """Remove folders left by builds that were killed (their process is gone)."""
    out = out.resolve()
    if not out.parent.is_dir():
        return
    for kind in ("tmp", "old"):
        for p in out.parent.glob(f".{out.name}.{kind}-*"):
            pid = p.name[len(f".{out.name}.{kind}-"):].split("-")[0]
            if not _alive(pid):
                shutil.rmtree(p, ignore_errors=True)


def write_site(out: Path, files: Mapping[str, bytes]) -> int:
    """Write ``files`` as the new content of ``out``, atomically; returns files rewritten."""
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(out)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-{os.getpid()}-", dir=out.parent))
    written = 0
    try:
        for rel in sorted(files):
            target = tmp / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            old = out / rel
            data = files[rel]
            try:
                if old.is_file() and old.stat().st_size == len(data) and old.read_bytes() == data:
                    os.link(old, target)
                    continue
            except OSError:
                pass
            target.write_bytes(data)
            written += 1
        os.chmod(tmp, 0o755)
        if out.exists():
            old_dir = out.parent / f".{out.name}.old-{os.getpid()}"
            os.rename(out, old_dir)
            os.rename(tmp, out)
            shutil.rmtree(old_dir, ignore_errors=True)
        else:
            os.rename(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return written
