"""Writing: pages rendered with Jinja2, then swapped into the output folder atomically.

Pages are rendered in memory (across cores when there are many); a thread writes each file
into a temporary folder beside the output as it comes (:class:`SiteWriter`), other processes
write theirs into the same folder, and the folder is swapped in with two renames. A failed
build leaves the previous output as it was; a killed build leaves a temporary folder that
the next build removes. Files whose bytes did not change are hard-linked from the previous
output rather than written again. Compiled templates are kept with the program (built-in
ones) or in the build cache (the project's). Jinja2 is imported only when pages are
rendered, and what only writing needs (``tempfile``, ``shutil``, ``queue``) only when
something is written.
"""

from __future__ import annotations

import hashlib
import os
import stat
import sys
import threading
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import i18n, urls
from .errors import ContentError
from .pages import Page
from .resources import BUILTIN_TEMPLATES

if TYPE_CHECKING:
    import queue

    import jinja2

    from .cache import Cache

#: Render pages in several processes only from this many pages on (below it, starting the
#: processes costs more than it saves). The sample's 89 pages, with its diffs: 0.355 s in two
#: processes, 0.45 s in one (whole builds, alternating, 16 each; bench/README.md).
PARALLEL_PAGES = 60
#: The thread switch interval while :class:`SiteWriter` writes beside the rendering.
SWITCH_INTERVAL = 0.0002

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
       "connect-src 'self'; base-uri 'none'; form-action 'self'")


def template_dirs(root: Path) -> list[Path]:
    """Folders templates are looked up in: the project's own first (it overrides by name)."""
    own = root / "templates"
    return ([own] if own.is_dir() and own.resolve() != BUILTIN_TEMPLATES else []) + \
        [BUILTIN_TEMPLATES]


def environment(root: Path, cache: Cache | None = None) -> jinja2.Environment:
    import jinja2

    from .cache import jinja_bytecode_cache

    loaders: list[jinja2.BaseLoader] = [jinja2.FileSystemLoader(str(d))
                                        for d in template_dirs(root)]
    env = jinja2.Environment(loader=jinja2.ChoiceLoader(loaders), autoescape=True,
                             trim_blocks=False, lstrip_blocks=False, keep_trailing_newline=True,
                             auto_reload=False,  # one build, one environment: no re-stat
                             bytecode_cache=jinja_bytecode_cache(cache))
    return env


def compile_templates(env: jinja2.Environment, *, reverse: bool = True) -> int:
    """Compile (or load) every template of ``env``; returns how many there are. Errors are
    reported when a page uses the template.

    Run in another process while the build goes on, it fills the bytecode caches; it
    compiles in reverse order of name, and this process loads them (``reverse=False``) in
    order of name, compiling what it does not find in the cache, so that the two meet in the
    middle."""
    names = [n for n in env.list_templates() if not n.startswith("static/")]
    for name in sorted(names, reverse=reverse):
        try:
            env.get_template(name)
        except Exception:  # noqa: BLE001 - reported when a page uses the template
            pass
    return len(names)


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


Sink = Callable[[str, bytes], None]


def page_renderer(env: jinja2.Environment, common: Mapping[str, Any],
                  assets: Mapping[str, tuple[str, bytes]]) -> Callable[[Page], bytes]:
    """``render(page) -> bytes``: a page's template filled with ``common``, the page's own
    context and its links (relative to the page, or absolute for pages served at any
    address); a text page's text. A template error is a ContentError naming the template."""
    import jinja2

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

    def render(page: Page) -> bytes:
        if page.template is None:
            return (page.text or "").encode("utf-8")
        here: str = page.context.get("link_base", page.path)
        base_path: str = site.base_path

        if page.context.get("absolute_links"):  # e.g. 404.html, served at any address

            def link(target: str) -> str:
                return base_path + target
        else:

            def link(target: str) -> str:
                return urls.relative(here, target)

        def asset(name: str) -> str:
            return link(assets[name][0])

        def content(html: str, slug: str) -> str:
            """A policy text's HTML (read from its document's address) for this page."""
            from markupsafe import Markup

            return Markup(urls.rebase_links(html, urls.document(slug), here))

        ctx = {**base, "link": link, "asset": asset, "content": content,
               "canonical": urls.absolute(site.base_url,
                                          page.context.get("canonical_path", page.path)),
               **page.context}
        try:
            return env.get_template(page.template).render(ctx).encode("utf-8")
        except jinja2.TemplateSyntaxError as e:
            raise ContentError.single(f"templates/{e.name or page.template}", e.lineno or 1,
                                      f"template error: {e.message}") from None
        except jinja2.TemplateError as e:
            raise ContentError.single(f"templates/{page.template}", 1,
                                      "template error while writing "
                                      f"{urls.file_of(page.path)}: {e}") from None

    return render


