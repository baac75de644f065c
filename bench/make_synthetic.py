"""Deterministic synthetic Japanese policy documents, for benchmarks and tests.

``make_document(size, seed)`` writes a policy-shaped Markdown text of about ``size`` UTF-8
bytes (``## N.…`` sections, ``### (k)…`` subsections, paragraphs, bullet lists) from clauses of
the seed privacy policy; ``amend(text, seed, rate)`` returns a copy with about ``rate`` of its
blocks amended the way real revisions are: characters edited (numbers, 全角/半角, punctuation,
words, inserted and deleted clauses), blocks inserted, deleted and moved to another section,
and one new section inserted so that later section headings are renumbered.
``make_pair(size, seed, rate)`` gives both. Same arguments, same texts (``random.Random``).

    python bench/make_synthetic.py OUTDIR --size 1000000 [--seed 0] [--rate 0.02]

writes ``OUTDIR/a.md`` and ``OUTDIR/b.md``.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

#: Sentences of the seed privacy policy (shared/seeds/000_4718ed925c067b60.txt).
SEED_SENTENCES = """
本個人情報保護方針は、株式会社IDOM CaaS Technology（以下「当社」といいます。）が収集し利用するすべての個人情報をその対象として、当社の個人情報に関する基本的な考え方や指針をご説明させていただくものです。
当社は、お客様の氏名、性別、生年月日、年齢、職業、メールアドレス、クレジットカード情報、住所、電話番号、査定・販売・買取・引取その他車両に関する情報をはじめとするお客様の個人を特定できるような情報（以下「個人情報」と総称します。）を適正に取扱うことが、企業活動を遂行する上で重要な社会的責務であるとの認識に立ち、以下のとおり個人情報に関する方針を定めております。
当社では、各種サービスをご利用いただく際に、お客様の個人情報や、お客様が占有または所有する車両等に関する情報、お客様と当社との取引内容に関する情報等を、来店時の受付票や各種サービスの申込書・契約書、関連サイトの各種サービス利用・申込フォーム等より収集しております。
また、古物営業法令に基づく取引の安全と保安を目的として、売買契約時にお客様ご本人である事を確認できる資料の写しを頂戴し、または身分証明書番号を控えさせていただく場合がございます。
尚、お電話でご連絡いただいた場合には、本個人情報保護方針に掲げました利用の目的を達成する為に必要な範囲内で、通話内容を録音させていただく場合がございます。
また、当社では、折り返しお客様にご連絡させていただく場合のためナンバーディスプレイを採用いたしておりますので、予めご了承下さい。
当社がお客様から収集し利用する個人情報は、自動車の総合サービス業に基づくお客様に対する各種サービスのご提供、新商品および新サービスに関する情報のお知らせのために利用させていただきます。
その具体的な内容は以下のとおりです。
尚、当社は、以下の定めに従って、お客様の個人情報を共同利用させていただきます。
自動車、自動二輪車および原動機付自転車の査定・買取・販売・車検・点検・オークション運営・出品・落札・引取・クレームガード保証・車両売買サイト運営・リース・レンタカー・カーシェア等に関する業務及びこれらに付随する業務を遂行するため。
自動車、自動二輪車および原動機付自転車の査定・買取・販売・車検・点検・オークション運営・出品・落札・引取・クレームガード保証・車両売買サイト運営・リース・レンタカー・カーシェア等のご案内を提供するため。
当社、および当社が守秘義務および個人情報の取扱いに関する規定を含む業務委託契約を締結した業務提携先が、取り扱う当社の事業運営に関連する商品、サービス、各種イベント、キャンペーン等のご案内を電話、ダイレクトメールの発送等により提供するため。
お客様との契約や法令に基づく権利の行使や義務の履行のため。
クレジットカードを利用したお取引に関するカードの有効性確認や債権管理のため。
サービス向上を目的としたデータの集計とその結果の分析のため。
※ この際には集計結果の統計情報のみの利用となりますので、個人を特定できるデータと関連づけることはありません。
※ 走行距離改竄抑制を目的に、日本オートオークション協議会、日本二輪車オークション協会等に査定したお車の車両情報を提供する場合がございますが、個人を特定できる情報を提供することはありません。
当社は、当社の親会社である株式会社IDOM（以下「IDOM」といいます。）、IDOMの子会社、IDOMとフランチャイズ契約を締結したフランチャイズ加盟店との間において、「収集の目的と利用に関して」に定めた利用目的達成のため、相互にお客様の個人情報を共同して利用する場合があります。
当社が共同利用する個人情報の項目は、本個人情報保護方針前文で特定した個人情報です。
当該個人データの管理について責任を有する者の氏名または名称
当社は、次に記載する場合を除き、お客様の個人情報を第三者に提供・開示することは致しません。
お客様の同意がある場合（ウェブで同意いただいたものも含まれます）。
クレジットカード会社よりカードの不正利用調査に係る照会を受けた場合。
人の生命、身体または財産の保護のために必要な場合であって、お客様の同意を得る事が困難である場合。
国、地方公共団体等が公的な事務を実施する上で、協力する必要がある場合であって、お客様の同意を得る事により、当該事務の遂行に支障を及ぼす恐れがある場合。
当社と守秘義務および個人情報の取扱いに関する規定を含む業務委託契約を締結した業務委託会社に対し、お客様にお知らせした利用目的の達成に必要な範囲内で、個人情報の取扱いを委託する場合。
尚、この場合、当社はこれらの業務委託会社に対する適切な監督を行います。
当社は、お客様からご本人の個人情報の開示、内容の訂正、追加、利用の停止のご要望をいただいた場合、当社の定める手続により対応させていただきますので、下記「NORELコンシェルジュデスク」までお問い合わせ、ご相談下さい。
なお、開示等の際には実費分の手数料をいただく場合がございます。
いずれの場合におきましても、当社は、個人情報保護に関する法令およびこれに基づく各種ガイドライン等の趣旨に則り、適切に対応させていただきます。
当社は、主管省の定める個人情報保護ガイドラインに従って、当社の取扱う個人情報につき、必要に応じて組織的、人的、物理的、且つ技術的安全管理措置の全部または一部を実施し、個人情報に対する不正アクセス、個人情報の紛失、破壊、改竄および漏洩等を防止すると同時に、事故が発生した場合でも迅速且つ適切に対処して、事故の再発の防止等、その是正のため最大限度の努力をいたします。
「個人情報の収集、利用及び提供などに関する基本原則」変更についての通知
当社が個人情報保護方針を変更する場合には、その変更について当社のホームページ上に掲載いたします。
当社は、個人情報保護に関する法令およびこれに基づく各種ガイドライン等を遵守し、個人情報が適切に取り扱われますよう、継続的な改善に取り組んでまいります。
また、改善した内容を、本保護情報保護方針に随時反映してまいります。
当社の個人情報の取扱い等につきましてご質問、ご意見などございましたら下記までご連絡ください。
当社は、三菱オートリース株式会社、株式会社オリコオートリース、株式会社オリエントコーポレーション、昭和リース株式会社、株式会社アプラス、プレミアム株式会社、PLS株式会社との間において、当社の取り扱う自動車リースサービスの利用を希望するお客様に対するリース料金等の見積りの提示、自動車リース代理店業務の遂行、リース自動車の仕入に関する売買契約の遂行、お客様が締結する自動車リース契約及び保証委託契約の遂行その他これらの契約に係る与信（保証審査・途上与信を含む。）並びに与信後の管理の目的を達成するため、相互にお客様の個人情報を共同して利用する場合があります。
当社の指定する各種申請フォームよりご入力いただいた氏名、性別、生年月日、年齢、住所、電話番号、運転免許証等の番号、ご職業、勤務先、年収（世帯年収を含む。）、家族情報、世帯主情報、住居状況、メールアドレス、LINEアカウント、お客様のニーズ等の内容及びリース契約書、保証委託契約書等に記載された内容です。
当該個人データの管理について責任を有する者の氏名または名称。
提携各社のプライバシーポリシーは以下のリンクよりご確認ください。
"""

SECTION_TITLES = (
    "収集する個人情報に関して", "収集の目的と利用に関して", "共同利用について",
    "第三者への提供について", "個人の権利の尊重", "個人情報の適切な管理保護方法",
    "「個人情報の収集、利用及び提供などに関する基本原則」変更についての通知",
    "情報保護管理体制および仕組みの継続的改善", "苦情および各種問合せ先",
    "提携会社との共同利用について", "Cookie等の利用について", "保存期間について",
)
SUBSECTION_TITLES = (
    "共同利用する者の範囲とその利用目的", "共同利用する項目",
    "当該個人データの管理について責任を有する者の氏名または名称", "利用目的",
    "提供する情報の項目", "お問い合わせ窓口",
)
COMPANIES = (
    "株式会社IDOM", "三菱オートリース株式会社", "株式会社オリコオートリース",
    "昭和リース株式会社", "株式会社アプラス", "プレミアム株式会社", "PLS株式会社",
)
WORD_SWAPS = (
    ("当社", "弊社"), ("お客様", "利用者"), ("個人情報", "個人データ"), ("場合", "とき"),
    ("提供", "開示"), ("利用", "使用"), ("各種", "所定の"), ("ため", "目的で"),
)


@dataclass(frozen=True)
class Unit:
    """One block of the synthetic document: ``h1``/``h2``/``h3``, ``p`` or ``li``."""

    kind: str
    text: str


def clauses() -> list[str]:
    """The clauses (cut at 、 and 。) of the seed sentences, without duplicates, in order."""
    seen: dict[str, None] = {}
    for sentence in SEED_SENTENCES.split():
        for clause in re.split(r"[、。]", sentence):
            if 3 <= len(clause) <= 60 and "「" not in clause and "」" not in clause:
                seen.setdefault(clause.strip("（）"), None)
    return list(seen)


def _sentence(rng: random.Random, pool: Sequence[str], parts: int) -> str:
    text = "、".join(rng.choice(pool) for _ in range(parts))
    r = rng.random()
    if r < 0.15:
        text += f"（{rng.randint(1, 90)}日以内）"
    elif r < 0.25:
        text = f"{rng.choice(COMPANIES)}は、" + text
    elif r < 0.32:
        text += f"、手数料は{rng.randint(1, 99) * 10}円とします"
    elif r < 0.38:
        text = f"{rng.randint(2000, 2030)}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日以降、" + text
    return text + "。"


def make_units(size: int, seed: int = 0) -> list[Unit]:
    """The blocks of a synthetic policy of about ``size`` UTF-8 bytes."""
    rng = random.Random(seed)
    pool = clauses()
    units = [Unit("h1", "プライバシーポリシー")]
    used = len(units[0].text.encode())
    section = 0
    while used < size:
        section += 1
        block = [Unit("h2", f"{section}.{rng.choice(SECTION_TITLES)}")]
        for sub in range(rng.choice((0, 0, 2, 3))):
            block.append(Unit("h3", f"({sub + 1}) {rng.choice(SUBSECTION_TITLES)}"))
            block += [Unit("p", _sentence(rng, pool, rng.randint(2, 3)))
                      for _ in range(rng.randint(1, 3))]
        for _ in range(rng.randint(2, 6)):
            block += [Unit("p", _sentence(rng, pool, rng.randint(1, 3)))
                      for _ in range(rng.randint(1, 3))]
            if rng.random() < 0.5:
                block += [Unit("li", f"{k + 1}.{_sentence(rng, pool, rng.randint(1, 2))}")
                          for k in range(rng.randint(2, 8))]
        units += block
        used += sum(len(u.text.encode()) + 4 for u in block)
    return units


def to_markdown(units: Sequence[Unit]) -> str:
    """Markdown for the blocks: one blank line between blocks, list items on adjacent lines."""
    out: list[str] = []
    for k, unit in enumerate(units):
        if k and not (unit.kind == "li" and units[k - 1].kind == "li"):
            out.append("")
        prefix = {"h1": "# ", "h2": "## ", "h3": "### ", "li": "- "}.get(unit.kind, "")
        out.append(prefix + unit.text)
    return "\n".join(out) + "\n"


def make_document(size: int, seed: int = 0) -> str:
    """A synthetic policy of about ``size`` UTF-8 bytes, as Markdown."""
    return to_markdown(make_units(size, seed))


def edit_text(text: str, rng: random.Random, pool: Sequence[str]) -> str:
    """``text`` with one small edit of the kinds real amendments make."""
    numbers = list(re.finditer(r"[0-9]+", text))
    commas = [m.start() for m in re.finditer("、", text)]
    swaps = [(old, new) for old, new in WORD_SWAPS if old in text]
    choice = rng.choice(("number", "width", "insert", "delete", "punct", "word"))
    if choice == "number" and numbers:
        m = rng.choice(numbers)
        return text[: m.start()] + str(int(m.group()) * 11 // 10 + 1) + text[m.end() :]
    if choice == "width" and numbers:
        m = rng.choice(numbers)
        wide = m.group().translate(str.maketrans("0123456789", "０１２３４５６７８９"))
        return text[: m.start()] + wide + text[m.end() :]
    if choice == "delete" and len(commas) >= 2:
        start, stop = sorted(rng.sample(commas, 2))
        return text[:start] + text[stop:]
    if choice == "punct" and commas:
        at = rng.choice(commas)
        return text[:at] + "，" + text[at + 1 :]
    if choice == "word" and swaps:
        old, new = rng.choice(swaps)
        return text.replace(old, new, 1)
    at = rng.choice(commas) if commas else max(len(text) - 1, 0)
    return text[:at] + "、" + rng.choice(pool) + text[at:]


def amend(units: Sequence[Unit], seed: int = 0, rate: float = 0.02) -> list[Unit]:
    """A revised copy of ``units``: about ``rate`` of the blocks edited, inserted, deleted or
    moved (a tenth each inserted and deleted, a twentieth moved), plus one new section
    inserted near the end, which renumbers the sections after it."""
    rng = random.Random(seed + 1_000_003)
    pool = clauses()
    amended = max(4, round(len(units) * rate))
    n_insert = n_delete = max(1, amended // 10)
    n_move = max(1, amended // 20)
    n_edit = max(1, amended - n_insert - n_delete - n_move)
    body = [k for k, u in enumerate(units) if u.kind in ("p", "li")]
    paragraphs = [k for k in body if units[k].kind == "p"]
    moved = set(rng.sample(paragraphs, min(n_move, len(paragraphs))))
    rest = [k for k in body if k not in moved]
    chosen = rng.sample(rest, min(n_edit + n_delete, len(rest)))
    edited, deleted = set(chosen[:n_edit]), set(chosen[n_edit:])
    after: dict[int, list[Unit]] = {}
    for k in moved:  # to a paragraph at least a tenth of the document away
        targets = [t for t in paragraphs if abs(t - k) > len(units) // 10 and t not in moved]
        after.setdefault(rng.choice(targets or paragraphs), []).append(units[k])
    for _ in range(n_insert):
        new = Unit("p", _sentence(rng, pool, rng.randint(1, 3)))
        after.setdefault(rng.choice(paragraphs), []).append(new)

    out: list[Unit] = []
    for k, unit in enumerate(units):
        if k in edited:
            out.append(replace(unit, text=edit_text(unit.text, rng, pool)))
        elif k not in deleted and k not in moved:
            out.append(unit)
        out += after.get(k, [])
    return _insert_section(out, rng, pool)


def _insert_section(units: list[Unit], rng: random.Random, pool: Sequence[str]) -> list[Unit]:
    """A new section before the last few ``##`` headings, which are renumbered."""
    heads = [k for k, u in enumerate(units) if u.kind == "h2"]
    if len(heads) < 2:
        return units
    at = heads[max(1, len(heads) - 4)]
    number = int(re.match(r"[0-9]+", units[at].text).group())  # type: ignore[union-attr]
    new = [Unit("h2", f"{number}.{rng.choice(SECTION_TITLES)}（新設）"),
           Unit("p", _sentence(rng, pool, 3)), Unit("p", _sentence(rng, pool, 2))]
    renumbered = [
        replace(u, text=re.sub(r"^[0-9]+", lambda m: str(int(m.group()) + 1), u.text))
        if u.kind == "h2" and k >= at else u
        for k, u in enumerate(units)
    ]
    return renumbered[:at] + new + renumbered[at:]


def make_pair(size: int, seed: int = 0, rate: float = 0.02) -> tuple[str, str]:
    """A synthetic policy of about ``size`` bytes and its amended revision, as Markdown."""
    units = make_units(size, seed)
    return to_markdown(units), to_markdown(amend(units, seed, rate))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--size", type=int, default=1_000_000, help="bytes (default 1000000)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--rate", type=float, default=0.02, help="share of blocks amended")
    args = parser.parse_args(argv)
    a, b = make_pair(args.size, args.seed, args.rate)
    args.outdir.mkdir(parents=True, exist_ok=True)
    (args.outdir / "a.md").write_text(a, encoding="utf-8")
    (args.outdir / "b.md").write_text(b, encoding="utf-8")
    print(f"{args.outdir / 'a.md'}: {len(a.encode())} bytes; "
          f"{args.outdir / 'b.md'}: {len(b.encode())} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
