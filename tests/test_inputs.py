"""Only the project's own regular files are read (issue 33, "files from outside").

Each row links or swaps one input of a good, built project for something from outside it
(a file or folder out of the project, a FIFO, a device, a file too large) and expects
``check`` and ``build`` to end with exit 1 and ``path:1: message``, within a timeout (a
FIFO once hung both), with the project and its ``site/`` as they were, bit for bit, and
nothing from outside published. Then: a link inside the project is allowed, and templates
run sandboxed, their errors at the template's own file and line.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from projects import BUILD_PY, Run, make_project, version_text, write
from support.building import run_in_process

from policy_archive.commands import cli
from policy_archive.foundation.inputs import MAX_INPUT_BYTES

AS_OF = "2022-01-01"
V2 = "versions/privacy/2021-06-01.md"
SECRET = "OUTSIDE-SECRET-7731"
SITE = ("title: T\nbase_url: https://example.org/\n{extra}documents:\n"
        "  - slug: privacy\n    title: P\n")
TEMPLATE = ('{{% extends "base.html" %}}\n{{% block content %}}\n<p>\n{payload}\n</p>\n'
            "{{% endblock %}}\n")


def run(*args: str, isolated: bool = False) -> Run:
    """The command in this process; ``isolated``: build.py as a user runs it, stopped after
    a minute (where a regression would block on reading a FIFO)."""
    if not isolated:
        return run_in_process(*args)
    p = subprocess.run([sys.executable, str(BUILD_PY), *args], capture_output=True,
                       text=True, timeout=60)
    return Run(p.returncode, p.stdout, p.stderr)


def snapshot(folder: Path) -> dict[str, str]:
    """Every entry under ``folder``, links and FIFOs as what they are (never followed or
    opened), regular files by their SHA-256."""
    out: dict[str, str] = {}
    for base, dirs, names in os.walk(folder):
        for name in dirs + names:
            path = Path(base, name)
            mode = path.lstat().st_mode
            out[path.relative_to(folder).as_posix()] = (
                f"link {os.readlink(path)}" if stat.S_ISLNK(mode) else
                hashlib.sha256(path.read_bytes()).hexdigest() if stat.S_ISREG(mode) else
                f"mode {mode:o}")
    return out


def outside_tree(folder: Path) -> Path:
    """Files out of the project, each usable in its place, each holding SECRET."""
    write(folder / "version.md", version_text("2021-06-01", f"# P\n\n{SECRET}\n", summary="s"))
    write(folder / "versions" / "privacy" / "2020-01-01.md",
          version_text("2020-01-01", f"# P\n\n{SECRET}\n"))
    write(folder / "content" / "site.yaml", SITE.format(extra=f"description: {SECRET}\n"))
    write(folder / "templates" / "404.html", TEMPLATE.format(payload=SECRET))
    write(folder / "style.css", f"/* {SECRET} */\n")
    write(folder / "lock.json", '{"versions": {}}\n')
    return folder


def link(rel: str, target: str | Callable[[Path, Path], str]) -> Callable[[Path, Path], None]:
    """Replace ``rel`` in the project by a symbolic link to ``target`` (a path, or a
    function of (project, outside))."""
    def change(root: Path, outside: Path) -> None:
        path = root / rel
        if path.is_dir() and not path.is_symlink():
            import shutil
            shutil.rmtree(path)
        elif os.path.lexists(path):
            path.unlink()
        path.parent.mkdir(parents=True, exist_ok=True)
        path.symlink_to(target(root, outside) if callable(target) else target)
    return change


def out(name: str) -> Callable[[Path, Path], str]:
    return lambda root, outside: str(outside / name)


def fifo(rel: str) -> Callable[[Path, Path], None]:
    def change(root: Path, outside: Path) -> None:
        path = root / rel
        if os.path.lexists(path):
            path.unlink()
        path.parent.mkdir(parents=True, exist_ok=True)
        os.mkfifo(path)
    return change


def big(rel: str) -> Callable[[Path, Path], None]:
    def change(root: Path, outside: Path) -> None:
        body = "# P\n\n" + ("word " * 20 + "\n") * (MAX_INPUT_BYTES // 100 + 1)
        write(root / rel, version_text("2021-06-01", body, summary="s"))
    return change


def both(*changes: Callable[[Path, Path], None]) -> Callable[[Path, Path], None]:
    def change(root: Path, outside: Path) -> None:
        for c in changes:
            c(root, outside)
    return change


def with_template(name: str) -> Callable[[Path, Path], None]:
    return lambda root, outside: write(root / "templates" / name,
                                       TEMPLATE.format(payload="own")) and None


TRANSLATED = lambda root, outside: write(  # noqa: E731
    root / "content" / "site.yaml", SITE.format(extra="languages: [ja, en]\n")) and None
CHECK, BUILD, DRAFTS = ("check",), ("build",), ("build", "--drafts")

#: (id, change, commands, where the problem is reported, a fragment of its message)
CASES: list[tuple[str, Callable[[Path, Path], None], tuple[tuple[str, ...], ...], str, str]] = [
    ("version links out", link(V2, out("version.md")), (CHECK, BUILD), V2, "outside the project"),
    ("version links to /etc/os-release", link(V2, "/etc/os-release"), (CHECK, BUILD), V2,
     "outside the project"),
    ("document folder links out", link("versions/privacy", out("versions/privacy")),
     (CHECK, BUILD), "versions/privacy:1", "outside the project"),
    ("versions/ links out", link("versions", out("versions")), (CHECK, BUILD), "versions:1",
     "outside the project"),
    ("site.yaml links out", link("content/site.yaml", out("content/site.yaml")),
     (CHECK, BUILD), "content/site.yaml", "outside the project"),
    ("content/ links out", link("content", out("content")), (CHECK, BUILD),
     "content/site.yaml", "outside the project"),
    ("draft links to /etc/os-release", link("content/privacy.md", "/etc/os-release"),
     (DRAFTS,), "content/privacy.md", "outside the project"),
    ("translation links out", both(TRANSLATED, link("versions/privacy/2021-06-01.en.md",
                                                    out("version.md"))),
     (CHECK, BUILD), "versions/privacy/2021-06-01.en.md", "outside the project"),
    ("template links out", link("templates/404.html", out("templates/404.html")),
     (CHECK, BUILD), "templates/404.html", "outside the project"),
    ("templates/ links out", link("templates", out("templates")), (CHECK, BUILD),
     "templates/404.html", "outside the project"),
    ("static file links out", link("templates/static/style.css", out("style.css")),
     (CHECK, BUILD), "templates/static/style.css", "outside the project"),
    ("lock file links out", link("content/versions.lock.json", out("lock.json")),
     (CHECK, BUILD), "content/versions.lock.json", "outside the project"),
    ("version is a FIFO", fifo(V2), (CHECK, BUILD), V2, "FIFO"),
    ("site.yaml is a FIFO", fifo("content/site.yaml"), (CHECK, BUILD), "content/site.yaml",
     "FIFO"),
    ("draft is a FIFO", fifo("content/privacy.md"), (DRAFTS,), "content/privacy.md", "FIFO"),
    ("translation is a FIFO", both(TRANSLATED, fifo("versions/privacy/2021-06-01.en.md")),
     (CHECK, BUILD), "versions/privacy/2021-06-01.en.md", "FIFO"),
    ("template is a FIFO", fifo("templates/404.html"), (CHECK, BUILD), "templates/404.html",
     "FIFO"),
    ("static file is a FIFO", fifo("templates/static/style.css"), (CHECK, BUILD),
     "templates/static/style.css", "FIFO"),
    ("lock file is a FIFO", fifo("content/versions.lock.json"), (CHECK, BUILD),
     "content/versions.lock.json", "FIFO"),
    ("version links to /dev/zero", link(V2, "/dev/zero"), (CHECK, BUILD), V2,
     "outside the project"),
    ("version in the project links to /dev/zero", both(
        link("notes/zero", "/dev/zero"), link(V2, lambda root, o: "../../notes/zero")),
     (CHECK, BUILD), V2, "outside the project"),
    ("version is a device node in the project", lambda root, o: (
        (root / V2).unlink(), os.mknod(root / V2, 0o600 | stat.S_IFCHR, os.makedev(1, 5))
        ) and None, (CHECK, BUILD), V2, "character device"),
    ("static file is a device node", lambda root, o: os.mknod(
        root / "templates/static/zero.css", 0o600 | stat.S_IFCHR, os.makedev(1, 5)),
     (CHECK, BUILD), "templates/static/zero.css", "character device"),
    ("version is a socket", lambda root, o: (
        (root / V2).unlink(), os.mknod(root / V2, 0o600 | stat.S_IFSOCK)) and None,
     (CHECK, BUILD), V2, "socket"),
    ("version is a block device", lambda root, o: (
        (root / V2).unlink(), os.mknod(root / V2, 0o600 | stat.S_IFBLK, os.makedev(7, 0))
        ) and None, (CHECK, BUILD), V2, "block device"),
    ("site.yaml is a folder", lambda root, o: (
        (root / "content/site.yaml").unlink(), (root / "content/site.yaml").mkdir()) and None,
     (CHECK, BUILD), "content/site.yaml", "is a folder"),
    ("file name not UTF-8", lambda root, o: (root / "versions/privacy").joinpath(
        os.fsdecode(b"\xff\xfe.md")).write_bytes(b"x"), (CHECK, BUILD),
     r"versions/privacy/\udcff\udcfe.md", "not a date"),  # as stderr writes it
    ("version larger than the cap", big(V2), (CHECK, BUILD), V2, "larger than 8 MiB"),
    ("dangling link", link(V2, "missing.md"), (CHECK, BUILD), V2, "cannot be read"),
    ("link loop", both(link("versions/privacy/loop.md", "2021-06-01.md"),
                       link(V2, "loop.md")), (CHECK, BUILD), V2, "cannot be read"),
]


@pytest.fixture
def built(tmp_path: Path) -> tuple[Path, Path]:
    """A project with a template of its own and a static file, built into its site/."""
    root = make_project(tmp_path / "proj")
    write(root / "templates" / "404.html", TEMPLATE.format(payload="own"))
    write(root / "templates" / "static" / "style.css", "body { color: #000 }\n")
    write(root / "content" / "privacy.md", "# P\n\nDraft.\n")
    r = run("lock", "--root", str(root))
    assert r.code == 0, r.err
    r = run("build", "--root", str(root), "--as-of", AS_OF)
    assert r.code == 0, r.err
    return root, outside_tree(tmp_path / "outside")


@pytest.mark.parametrize("change,commands,where,fragment", [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_only_the_projects_own_regular_files_are_read(
        built: tuple[Path, Path], change: Callable[[Path, Path], None],
        commands: tuple[tuple[str, ...], ...], where: str, fragment: str) -> None:
    root, outside = built
    change(root, outside)
    before = snapshot(root)
    for command in commands:
        r = run(*command, "--root", str(root), "--as-of", AS_OF, isolated=fragment == "FIFO")
        assert r.code == 1, (command, r.out, r.err)
        assert "Traceback" not in r.err
        lines = [ln for ln in r.err.splitlines() if ln.startswith(where + ":")]
        assert any(fragment in ln for ln in lines), (command, r.err)
        assert snapshot(root) == before, f"{command}: the project or its site/ changed"
    published = [p for p in (root / "site").rglob("*") if p.is_file()
                 and SECRET.encode() in p.read_bytes()]
    assert not published


def test_a_link_inside_the_project_is_read(tmp_path: Path) -> None:
    """A version linked to a file elsewhere in the project is still the project's own."""
    root = make_project(tmp_path / "proj")
    write(root / "shared" / "second.md", version_text("2021-06-01", "# P\n\nShared text.\n",
                                                      summary="s"))
    (root / V2).unlink()
    (root / V2).symlink_to("../../shared/second.md")
    r = run("build", "--root", str(root), "--as-of", AS_OF)
    assert r.code == 0, r.err
    assert "Shared text." in (root / "site" / "privacy" / "index.html").read_text("utf-8")


