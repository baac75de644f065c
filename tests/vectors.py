"""Hostile input for the vector suite: markup-injection cases by class, and a project that
places every case in every field a text can have.

The cases are written for this project (classes as in the public XSS test suites: element
and attribute injection, attribute breakouts, mutation XSS, namespace confusion, entity
tricks, URL schemes, SVG/MathML, template syntax, CSS, DOM clobbering, Markdown's own
syntax), plus forgeries of the renderer's old in-band placeholders. Each payload calls
``alert`` if it ever runs: the browser test fails on any dialog.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support.building import build_project, built_once

#: (class, payload): a payload is one line of text, placed as it is in each context.
VECTORS: list[tuple[str, str]] = [
    # --- elements that run script by themselves ---------------------------------------
    ("element", "<script>alert(101)</script>"),
    ("element", "<SCRIPT SRC=//attacker.invalid/x.js></SCRIPT>"),
    ("element", "<img src=x onerror=alert(102)>"),
    ("element", "<body onload=alert(103)>"),
    ("element", "<iframe src=javascript:alert(104)></iframe>"),
    ("element", '<iframe srcdoc="&lt;script&gt;alert(105)&lt;/script&gt;"></iframe>'),
    ("element", "<object data=javascript:alert(106)></object>"),
    ("element", "<embed src=javascript:alert(107)>"),
    ("element", "<video><source onerror=alert(108)></video>"),
    ("element", "<audio src=x onerror=alert(109)></audio>"),
    ("element", "<details open ontoggle=alert(110)><summary>s</summary></details>"),
    ("element", "<input autofocus onfocus=alert(111)>"),
    ("element", "<select autofocus onfocus=alert(112)></select>"),
    ("element", "<textarea autofocus onfocus=alert(113)></textarea>"),
    ("element", "<marquee onstart=alert(114)>m</marquee>"),
    ("element", '<meta http-equiv="refresh" content="0;url=javascript:alert(115)">'),
    ("element", '<base href="javascript:alert(116)//">'),
    ("element", "<frameset onload=alert(117)></frameset>"),
    ("element", "<isindex type=image src=1 onerror=alert(118)>"),
    ("element", "<keygen autofocus onfocus=alert(119)>"),
    ("element", '<button form=f formaction="javascript:alert(120)">b</button>'),
    ("element", '<form action="javascript:alert(121)"><input type=submit></form>'),
    ("element", "<p onclick=alert(122) onmouseover=alert(122)>hover</p>"),
    ("element", "<div onpointerenter=alert(123)>enter</div>"),
    ("element", "<a onmouseover=alert(124) href=#>a</a>"),
    ("element", "<dialog open onclose=alert(125)>d</dialog>"),
    # --- breaking out of an attribute of allowed markup -------------------------------
    ("attribute breakout", '"><img src=x onerror=alert(201)>'),
    ("attribute breakout", "'><img src=x onerror=alert(202)>"),
    ("attribute breakout", '" autofocus onfocus="alert(203)'),
    ("attribute breakout", '<span title="x" onclick="alert(204)">t</span>'),
    ("attribute breakout", "<span title=x onmouseover=alert(205)>u</span>"),
    ("attribute breakout", "<a href=https://example.org/ onclick=alert(206)>v</a>"),
    ("attribute breakout", '<abbr title="&quot; onmouseover=alert(207) x=&quot;">w</abbr>'),
    ("attribute breakout", "<span title=`x` onclick=alert(208)>x</span>"),
    ("attribute breakout", "<img/src=x/onerror=alert(209)>"),
    ("attribute breakout", '<a title="</a><img src=x onerror=alert(210)>">y</a>'),
    ("attribute breakout", '<time datetime="2020" onmouseover="alert(211)">z</time>'),
    ("attribute breakout", '<span id="a" lang="en" onmouseover=alert(212)>lang</span>'),
    ("attribute breakout", '<span title="a"onmouseover="alert(213)">glued</span>'),
    ("attribute breakout", "<span\tonmouseover=alert(214)>tab</span>"),
    # --- forging the renderer's stand-ins (the finding) -----------------------
    ("placeholder forgery", '<a href="https://example.com/&#xE000;0&#xE001;">click</a> '
                            "![ autofocus onfocus=alert(301) x](?x=)"),
    ("placeholder forgery", '<a title="&#57344;0&#57345;">t</a> ![ onmouseover=alert(302) x](i.png)'),
    ("placeholder forgery", '<span title="&#xe000;0&#xe001">s</span> ![" onerror=alert(303) x](i.png)'),
    ("placeholder forgery", '<abbr title="\ue0000\ue001">a</abbr> ![ autofocus onfocus=alert(304)](i.png)'),
    ("placeholder forgery", '<a href="https://example.com/\ue0001\ue001">b</a> <b>x</b> [^pf] '
                            "![ onfocus=alert(305) autofocus](?y=)"),
    ("placeholder forgery", '[link](https://example.com/ "&#xE000;0&#xE001;") <b>b</b> '
                            "![ onmouseover=alert(306) a](i.png)"),
    ("placeholder forgery", "\ue0000\ue001 \ue000old\ue000 \ue000new\ue000 <b>text</b> "
                            "![ onerror=alert(307)](i.png)"),
    ("placeholder forgery", '<span title="&#xE000;old&#xE000;">o</span> '
                            '<span title="&#xE000;new&#xE000;">n</span>'),
    ("placeholder forgery", '<a href="https://example.com/&#xF0000;0&#xF0000;">c</a> '
                            "![ autofocus onfocus=alert(309) x](?z=)"),
    # --- mutation XSS: markup that changes meaning when parsed again ------------------
    ("mXSS", '<noscript><p title="</noscript><img src=x onerror=alert(401)>"></noscript>'),
    ("mXSS", '<svg></p><style><a id="</style><img src=1 onerror=alert(402)>"></svg>'),
    ("mXSS", "<math><mtext><table><mglyph><style><img src=x onerror=alert(403)>"),
    ("mXSS", "<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert(404)>"),
    ("mXSS", "<svg><style>&lt;img src=x onerror=alert(405)&gt;</style></svg>"),
    ("mXSS", "<listing>&lt;img src=x onerror=alert(406)&gt;</listing>"),
    ("mXSS", "<xmp><img src=x onerror=alert(407)></xmp>"),
    ("mXSS", "<textarea><img src=x onerror=alert(408)></textarea>"),
    ("mXSS", "<title><img src=x onerror=alert(409)></title>"),
    ("mXSS", '<noembed><img title="</noembed><img src onerror=alert(410)>"></noembed>'),
    ("mXSS", "<template><img src=x onerror=alert(411)></template>"),
    ("mXSS", "<table><a href=x><img src=x onerror=alert(412)></a></table>"),
    ("mXSS", "<select><style><img src=x onerror=alert(413)></style></select>"),
    ("mXSS", "<!--><img src=x onerror=alert(414)>-->"),
    ("mXSS", "<!-- --!><img src=x onerror=alert(415)>-->"),
    ("mXSS", "<? ><img src=x onerror=alert(416)> ?>"),
    ("mXSS", "<![CDATA[><img src=x onerror=alert(417)>]]>"),
    ("mXSS", "<b <img src=x onerror=alert(418)>>"),
    ("mXSS", '<p id="</p><img src=x onerror=alert(419)>">q</p>'),
    ("mXSS", "<noframes><img title='</noframes><img src=x onerror=alert(420)>'></noframes>"),
    ("mXSS", "<style></style><img src=x onerror=alert(421)>"),
    ("mXSS", '<iframe><img title="</iframe><img src=x onerror=alert(422)>"></iframe>'),
    # --- SVG and MathML, and confusing the two namespaces ------------------------------
    ("SVG/MathML", '<svg><a xlink:href="javascript:alert(501)"><text x=0 y=20>s</text></a></svg>'),
    ("SVG/MathML", "<svg><animate onbegin=alert(502) attributeName=x dur=1s>"),
    ("SVG/MathML", "<svg><a><set attributeName=href to=javascript:alert(503) /><text>t</text></a></svg>"),
    ("SVG/MathML", "<svg><foreignObject><img src=x onerror=alert(504)></foreignObject></svg>"),
    ("SVG/MathML", '<svg><use href="data:image/svg+xml,&lt;svg id=x&gt;&lt;/svg&gt;#x"/></svg>'),
    ("SVG/MathML", '<math><maction actiontype="statusline" xlink:href="javascript:alert(506)">m</maction></math>'),
    ("SVG/MathML", '<math href="javascript:alert(507)">m</math>'),
    ("SVG/MathML", '<svg><script href="data:,alert(508)"/></svg>'),
    ("SVG/MathML", '<math><annotation-xml encoding="text/html"><img src=x onerror=alert(509)></annotation-xml></math>'),
    ("SVG/MathML", "<svg><desc><img src=x onerror=alert(510)></desc></svg>"),
    ("SVG/MathML", "<svg><title><img src=x onerror=alert(511)></title></svg>"),
    ("SVG/MathML", "<svg onload=alert(512)>"),
    ("SVG/MathML", "<math><mi xlink:href=javascript:alert(513)>x</mi></math>"),
    ("SVG/MathML", "<svg><image href=x onerror=alert(514) /></svg>"),
    # --- character references that make a script URL or markup ------------------------
    ("entity tricks", '<a href="&#106;avascript:alert(601)">e1</a>'),
    ("entity tricks", '<a href="&#x6A;&#x61;vascript:alert(602)">e2</a>'),
    ("entity tricks", '<a href="javascript&colon;alert(603)">e3</a>'),
    ("entity tricks", '<a href="java&Tab;script:alert(604)">e4</a>'),
    ("entity tricks", '<a href="java&NewLine;script:alert(605)">e5</a>'),
    ("entity tricks", '<a href="&#0000106avascript:alert(606)">e6</a>'),
    ("entity tricks", '<a href="javas&#99;ript:alert(607)">e7</a>'),
    ("entity tricks", "&lt;img src=x onerror=alert(608)&gt;"),
    ("entity tricks", "&#60;script&#62;alert(609)&#60;/script&#62;"),
    ("entity tricks", "<img src=x onerror&#61;alert(610)>"),
    ("entity tricks", "&amp;lt;script&amp;gt;alert(611)&amp;lt;/script&amp;gt;"),
    ("entity tricks", "[e12](&#106;avascript:alert(612))"),
    ("entity tricks", '<a href="&#x09;javascript:alert(613)">e13</a>'),
    # --- URL schemes, in raw HTML and in Markdown -------------------------------------
    ("URL schemes", '<a href="JAVASCRIPT:alert(701)">u1</a>'),
    ("URL schemes", '<a href=" javascript:alert(702)">u2</a>'),
    ("URL schemes", '<a href="\u2028javascript:alert(703)">u3</a>'),
    ("URL schemes", '<a href="vbscript:msgbox(704)">u4</a>'),
    ("URL schemes", '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCg3MDUpPC9zY3JpcHQ+">u5</a>'),
    ("URL schemes", '<a href="data:text/html,&lt;script&gt;alert(706)&lt;/script&gt;">u6</a>'),
    ("URL schemes", '<a href="livescript:alert(707)">u7</a>'),
    ("URL schemes", '<a href="javascript://%0aalert(708)">u8</a>'),
    ("URL schemes", '<a href="feed:javascript:alert(709)">u9</a>'),
    ("URL schemes", "[u10](javascript:alert(710))"),
    ("URL schemes", "[u11](JaVaScRiPt:alert(711))"),
    ("URL schemes", "[u12](<javascript:alert(712)>)"),
    ("URL schemes", "<javascript:alert(713)>"),
    ("URL schemes", "[u14](vbscript:msgbox(714))"),
    ("URL schemes", "[u15](data:text/html,alert(715))"),
    ("URL schemes", "![u16](javascript:alert(716))"),
    ("URL schemes", "[u17](javascript&#58;alert(717))"),
    ("URL schemes", "[u18](%20javascript:alert(718))"),
    ("URL schemes", "![u19](data:image/svg+xml,&lt;svg onload=alert(719)&gt;)"),
    ("URL schemes", '<a href="mailto:x@example.org?body=&lt;script&gt;alert(720)">u20</a>'),
    # --- template syntax of this and other systems: never evaluated --------------------
    ("template syntax", "{{ 7*7 }} {{ cycler.__init__.__globals__.os.popen('id').read() }}"),
    ("template syntax", "{% raw %}{{ 7*7 }}{% endraw %} {% include 'base.html' %}"),
    ("template syntax", "{{constructor.constructor('alert(802)')()}}"),
    ("template syntax", "${alert(803)} #{alert(803)} <%= alert(803) %>"),
    ("template syntax", "[[alert(804)]] {{{alert(804)}}} {#comment#}"),
    # --- CSS ---------------------------------------------------------------------------
    ("CSS", '<span style="background:url(javascript:alert(901))">c1</span>'),
    ("CSS", '<div style="width:expression(alert(902))">c2</div>'),
    ("CSS", "<style>@import 'javascript:alert(903)';</style>"),
    ("CSS", '<link rel=stylesheet href="data:text/css,*{x:expression(alert(904))}">'),
    ("CSS", '<p style="-moz-binding:url(x.xml#x)">c5</p>'),
    ("CSS", '<style>*{background:url("javascript:alert(906)")}</style>'),
    # --- DOM clobbering of the site's own scripts --------------------------------------
    ("DOM clobbering", '<a id="document" name="cookie">d1</a>'),
    ("DOM clobbering", '<span id="__proto__">d2</span>'),
    ("DOM clobbering", '<a id="search-form" name="action" href="javascript:alert(1003)">d3</a>'),
    ("DOM clobbering", '<form id="f"><input name="attributes"></form>'),
    # --- Markdown's own syntax ---------------------------------------------------------
    ("Markdown", '[m1](https://example.org/ "t\\" onmouseover=\\"alert(1101)")'),
    ("Markdown", '![m2" onerror="alert(1102)](i.png)'),
    ("Markdown", '![m3](i.png "t\\" onerror=\\"alert(1103)")'),
    ("Markdown", "[<img src=x onerror=alert(1104)>](https://example.org/)"),
    ("Markdown", "`<script>alert(1105)</script>`"),
    ("Markdown", "**<img src=x onerror=alert(1106)>**"),
    ("Markdown", '<https://example.org/"onmouseover="alert(1107)>'),
    ("Markdown", '[m8](https://example.org/"onmouseover="alert(1108))'),
    ("Markdown", "[m9][ref-js] [m9b][ref-data]"),
    ("Markdown", "<b>m10 *<i>nested* </b></i> ![<img src=x onerror=alert(1110)>](i.png)"),
    ("Markdown", '![](https://attacker.invalid/x.png "t\\" onerror=\\"alert(1111)")'),
]

#: Link reference definitions used by the Markdown cases (at the end of a text).
REFERENCES = "[ref-js]: javascript:alert(1109)\n[ref-data]: data:text/html,alert(1109)\n"


def counts() -> dict[str, int]:
    """How many cases each class has."""
    out: dict[str, int] = {}
    for cls, _ in VECTORS:
        out[cls] = out.get(cls, 0) + 1
    return out


def _cell(payload: str) -> str:
    return payload.replace("|", "\\|")


def body(n: int) -> str:
    """A policy text holding every case in every block context; version ``n`` changes a
    word beside each one, so that every diff view shows each inside ``<ins>``/``<del>``."""
    parts = [f"# Vectors {n}\n", "## Reasoned section\n", f"Changed in version {n}.\n"]
    for k, (_, p) in enumerate(VECTORS):
        mark = f"c{k}v{n}"
        parts += [
            f"## {mark} {p}\n",
            f"{mark} paragraph {p} [^f{k}]\n",
            f"- {mark} item {p}\n- second {mark}\n",
            f"> {mark} quote {p}\n",
            f"| {mark} | {_cell(p)} |\n| --- | --- |\n| {_cell(p)} {mark} | cell |\n",
            f"[{mark} link text {p}](https://example.org/{k}) and *{mark} {p}*\n",
            f'[{mark} title](https://example.org/t "{p}") ![{mark} {p}](i{k}.png)\n',
            f"<div>{mark} raw block {p}</div>\n",
        ]
    parts += [f"[^f{k}]: {f'c{k}v{n}'} footnote {p}\n" for k, (_, p) in enumerate(VECTORS)]
    parts += ["[^pf]: the footnote of a forgery case\n", REFERENCES]
    return "\n".join(parts)


def every_case(prefix: str) -> str:
    """All payloads on one line (for a title or a one-line field)."""
    return prefix + " " + " ".join(p for _, p in VECTORS)


def case_list(prefix: str) -> str:
    """All payloads as a Markdown list (for a summary or a note)."""
    return "\n".join(f"- {prefix} {k}: {p}" for k, (_, p) in enumerate(VECTORS)) + "\n"


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted one


SITE = """\
title: {title}
base_url: https://example.org/vectors/
language: en
languages: [en, ja]
organization: {organization}
description: {description}
downloads: [docx]
documents:
  - slug: terms
    title: {document}
