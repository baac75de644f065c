"""Synthetic policy archives for the benchmark: documents × versions × size.

Japanese archives are built from the sample (``versions/privacy/*.md``): its clauses (cut at
、 and 。), its section and subsection titles, recombined into a policy of about ``size``
UTF-8 bytes; each later version is a small amendment of the one before
(:func:`make_synthetic.amend`, shared with the diff benchmark: about ``rate`` of the blocks
edited — numbers, 全角/半角, words, inserted and deleted clauses —, inserted, deleted and
moved, and one new section inserted so that later sections are renumbered).

English archives follow the size and amendment pattern of real privacy statements: ~45 KB
of paragraphs and bullet lists under numbered sections, sentences that rarely repeat (each
is made of a subject, a verb, an object, a purpose and a qualifier); every version changes
the "Last updated" line and rewords about ``rate`` of the paragraphs and items (a word
changed, a sentence added, dropped or qualified), adds a paragraph and drops one; every
fourth version is a major revision (five times as many rewordings and a new section, later
sections renumbered). With ``--clustered`` the same number of rewordings falls in whole
sections taken at random (as when an amendment rewrites the sections a new law or product
concerns) instead of anywhere in the text. Same arguments, same bytes. The versions average
about ``size`` bytes (the first is a little smaller, as amendments add text).

    python bench/make_archive.py OUT --documents 2 --versions 20 --size 40000 [--language ja]
        [--seed 0] [--rate 0.02] [--clustered] [--git]

writes ``OUT/content/site.yaml`` and ``OUT/versions/<slug>/<date>.md`` (and with ``--git``
makes OUT a git repository with one commit). :func:`edit_notice` and :func:`add_version`
are the edits the benchmark times.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import re
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import make_synthetic  # noqa: E402  (bench/make_synthetic.py, shared with the diff bench)
from make_synthetic import Unit, to_markdown  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "versions" / "privacy"
FIRST_EFFECTIVE = dt.date(2012, 4, 1)
SLUGS = ("privacy", "terms", "cookies", "security", "retention", "children", "marketing",
         "partners")
JA_TITLES = ("プライバシーポリシー", "利用規約", "Cookieポリシー", "情報セキュリティ基本方針",
             "保存期間に関する方針", "未成年者の個人情報の取扱い", "広告配信に関する方針",
             "提携先との共同利用について")
EN_TITLES = ("Privacy Statement", "Terms of Use", "Cookie Policy", "Security Statement",
             "Retention Policy", "Children's Privacy", "Marketing Preferences",
             "Partner Data Sharing")


# --- Japanese: clauses and titles of the sample -----------------------------------------


def _sample_bodies() -> list[str]:
    bodies = []
    for path in sorted(SAMPLE.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        bodies.append(text.split("\n---\n", 1)[1] if text.startswith("---\n") else text)
    return bodies


def sample_clauses() -> list[str]:
    """Clauses of the sample's paragraphs and list items, without duplicates, in order."""
    seen: dict[str, None] = {}
    for body in _sample_bodies():
        for line in body.splitlines():
            line = line.strip()
            if not line or line.startswith(("#", "|", "<", "---")):
                continue
            line = re.sub(r"^(?:[-*]\s+)?(?:[0-9]+\.)?", "", line).replace("<br>", "")
            for clause in re.split(r"[、。]", line):
                clause = clause.strip().strip("（）")
                if 4 <= len(clause) <= 70 and "「" not in clause and "」" not in clause:
                    seen.setdefault(clause, None)
    return list(seen)


def sample_titles() -> tuple[list[str], list[str]]:
    """(section titles, subsection titles) of the sample, numbers removed."""
    h2: dict[str, None] = {}
    h3: dict[str, None] = {}
    for body in _sample_bodies():
        for line in body.splitlines():
            if line.startswith("## "):
                h2.setdefault(re.sub(r"^[0-9]+\.\s*", "", line[3:].strip()), None)
            elif line.startswith("### "):
                h3.setdefault(re.sub(r"^[(（][0-9]+[)）]\s*", "", line[4:].strip()), None)
    return list(h2), list(h3)