def check_in_process(root: Path) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = cli.main(["check", "--root", str(root), "--as-of", AS_OF])
    return code, err.getvalue()


#: What a template might try (line 4 of templates/404.html), and a fragment of the error.
ESCAPES = [
    ("{{ cycler.__init__.__globals__.os.popen('id').read() }}", "sandbox"),
    ("{{ lipsum.__globals__['os'].popen('id').read() }}", "sandbox"),
    ("{{ self.__init__.__globals__.__builtins__.open('/etc/hostname').read() }}", "sandbox"),
    ("{{ ''.__class__.__mro__[1].__subclasses__() }}", "sandbox"),
    ("{{ namespace.__init__.__globals__ }}", "sandbox"),
    ("{{ paths.posixpath.os.popen('id').read() }}", "sandbox"),
    ("{{ paths.re.sys.modules }}", "sandbox"),
    ("{{ paths.escape.__globals__ }}", "sandbox"),
    ("{{ date_of.__self__.__subclasses__() }}", "sandbox"),
    ("{{ '{0.__class__.__mro__}'.format(1) }}", "sandbox"),
    ("{{ t.__init__.__globals__ }}", "sandbox"),
    ("{{ open('/etc/hostname').read() }}", "'open' is undefined"),
    ("{{ __import__('os').popen('id').read() }}", "is undefined"),
    ("{{ 1/0 }}", "ZeroDivisionError"),
    ("{{ range(10**9) | list }}", "range"),
    # the cycle runs through line 4 (the include) and line 1 (the extends): either is right
    ('{% include "404.html" %}', "includes or extends itself"),
    ("{{ nothing.at.all }}", "undefined"),
]


