"""Obsidian's Markdown as Obsidian renders it: one table per construct, each note built into
a real site (the default extensions, added by the plugin) and its page's HTML asserted.

Every row is (note, what it holds, HTML fragments its article must contain, fragments it
must not contain). The fragments are compared on the article's HTML with runs of white
space folded to one space, so that they read as what a reader's browser gets.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from conftest import Built

CALLOUTS = [
    (
        "callout_typed",
        "> [!tip]\n> Water the plants.\n",
        [
            '<div class="admonition tip"> <p class="admonition-title">Tip</p> '
            "<p>Water the plants.</p>"
        ],
        ["[!tip]", "<blockquote"],
    ),
    (
        "callout_titled",
        "> [!warning] Hot *stove*\n> Do not touch.\n",
        ['<div class="admonition warning"> <p class="admonition-title">Hot <em>stove</em></p>'],
        ["[!warning]"],
    ),
    (
        "callout_alias",
        "> [!faq] Why?\n> Because.\n",
        ['<div class="admonition question"> <p class="admonition-title">Why?</p>'],
        [],
    ),
    (
        "callout_unknown_type",
        "> [!recipe]\n> Flour.\n",
        ['<div class="admonition note"> <p class="admonition-title">Recipe</p>'],
        [],
    ),
    (
        "callout_folded_closed",
        "> [!example]- Click me\n> Hidden body.\n",
        ['<details class="example"> <summary>Click me</summary> <p>Hidden body.</p> </details>'],
        ["open"],
    ),
    (
        "callout_folded_open",
        "> [!bug]+ Known issue\n> Shown body.\n",
        ['<details class="bug" open="open"> <summary>Known issue</summary> <p>Shown body.</p>'],
        [],
    ),
    (
        "callout_nested",
        "> [!note] Outer\n> Outer text.\n> > [!danger] Inner\n> > Inner text.\n",
        [
            '<div class="admonition note"> <p class="admonition-title">Outer</p> '
            '<p>Outer text.</p> <div class="admonition danger"> '
            '<p class="admonition-title">Inner</p> <p>Inner text.</p> </div> </div>'
        ],
        ["[!danger]"],
    ),
    (
        "callout_ended_by_blank_line",
        "> [!info] Box\n> In the box.\n\n> A plain quote.\n",
        ["<p>In the box.</p> </div> <blockquote> <p>A plain quote.</p> </blockquote>"],
        [],
    ),
    (
        "quote_not_callout",
        "> Said someone\n> [!note] later on\n",
        ["<blockquote> <p>Said someone [!note] later on</p> </blockquote>"],
        ["admonition"],
    ),
]

FENCES = [
    (
        "fence_title_attribute",
        '```ts title="quartz.config.ts"\nconst a = 1\n```\n\n## After\n',
        ['<span class="filename">quartz.config.ts</span>', '<h2 id="after">After'],
        ["```"],
    ),
    (
        "fence_odd_info_string",
        "``` //dataviewjs\nlist()\n```\n\n## After\n",
        ["<code>list()", '<h2 id="after">After'],
        ["```", "dataviewjs"],
    ),
    (
        "fence_attribute_list",
        "```js {.numbered}\nlet b\n```\n\nText after.\n",
        ["<code><span", "<p>Text after.</p>"],
        ["```"],
    ),
    (
        "fence_longer_closing",
        "````\ncode ```\n`````\n\nText after.\n",
        ["<code>code ```", "<p>Text after.</p>"],
        ["````"],
    ),
    (
        "fence_in_list_item",
        "- Theme:\n  ```yaml\n  url: www.example.org/theme\n  ```\n- Next item\n",
        ['<li>Theme: <div class="highlight">', "www.example.org/theme", "<li>Next item</li>"],
        ['href="www.example.org', "```"],
    ),
    (
        "fence_in_quote",
        "> Quoted:\n> ```py\n> x = [[1, 2]]\n> ```\n> After.\n",
        ['<blockquote> <p>Quoted:</p> <div class="highlight">', "<p>After.</p> </blockquote>"],
        ["```", "ng-topic"],
    ),
    (
        "fence_in_callout",
        "> [!example] Code\n> ```\n> # not a heading\n> ```\n",
        [
            '<p class="admonition-title">Code</p> <div class="highlight"><pre><span></span>'
            "<code># not a heading"
        ],
        ['id="not-a-heading"', "```"],
    ),
    (
        "fence_after_text",
        "Text right before\n```\ncode\n```\nText right after\n",
        ['<p>Text right before</p> <div class="highlight">', "<p>Text right after</p>"],
        ["```"],
    ),
    (
        "fence_unclosed",
        "Before.\n\n```\ncode to the end\n\n## Not a heading\n",
        ["<code>code to the end", "## Not a heading"],
        ['id="not-a-heading"', "```"],
    ),
    (
        "fence_unclosed_in_quote",
        "> ```\n> quoted code\n\nOutside again.\n",
        ["<code>quoted code", "<p>Outside again.</p>"],
        ["```"],
    ),
    (
        "fence_inline_backticks",
        "A line ```not a fence``` here.\n\n## Still a heading\n",
        ["<code>not a fence</code>", '<h2 id="still-a-heading">'],
        [],
    ),
]

INLINE = [
    (
        "footnotes",
        "A claim[^1] and another[^note].\n\n[^1]: The source.\n[^note]: More.\n",
        [
            '<sup id="fnref:1"><a class="footnote-ref" href="#fn:1">1</a></sup>',
            '<li id="fn:1"> <p>The source.',
            '<a class="footnote-backref" href="#fnref:1"',
        ],
        ["[^1]"],
    ),
    ("highlight", "Some ==very important== words.\n", ["<mark>very important</mark>"], ["=="]),
    (
        "tasks",
        "- [ ] Open\n- [x] Done\n",
        [
            '<li class="task-list-item"><label class="task-list-control">'
            '<input type="checkbox" disabled=""><span class="task-list-indicator"></span>'
            "</label> Open</li>",
            '<input type="checkbox" disabled="" checked="">',
        ],
        ["[ ]", "[x]"],
    ),
    (
        "autolinks",
        "See <https://example.org/page> and <mailto:me@example.org>.\n",
        ['<a href="https://example.org/page">https://example.org/page</a>'],
        ["&lt;https"],
    ),
    (
        "comments",
        "Shown %%hidden inline%% text.\n\n%%\nA hidden block [[secret]]\n%%\n\n`%%code, kept%%`\n",
        ["<p>Shown  text.</p>", "<code>%%code, kept%%</code>"],
        ["hidden", "secret", "%%hidden"],
    ),
    (
        "math_inline",
        "Euler: $e^{i\\pi} + 1 = 0$, and it cost $20-$30.\n",
        ['<span class="arithmatex">\\(e^{i\\pi} + 1 = 0\\)</span>', "cost $20-$30."],
        [],
    ),
    (
        "math_display",
        "$$\n\\int_0^1 x\\,dx\n$$\n\n```math\na^2 + b^2\n```\n",
        ['<div class="arithmatex">\\[ \\int_0^1 x\\,dx \\]</div>', "a^2 + b^2"],
        ["$$", "```"],
    ),
    (
        "mermaid",
        "```mermaid\ngraph TD\n  A --> B\n```\n",
        ['<div class="ng-mermaid">graph TD A --&gt; B</div>'],
        ['class="mermaid"', "```"],
    ),
    (
        "block_ids",
        "A claim worth citing. ^claim\n\n- item one ^item\n- item two\n\n"
        "| a |\n|---|\n| 1 |\n\n^table\n",
        [
            '<p id="^claim">A claim worth citing.</p>',
            '<li id="^item">item one</li>',
            '<table id="^table">',
        ],
        ["^claim<", " ^item", "<p>^table"],
    ),
]

BROKEN_HTML = [
    (
        "html_unclosed_attribute",
        'A claim <a class="yt-timestamp" data-t="01:27:42</a> made.\n\n'
        "Later **bold** text and [[embed_source|a link]].\n",
        ["<strong>bold</strong>", '<a href="../embed_source/">a link</a>'],
        ["**bold**", "[[embed_source"],
    ),
    (
        "html_unclosed_tag",
        "Text with <span and no end.\n\nLater *emphasis* stays.\n",
        ["<em>emphasis</em>"],
        ["*emphasis*"],
    ),
]

CJK = [
    (
        "cjk_headings",
        "# 中文笔记\n\n## 标题\n\nSee [[#标题]] and [[cjk_target#第二节]].\n",
        [
            '<h2 id="标题">',
            'href="#%E6%A0%87%E9%A2%98"',
            'href="../cjk_target/#%E7%AC%AC%E4%BA%8C%E8%8A%82"',
        ],
        ['id="_1"'],
    ),
    (
        "cjk_target",
        "# 目标\n\n## 第一节\n\n## 第二节\n",
        ['<h2 id="第一节">', '<h2 id="第二节">'],
        ['id="_1"', 'id="_2"'],
    ),
]

EMBEDS = [
    (
        "embed_source",
        "# Embed source\n\nIntro paragraph.\n\nA quotable claim. ^quotable\n\n"
        "## Part one\n\nPart one text.\n\n### Deeper\n\nDeeper text.\n\n"
        "## Part two\n\nPart two text.\n",
        ['<p id="^quotable">A quotable claim.</p>'],
        [],
    ),
    (
        "embed_block",
        "![[embed_source#^quotable]]\n",
        ['<p id="^quotable">A quotable claim.</p>'],
        ["Intro paragraph", "Part one text"],
    ),
    (
        "embed_heading",
        "![[embed_source#Part one]]\n",
        ["Part one text.", "Deeper text."],
        ["Intro paragraph", "Part two text", "A quotable claim"],
    ),
    (
        "link_block",
        "See [[embed_source#^quotable|the claim]].\n",
        ['<a href="../embed_source/#%5Equotable">the claim</a>'],
        [],
    ),
]

TABLE = CALLOUTS + FENCES + INLINE + BROKEN_HTML + CJK + EMBEDS

EXCERPT_NOTES = {
    "excerpt_target.md": "# Excerpt target\n",
    "excerpt_source.md": (
        "---\nvideoId: 7gaPPrAd7nc\n---\n"
        "**[[excerpt_target]]**: a *crucial* %%hidden remark%% skill, with `[[not a link]]` "
        "kept as code and ==lit== words. Next sentence.\n\n"
        "Read [[excerpt_target|the target]] beside [[embed_source|another note]] and "
        "[[Excerpt topic]] [00:01:02]. ^cited\n\n"
        "> [!tip] A callout\n> A ~~struck~~ claim about [[Excerpt topic]] [00:02:00].\n"
    ),
}
VAULT = {f"{name}.md": text for name, text, _, _ in TABLE} | EXCERPT_NOTES


def _folded(html: str) -> str:
    return re.sub(r"\s+", " ", html)


@pytest.fixture(scope="module")
def site(build_vault: Any) -> Built:
    return build_vault("dialect", VAULT)


def _article(site: Built, name: str) -> str:
    page = site.page(f"notes/{name}.md").read_text(encoding="utf-8")
    start = page.index("<article")
    return _folded(page[start : page.index("</article>", start)])


@pytest.mark.parametrize(("name", "text", "present", "absent"), TABLE, ids=[c[0] for c in TABLE])
def test_obsidian_markdown_renders_as_obsidian_shows_it(site, name, text, present, absent):
    html = _article(site, name)
    for fragment in present:
        assert _folded(fragment) in html
    for fragment in absent:
        assert fragment not in html


def _section(html: str, css: str) -> str:
    """The folded HTML of the first element of class `css` (a list or a group)."""
    start = html.index(f'class="{css}"')
    return _folded(html[start : html.index("</section>", start)])


def _video_page(site: Built) -> str:
    pages = [p for p in site.site_dir.glob("videos/*/index.html")]
    assert len(pages) == 1
    return pages[0].read_text(encoding="utf-8")


EXCERPTS = [
    (
        "backlink_keeps_emphasis_code_and_highlight",
        "backlinks",
        '<li><strong><mark class="ng-mention">Excerpt target</mark></strong>: a <em>crucial</em> '
        "skill, with <code>[[not a link]]</code> kept as code and <mark>lit</mark> words.</li>",
    ),
    (
        "backlink_shows_other_links_as_links",
        "backlinks",
        '<li>Read <mark class="ng-mention">the target</mark> beside '
        '<a href="../embed_source/">another note</a> and '
        '<a href="../../topics/excerpt-topic/">Excerpt topic</a>. <a class="ng-stamp"',
    ),
    (
        "topic_mention_keeps_strike_and_drops_callout_marker",
        "topic",
        '<li>A <del>struck</del> claim about <mark class="ng-mention">Excerpt topic</mark>. '
        '<a class="ng-stamp"',
    ),
    (
        "video_moment_shows_links",
        "video",
        '<span class="ng-moment-text">Read <a href="../../notes/excerpt_target/">the target</a> '
        'beside <a href="../../notes/embed_source/">another note</a> and '
        '<a href="../../topics/excerpt-topic/">Excerpt topic</a>.</span>',
    ),
]


@pytest.mark.parametrize(("name", "where", "present"), EXCERPTS, ids=[e[0] for e in EXCERPTS])
def test_excerpts_are_rendered_markdown(site, name, where, present):
    """Backlinks, topic mentions and video moments quote the sentence as the note shows it:
    code stays code, emphasis emphasis, links are links with their shown text; comments,
    block ids, callout markers and Markdown syntax are gone."""
    if where == "backlinks":
        page = site.page("notes/excerpt_target.md").read_text(encoding="utf-8")
        html = _section(page, "ng-mentions")
    elif where == "topic":
        html = _section(
            site.file("topics/excerpt-topic/").read_text(encoding="utf-8"), "ng-mentions"
        )
    else:
        page = _video_page(site)
        html = _folded(page[page.index("<article") : page.index("</article>")])
    assert _folded(present) in html
    for syntax in ("**", "==", "~~", "%%", "hidden remark", "^cited", "[!tip]", "[[excerpt"):
        assert syntax not in html