"""

#: (effective, announced): the version before and the one in force as of the tests' build
#: date (one diff, and the draft's against the current version).
DATES = [("2024-01-01", "2023-12-01"), ("2025-03-01", "2025-02-01")]


def write_project(root: Path) -> None:
    """The project: two versions, a Japanese translation of each, and a draft, every
    field holding every case."""
    (root / "content").mkdir(parents=True)
    folder = root / "versions" / "terms"
    folder.mkdir(parents=True)
    (root / "content" / "site.yaml").write_text(SITE.format(
        title=_q(every_case("Site")), organization=_q(every_case("Org")),
        description=_q(every_case("Description")), document=_q(every_case("Doc"))),
        encoding="utf-8")
    for n, (effective, announced) in enumerate(DATES, 1):
        front = {"effective": effective, "announced": announced,
                 "title": _q(every_case(f"Version {n}")), "summary": _q(case_list(f"s{n}")),
                 "note": _q(case_list(f"n{n}"))}
        extra = "" if n == 1 else (
            f"errata:\n  - date: {announced}\n    reason: {_q(every_case('Erratum'))}\n"
            f"reasons:\n  Reasoned section: {_q(every_case('Reason'))}\n")
        lines = "".join(f"{k}: {v}\n" for k, v in front.items())
        (folder / f"{effective}.md").write_text(f"---\n{lines}{extra}---\n{body(n)}",
                                               encoding="utf-8")
        (folder / f"{effective}.ja.md").write_text(
            f"---\ntitle: {_q(every_case(f'訳 {n}'))}\nsummary: {_q(case_list(f'訳s{n}'))}\n"
            f"note: {_q(case_list(f'訳n{n}'))}\n---\n{body(n)}", encoding="utf-8")
    (root / "content" / "terms.md").write_text(
        f"---\ntitle: {_q(every_case('Draft'))}\nsummary: {_q(case_list('d'))}\n"
        f"note: {_q(case_list('dn'))}\n---\n{body(9)}", encoding="utf-8")


def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project (``project/``) built with its draft as of 2026-11-26 (``site/``), once per
    test run; read it, never change it."""

    def make(folder: Path) -> None:
        write_project(folder / "project")
        build_project(folder / "project", folder / "site", "2026-11-26", "--drafts")

    return built_once(tmp_path_factory, "vectors", make)