@pytest.mark.parametrize("payload,fragment", ESCAPES, ids=[e[0] for e in ESCAPES])
def test_templates_run_sandboxed_and_errors_name_their_line(
        tmp_path: Path, payload: str, fragment: str) -> None:
    root = make_project(tmp_path / "proj")
    write(root / "templates" / "404.html", TEMPLATE.format(payload=payload))
    before = snapshot(root)
    code, err = check_in_process(root)
    assert code == 1, err
    first = err.splitlines()[0]
    line = "1" if "include" in payload else "4"
    assert first.startswith(f"templates/404.html:{line}: template error"), err
    assert fragment in first, err
    assert "uid=" not in err and snapshot(root) == before


@pytest.mark.parametrize("text,where", [
    ("{% if %}\n", "templates/404.html:1"),
    ('{% extends "base.html" %}\n{% block content %}\n{% for x in %}\n{% endblock %}\n',
     "templates/404.html:3"),
    ("{% if 1 %}" * 5000 + "x" + "{% endif %}" * 5000, "templates/404.html:1"),
    ("{{ " + "(" * 5000 + "1" + ")" * 5000 + " }}", "templates/404.html:1"),
])
def test_template_syntax_errors_name_their_line(tmp_path: Path, text: str, where: str) -> None:
    root = make_project(tmp_path / "proj")
    write(root / "templates" / "404.html", text)
    code, err = check_in_process(root)
    assert code == 1 and err.startswith(where + ": template error"), err