def _ja_sentence(rng: random.Random, pool: Sequence[str], parts: int) -> str:
    text = "、".join(rng.choice(pool) for _ in range(parts))
    r = rng.random()
    if r < 0.15:
        text += f"（{rng.randint(1, 90)}日以内）"
    elif r < 0.25:
        text += f"、手数料は{rng.randint(1, 99) * 10}円とします"
    return text + "。"


def ja_units(size: int, title: str, seed: int) -> list[Unit]:
    """A policy of about ``size`` UTF-8 bytes made of the sample's clauses and titles."""
    rng = random.Random(seed)
    pool = sample_clauses()
    sections, subsections = sample_titles()
    units = [Unit("h1", title)]
    used = len(title.encode())
    number = 0
    while used < size:
        number += 1
        block = [Unit("h2", f"{number}.{rng.choice(sections)}")]
        for sub in range(rng.choice((0, 0, 2, 3))):
            block.append(Unit("h3", f"({sub + 1}) {rng.choice(subsections)}"))
            block += [Unit("p", _ja_sentence(rng, pool, rng.randint(2, 3)))
                      for _ in range(rng.randint(1, 2))]
        for _ in range(rng.randint(2, 5)):
            block.append(Unit("p", _ja_sentence(rng, pool, rng.randint(2, 4))))
            if rng.random() < 0.4:
                block += [Unit("li", f"{k + 1}.{_ja_sentence(rng, pool, rng.randint(1, 2))}")
                          for k in range(rng.randint(2, 7))]
        units += block
        used += sum(len(u.text.encode()) + 4 for u in block)
    return units


def ja_amend(units: Sequence[Unit], seed: int, rate: float) -> tuple[list[Unit], str]:
    """The next version and its change notice."""
    new = make_synthetic.amend(units, seed, rate)
    added = [u.text for u in new if u.kind == "h2" and u.text.endswith("（新設）")]
    lines = [f"- 「{added[0]}」を新設し、以降の項番号を1つずつ繰り下げました。"] if added else []
    changed = [u.text for u in new if u.kind == "h2" and u not in units][:2]
    lines += [f"- 「{t}」の記載を改めました。" for t in changed if t not in added]
    return new, "\n".join(lines or ["- 表現を改めました。"])


# --- English: sentences of the kind privacy statements are made of ----------------------

EN_SECTIONS = (
    "Personal data we collect", "How we use personal data", "Reasons we share personal data",
    "How to access and control your personal data", "Cookies and similar technologies",
    "Products provided by your organization", "How we retain personal data",
    "Security of personal data", "Where we store and process personal data",
    "Children's data", "Advertising", "Location services", "Changes to this privacy statement",
    "How to contact us", "Your rights under local laws", "Transfers of personal data",
    "Preview or free releases", "Speech recognition", "Payment data", "Support and feedback",
)
#: A sentence is one of each, so that (as in a real statement) sentences rarely repeat.
EN_SUBJECTS = ("We", "Our service providers", "Our affiliates and subsidiaries",
               "Vendors working on our behalf", "Our payment processors", "Our support staff",
               "Our advertising partners", "Authorized personnel", "Our data processors",
               "Partners who offer co-branded services", "Our security teams")
EN_VERBS = ("collect", "use", "store", "process", "share", "retain", "analyze", "disclose",
            "combine", "transfer", "access", "review")
EN_OBJECTS = ("your name and contact details", "information about your device and network",
              "data about how you use our products", "precise location data",
              "payment instrument numbers and billing addresses",
              "the content of messages you send us", "diagnostic and crash data",
              "information you provide when you contact support",
              "your preferences and settings", "data from cookies and similar technologies",
              "your account credentials", "the search terms you enter",
              "records of your purchases", "voice and audio recordings you choose to share",
              "demographic data such as your age and country")
EN_PURPOSES = ("to provide and improve our products", "to personalize your experience",
               "to comply with our legal obligations", "to prevent fraud and abuse",
               "to communicate with you about your account", "to show you relevant advertising",
               "to develop new features", "to process your transactions",
               "to keep our systems secure", "for research and analytics",
               "to answer your questions", "to operate our business")
EN_QUALIFIERS = ("", " where the law permits it", " with your consent",
                 " for as long as it is necessary", " in line with this statement",
                 " under appropriate contractual safeguards", " unless you opt out",
                 " as described under your rights below",
                 " only in aggregated or de-identified form", " for up to {n} months",
                 " in the countries where we operate", " when you use a feature that needs it")
