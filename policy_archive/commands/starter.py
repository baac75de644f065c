"""The texts ``init`` writes into a new policy repository, in each language: ``site.yaml``
with its settings explained, a first version of a privacy policy (a template to edit) and a
draft of the next one. Placeholders are ``{name}`` fields filled by :mod:`init`."""

from __future__ import annotations

from typing import NamedTuple


class Starter(NamedTuple):
    site_yaml: str  # fields: base_url, language
    policy: str  # the first version's text; field: date (written as the language writes it)
    note: str  # the first version's editorial note: it is a template
    draft_front: str  # the draft's front matter
    draft_change: tuple[str, str]  # (a passage of ``policy``, what the draft puts instead)


SITE_YAML_COMMENTS = """\
# content/site.yaml: the settings of this policy site. Keys not listed here are errors.
# Build with `policy-archive build`, check with `policy-archive check --strict`.

# title (required): the site's name, on every page and in the feeds.
title: {title}

# base_url (required): the address the site is published at, ending in /. Feeds, the
# sitemap and 404.html use it. GitHub Pages: https://<owner>.github.io/<repository>/;
# GitLab Pages: https://<group>.gitlab.io/<project>/; or your own domain.
base_url: {base_url}

# language: ja or en (default ja): the language of the site's own words (labels, dates,
# notices). The policy texts are yours, in any language.
language: {language}

# organization: who publishes the policies, shown on the start page and in the feeds.
organization: {organization}

# contact: where readers ask about the policies, shown on the start page.
contact: {contact}

# description: one sentence for the start page and the feeds.
description: {description}

# documents (required): each policy, in the order the start page lists them.
#   slug:  its folder name, versions/<slug>/, and its address, /<slug>/ (lower-case
#          letters, digits and single hyphens; never change it once published);
#   title: its name.
# Each version is a file versions/<slug>/YYYY-MM-DD.md named after the day it takes effect;
# content/<slug>.md is the working draft of the next version (see `policy-archive release`).
documents:
  - slug: privacy
    title: {document_title}
#  - slug: terms
#    title: {terms_title}

# comparison_columns: the columns of the comparison table (新旧対照表): new-old (the
# default: the new text left, as Japanese practice has it) or old-new.
# comparison_columns: new-old

# paper: the paper of printed pages and of the Word and PDF files, a4 or letter (default:
# a4 for a Japanese site, letter for an English one).
# paper: {paper}

# compare_all_pairs_up_to: up to this many versions of a document, a diff of every pair is
# built (default 7); beyond it, each version against its predecessor and the current one.
# compare_all_pairs_up_to: 7

# downloads: offer each amendment's comparison table (新旧対照表) as files to circulate,
# Word (docx) and PDF (pdf), beside its page; PDF needs the Pango library on the machine
# that builds; redline-docx (Word with tracked changes) and redline-pdf offer the redline.
# downloads: [docx, pdf]

# languages: the site's languages, the original (which governs) first, e.g. [ja, en]; a
# translation of a version is versions/<slug>/<date>.<lang>.md and is published under /<lang>/.
# languages: [ja, en]

# translation_notice: per translation language, the wording that says the original prevails
# (default: a standard sentence in the page's language).
# translation_notice:
#   en: This English translation is for reference only; the Japanese original prevails.

# theme: your own look (leave it out for the built-in one). Files are paths under
# templates/ (a change there rebuilds every page); each key is optional.
#   logo:         file (svg, png, jpg, webp) and alt (its text, required), in the header
#   home:         your company's site, linked from the logo (default: the start page)
#   colors:       light: and dark: schemes, each with primary (links), accent, text and
#                 background as CSS colours; text colours must reach 4.5:1 (WCAG AA)
#   header_links, footer_links: lists of {text, url}, or per language (ja: [...], en: [...])
#   footer:       Markdown under every page (company name, address)
#   favicon:      an svg, png or ico file
#   fonts:        your self-hosted font files (woff2, woff, ttf, otf)
#   extra_css:    your stylesheets, after the built-in one; url() may name files beside them
#   csp:          https sources to allow, per directive (img-src, font-src, connect-src, ...)
# theme:
#   logo: {file: templates/static/logo.svg, alt: Example Inc.}
#   home: https://example.com/
#   colors:
#     light: {primary: "#0b4f8a", accent: "#8a3b00"}
#     dark: {primary: "#8cc4ff", accent: "#ffb870"}
#   header_links:
#     - {text: Example Inc., url: "https://example.com/"}
#   footer: "Example Inc., 1 Example Street"
#   extra_css: [templates/static/brand.css]
"""