class _Runs:
    """A pickle that, unpickled, writes the file ``path`` (what a hostile cache would do)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __reduce__(self) -> tuple[object, tuple[Path, str]]:
        return (Path.write_text, (self.path, "ran"))


def _planted(payload: bytes) -> list[bytes]:
    """Cache files a repository might bring: framed as the cache used to frame them (a
    plain SHA-256), framed with the current magic, and the bare pickle."""
    from policy_archive.runtime.cache import MAGIC

    return [b"policy-archive-cache-1\n" + hashlib.sha256(payload).digest() + payload,
            MAGIC + hashlib.sha256(payload).digest() + payload, payload]


@pytest.mark.parametrize("variant", range(3))
@pytest.mark.parametrize("rel", ["markdown/privacy.pickle", "diff/privacy.pickle",
                                 "views/privacy.pickle"])
def test_a_cache_brought_with_the_project_is_not_unpickled(tmp_path: Path, rel: str,
                                                           variant: int) -> None:
    """The build cache lives in the project (``.cache/policy_archive/``): a file planted
    there is data no build of this installation wrote, so it is a miss, never unpickled."""
    import pickle

    root = make_project(tmp_path / "proj")
    marker = tmp_path / "ran"
    path = root / ".cache" / "policy_archive" / rel
    path.parent.mkdir(parents=True)
    path.write_bytes(_planted(pickle.dumps(_Runs(marker)))[variant])
    r = run("build", "--root", str(root), "--as-of", AS_OF)
    assert r.code == 0, r.err
    assert not marker.exists(), "a planted cache file was unpickled"