EN_SWAPS = (("collect", "gather"), ("use", "process"), ("share", "disclose"),
            ("your", "the customer's"), ("products", "services"), ("We", "The Company"),
            ("partners", "third parties"), ("data", "information"))


def _en_sentence(rng: random.Random) -> str:
    qualifier = rng.choice(EN_QUALIFIERS).replace("{n}", str(rng.choice((6, 12, 18, 24, 36))))
    return (f"{rng.choice(EN_SUBJECTS)} {rng.choice(EN_VERBS)} {rng.choice(EN_OBJECTS)} "
            f"{rng.choice(EN_PURPOSES)}{qualifier}.")


def _en_paragraph(rng: random.Random, sentences: int) -> str:
    return " ".join(_en_sentence(rng) for _ in range(sentences))


def en_units(size: int, title: str, seed: int) -> list[Unit]:
    rng = random.Random(seed)
    units = [Unit("h1", title), Unit("p", "Last updated: April 2012")]
    used = 60
    number = 0
    while used < size:
        number += 1
        block = [Unit("h2", f"{number}. {rng.choice(EN_SECTIONS)}")]
        for _ in range(rng.randint(2, 5)):
            block.append(Unit("p", _en_paragraph(rng, rng.randint(2, 5))))
            if rng.random() < 0.35:
                block += [Unit("li", _en_sentence(rng)) for _ in range(rng.randint(2, 6))]
        units += block
        used += sum(len(u.text) + 4 for u in block)
    return units


def _en_edit(text: str, rng: random.Random) -> str:
    sentences = re.split(r"(?<=\.) ", text)
    choice = rng.random()
    if choice < 0.35:
        swaps = [(a, b) for a, b in EN_SWAPS if re.search(rf"\b{a}\b", text)]
        if swaps:
            a, b = rng.choice(swaps)
            return re.sub(rf"\b{a}\b", b, text, count=1)
    if choice < 0.6 or len(sentences) < 2:
        sentences.insert(rng.randint(0, len(sentences)), _en_sentence(rng))
    elif choice < 0.85:
        del sentences[rng.randrange(len(sentences))]
    else:
        k = rng.randrange(len(sentences))
        sentences[k] = sentences[k].rstrip(".") + rng.choice(EN_QUALIFIERS[1:]).replace(
            "{n}", "12") + "."
    return " ".join(sentences)


def en_amend(units: Sequence[Unit], seed: int, rate: float, effective: dt.date,
             major: bool = False, clustered: bool = False) -> tuple[list[Unit], str]:
    """The next version: ``rate`` of the paragraphs and items reworded (a word changed, a
    sentence added, dropped or qualified), a paragraph added and one dropped, the "Last
    updated" line changed; a major revision rewords five times as many and adds a section
    (later sections renumbered). ``clustered``: the reworded paragraphs and items are those
    of whole sections taken at random (as many as scattered ones would be)."""
    rng = random.Random(seed + 7_000_003)
    body = [k for k, u in enumerate(units) if u.kind in ("p", "li") and k > 1]
    n = max(3, round(len(body) * rate * (5 if major else 1)))
    edited = set(rng.sample(body, min(n, len(body))))
    if clustered:
        sections: dict[int, list[int]] = {}  # h2 index -> its paragraphs and items
        head = 0
        for k, u in enumerate(units):
            head = k if u.kind == "h2" else head
            if u.kind in ("p", "li") and k > 1:
                sections.setdefault(head, []).append(k)
        order = list(sections)
        rng.shuffle(order)
        picked = [k for h in order for k in sections[h]]
        edited = set(picked[:min(n, len(body))])
    rest = [k for k in body if k not in edited]
    deleted = {rng.choice(rest)} if rest else set()
    inserted = {rng.choice(body): Unit("p", _en_paragraph(rng, rng.randint(2, 4)))}
    out: list[Unit] = [units[0], Unit("p", f"Last updated: {effective:%B %Y}")]
    touched: list[str] = []
    heading = ""
    for k, u in enumerate(units[2:], start=2):
        if u.kind == "h2":
            heading = u.text
        if k in edited:
            out.append(replace(u, text=_en_edit(u.text, rng)))
            touched.append(heading)
        elif k not in deleted:
            out.append(u)
        if k in inserted:
            out.append(inserted[k])
    notice = [f"- Updated the section “{h}”." for h in dict.fromkeys(touched) if h][:4]
    if major:
        heads = [k for k, u in enumerate(out) if u.kind == "h2"]
        at = heads[max(0, len(heads) - 3)]
        num = int(re.match(r"[0-9]+", out[at].text).group())  # type: ignore[union-attr]
        section = [Unit("h2", f"{num}. {rng.choice(EN_SECTIONS)}"),
                   Unit("p", _en_paragraph(rng, 3)), Unit("p", _en_paragraph(rng, 2))]
        out = out[:at] + section + [
            replace(u, text=re.sub(r"^[0-9]+", lambda m: str(int(m.group()) + 1), u.text))
            if u.kind == "h2" and k >= at else u for k, u in enumerate(out)][at:]
        notice.append(f"- Added the section “{section[0].text}”; later sections renumbered.")
    return out, "\n".join(notice or ["- Clarified wording."])


