"""Load and validate a project: ``content/site.yaml`` and ``versions/<slug>/<date>.md``.

Knows files, YAML and dates, nothing about HTML. Every problem carries a path (relative to
the project root) and a line; all problems are collected and raised together.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import unquote

import yaml

from ..foundation import i18n
from ..foundation.clock import parse_iso_date
from ..foundation.errors import ContentError, Problem
from ..foundation.inputs import inside, outside_problem
from ..foundation.model import (
    UNDATED,
    Archive,
    Document,
    DocumentSpec,
    Erratum,
    Reason,
    SiteConfig,
    Status,
    Translation,
    Version,
)
from .frontmatter import (
    Settings,
    body_sha256,
    compose,
    node_line,
    read_front_matter,
    read_text,
    split_front_matter,
)
from .theme import load_theme
from .translations import is_translation_file, load_translations, missing_warnings

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
#: The longest slug: it names folders and file names (a name may have 255 bytes at most).
MAX_SLUG = 64
#: Top-level folders the site itself uses, so no document may have them as its slug.
RESERVED_SLUGS = {"search": "search page (search/)", "static": "style sheets and scripts (static/)"}
VERSION_KEYS = ("effective", "title", "announced", "summary", "note", "errata", "reasons",
                "commit", "amended_by")
#: ``commit``: the git commit a version was imported from (``import git``), its provenance.
COMMIT = re.compile(r"^(?:[0-9a-f]{7,40}|[0-9a-f]{64})$")
DRAFT_KEYS = ("title", "summary", "note", "effective", "announced", "reasons", "amended_by")
#: The longest ``amended_by`` (the amending instrument: 平成30年法律第33号) a version may give.
AMENDED_BY_MAX = 200
SITE_KEYS = (
    "title", "base_url", "language", "documents", "organization", "contact", "description",
    "comparison_columns", "compare_all_pairs_up_to", "downloads", "languages",
    "translation_notice", "theme", "paper",
)
DOWNLOADS = ("docx", "pdf", "redline-docx", "redline-pdf")
LANGUAGES = tuple(i18n.STRINGS)  # the interface languages: every page is written in one
PAPERS = ("a4", "letter")  # the sizes of printed pages and exported files


_URL = re.compile(r"([^:/?#]+)://([^/?#]*)([^?#]*)(.*)", re.DOTALL)
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
_HOST = re.compile(rf"{_LABEL}(?:\.{_LABEL})*(?::([0-9]{{1,5}}))?")
_PATH = re.compile(r"(?:[A-Za-z0-9._~!$&()*+,;=:@/-]|%[0-9A-Fa-f]{2})*")


def base_url_problem(url: str) -> str | None:
    """Why ``url`` cannot be the site's ``base_url``, the start of every address the site
    gives (None: it can): an absolute http(s) address of a host, with a clean path."""
    found = _URL.fullmatch(url)
    if any(c.isspace() or not c.isprintable() for c in url):
        return "it holds white space or a control character (a line break at its end, too)"
    if found is None or found[1] not in ("http", "https"):
        return "it must start with 'https://' (or 'http://') and the host"
    _, host, path, rest = found.groups()
    if rest:
        return "it may not have a query ('?') or a fragment ('#')"
    port = _HOST.fullmatch(host)
    if port is None or (port[1] is not None and not 0 < int(port[1]) < 65536):
        return f"{host!r} is not a host name (letters, digits, hyphens and dots; a port)"
    if path and not _PATH.fullmatch(path):
        return (f"its path {path!r} holds a character other than letters, digits, "
                "-._~!$&()*+,;=:@ and %XX escapes")
    if "//" in path:
        return "its path holds '//'"
    segments = [unquote(part) for part in path.split("/")]
    if any(part in (".", "..") for part in segments):
        return "its path holds a '.' or '..' segment"
    if any(c in "/\\" or not c.isprintable() for part in segments for c in part):
        return "its path holds an encoded '/', '\\' or control character"
    return None


def _compose_file(root: Path, path: Path, shown: str, problems: list[Problem]
                  ) -> yaml.Node | None:
    try:
        text = read_text(path, shown, root)
        return compose(text, shown, 1)
    except ContentError as e:
        problems.extend(e.problems)
        return None


def load_site(root: Path, problems: list[Problem]) -> SiteConfig | None:
    shown = "content/site.yaml"
    path = root / shown
    if not os.path.lexists(path):
        problems.append(Problem(shown, 1, "is missing: create it with 'title', 'base_url' "
                                          "and 'documents'"))
        return None
    node = _compose_file(root, path, shown, problems)
    if node is None:
        if not any(p.path == shown for p in problems):
            problems.append(Problem(shown, 1, "is empty: give 'title', 'base_url' and "
                                              "'documents'"))
        return None
    m = Settings(node, shown, 1, problems, SITE_KEYS, "site.yaml")
    if not m.values and not isinstance(node, yaml.MappingNode):
        return None
    title = m.text("title", required=True)
    base_url = m.text("base_url", required=True)
    wrong = base_url_problem(base_url) if base_url else None
    if wrong:
        m.error(m.line_of("base_url"), "'base_url' must be an address such as "
                                       f"'https://example.com/policies/': {wrong}")
    language = m.text("language", default="ja")
    if language not in LANGUAGES:
        m.error(m.line_of("language"), f"'language' must be one of {', '.join(LANGUAGES)}, "
                                       f"not {language!r}")
        language = "ja"
    languages = _languages(m, language if "language" in m.values else None)
    if languages and "language" not in m.values:
        language = languages[0]
    columns = m.text("comparison_columns",  # as each language's redlines have it
                     default="old-new" if language == "en" else "new-old")
    if columns not in ("new-old", "old-new"):
        m.error(m.line_of("comparison_columns"),
                "'comparison_columns' must be 'new-old' (改正後 left) or 'old-new'")
        columns = "new-old"
    paper = m.text("paper", default="letter" if language == "en" else "a4")
    if paper not in PAPERS:
        m.error(m.line_of("paper"), f"'paper' must be 'a4' or 'letter', not {paper!r}")
        paper = "a4"
    downloads = _downloads(m)
    docs = _documents(m, node, shown, problems, languages)
    return SiteConfig(
        title=title,
        base_url=base_url if base_url.endswith("/") else base_url + "/",
        language=language,
        documents=tuple(docs),
        organization=m.text("organization"),
        contact=m.text("contact"),
        description=m.text("description"),
        comparison_columns=columns,
        compare_all_pairs_up_to=m.integer("compare_all_pairs_up_to", 7, 2),
        downloads=tuple(d for d in DOWNLOADS if d in downloads),
        languages=languages if len(languages) > 1 else (),
        translation_notice=_translation_notice(m, languages[1:]),
        theme=load_theme(m, root, languages or (language,)),
        paper=paper,
    )


def _downloads(m: Settings) -> list[str]:
    """``downloads``: the files the site offers (the 新旧対照表's, the redline's), each once."""
    downloads: list[str] = []
    for item in m.sequence("downloads"):
        value = item.value if isinstance(item, yaml.ScalarNode) else None
        if value not in DOWNLOADS:
            m.error(item.start_mark.line + 1, f"'downloads' may list {' and '.join(DOWNLOADS)} "
                                              "(the 新旧対照表 or the redline as Word or PDF), "
                                              f"not {value!r}")
        elif value not in downloads:
            downloads.append(value)
    return downloads


def _documents(m: Settings, node: yaml.Node, shown: str, problems: list[Problem],
               languages: tuple[str, ...]) -> list[DocumentSpec]:
    """``documents``: each entry's slug (checked: length, characters, not taken, not twice)
    and title."""
    docs: list[DocumentSpec] = []
    seen: dict[str, int] = {}
    if "documents" not in m.values and isinstance(node, yaml.MappingNode):
        m.error(m.line, "'documents' is required but missing: list each document as "
                        "'- slug: privacy' with its 'title'")
    for item in m.sequence("documents"):
        d = Settings(item, shown, 1, problems, ("slug", "title"), "a document entry")
        slug = d.text("slug", required=True)
        dtitle = d.text("title", required=True)
        if len(slug) > MAX_SLUG:
            d.error(d.line_of("slug"), f"slug {slug[:20]!r}… is {len(slug)} characters long: "
                                       f"a slug is part of every address and file name of the "
                                       f"document, so it may have at most {MAX_SLUG}")
            continue
        if slug and not SLUG.match(slug):
            d.error(d.line_of("slug"), f"slug {slug!r} may hold only lower-case letters, "
                                       "digits and single hyphens (e.g. 'privacy', 'terms-of-use')")
            continue
        if slug in RESERVED_SLUGS:
            d.error(d.line_of("slug"), f"slug {slug!r} is taken by the site's own "
                                       f"{RESERVED_SLUGS[slug]}: choose another name")
            continue
        if slug in languages[1:]:
            d.error(d.line_of("slug"), f"slug {slug!r} is taken by the site's pages in that "
                                       f"language ({slug}/): choose another name")
            continue
        if slug in seen:
            d.error(d.line_of("slug"), f"slug {slug!r} is declared twice (first on line "
                                       f"{seen[slug]})")
            continue
        if slug:
            seen[slug] = d.line_of("slug")
            docs.append(DocumentSpec(slug, dtitle))
    return docs


def _languages(m: Settings, language: str | None) -> tuple[str, ...]:
    """``languages``: the original first (it must be ``language`` when that is given too)."""
    out: list[str] = []
    for node in m.sequence("languages"):
        line = node_line(node, m.first_line)
        code = str(node.value) if isinstance(node, yaml.ScalarNode) else ""
        if code not in LANGUAGES:
            m.error(line, f"'languages' lists {code or 'an entry'!r}, a language the site "
                          f"has no interface strings for: use {', '.join(LANGUAGES)}")
        elif code in out:
            m.error(line, f"'languages' lists {code!r} twice")
        else:
            out.append(code)
    if out and language is not None and out[0] != language:
        m.error(m.line_of("languages"), f"the first of 'languages' is the original and must be "
                                        f"'language' ({language!r}), not {out[0]!r}: put "
                                        f"{language!r} first")
        return ()
    return tuple(out)


def _translation_notice(m: Settings, translated: tuple[str, ...]
                        ) -> tuple[tuple[str, str], ...]:
    """``translation_notice``: per translation language, the wording on its pages."""
    node = m.values.get("translation_notice")
    if node is None:
        return ()
    if not translated:
        m.error(m.line_of("translation_notice"), "'translation_notice' is worded for "
                "translated pages, but 'languages' lists no language besides the original")
        return ()
    notice = Settings(node, m.shown, m.first_line, m.problems, translated,
                      "translation_notice (one line per translation language)")
    return tuple((code, notice.text(code)) for code in translated if code in notice.values)


def _errata(m: Settings, as_of: dt.date | None = None) -> tuple[Erratum, ...]:
    """``errata:``, each dated no later than the build date ``as_of`` (when given)."""
    out = []
    for item in m.sequence("errata"):
        e = Settings(item, m.shown, m.first_line, m.problems, ("date", "reason"),
                     "an errata entry")
        date = e.date("date", required=True)
        reason = e.text("reason", required=True)
        if date is not None and as_of is not None and date > as_of:
            e.error(e.line_of("date"), f"the erratum is dated {date.isoformat()}, after the "
                                       f"build date {as_of.isoformat()}: a correction is "
                                       "recorded on the day it is made, not ahead")
        elif date is not None and reason:
            out.append(Erratum(date, reason))
    return tuple(out)


def _reasons(m: Settings) -> tuple[Reason, ...]:
    """``reasons:`` — each changed section (its heading text or id) with why it changed."""
    node = m.values.get("reasons")
    if node is None:
        return ()
    if not isinstance(node, yaml.MappingNode):
        m.error(m.line_of("reasons"), "'reasons' must map a section's heading (or id) to why "
                                      "it changed, e.g. '第2条（管理）: 安全管理措置を明記'")
        return ()
    out: list[Reason] = []
    for key_node, value_node in node.value:
        line = node_line(key_node, m.first_line)
        if not isinstance(key_node, yaml.ScalarNode) or not isinstance(value_node,
                                                                       yaml.ScalarNode):
            m.error(line, "each entry of 'reasons' is a heading (or id) and a text")
            continue
        key, text = str(key_node.value).strip(), str(value_node.value).strip()
        if not key or not text:
            m.error(line, "an entry of 'reasons' needs both a heading and a text")
        elif any(r.section == key for r in out):
            m.error(line, f"'reasons' gives {key!r} twice")
        else:
            out.append(Reason(key, text, line))
    return tuple(out)


def load_version(root: Path, slug: str, path: Path, title: str,
                 problems: list[Problem], as_of: dt.date | None = None) -> Version | None:
    shown = path.relative_to(root).as_posix()
    name_date = parse_iso_date(path.stem)
    if name_date is None:
        problems.append(Problem(shown, 1, f"file name {path.name!r} is not a date: name each "
                                          "version YYYY-MM-DD.md after the day it takes effect"))
        return None
    read = read_front_matter(root, path, shown, problems,
                             f"front matter is empty: add 'effective: {name_date.isoformat()}'")
    if read is None:
        return None
    split, node = read
    before = len(problems)
    m = Settings(node, shown, 2, problems, VERSION_KEYS, "the front matter")
    effective = m.date("effective", required=True)
    if effective is not None and effective != name_date:
        m.error(m.line_of("effective"), f"'effective' is {effective.isoformat()} but the file "
                                        f"name says {name_date.isoformat()}: make them agree")
    announced = m.date("announced")
    if effective is not None and announced is not None and announced > effective:
        m.error(m.line_of("announced"), f"'announced' ({announced.isoformat()}) is after "
                                        f"'effective' ({effective.isoformat()})")
    vtitle = m.text("title", default=title) or title
    summary = m.text("summary")
    note = m.text("note")
    errata = _errata(m, as_of)
    reasons = _reasons(m)
    amended_by = _amended_by(m)
    commit = m.text("commit")
    if commit and not COMMIT.match(commit):
        m.error(m.line_of("commit"), f"'commit' must be a git commit id (7 to 40 hex digits), "
                                     f"not {commit!r}")
    if not split.body.strip():
        problems.append(Problem(shown, split.body_line, "has no policy text after the front "
                                                        "matter"))
    if len(problems) > before or effective is None:
        return None
    return Version(
        slug=slug, effective=effective, title=vtitle,
        announced=announced, summary=summary, note=note, errata=errata,
        body=split.body, sha256=body_sha256(split.body), source=shown,
        body_line=split.body_line, reasons=reasons, amended_by=amended_by,
    )


def _amended_by(m: Settings) -> str:
    """``amended_by``: the instrument that made the version, one line of text."""
    value = m.text("amended_by").strip()
    if "\n" in value or len(value) > AMENDED_BY_MAX:
        m.error(m.line_of("amended_by"), "'amended_by' must be one line naming the amending "
                                         f"instrument (at most {AMENDED_BY_MAX} characters), "
                                         "e.g. 'amended_by: 平成30年法律第33号'")
        return ""
    return value


def _version_files(folder: Path) -> Iterator[Path]:
    yield from sorted(p for p in folder.iterdir() if not p.name.startswith("."))


def _outside(root: Path, path: Path, problems: list[Problem]) -> bool:
    """Whether ``path`` leads out of the project (recorded as a problem)."""
    message = outside_problem(path, root)
    if message is not None:
        problems.append(Problem(path.relative_to(root).as_posix(), 1, message))
    return message is not None


def with_periods(versions: list[Version], as_of: dt.date) -> tuple[Version, ...]:
    """Sort versions and set ``effective_to`` and ``status`` for the build date."""
    ordered = sorted(versions, key=lambda v: v.effective)
    in_force = [v for v in ordered if v.effective <= as_of]
    current = in_force[-1] if in_force else None
    out = []
    for i, v in enumerate(ordered):
        nxt = ordered[i + 1] if i + 1 < len(ordered) else None
        status: Status = ("current" if v is current else
                          "upcoming" if v.effective > as_of else "past")
        out.append(v._replace(effective_to=nxt.effective - dt.timedelta(days=1) if nxt else None,
                              status=status))
    return tuple(out)


def load_drafts(root: Path, site: SiteConfig, problems: list[Problem]) -> tuple[Version, ...]:
    """``content/<slug>.md``: working drafts of each document's next version."""
    drafts = []
    for spec in site.documents:
        path = root / "content" / f"{spec.slug}.md"
        if not os.path.lexists(path):
            continue
        shown = path.relative_to(root).as_posix()
        try:
            split = split_front_matter(read_text(path, shown, root), shown, required=False)
            node = compose(split.yaml_text, shown, 2) if split.yaml_text else None
        except ContentError as e:
            problems.extend(e.problems)
            continue
        title, summary, note = spec.title, "", ""
        effective: dt.date | None = None
        announced: dt.date | None = None
        reasons: tuple[Reason, ...] = ()
        amended_by = ""
        if node is not None:
            m = Settings(node, shown, 2, problems, DRAFT_KEYS, "the draft's front matter")
            title = m.text("title", default=spec.title) or spec.title
            summary, note = m.text("summary"), m.text("note")
            effective, announced = m.date("effective"), m.date("announced")
            reasons = _reasons(m)
            amended_by = _amended_by(m)
        if not split.body.strip():
            problems.append(Problem(shown, split.body_line, "the draft has no policy text"))
            continue
        date = effective or UNDATED
        drafts.append(Version(
            slug=spec.slug, effective=date, title=title, announced=announced,
            summary=summary, note=note, errata=(), body=split.body,
            sha256=body_sha256(split.body), source=shown, body_line=split.body_line,
            status="upcoming", reasons=reasons, amended_by=amended_by,
        ))
    return tuple(drafts)