def check_templates(env: jinja2.Environment, names: Iterable[str]) -> None:
    """Compile the named templates (once, before the work is shared out); a syntax error is
    a ContentError. Other errors are reported with the page that meets them."""
    import jinja2

    for name in sorted(set(names)):
        try:
            env.get_template(name)
        except jinja2.TemplateSyntaxError as e:
            raise ContentError.single(f"templates/{e.name or name}", e.lineno or 1,
                                      f"template error: {e.message}") from None
        except jinja2.TemplateError:
            pass


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
        prefix = f".{out.name}.{kind}-"
        with os.scandir(out.parent) as entries:
            stale = [e.path for e in entries if e.name.startswith(prefix)
                     and not _alive(e.name[len(prefix):].split("-")[0])]
        if stale:
            import shutil

            for path in stale:
                shutil.rmtree(path, ignore_errors=True)


class SiteWriter:
    """Writes a site's files into a temporary folder beside ``out`` as they are given, on a
    thread of its own (writing mostly waits on the disk, while the next pages are rendered),
    then swaps the folder in with two renames (:meth:`finish`) or removes it (:meth:`abort`).

    A file whose bytes are those of the same file in the current output is hard-linked from
    it instead. The thread starts with the first file: nothing may fork after that (see
    :mod:`.parallel`): the build gives it files only once its forks are done.
    """

    def __init__(self, out: Path) -> None:
        self.out = out.resolve()
        self.tmp: Path | None = None
        self.written = 0
        self._queue: queue.SimpleQueue[tuple[str, bytes] | None] | None = None  # with the thread
        # Unchanged files, hard-linked from the current output only in finish(): a link
        # changes the linked file's ctime, and a failed build must leave the output as it was.
        self._links: list[tuple[Path, Path]] = []
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None
        self._interval = 0.005
        self._folders: set[str] = set()  # made in the temporary folder
        self._fresh = False

    def _folder(self) -> Path:
        if self.tmp is None:
            import tempfile

            self.out.parent.mkdir(parents=True, exist_ok=True)
            remove_stale_temporaries(self.out)
            self.tmp = Path(tempfile.mkdtemp(prefix=f".{self.out.name}.tmp-{os.getpid()}-",
                                             dir=self.out.parent))
            self._folders = {str(self.tmp)}
            self._fresh = not self.out.exists()  # no earlier output: nothing to compare
        return self.tmp

    def open_for_others(self) -> None:
        """Make the temporary folder now, before other processes are forked that write
        files into it themselves (:meth:`write_here`, then :meth:`adopt` here)."""
        self._folder()

    def write_here(self, rel: str, data: bytes) -> bool:
        """Write a file from another process (after :meth:`open_for_others`): into the
        temporary folder, or not at all when the current output holds the same bytes.
        Returns whether it was written; give that to :meth:`adopt` in the building process."""
        assert self.tmp is not None
        folder = os.path.dirname(os.path.join(str(self.tmp), rel))
        if folder not in self._folders:
            os.makedirs(folder, exist_ok=True)
            self._folders.add(folder)
        return self._put(str(self.tmp), rel, data)

    def adopt(self, rel: str, written: bool) -> None:
        """Count a file another process wrote (or found unchanged: linked at the end)."""
        assert self.tmp is not None
        if written:
            self.written += 1
        else:
            self._links.append((self.out / rel, self.tmp / rel))
        self._folders.add(os.path.dirname(os.path.join(str(self.tmp), rel)))

    def add(self, rel: str, data: bytes) -> None:
        if self._thread is None:
            self._folder()
            import queue

            self._queue = queue.SimpleQueue()
            self._thread = threading.Thread(target=self._run, name="site-writer", daemon=True)
            # The writer needs the GIL back after each system call; by default a busy
            # renderer hands it over only every 5 ms, which left the writer far behind.
            self._interval = sys.getswitchinterval()
            sys.setswitchinterval(SWITCH_INTERVAL)
            self._thread.start()
        # Folders are made here, and the thread only opens, writes and closes: each system
        # call it makes waits for the GIL while pages are rendered (en: 40 ms of files were
        # left to write when the last page was done).
        folder = os.path.dirname(os.path.join(str(self.tmp), rel))
        if folder not in self._folders:
            try:
                os.makedirs(folder, exist_ok=True)
            except OSError as e:
                self._error = self._error or e
            self._folders.add(folder)
        assert self._queue is not None
        self._queue.put((rel, data))

    def _run(self) -> None:
        assert self.tmp is not None and self._queue is not None
        tmp = str(self.tmp)
        while (item := self._queue.get()) is not None:
            if self._error is not None:
                continue  # drain: the build fails at finish()
            rel, data = item
            try:
                if self._put(tmp, rel, data):
                    self.written += 1
                else:  # linked once the build succeeded
                    self._links.append((self.out / rel, Path(tmp) / rel))
            except BaseException as e:  # noqa: BLE001 - raised again by finish()
                self._error = e

    def _put(self, tmp: str, rel: str, data: bytes) -> bool:
        """Write ``rel`` into ``tmp`` unless the current output holds the same bytes."""
        if not self._fresh and self._unchanged(self.out / rel, data):
            return False
        fd = os.open(os.path.join(tmp, rel), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
        finally:
            os.close(fd)
        return True

    @staticmethod
    def _unchanged(old: Path, data: bytes) -> bool:
        try:
            return old.is_file() and old.stat().st_size == len(data) and old.read_bytes() == data
        except OSError:
            return False

    def _stop(self) -> None:
        if self._thread is not None and self._queue is not None:
            self._queue.put(None)
            self._thread.join()
            sys.setswitchinterval(self._interval)

    def finish(self) -> int:
        """Wait for the last file, swap the folder in; returns the files written anew."""
        import shutil

        self._stop()
        tmp = self._folder()
        try:
            if self._error is not None:
                raise self._error
            for old, target in self._links:
                try:
                    os.link(old, target)
                except OSError:  # gone meanwhile, or links not supported: write it
                    target.write_bytes(old.read_bytes())
                    self.written += 1
            os.chmod(tmp, 0o755)
            if self.out.exists():
                old_dir = self.out.parent / f".{self.out.name}.old-{os.getpid()}"
                os.rename(self.out, old_dir)
                os.rename(tmp, self.out)
                shutil.rmtree(old_dir, ignore_errors=True)
            else:
                os.rename(tmp, self.out)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        return self.written

    def abort(self) -> None:
        """Stop and remove the temporary folder; the output stays as it was."""
        import shutil

        self._stop()
        if self.tmp is not None:
            shutil.rmtree(self.tmp, ignore_errors=True)


def folder_state(out: Path) -> dict[str, tuple[int, ...]]:
    """Every file under ``out`` with its size, modification and change times and inode (any
    write, replacement or ``touch`` changes one of them), and every folder (``"dir/"``)."""
    state: dict[str, tuple[int, ...]] = {}
    prefix = len(str(out)) + 1

    def walk(folder: str) -> None:
        with os.scandir(folder) as entries:
            for e in entries:
                st = e.stat(follow_symlinks=False)
                rel = e.path[prefix:].replace(os.sep, "/")
                if stat.S_ISDIR(st.st_mode):
                    state[rel + "/"] = ()
                    walk(e.path)
                else:
                    state[rel] = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino,
                                  st.st_mode)
    try:
        walk(str(out))
    except OSError:
        return {}
    return state