# --- the archive on disk ----------------------------------------------------------------


@dataclass(frozen=True)
class Spec:
    documents: int = 2
    versions: int = 20
    size: int = 40_000
    language: str = "ja"
    seed: int = 0
    rate: float = 0.02
    clustered: bool = False  # English: the edits of a version fall in a few whole sections


def long_history(spec: Spec) -> bool:
    """More versions than amendments that each add a section leave room for (see below)."""
    return 0.006 * spec.versions > 0.5


def first_size(spec: Spec) -> int:
    """Bytes of the first version: amendments add a section each, so it starts smaller."""
    return int(spec.size * (0.9 if long_history(spec) else 1 - 0.006 * spec.versions))


def effective_date(k: int, spec: Spec | None = None) -> dt.date:
    """The k-th version (0-based) takes effect about every 130 days from 2012-04-01; in a
    long history every 5 days (1,000 versions end in 2025, like a tracker's snapshots)."""
    if spec is not None and long_history(spec):
        return FIRST_EFFECTIVE + dt.timedelta(days=5 * k)
    return FIRST_EFFECTIVE + dt.timedelta(days=130 * k + (k * 37) % 19)


def _front(effective: dt.date, summary: str) -> str:
    lines = ["---", f"effective: {effective.isoformat()}",
             f"announced: {(effective - dt.timedelta(days=14)).isoformat()}"]
    if summary:
        lines.append("summary: |")
        lines += ["  " + ln for ln in summary.splitlines()]
    return "\n".join(lines) + "\n---\n"


def document_versions(spec: Spec, index: int, count: int | None = None) -> list[str]:
    """The version files' texts of document ``index`` (front matter + Markdown), oldest first."""
    count = spec.versions if count is None else count
    seed = spec.seed * 1000 + index * 100
    # Amendments add a little text each time: start smaller so that the versions average
    # about spec.size bytes. A long history cannot start small enough: from 84 versions on
    # it starts at 90 % and, past 110 %, an amendment also deletes its oldest sections.
    first = first_size(spec)
    cap = spec.size * 1.1 if long_history(spec) else None
    if spec.language == "ja":
        units = ja_units(first, JA_TITLES[index % len(JA_TITLES)], seed)
    else:
        units = en_units(first, EN_TITLES[index % len(EN_TITLES)], seed)
    texts = [_front(effective_date(0, spec), "") + to_markdown(units)]
    for k in range(1, count):
        if spec.language == "ja":
            units, notice = ja_amend(units, seed + k, spec.rate)
        else:
            units, notice = en_amend(units, seed + k, spec.rate, effective_date(k, spec),
                                     major=k % 4 == 0, clustered=spec.clustered)
        while cap is not None and len(to_markdown(units).encode()) > cap:
            units, deleted = delete_section(units)
            notice += f"\n- 「{deleted}」を削除しました。"
        texts.append(_front(effective_date(k, spec), notice) + to_markdown(units))
    return texts


def delete_section(units: Sequence[Unit]) -> tuple[list[Unit], str]:
    """``units`` without their second ``##`` section (the first after the opening one), and
    its heading; the sections after it keep their numbers, as in a policy whose article is
    deleted (削除) rather than renumbered."""
    heads = [k for k, u in enumerate(units) if u.kind == "h2"]
    if len(heads) < 3:
        return list(units), ""
    start, end = heads[1], heads[2]
    return list(units[:start]) + list(units[end:]), units[start].text


