"""Templates: the Jinja2 environment, the helpers pages are written with, the page renderer.

A page is rendered from its template, the site-wide values and its own context; the files
are written by :mod:`.staging`. Compiled templates are kept with the program (built-in ones)
or in the build cache (the project's).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..foundation import i18n, urls
from ..foundation.errors import ContentError, Problem
from ..foundation.model import UNDATED
from ..foundation.resources import BUILTIN_TEMPLATES
from ..site.hosting import CSP, site_csp
from .assets import THEME_CSS, asset_key, static_assets

if TYPE_CHECKING:
    import jinja2

    from ..site.comparisons import DiffJob, DiffViews
    from ..site.models import Page

#: Static assets only a site in several languages uses (the language switch).
MULTILINGUAL_ASSETS = ("languages.css", "languages.js")


def template_dirs(root: Path) -> list[Path]:
    """Folders templates are looked up in: the project's own first (it overrides by name)."""
    own = root / "templates"
    return ([own] if own.is_dir() and own.resolve() != BUILTIN_TEMPLATES else []) + \
        [BUILTIN_TEMPLATES]


def environment(root: Path, bytecode: jinja2.BytecodeCache | None = None
                ) -> jinja2.Environment:
    """The templates' environment, sandboxed (:mod:`.sandbox`): a project's templates are
    input like its texts; ``bytecode`` keeps them compiled (:func:`.cache.jinja_bytecode_cache`)."""
    from .sandbox import SiteSandbox

    env = SiteSandbox(template_dirs(root), root, BUILTIN_TEMPLATES, autoescape=True,
                      trim_blocks=False, lstrip_blocks=False, keep_trailing_newline=True,
                      auto_reload=False,  # one build, one environment: no re-stat
                      bytecode_cache=bytecode)
    return env


Views = Callable[["DiffJob"], "DiffViews"]


def site_renderer(root: Path, bytecode: jinja2.BytecodeCache | None, pages: Sequence[Page],
                  common: Mapping[str, Any], views: Views,
                  warn: Callable[[Problem], None] | None = None
                  ) -> tuple[Callable[[Page], bytes], dict[str, tuple[str, bytes]]]:
    """``(render(page) -> bytes, the static assets)``: templates from the project's
    ``templates/`` first, then the built-in ones, filled with ``common`` and each page's
    context; ``views`` gives a diff page's views. A template error is a ContentError naming
    the template; ``warn`` is given a project template's variable no page is given."""
    env = environment(root, bytecode)
    assets = static_assets(root, common["site"].theme, common["site"].paper)
    if len(common["site"].all_languages) < 2:  # a site in one language does without them
        assets = {k: v for k, v in assets.items() if k not in MULTILINGUAL_ASSETS}
    found = check_templates(env, [*(p.template for p in pages if p.template), "diff.html",
                                  "404.html", "untranslated.html"],
                            given_names(common, pages) if warn else None)
    if warn is not None:
        for problem in found:
            warn(problem)
    return page_renderer(env, common, assets, views), assets


def page_renderer(env: jinja2.Environment, common: Mapping[str, Any],
                  assets: Mapping[str, tuple[str, bytes]], views: Views
                  ) -> Callable[[Page], bytes]:
    """``render(page) -> bytes``: a page's template filled with ``common``, the page's own
    context and its links (relative to the page, or absolute for pages served at any
    address), and a diff page's views; a text page's text. A template error is a
    ContentError naming the template. Longer than most: the helpers a page is given are
    closures over the page (its address, its links), built here once per page."""
    from markupsafe import Markup, escape

    from .sandbox import template_error

    site = common["site"]
    themed = theme_values(site)
    by_language = {lang: {**common, **language_helpers(lang, lang == site.language), **themed}
                   for lang in site.all_languages}

    relative_links = common.get("relative_link_docs", frozenset())
    #: The footer's list of documents, by what it depends on: the documents listed (a
    #: language's own), the language, whether links are absolute, and the depth and first
    #: two folders of the page's address (each link names a document's address, one or two
    #: folders deep).
    footers: dict[tuple[int, str, bool, int, tuple[str, ...]], Markup] = {}

    def render(page: Page) -> bytes:
        if page.template is None:
            return page.data if page.data is not None else (page.text or "").encode("utf-8")
        base = by_language[page.context.get("language", site.language)]
        paths: urls.Paths = base["paths"]
        flags = page.flags
        here = flags.link_base if flags.link_base is not None else page.path
        base_path: str = site.base_path

        if flags.absolute_links:  # e.g. 404.html, served at any address

            def link(target: str) -> str:
                return base_path + target
        else:

            def link(target: str) -> str:
                return urls.relative(here, target)

        def asset(name: str) -> str:
            return link(assets[name][0])

        def document_links() -> Markup:
            """``<li>`` links to every document, as the footer lists them."""
            folders = urls.folders_of(here)
            documents = page.context.get("documents", base["documents"])
            key = (id(documents), base["lang"], flags.absolute_links,
                   len(folders), tuple(folders[:2]))
            if key not in footers:
                footers[key] = Markup("".join(
                    f'<li><a href="{escape(link(paths.document(d.slug)))}">{escape(d.title)}'
                    "</a></li>\n" for d in documents))
            return footers[key]

        def content(html: str, slug: str, links: bool = False) -> str:
            """A policy text's HTML (read from its document's address) for this page;
            ``links``: it holds links of its own (a version's last-changed marks)."""
            if not links and slug not in relative_links:
                return Markup(html)
            return Markup(urls.rebase_links(html, paths.document(slug), here))

        ctx = {**base, "link": link, "asset": asset, "content": content,
               "document_links": document_links, "noindex": flags.noindex,
               "canonical": urls.absolute(site.base_url,
                                          page.context.get("canonical_path", page.path)),
               **page.context}
        if page.diff is not None:
            shown = views(page.diff)
            ctx["summary"], ctx["body"] = Markup(shown.summary), Markup(shown.body(ctx["view"]))
        try:
            return env.get_template(page.template).render(ctx).encode("utf-8")
        except ContentError:
            raise
        except Exception as e:  # noqa: BLE001 - whatever a template does, as path:line
            raise template_error(e, page.template, env, urls.file_of(page.path)) from None

    return render