JA = Starter(
    site_yaml=SITE_YAML_COMMENTS.replace("{title}", "○○株式会社 規約・ポリシー")
    .replace("{organization}", "○○株式会社")
    .replace("{contact}", "○○株式会社 個人情報お問い合わせ窓口 privacy@example.com")
    .replace("{description}", "○○株式会社のプライバシーポリシーの現行版と、これまでのすべての版、"
             "版どうしの差分。")
    .replace("{document_title}", "プライバシーポリシー")
    .replace("{terms_title}", "利用規約")
    .replace("{paper}", "a4"),
    policy="""\
# プライバシーポリシー

○○株式会社（以下「当社」といいます。）は、お客様の個人情報を適切に取り扱うことが社会的な責務であると考え、個人情報の保護に関する法律（以下「個人情報保護法」といいます。）その他の関係法令を守り、以下のとおりプライバシーポリシー（以下「本ポリシー」といいます。）を定めます。

## 1. 事業者の名称・住所・代表者

○○株式会社<br>
〒000-0000 東京都○○区○○一丁目1番1号<br>
代表取締役 ○○ ○○

## 2. 取得する個人情報

当社は、サービスのお申込み、お問い合わせ、アンケートその他の機会に、次の個人情報を適正な手段により取得します。

- 氏名、住所、電話番号、メールアドレス
- 生年月日、性別
- ご購入・ご利用の履歴、お問い合わせの内容
- Cookie、端末識別子、IPアドレスその他のオンライン上の識別子（8. を参照）

## 3. 利用目的

当社は、取得した個人情報を次の目的の範囲内で利用します。

1. サービスの提供、ご本人確認、料金の請求のため
2. お問い合わせへの回答、ご連絡のため
3. サービスの改善、新しいサービスの開発のため
4. 新商品・キャンペーン等のご案内のため（ご本人が希望されない場合は停止します）
5. 利用規約に違反する行為への対応のため

## 4. 第三者への提供

当社は、次の場合を除き、あらかじめご本人の同意を得ることなく個人情報を第三者に提供しません。

- 法令に基づく場合
- 人の生命、身体または財産の保護のために必要があり、ご本人の同意を得ることが困難な場合
- 国の機関もしくは地方公共団体またはその委託を受けた者が法令の定める事務を遂行することに協力する必要がある場合

## 5. 業務の委託

当社は、利用目的の達成に必要な範囲で、個人情報の取扱いの全部または一部を外部に委託することがあります。この場合、委託先を適切に選定し、必要かつ適切な監督を行います。

## 6. 安全管理措置

当社は、個人情報の漏えい、滅失またはき損を防ぐため、取扱規程の整備、従業者の教育、アクセス制御、通信の暗号化その他の必要かつ適切な措置を講じます。

## 7. 開示等のご請求

ご本人は、当社が保有するご自身の個人情報について、利用目的の通知、開示、訂正・追加・削除、利用の停止・消去および第三者提供の停止を請求できます。ご請求は 9. の窓口までご連絡ください。ご本人であることを確認したうえで、法令に従い遅滞なく対応します。

## 8. Cookie等の利用

当社のウェブサイトでは、利便性の向上と利用状況の分析のためにCookieを利用することがあります。ブラウザの設定によりCookieを無効にできますが、一部の機能が使えなくなる場合があります。

## 9. お問い合わせ窓口

○○株式会社 個人情報お問い合わせ窓口<br>
メール：privacy@example.com<br>
受付時間：平日 10:00〜17:00

## 10. 本ポリシーの変更

当社は、法令の改正やサービスの変更に応じて本ポリシーを変更することがあります。重要な変更は、効力が生じる日より前に当社ウェブサイトでお知らせします。過去の版は、この改定履歴でいつでもご覧いただけます。

{date}制定
""",
    note="これはひな形です。○○の箇所を貴社の内容に書き換え、貴社の取扱いに合わせて見直して"
         "から公開してください（公開前に、この注記もこの版のファイルから消してください）。",
    draft_front="""\
---
# 次の版の下書き（例）。`policy-archive build --drafts` または `policy-archive serve --drafts`
# でプレビューでき、公開サイトには載りません。確定したら次のコマンドで版にします：
#   policy-archive release privacy --effective YYYY-MM-DD --announced YYYY-MM-DD --summary "…"
summary: |
  - 「3. 利用目的」に、不正利用の防止を追加しました。
---
""",
    draft_change=("5. 利用規約に違反する行為への対応のため\n",
                  "5. 利用規約に違反する行為への対応のため\n"
                  "6. 不正アクセス・不正利用の検知と防止のため\n"),
)

