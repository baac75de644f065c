"""Interface strings in Japanese and English, and dates written as each language expects."""

from __future__ import annotations

import datetime as dt

STRINGS: dict[str, dict[str, str]] = {
    "ja": {
        "skip": "本文へ移動",
        "documents": "ポリシー一覧",
        "current_version": "現行版",
        "in_force_since": "{date}施行",
        "effective": "施行日",
        "effective_from": "施行日：{date}",
        "announced": "公表日",
        "last_updated": "最終改定日",
        "period": "適用期間",
        "earlier_versions": "過去の版",
        "all_versions": "すべての版と改定履歴",
        "archive_title": "{title}の版一覧",
        "history": "改定履歴",
        "status_past": "過去の版",
        "status_current": "現行版",
        "status_upcoming": "施行予定",
        "past_banner": "この版は{period}に適用されていた過去の版で、現在は適用されていません。",
        "read_current": "現行版を読む",
        "upcoming_banner": "この版は{date}に施行される予定です。それまでは現行版が適用されます。",
        "upcoming_notice": "{date}に改定版が施行されます。",
        "read_upcoming": "改定後の全文",
        "what_changed": "変更内容",
        "change_notice": "改定のお知らせ",
        "no_summary": "（変更内容の説明はありません）",
        "first_version": "最初の版",
        "editorial_note": "編集注記",
        "errata": "訂正",
        "erratum_entry": "{date}訂正：{reason}",
        "diff_from_previous": "前の版との差分",
        "diff_with_current": "現行版との差分",
        "compare": "版を比較",
        "compare_from": "比較元（旧）",
        "compare_to": "比較先（新）",
        "compare_go": "比較する",
        "compare_all": "すべての版の組み合わせを比較できます。",
        "compare_limited": "この文書は版が多いため、連続する版どうし、および各版と現行版・施行予定版との比較のみを用意しています。その他の組み合わせは「python build.py diff」で作成できます。",
        "compare_pick": "比較する2つの版を選んでください。",
        "compare_matrix": "比較表",
        "compare_unavailable": "この組み合わせの差分は用意されていません。",
        "version_of": "{date}施行版",
        "feed": "更新情報（Atom）",
        "feed_all": "すべての文書の更新情報",
        "sha256": "SHA-256",
        "provenance": "出所",
        "commit": "コミット",
        "not_in_git": "このサイトはgit管理外の内容から作成されました。",
        "uncommitted": "この版のファイルには、まだコミットされていない変更があります。",
        "notice_txt": "お知らせ文（テキスト）",
        "contents": "目次",
        "versions_json": "機械可読な版情報（JSON）",
        "none_current": "現在適用されている版はありません。",
        "footer_updated": "最終更新：{date}",
        "version_title": "{title}（{key}）",
        "draft": "ドラフト",
        "draft_title": "{title}（ドラフト）",
        "diff_old": "旧：{period}",
        "diff_new": "新：{period}",
        "diff_new_draft": "新：ドラフト",
        "view_inline": "見え消し（赤字）",
        "view_side-by-side": "左右比較",
        "view_table": "新旧対照表",
        "diff_heading": "{title}：{a} → {b}（{view}）",
        "feed_entry_title": "{title}：{date}施行の改定",
        "notice_heading": "【{title}改定のお知らせ】",
        "notice_heading_first": "【{title}】",
        "notice_revised": "{title}を改定し、{date}から{verb}（公表日：{announced}）。",
        "notice_verb_upcoming": "施行します",
        "notice_verb_current": "施行しました",
        "notice_first": "{title}は{date}から施行されています。",
        "notice_changes": "■ 変更内容",
        "notice_no_summary": "（説明はありません）",
        "notice_new_text": "■ 改定後の全文（{date}施行）\n{url}",
        "notice_old_text": "■ 改定前の全文\n{url}",
        "notice_diff": "■ 変更箇所（新旧の比較）\n{url}",
        "notice_all": "■ すべての版と改定履歴\n{url}",
        "notice_contact": "お問い合わせ：{contact}",
        "not_found": "ページが見つかりません",
        "not_found_text": "お探しのページは見つかりませんでした。ポリシーの各版は次のページから読めます。",
        "draft_diff_banner": "ドラフトとの比較（未公開・レビュー用）",
        "draft_banner": "ドラフト（未公開・レビュー用）",
        "draft_banner_text": "このページは公開前の草案のプレビューです。施行日は確定していません。",
        "diff_views": "表示形式",
        "diff_summary": "この比較の概要",
        "breadcrumb": "パンくずリスト",
    },
    "en": {
        "skip": "Skip to content",
        "documents": "Policies",
        "current_version": "Current version",
        "in_force_since": "In force since {date}",
        "effective": "Effective",
        "effective_from": "Effective: {date}",
        "announced": "Announced",
        "last_updated": "Last updated",
        "period": "In force",
        "earlier_versions": "Earlier versions",
        "all_versions": "All versions and revision history",
        "archive_title": "Versions of the {title}",
        "history": "Revision history",
        "status_past": "Past version",
        "status_current": "Current version",
        "status_upcoming": "Upcoming",
        "past_banner": "This version was in force {period} and is no longer in force.",
        "read_current": "Read the current version",
        "upcoming_banner": "This version takes effect on {date}. Until then the current version applies.",
        "upcoming_notice": "A revised version takes effect on {date}.",
        "read_upcoming": "Read the revised text",
        "what_changed": "What changed",
        "change_notice": "Change notice",
        "no_summary": "(No description of the changes.)",
        "first_version": "First version",
        "editorial_note": "Editorial note",
        "errata": "Errata",
        "erratum_entry": "Corrected on {date}: {reason}",
        "diff_from_previous": "Changes from the previous version",
        "diff_with_current": "Changes against the current version",
        "compare": "Compare versions",
        "compare_from": "From (older)",
        "compare_to": "To (newer)",
        "compare_go": "Compare",
        "compare_all": "Every pair of versions can be compared.",
        "compare_limited": "This document has many versions: comparisons are prepared for consecutive versions and for each version against the current and upcoming ones. Other pairs can be made with 'python build.py diff'.",
        "compare_pick": "Choose two versions to compare.",
        "compare_matrix": "Comparison table",
        "compare_unavailable": "No comparison is prepared for this pair.",
        "version_of": "Version effective {date}",
        "feed": "Updates (Atom)",
        "feed_all": "Updates to all documents",
        "sha256": "SHA-256",
        "provenance": "Provenance",
        "commit": "Commit",
        "not_in_git": "This site was built from content outside git.",
        "uncommitted": "This version's file has changes that are not committed yet.",
        "notice_txt": "Notice text (plain text)",
        "contents": "Contents",
        "versions_json": "Machine-readable version list (JSON)",
        "none_current": "No version is in force yet.",
        "footer_updated": "Last updated {date}",
        "version_title": "{title} ({key})",
        "draft": "draft",
        "draft_title": "{title} (draft)",
        "diff_old": "Old: {period}",
        "diff_new": "New: {period}",
        "diff_new_draft": "New: draft",
        "view_inline": "Redline",
        "view_side-by-side": "Side by side",
        "view_table": "Comparison table (新旧対照表)",
        "diff_heading": "{title}: {a} → {b} ({view})",
        "feed_entry_title": "{title}: revision effective {date}",
        "notice_heading": "Changes to our {title}",
        "notice_heading_first": "{title}",
        "notice_revised": "A revised {title} {verb} on {date} (announced {announced}).",
        "notice_verb_upcoming": "takes effect",
        "notice_verb_current": "took effect",
        "notice_first": "The {title} took effect on {date}.",
        "notice_changes": "What changes:",
        "notice_no_summary": "(No description.)",
        "notice_new_text": "New text: {url}",
        "notice_old_text": "Previous text: {url}",
        "notice_diff": "What changed, marked up: {url}",
        "notice_all": "All versions: {url}",
        "notice_contact": "Contact: {contact}",
        "not_found": "Page not found",
        "not_found_text": "The page you asked for does not exist. Every version of each policy can be read from these pages:",
        "draft_diff_banner": "Comparison with an unreleased draft (for review)",
        "draft_banner": "Draft (not published; for review)",
        "draft_banner_text": "This page previews an unreleased draft. It is not in force.",
        "diff_views": "Views",
        "diff_summary": "Summary of changes",
        "breadcrumb": "Breadcrumb",
    },
}

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


def short_date(date: dt.date, language: str) -> str:
    """2022/4/1 (ja) or 1 Apr 2022 (en)."""
    if language == "ja":
        return f"{date.year}/{date.month}/{date.day}"
    return f"{date.day} {_MONTHS[date.month - 1][:3]} {date.year}"


def long_date(date: dt.date, language: str) -> str:
    """2022年4月1日 (ja) or 1 April 2022 (en)."""
    if language == "ja":
        return f"{date.year}年{date.month}月{date.day}日"
    return f"{date.day} {_MONTHS[date.month - 1]} {date.year}"


def period(start: dt.date, end: dt.date | None, language: str) -> str:
    """The seed's form: 2022/4/1～2023/4/13; an open period ends after the separator."""
    sep = "～" if language == "ja" else " – "
    tail = short_date(end, language) if end else ""
    return f"{short_date(start, language)}{sep}{tail}".strip()


class Translator:
    def __init__(self, language: str) -> None:
        self.language = language
        self.strings = STRINGS[language]

    def __call__(self, key: str, /, **kwargs: object) -> str:
        return self.strings[key].format(**kwargs)