def _embargo(versions: list[Version], as_of: dt.date, language: str, drafts: bool
             ) -> tuple[list[Version], list[Version]]:
    """(the versions the site shows, those held back): a version announced after the build
    date is published nowhere until that day. A preview (``drafts``) shows it, its note
    saying it is embargoed."""
    held = [v for v in versions if v.announced is not None and v.announced > as_of]
    if not drafts:
        return [v for v in versions if v not in held], held
    mark = i18n.STRINGS[language]["embargoed_note"]
    return [v._replace(note="\n\n".join(
        n for n in (mark.format(date=i18n.long_date(v.announced, language)), v.note) if n))
        if v in held and v.announced else v for v in versions], []


def _unreleased(drafts: tuple[Version, ...], documents: list[Document]
                ) -> tuple[Version, ...]:
    """The drafts whose text is not the latest version's: a draft kept after its release
    (``release --keep-draft``) is previewed again only once it changes."""
    latest = {d.slug: d.versions[-1].sha256 for d in documents if d.versions}
    return tuple(d for d in drafts if latest.get(d.slug) != d.sha256)


def _stray_version_files(root: Path, versions_dir: Path, declared: set[str],
                         problems: list[Problem]) -> None:
    """A file straight under ``versions/``, or a folder no document declares."""
    if not versions_dir.is_dir() or _outside(root, versions_dir, problems):
        return
    for folder in _version_files(versions_dir):
        shown = folder.relative_to(root).as_posix()
        if _outside(root, folder, problems):
            continue
        if not folder.is_dir():
            problems.append(Problem(shown, 1, "is not in a document folder: put "
                                              "versions in versions/<slug>/"))
        elif folder.name not in declared:
            problems.append(Problem(shown + "/", 1, f"there is no document "
                                    f"'{folder.name}' in content/site.yaml: declare it "
                                    "under 'documents' or rename the folder"))