def theme_values(site: Any) -> dict[str, Any]:
    """What templates are given of the site's theme: ``theme`` (None without one), its
    footer as HTML, the site's own policy and its stylesheet's key among the assets."""
    from markupsafe import Markup

    from ..text.render import render_markdown

    theme = site.theme
    if theme is None:
        return {"theme": None}
    footer = Markup(render_markdown(theme.footer).html) if theme.footer else ""
    keys = {"logo": asset_key(theme.logo), "favicon": asset_key(theme.favicon),
            "css": [THEME_CSS, *(asset_key(f) for f in theme.extra_css)]}
    return {"theme": theme, "theme_footer": footer, "csp": site_csp(site), "theme_keys": keys}


def language_helpers(language: str, original: bool) -> dict[str, Any]:
    """What templates are given to write a page in ``language``: its strings, dates and
    addresses (the original's, or those under ``<language>/``)."""
    return {
        "lang": language,
        "t": i18n.Translator(language),
        "paths": urls if original else urls.LanguagePaths(language),
        "csp": CSP,
        "long": lambda d: i18n.long_date(d, language),
        "short": lambda d: i18n.short_date(d, language),
        "period": lambda a, b: i18n.period(a, b, language),
        "date_of": dt.date.fromisoformat,
        "undated": UNDATED,
        "language_name": lambda code: i18n.language_name(code, language),
        "version_labels": lambda doc: _version_labels(doc, language),
        "foreign": lambda text: foreign_marked(str(text), language),
        "in_force_periods": lambda doc: [
            [v.key, v.effective_to.isoformat() if v.effective_to else None,
             (urls if original else urls.LanguagePaths(language)).version(doc.slug, v.key)]
            for v in doc.versions],
    }


_JAPANESE = re.compile("[\u3000-\u30ff\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]+")


def foreign_marked(text: str, language: str) -> str:
    """``text`` as HTML, a run of Japanese in a page of another language marked
    ``lang="ja"`` (so a screen reader reads it in Japanese): 「新旧対照表」 on an English page."""
    from markupsafe import Markup, escape

    if language == "ja" or not _JAPANESE.search(text):
        return Markup(escape(text))
    out, last = [], 0
    for m in _JAPANESE.finditer(text):
        out.append(str(escape(text[last:m.start()])))
        out.append(f'<span lang="ja">{escape(m.group())}</span>')
        last = m.end()
    out.append(str(escape(text[last:])))
    return Markup("".join(out))


def _version_labels(doc: Any, language: str) -> str:
    """Each version's key and its date as a reader writes it, as JSON (the compare form)."""
    import json

    return json.dumps({v.key: i18n.short_date(v.effective, language) for v in doc.versions},
                      ensure_ascii=False, sort_keys=True, separators=(",", ":"))


#: What every page is given besides the site's values and its own context (:func:`page_renderer`).
PAGE_NAMES = frozenset({"link", "asset", "content", "document_links", "noindex", "canonical",
                        "summary", "body", "theme", "theme_footer", "theme_keys"})


def given_names(common: Mapping[str, Any], pages: Sequence[Page]) -> frozenset[str]:
    """Every name some page's template is given."""
    names = set(common) | set(language_helpers("en", True)) | PAGE_NAMES
    for page in pages:
        names.update(page.context)
    return frozenset(names)


def check_templates(env: jinja2.Environment, names: Iterable[str],
                    known: frozenset[str] | None = None) -> list[Problem]:
    """Compile the named templates (once, before the work is shared out) and check the
    project's own: every syntax error and template named that does not exist is raised as
    one ContentError; a variable no page is given (``known``) is a warning returned. Other
    errors are reported with the page that meets them."""
    import jinja2

    from .sandbox import check_sources, project_templates, template_error

    names = sorted(set(names))
    errors, warnings = check_sources(env, [*names, *project_templates(env, BUILTIN_TEMPLATES)],
                                     BUILTIN_TEMPLATES, known)
    if errors:
        raise ContentError(errors)
    for name in names:
        try:
            env.get_template(name)
        except jinja2.TemplateSyntaxError as e:
            raise template_error(e, name, env) from None
        except ContentError:
            raise
        except jinja2.TemplateError:
            pass
        except Exception as e:  # noqa: BLE001 - a template too deep to compile, as path:line
            raise template_error(e, name, env) from None
    return warnings
