"""A project's templates extend the built-in ones (``policy_archive/<name>.html``) and
override one block; their mistakes are ``path:line``, all at once; ``check --strict`` fails
on a variable no page is given; ``serve`` keeps answering while a template is broken."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from projects import BUILD_PY, make_project, write
from support.building import run_in_process

from policy_archive.foundation.resources import BUILTIN_TEMPLATES

AS_OF = "2026-01-01"
FOOTER = ('{% extends "policy_archive/base.html" %}\n'
          '{% block footer %}<footer class="site-footer"><p>ACME Corp., 1 Main Street'
          '</p></footer>{% endblock %}\n')


@pytest.fixture(scope="module")
def themed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_project(tmp_path_factory.mktemp("extends") / "p", language="en")
    write(root / "templates" / "base.html", FOOTER)
    out = root.parent / "site"
    done = run_in_process("build", "--root", str(root), "--out", str(out), "--as-of", AS_OF)
    assert done.code == 0, done.err
    return out


@pytest.mark.parametrize("page", ["index.html", "privacy/index.html",
                                  "privacy/versions/index.html", "404.html",
                                  "privacy/diff/2020-01-01/2021-06-01/index.html"])
def test_a_base_that_extends_the_built_in_one_changes_only_the_footer(themed: Path,
                                                                      page: str) -> None:
    html = (themed / page).read_text("utf-8")
    assert html.count("ACME Corp., 1 Main Street") == 1
    assert html.count("<footer") == 1 and "versions.json" not in html.split("<footer")[1]
    assert '<header class="site-header">' in html and 'class="site-search"' in html
    assert "<main" in html and html.rstrip().endswith("</html>")


def test_template_mistakes_are_path_line_all_at_once(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", language="en")
    write(root / "templates" / "start.html", '{% extends "policy_archive/base.html" %}\n'
          '{% block content %}\n{% include "nowhere.html" %}\n{% endblock %}\n')
    write(root / "templates" / "version.html", '{% extends "base.html" %}\n'
          "{% block content %}\n{% if x %}\n{% endblock %}\n")
    write(root / "templates" / "partial.html", "<p>{{ oops( }}</p>\n")
    done = run_in_process("build", "--root", str(root), "--out", str(tmp_path / "o"))
    assert done.code == 1
    lines = done.err.splitlines()
    assert any(line.startswith("templates/start.html:3: template error: include names "
                               "'nowhere.html'") for line in lines), done.err
    assert any(line.startswith("templates/version.html:4: template error: ") for line in lines)
    assert any(line.startswith("templates/partial.html:1: template error: ") for line in lines)
    assert "Traceback" not in done.err and not (tmp_path / "o").exists()


def test_check_strict_fails_on_a_variable_no_page_is_given(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", language="en")
    write(root / "templates" / "base.html", FOOTER.replace(
        "1 Main Street", "{{ site.title }}\n{% for d in documents %}{{ loop.index }}"
        "{{ d.title }}{% endfor %} {{ sitetitle }}"))
    done = run_in_process("check", "--root", str(root), "--as-of", AS_OF)
    assert done.code == 0
    assert done.err.splitlines() == [
        "templates/base.html:3: warning: the template reads 'sitetitle', a variable no page "
        "is given (it renders as nothing): check its spelling"]
    assert run_in_process("check", "--strict", "--root", str(root), "--as-of", AS_OF).code == 1
    write(root / "templates" / "base.html", FOOTER)
    assert run_in_process("check", "--strict", "--root", str(root), "--as-of", AS_OF).code == 0
    for name in ("base.html", "diff.html", "version.html"):  # copies of the built-in ones
        write(root / "templates" / name, (BUILTIN_TEMPLATES / name).read_text("utf-8"))
    assert run_in_process("check", "--strict", "--root", str(root), "--as-of", AS_OF).code == 0


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:  # noqa: S310 - our own server
            return r.status, r.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8")
    except urllib.error.URLError:  # not listening yet
        return 0, ""


def _until(url: str, wanted: str, deadline: float) -> tuple[int, str]:
    status, body = _get(url)
    while wanted not in body and time.monotonic() < deadline:
        time.sleep(0.05)
        status, body = _get(url)
    return status, body


def test_serve_keeps_answering_and_shows_a_template_error(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", language="en")
    write(root / "templates" / "base.html", FOOTER.replace("{% endblock %}", "{% endblok %}"))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    log = (tmp_path / "serve.log").open("w")
    proc = subprocess.Popen([sys.executable, "-u", str(BUILD_PY), "serve", "--root", str(root),
                             "--port", str(port), "--as-of", AS_OF], stdout=log,
                            stderr=subprocess.STDOUT, env=env, cwd=tmp_path)
    try:
        host = f"http://127.0.0.1:{port}"
        url = f"{host}/legal/privacy/"  # base_url https://example.org/legal/
        deadline = time.monotonic() + 60
        status, body = _until(url, "templates/base.html:2: template error", deadline)
        assert status == 500 and "does not build" in body, body
        write(root / "templates" / "base.html", FOOTER)
        status, body = _until(url, "ACME Corp.", deadline)
        assert status == 200 and "does not build" not in body, body
        write(root / "templates" / "base.html", FOOTER.replace("{{", "{{ site.title(").replace(
            "<p>ACME", "<p>{{ site.title( }} ACME"))
        status, body = _until(url, "templates/base.html:2: template error", deadline)
        assert status == 200 and "ACME Corp." in body  # the last good page, its error on top
        assert body.index('role="alert"') < body.index("<main")
        write(root / "templates" / "base.html", FOOTER)
        status, body = _get(url)
        while 'role="alert"' in body and time.monotonic() < deadline:  # until rebuilt
            time.sleep(0.05)
            status, body = _get(url)
        assert status == 200 and 'role="alert"' not in body
        assert _get(f"{host}/legal/")[0] == 200
        status, body = _get(f"{host}/legal/no/such/page/")  # the site's own 404 page
        assert status == 404 and '<link rel="canonical" href="https://example.org/legal/404.html">' in body
        assert _get(f"{host}/privacy/")[0] == 404  # not the site's address
        status, body = _get(f"{host}/robots.txt")  # at the host's root, where crawlers read it
        assert status == 200 and "Sitemap: https://example.org/legal/sitemap.xml" in body
    finally:
        os.kill(proc.pid, signal.SIGTERM)  # the server this test started, by its pid
        proc.wait(timeout=10)
        log.close()