def _document_versions(root: Path, slug: str, title: str, as_of: dt.date,
                       problems: list[Problem]) -> list[Version]:
    """The versions in ``versions/<slug>/`` (translations are read later, apart)."""
    folder = root / "versions" / slug
    files = list(_version_files(folder)) if folder.is_dir() and inside(folder, root) else []
    loaded = []
    for path in files:
        if is_translation_file(path) and not path.is_dir():
            continue  # read below, once every document's versions are known
        if path.is_dir() or path.suffix != ".md":
            problems.append(Problem(path.relative_to(root).as_posix(), 1,
                                    "is not a version file: name versions YYYY-MM-DD.md"))
            continue
        v = load_version(root, slug, path, title, problems, as_of)
        if v is not None:
            loaded.append(v)
    if not files:
        problems.append(Problem("content/site.yaml", 1, f"document '{slug}' has "
                                f"no versions: add versions/{slug}/YYYY-MM-DD.md"))
    return loaded


def load_archive(root: Path, as_of: dt.date, *, drafts: bool = False,
                 warn: Callable[[Problem], None] | None = None) -> Archive:
    """Read and validate everything under ``root``; raise ContentError with every problem."""
    problems: list[Problem] = []
    translations: tuple[Translation, ...] = ()
    embargoed: list[Version] = []
    site = load_site(root, problems)
    documents: list[Document] = []
    if site is not None:
        _stray_version_files(root, root / "versions", {d.slug for d in site.documents},
                             problems)
        for spec in site.documents:
            loaded = _document_versions(root, spec.slug, spec.title, as_of, problems)
            visible, held = _embargo(loaded, as_of, site.language, drafts)
            embargoed += held
            documents.append(Document(spec.slug, spec.title, with_periods(visible, as_of)))
        unannounced = {v.slug for v in embargoed} - {d.slug for d in documents if d.versions}
        if unannounced:  # a document none of whose versions is announced yet is not shown
            documents = [d for d in documents if d.slug not in unannounced]
            site = site._replace(documents=tuple(d for d in site.documents
                                                 if d.slug not in unannounced))
        translations = load_translations(root, site, documents, _version_files, problems)
        hidden = {(v.slug, v.key) for v in embargoed}
        translations = tuple(t for t in translations if (t.slug, t.key) not in hidden)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise ContentError(sorted(problems))
    assert site is not None
    for doc in documents:
        for v in doc.versions[1:]:
            if not v.summary.strip() and warn is not None:
                warn(Problem(v.source, 2, "has no 'summary': readers will not be told what "
                                          "changed in this version", "warning"))
    for w in missing_warnings(site, documents, translations):
        if warn is not None:
            warn(w)
    draft_versions = _unreleased(load_drafts(root, site, problems) if drafts else (),
                                 documents)
    if problems:
        raise ContentError(sorted(problems))
    return Archive(root=str(root), site=site, documents=tuple(documents), as_of=as_of,
                   drafts=draft_versions, translations=translations,
                   embargoed=tuple(embargoed))