EN = Starter(
    site_yaml=SITE_YAML_COMMENTS.replace("{title}", "Example Ltd policies")
    .replace("{organization}", "Example Ltd")
    .replace("{contact}", "Example Ltd, privacy team, privacy@example.com")
    .replace("{description}", "Example Ltd's privacy policy as it stands, every earlier "
             "version, and what changed between them.")
    .replace("{document_title}", "Privacy Policy")
    .replace("{terms_title}", "Terms of Use")
    .replace("{paper}", "letter"),
    policy="""\
# Privacy Policy

This policy explains what personal data Example Ltd ("we", "us") collects when you use our
services, why we use it, who we share it with and the choices and rights you have.

## 1. Who we are

Example Ltd, 1 Example Street, Example City, is responsible for your personal data
(the controller). You can reach us as set out in section 9.

## 2. What we collect

- Data you give us: your name, address, email address and phone number, and what you write
  to us.
- Data about your use of our services: orders, payments and support requests.
- Data from your device: IP address, browser type and cookie identifiers (see section 7).

## 3. Why we use it

1. To provide the services you ask for and to bill you (performance of a contract).
2. To answer your questions and tell you about changes to our services.
3. To keep our services secure and improve them (our legitimate interests).
4. To send you news and offers, only if you agreed to it; you can stop them at any time.
5. To meet our legal obligations.

## 4. Who we share it with

We share personal data only with service providers who process it for us under contract
(hosting, payment, email delivery), with authorities where the law requires it, and with
others only with your consent. We do not sell your personal data.

## 5. How long we keep it

We keep personal data only as long as we need it for the purposes above or as the law
requires, then delete or anonymise it.

## 6. Your rights

You may ask us for access to your data, to correct or delete it, to restrict or object to
its use, and to receive it in a portable form. Where we rely on your consent you may
withdraw it at any time. You may also complain to your data protection authority.

## 7. Cookies

Our website uses cookies that are needed for it to work and, with your consent, cookies
that measure how it is used. You can refuse or delete cookies in your browser's settings.

## 8. Security

We protect personal data with access controls, encryption in transit and staff training.

## 9. Contact

Example Ltd, privacy team, privacy@example.com, 1 Example Street, Example City.

## 10. Changes to this policy

We may change this policy when the law or our services change. We announce important
changes on our website before they take effect; every earlier version stays available in
this policy's revision history.

In effect since {date}.
""",
    note="This is a template: replace the example details with your own and review every "
         "section against how you really handle personal data before you publish it (and "
         "remove this note from the version's file).",
    draft_front="""\
---
# An example draft of the next version: `policy-archive build --drafts` or
# `policy-archive serve --drafts` previews it; the published site never shows it. When it
# is final, make it a version with
#   policy-archive release privacy --effective YYYY-MM-DD --announced YYYY-MM-DD --summary "…"
summary: |
  - Section 5 now gives how long we keep account data.
---
""",
    draft_change=("as the law\nrequires, then delete or anonymise it.\n",
                  "as the law\nrequires, then delete or anonymise it. We delete an account's "
                  "data two years after\nthe account was closed.\n"),
)

STARTERS = {"ja": JA, "en": EN}