def site_yaml(spec: Spec) -> str:
    titles = JA_TITLES if spec.language == "ja" else EN_TITLES
    docs = "".join(f"  - slug: {SLUGS[i % len(SLUGS)]}{'' if i < len(SLUGS) else i}\n"
                   f"    title: {titles[i % len(titles)]}\n" for i in range(spec.documents))
    return (f"title: {'規約・ポリシー（ベンチマーク）' if spec.language == 'ja' else 'Policies'}\n"
            f"base_url: https://example.org/policies/\nlanguage: {spec.language}\n"
            f"organization: Example\ndocuments:\n{docs}")


def slug_of(index: int) -> str:
    return SLUGS[index % len(SLUGS)] + ("" if index < len(SLUGS) else str(index))


def write_archive(out: Path, spec: Spec, *, git: bool = False) -> Path:
    (out / "content").mkdir(parents=True, exist_ok=True)
    (out / "content" / "site.yaml").write_text(site_yaml(spec), encoding="utf-8")
    for i in range(spec.documents):
        folder = out / "versions" / slug_of(i)
        folder.mkdir(parents=True, exist_ok=True)
        for k, text in enumerate(document_versions(spec, i)):
            name = f"{effective_date(k, spec).isoformat()}.md"
            (folder / name).write_text(text, encoding="utf-8")
    if git:
        git_commit(out)
    return out


def git_commit(root: Path) -> None:
    """Make ``root`` a git repository with everything in one commit (fixed identity and date),
    like a real project, so builds read provenance from git."""
    env = {**os.environ, "GIT_AUTHOR_NAME": "Bench", "GIT_AUTHOR_EMAIL": "b@example.org",
           "GIT_COMMITTER_NAME": "Bench", "GIT_COMMITTER_EMAIL": "b@example.org",
           "GIT_AUTHOR_DATE": "2024-01-01T00:00:00+00:00",
           "GIT_COMMITTER_DATE": "2024-01-01T00:00:00+00:00"}
    (root / ".gitignore").write_text("/site/\n/.cache/\n", encoding="utf-8")
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-qm", "archive"]):
        subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


# --- the edits the benchmark times ------------------------------------------------------


def edit_notice(root: Path, slug: str, text: str) -> Path:
    """Replace the change notice (``summary``) of the middle version of ``slug``."""
    files = sorted((root / "versions" / slug).glob("*.md"))
    path = files[len(files) // 2]
    source = path.read_text(encoding="utf-8")
    head, sep, body = source[4:].partition("\n---\n")
    kept = re.sub(r"summary: \|\n(?:  .*\n?)*", "", head + "\n").rstrip("\n")
    path.write_text(f"---\n{kept}\nsummary: |\n  {text}\n---\n{body}", encoding="utf-8")
    return path


def add_version(root: Path, spec: Spec, index: int) -> Path:
    """Add the next version of document ``index`` (one more amendment of the last)."""
    slug = slug_of(index)
    count = len(list((root / "versions" / slug).glob("*.md")))
    text = document_versions(spec, index, count + 1)[-1]
    path = root / "versions" / slug / f"{effective_date(count, spec).isoformat()}.md"
    path.write_text(text, encoding="utf-8")
    return path


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("out", type=Path)
    p.add_argument("--documents", type=int, default=2)
    p.add_argument("--versions", type=int, default=20)
    p.add_argument("--size", type=int, default=40_000, help="average bytes of a version")
    p.add_argument("--language", choices=("ja", "en"), default="ja")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--rate", type=float, default=0.02, help="share of blocks amended")
    p.add_argument("--clustered", action="store_true",
                   help="English: reword whole sections rather than paragraphs anywhere")
    p.add_argument("--git", action="store_true", help="make OUT a git repository")
    a = p.parse_args(argv)
    spec = Spec(a.documents, a.versions, a.size, a.language, a.seed, a.rate, a.clustered)
    write_archive(a.out, spec, git=a.git)
    sizes = [f.stat().st_size for f in sorted((a.out / "versions").rglob("*.md"))]
    print(f"{a.out}: {spec.documents} documents × {spec.versions} versions, "
          f"{min(sizes)}–{max(sizes)} bytes each")
    return 0


if __name__ == "__main__":
    sys.exit(main())
