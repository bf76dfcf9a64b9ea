"""Hostile input: one vault of every kind of note a stranger's pull request can hold, built whole.

Notes arrive from strangers' pull requests and from other tools' exports. Whatever they hold,
the build must finish, publish every other note, report each defect once with its file and
line, run no contributor's script in a reader's browser and write nothing outside its output
folder. `HOSTILE` lists every item of the vault with what must happen to it; the vault is
written into ``tmp_path`` by `write_project` (large items are generated) and built once per
session (`hostile_build`), shared with ``test_browser_hostile.py``.
"""

from __future__ import annotations

import hashlib
import html
import json
import logging
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml
from htmltree import Element, parse, resolve
from mkdocs.exceptions import Abort
from notegraph.core.base.names import fold
from notegraph.core.linker.links import MARK_CLOSE, MARK_OPEN
from notegraph.core.pipeline import build_site
from notegraph.core.vault.limits import MAX_NOTE_BYTES
from notegraph.core.vault.svg import clean_svg

REPO = Path(__file__).resolve().parent.parent
MARK = "PWNED"
"""Every injected script logs this marker (and opens a dialog); the browser test watches for it."""
JS = "console.log('PWNED');alert(1)"

# --- the vault ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Symlink:
    """A symbolic link in the vault; `target` is relative to the link's folder."""

    target: str


@dataclass(frozen=True)
class Item:
    """One file of the hostile vault and what the build must make of it."""

    path: str
    content: str | bytes | Symlink
    title: str | None
    """The published note's title; None when the file must not become a note."""
    warnings: tuple[tuple[int, str], ...] = ()
    """Every warning the build must log for this file, once each: (line or 0, text in it)."""
    info: tuple[str, ...] = ()
    """Messages logged below warning level (once each)."""


def png() -> bytes:
    """A 1×1 PNG: binary bytes with NULs and a byte that is no UTF-8."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    idat = chunk(b"IDAT", zlib.compress(b"\x00\x00"))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + idat + chunk(b"IEND", b"")


HUGE_BYTES = 10 * 1024 * 1024
HUGE_END = "HUGE-END-MARKER"


def huge_note() -> str:
    """A note of just over 10 MB: one heading and many long paragraphs."""
    words = " ".join(f"word{j}" for j in range(100))
    paragraph = f"Paragraph of the huge note: {words}.\n\n"
    count = HUGE_BYTES // len(paragraph) + 1
    return "# Huge note\n\n" + paragraph * count + f"{HUGE_END}\n"


def huge_published() -> str:
    """What of `huge_note` is published: its lines within the size limit."""
    text = huge_note().encode()[:MAX_NOTE_BYTES]
    return text[: text.rfind(b"\n") + 1].decode()


MANY_LINKS = 10_000
MANY_TARGETS = ("fm/bom", "BOM Title", "with spaces", "Many Topic", "many topic")


def many_links_note() -> str:
    """10,000 links, one per list item, to notes (by path, title and name) and one topic."""
    lines = [
        f"- Item {i} cites [[{MANY_TARGETS[i % len(MANY_TARGETS)]}]] once."
        for i in range(MANY_LINKS)
    ]
    return "# Many links\n\n" + "\n".join(lines) + "\n"


NESTED = "[" * 1000 + "deep" + "]" * 1000

HOSTILE_TITLE = f'"></title><script>{JS}</script>'
HOSTILE_ALIASES = (f'"><img src=x onerror="{JS}">', 'O\'Brien "quoted" <b>alias</b>')
HOSTILE_TAGS = ('"><svg onload=alert(1)>', "a<b>c", 'it\'s "quoted"')
SAME_AS_QUOTE = 'file name is the same as names/a"b.md once case, spaces and punctuation'
HOSTILE_NAME = "\"><img src=x onerror=console.log('PWNED')>"
"""A file name (without `.md`) that is an HTML injection; its stem becomes its title."""

SVG_NS = "http://www.w3.org/2000/svg"
CLEAN_SVG = (
    f'<svg xmlns="{SVG_NS}" viewBox="0 0 10 10"><title>A clean curve</title>'
    '<polyline fill="none" stroke="#2b6cb0" points="0,0 5,8 10,9"/></svg>\n'
)
REFUSED = ("evil.html", "index.html", "app.js", "README", "entity.svg")
"""Names of the vault's files the site must not publish."""
SANITIZED = ("script.svg", "prefixed.svg", "handler.svg", "js_link.svg", "foreign.svg")
"""SVGs of the vault the site publishes without what could run in them."""
RUNS = "is removed (it could run a script, navigate or load another document)"

NFC_CAFE = "Caf\u00e9"
NFD_CAFE = "Cafe\u0301"
ODD_CHARS = "#%&?+'\"<>|:"

HOSTILE: list[Item] = [
    # --- frontmatter ---------------------------------------------------------------------------
    Item(
        "fm/invalid_yaml.md",
        "---\ntitle: Invalid YAML\naliases: - @x\n---\nThe invalid YAML note still shows up.\n",
        "invalid_yaml",
        ((3, "frontmatter is not valid YAML"),),
    ),
    Item(
        "fm/list.md",
        "---\n- one\n- two\n---\nA list is no mapping.\n",
        "list",
        ((2, "frontmatter is a list, not a mapping"),),
    ),
    Item(
        "fm/scalar.md",
        "---\njust words\n---\nA scalar is no mapping.\n",
        "scalar",
        ((2, "frontmatter is a str, not a mapping"),),
    ),
    Item("fm/title_number.md", "---\ntitle: 42\n---\nA number as title.\n", "42"),
    Item("fm/title_date.md", "---\ntitle: 2024-01-02\n---\nA date as title.\n", "2024-01-02"),
    Item(
        "fm/title_list.md",
        "---\ntags: [listed]\ntitle: [one, two]\n---\nA list as title.\n",
        "title_list",
        ((3, "'title' should be text"),),
    ),
    Item(
        "fm/not_text.md",
        "---\ntitle: Not text\ntags: 5\naliases: [true, 2024-01-02]\n---\nNo text.\n",
        "Not text",
        (
            (3, "'tags' should be a list of words, or text; 5 (a number) is read as the tag '5'"),
            (
                4,
                "'aliases' should be a list of names, or text; true (a yes/no value) is ignored, "
                "2024-01-02 (a date) is read as the alias '2024-01-02'",
            ),
        ),
    ),
    Item(
        "fm/tags_null.md", "---\ntitle: Null tags\ntags: null\n---\nNo tags at all.\n", "Null tags"
    ),
    Item(
        "fm/duplicate.md",
        "---\ntitle: First\ntags: [dup]\ntitle: Second\n---\nA key given twice.\n",
        "Second",
        ((4, "frontmatter key 'title' is given twice"),),
    ),
    Item("fm/bom.md", b"\xef\xbb\xbf---\ntitle: BOM Title\n---\nA byte order mark.\n", "BOM Title"),
    Item(
        "fm/crlf.md",
        "---\r\ntitle: CRLF Title\r\n---\r\nWindows line ends.\r\n\r\n"
        f"<script>{JS}</script>\r\n\r\nAfter the script.\r\n",
        "CRLF Title",
        ((6, "unsafe raw HTML: <script> element (removed with its content)"),),
    ),
    Item(
        "fm/unclosed.md",
        "---\ntitle: Never closed\n\nThe body goes on without a closing fence.\n",
        "unclosed",
        ((1, "frontmatter starts with '---' but never closes"),),
    ),
    # --- files ---------------------------------------------------------------------------------
    Item("files/empty.md", "", "empty"),
    Item("files/whitespace.md", " \n\t\n   \n", "whitespace"),
    Item(
        "files/binary.md",
        b"Binary note line one.\n\x00\x01\x02\x03\x04 caf\xc3\xa9 end\n",
        "binary",
        ((2, "file holds NUL bytes"),),
    ),
    Item(
        "files/png_as_md.md",
        png(),
        "png_as_md",
        ((1, "file is not valid UTF-8"), (3, "file holds NUL bytes")),
    ),
    Item(
        "files/invalid_utf8.md",
        b"Invalid UTF-8, line one.\nline two\nbad \xff\xfe bytes here\n",
        "invalid_utf8",
        ((3, "file is not valid UTF-8"),),
    ),
    Item(  # content generated: huge_note()
        "files/huge.md",
        "",
        "Huge note",
        ((huge_published().count("\n"), "note of 10.0 MB, over the limit of 2 MB per note"),),
    ),
    Item("files/many_links.md", "", "Many links"),  # content generated: many_links_note()
    Item(
        "files/outside_link.md",
        Symlink("../../outside/secret.md"),
        None,
        ((0, "symbolic link is not followed"),),
    ),
    Item(
        "files/outside_dir",
        Symlink("../../outside"),
        None,
        ((0, "symbolic link to a folder is not followed"),),
    ),
    Item("files/loop", Symlink("."), None, ((0, "symbolic link to a folder is not followed"),)),
    Item(
        "files/self_loop.md",
        Symlink("self_loop.md"),
        None,
        ((0, "symbolic link is not followed"),),
    ),
    Item("files/x.md.png", png(), None),
    # Attachments: only inert types are published, an SVG only when nothing in it can run.
    Item(
        "files/evil.html",
        f"<!doctype html><title>x</title><script>{JS}</script>\n",
        None,
        ((0, "'.html' files are not published (they could run scripts on the site)"),),
    ),
    Item(
        "index.html",
        f"<script>{JS}</script>\n",
        None,
        ((0, "'.html' files are not published (they could run scripts on the site)"),),
    ),
    Item("files/app.js", JS, None, ((0, "'.js' files are not published"),)),
    Item("files/README", "No extension.\n", None, ((0, "files without an extension"),)),
    Item(
        "files/script.svg",
        f'<svg xmlns="{SVG_NS}"><script>{JS}</script></svg>\n',
        None,
        ((1, f"<script> {RUNS}"),),
    ),
    Item(
        "files/prefixed.svg",
        f'<s:svg xmlns:s="{SVG_NS}"><s:script>{JS}</s:script></s:svg>\n',
        None,
        ((1, f"<s:script> {RUNS}"),),
    ),
    Item(
        "files/handler.svg",
        f'<svg xmlns="{SVG_NS}" onload="{JS}"><circle r="4"/></svg>\n',
        None,
        ((1, "'onload' event attribute of <svg> is removed (it could run a script)"),),
    ),
    Item(
        "files/js_link.svg",
        f'<svg xmlns="{SVG_NS}" xmlns:xlink="http://www.w3.org/1999/xlink">'
        f'<a xlink:href="&#106;ava&#x09;script:{JS}"><text y="20">click</text></a></svg>\n',
        None,
        ((1, "'xlink:href' of <a> (java script:console.log('PWNED');alert(1)) is removed"),),
    ),
    Item(
        "files/foreign.svg",
        f'<svg xmlns="{SVG_NS}"><foreignObject width="100" height="100">'
        '<div xmlns="http://www.w3.org/1999/xhtml">HTML inside</div></foreignObject></svg>\n',
        None,
        ((1, f"<foreignObject> {RUNS}"),),
    ),
    Item(
        "files/entity.svg",
        '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x "&#60;script&#62;alert(1)&#60;/script'
        f'&#62;">]><svg xmlns="{SVG_NS}">&x;</svg>\n',
        None,
        ((1, "SVG that declares XML entities is not published"),),
    ),
    Item("files/clean.svg", CLEAN_SVG, None),
    Item(
        "files/attachments.md",
        "Files: [page](evil.html), ![curve](clean.svg), ![bad](script.svg) and"
        " ![gone](entity.svg).\n",
        "attachments",
        (
            (1, "link to 'files/evil.html', a file the site does not publish"),
            (1, "link to 'files/entity.svg', a file the site does not publish"),
        ),
    ),
    # --- names ---------------------------------------------------------------------------------
    Item("names/with spaces.md", "A name with spaces.\n", "with spaces"),
    *[
        Item(
            f"names/a{c}b.md",
            f"Odd character number {i}.\n",
            f"a{c}b",
            () if c == '"' else ((0, SAME_AS_QUOTE),),  # 'a"b.md' sorts first
        )
        for i, c in enumerate(ODD_CHARS)
    ],
    Item(
        "names/\u2615\ufe0f coffee \U0001f469\u200d\U0001f4bb.md",
        "Emoji.\n",
        "\u2615\ufe0f coffee \U0001f469\u200d\U0001f4bb",
    ),
    Item(
        "names/\u2068Isolated\u2069.md",
        "Isolates around the name.\n",
        "\u2068Isolated\u2069",
        (
            (0, "file name contains U+2068 FIRST STRONG ISOLATE"),
            (0, "file name contains U+2069 POP DIRECTIONAL ISOLATE"),
            (0, "file name is the same as names/Isolated.md once case, spaces and punctuation"),
        ),
    ),
    Item("names/Isolated.md", "The plain spelling.\n", "Isolated"),
    Item(
        "names/zero\u200bwidth.md",
        "A zero-width space.\n",
        "zero\u200bwidth",
        ((0, "file name contains U+200B ZERO WIDTH SPACE"),),
    ),
    Item(
        f"names/{NFC_CAFE}.md",
        "Composed.\n",
        NFC_CAFE,
        ((0, f"file name is the same as names/{NFD_CAFE}.md once case"),),
    ),
    Item(f"names/{NFD_CAFE}.md", "Decomposed.\n", NFD_CAFE),
    Item(
        "names/Stra\u00dfe.md",
        "Sharp s.\n",
        "Stra\u00dfe",
        ((0, "file name differs from names/STRASSE.md only by case"),),
    ),
    Item("names/STRASSE.md", "Upper case.\n", "STRASSE"),
    Item("names/#hashtag.md", "Starts with a hash.\n", "#hashtag"),
    Item("names/.hidden.md", "A hidden note.\n", None, info=("hidden file",)),
    Item(f"names/{HOSTILE_NAME}.md", "Its name is HTML. See [[with spaces]].\n", HOSTILE_NAME),
    Item(
        "names/new\nline.md",
        "A line break in the name.\n",
        "new\nline",
        ((0, "file name contains U+000A LINE FEED"),),
    ),
    Item(
        "names/links.md",
        "Links to odd names.\n\n"
        f"- [[{NFC_CAFE}]]\n"
        "- [[strasse]]\n"
        "- [[Isolated]]\n"
        "- [[zerowidth]]\n"
        "- [[with spaces]]\n"
        "- [[a&b]]\n",
        "links",
        (
            (3, f"'{NFC_CAFE}' matches several notes by name"),
            (4, "'strasse' matches several notes by name"),
            (5, "'Isolated' matches several notes by name"),
            (8, "'a&b' matches several notes by name"),
        ),
    ),
    Item("index.md", "A note named index.\n", "index"),
    Item("topics.md", "A note named like the topics section.\n", "topics"),
    Item("graph.md", "A note named like the graph page.\n", "graph"),
    Item("tags.md", "A note named like the tags section.\n", "tags"),
    Item("az.md", "A note named like the A–Z section.\n", "az"),
    Item("search.md", "A note named like the search index.\n", "search"),
    Item("assets.md", "A note named like the assets folder.\n", "assets"),
    Item("videos/clip.md", "A note in a folder named like the video pages.\n", "clip"),
    Item(
        "topics/index.md",
        "An index note in a folder named topics.\n",
        "index",
        ((0, "title 'index' is also the title of index.md"),),  # both named by their files
    ),
    Item("notes/notes.md", "A note named notes in a folder named notes.\n", "notes"),
    Item("dup/one.md", "---\ntitle: Same Title\n---\nThe first of two.\n", "Same Title"),
    Item(
        "dup/two.md",
        "---\ntitle: Same Title\n---\nThe second of two.\n",
        "Same Title",
        ((2, "title 'Same Title' is also the title of dup/one.md"),),
    ),
    # --- links ---------------------------------------------------------------------------------
    Item(
        "links/hostile.md",
        "# Hostile links\n"
        "\n"
        "Up and out: [[../../etc/passwd]].\n"
        "Absolute: [[/etc/passwd]].\n"
        "A URL: [[https://x.example/]].\n"
        f"A script: [[javascript:{JS}]].\n"
        "Empty: [[]] and [[|]] and [[ ]].\n"
        "Unbalanced: [[open and never closed.\n"
        f"Nested: {NESTED}.\n"
        "Self: [[hostile]] and [[#Hostile links]].\n"
        "Markdown up and out: [pw](../../etc/passwd).\n"
        f"Markdown script: [click](javascript:{JS}).\n",
        "Hostile links",
        (
            (5, "link '[[https://x.example/]]' is a web address, not a note; it gets a topic page"),
            (6, f"link '[[javascript:{JS}]]' is a 'javascript:' URL, not a note"),
            (7, "empty link '[[]]' names no note; it stays text"),
            (7, "empty link '[[|]]' names no note"),
            (7, "empty link '[[ ]]' names no note"),
            (8, "'[[' is never closed on its line; it stays text"),
            (11, "link to '../etc/passwd', which is not in the vault"),
            (12, "javascript:"),
        ),
    ),
    Item(
        "links/embed_a.md",
        "Embed A says hello.\n\n![[embed_b]]\n",
        "embed_a",
        ((3, "embed cycle"),),
    ),
    Item(
        "links/embed_b.md",
        "Embed B says goodbye.\n\n![[embed_a]]\n",
        "embed_b",
        ((3, "embed cycle"),),
    ),
    Item(
        "links/embed_self.md",
        "Embeds itself.\n\n![[embed_self]]\n",
        "embed_self",
        ((3, "embed cycle"),),
    ),
    # --- HTML and text -------------------------------------------------------------------------
    Item(
        "html/xss.md",
        "---\ntitle: Plain XSS note\n---\n"
        "Paragraph before.\n"
        "\n"
        f'<script>console.log("PWNED");alert(1)</script>\n'
        "\n"
        f'<img src=x onerror="{JS}">\n'
        "\n"
        f'<a href="javascript:{JS}">js link</a>\n'
        "\n"
        '<iframe src="https://evil.example/"></iframe>\n'
        "\n"
        "<style>body{display:none}</style>\n"
        "\n"
        f'<svg onload="{JS}"></svg>\n'
        "\n"
        f'Inline <span onmouseover="{JS}">hover</span> text.\n'
        "\n"
        f'<details open ontoggle="{JS}"><summary>t</summary>x</details>\n'
        "\n"
        "Paragraph after.\n",
        "Plain XSS note",
        (
            (6, "<script> element (removed with its content)"),
            (8, "'onerror' attribute"),
            (8, "raw HTML <img>; notes use Markdown"),
            (10, "'javascript:' URL"),
            (10, "raw HTML <a> that is not a timestamp anchor"),
            (12, "<iframe> element"),
            (14, "<style> element (removed with its content)"),
            (16, "<svg> element"),
            (16, "'onload' attribute"),
            (18, "'onmouseover' attribute"),
            (20, "'ontoggle' attribute"),
            (20, "raw HTML <details>"),
            (20, "raw HTML <summary>"),
        ),
    ),
    Item(
        "html/title.md",
        "---\n"
        + yaml.safe_dump(
            {"title": HOSTILE_TITLE, "aliases": list(HOSTILE_ALIASES), "tags": list(HOSTILE_TAGS)},
            allow_unicode=True,
            width=1000,
        )
        + "---\nThe hostile title's body cites [[Plain XSS note]] in its only sentence.\n",
        HOSTILE_TITLE,
    ),
    Item(
        "html/backlinker.md",
        "The backlinker cites [[html/title]] in its first sentence.\n"
        "\n"
        f"It cites the alias [[{HOSTILE_ALIASES[1]}]] too.\n",
        "backlinker",
    ),
    Item(
        "html/stamps.md",
        "---\ntitle: Stamp note\nvideoId: 7gaPPrAd7nc\n---\n"
        'A sentence cites a moment <a class="yt-timestamp" data-t="00:00:01" '
        f'onclick="{JS}" href="javascript:alert(2)">[00:00:01]</a>.\n',
        "Stamp note",
        ((5, "'onclick' attribute"), (5, "'javascript:' URL")),
    ),
    Item(
        "html/stamps_novideo.md",
        "---\ntitle: Stamp without video\n---\n"
        'A sentence cites a moment <a class="yt-timestamp" data-t="00:00:01" '
        f'onclick="{JS}" href="javascript:alert(2)">[00:00:01]</a>.\n',
        "Stamp without video",
        (
            (4, "'onclick' attribute"),
            (4, "'javascript:' URL"),
            (4, "1 timestamp but no valid videoId"),
        ),
    ),
    Item(
        "html/media.md",
        "---\ntitle: Media from elsewhere\n---\nMedia from another host.\n"
        "\n"
        '<video controls src="https://media.example/clip.mp4" '
        'poster="https://media.example/poster.jpg" preload="auto"></video>\n'
        "\n"
        '<audio controls preload="auto"><source src="https://media.example/sound.mp3"></audio>\n'
        "\n"
        '<video controls><source src="//media.example/other.webm"></video>\n'
        "\n"
        'A pixel behind a quoted bracket <img title="a>b" src="https://media.example/p.png">.\n'
        "\n"
        "After the media.\n",
        "Media from elsewhere",
        (
            (6, "'poster' image from another host is removed from the page"),
            (6, "<video> from another host (https://media.example/clip.mp4) loads only when"),
            (8, "a <source> from another host (https://media.example/sound.mp3) loads only"),
            (10, "a <source> from another host (//media.example/other.webm) loads only when"),
            (6, "raw HTML <video>"),
            (8, "raw HTML <audio>"),
            (8, "raw HTML <source>"),
            (10, "raw HTML <video>"),
            (10, "raw HTML <source>"),
            (12, "raw HTML <img>"),
        ),
    ),
    Item(
        "html/video_bad.md",
        "---\ntitle: Bad video\nvideoId: '\"><script>alert(1)</script>'\n---\nNo player.\n",
        "Bad video",
        ((3, "is not a YouTube video id or URL"),),
    ),
    Item(
        "html/video_js.md",
        "---\ntitle: JS video\nvideo: 'javascript:alert(1)'\n---\nNo player either.\n",
        "JS video",
        ((3, "'video' should be a relative path or an http(s) URL"),),
    ),
]

GENERATED = {"files/huge.md": huge_note, "files/many_links.md": many_links_note}
OUTSIDE_SECRET = "TOPSECRET-OUTSIDE-THE-VAULT"
BY_PATH = {item.path: item for item in HOSTILE}
NOTES = {item.path: item.title for item in HOSTILE if item.title is not None}


def write_vault(vault: Path, reverse: bool = False) -> None:
    """Write every item of `HOSTILE` under `vault` (in reverse order when asked)."""
    outside = vault.parent / "outside"
    outside.mkdir(parents=True, exist_ok=True)
    (outside / "secret.md").write_text(f"# Secret\n\n{OUTSIDE_SECRET}\n", encoding="utf-8")
    for item in reversed(HOSTILE) if reverse else HOSTILE:
        path = vault / item.path
        path.parent.mkdir(parents=True, exist_ok=True)
        content = GENERATED[item.path]() if item.path in GENERATED else item.content
        if isinstance(content, Symlink):
            os.symlink(content.target, path)
        elif isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_bytes(content.encode("utf-8"))  # no newline translation


def write_project(root: Path, reverse: bool = False) -> Path:
    """The hostile vault, a one-page docs folder and an mkdocs.yml; returns the config file."""
    write_vault(root / "vault", reverse)
    (root / "docs").mkdir(parents=True, exist_ok=True)
    (root / "docs" / "index.md").write_text("# Hostile home\n\nHand-written.\n", encoding="utf-8")
    config = {
        "site_name": "Hostile vault",
        "docs_dir": "docs",
        "theme": {"name": "material", "font": False},  # no Google Fonts: the site is offline
        "plugins": ["search", {"notegraph": {"notes_dir": "vault"}}],
    }
    config_file = root / "mkdocs.yml"
    config_file.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return config_file


# --- building it --------------------------------------------------------------------------------


@dataclass
class HostileBuild:
    """The hostile vault built once: where everything is and what the build logged."""

    root: Path
    config_file: Path
    vault: Path
    site_dir: Path
    warnings: list[str]
    infos: list[str]
    before: dict[str, str]
    """sha256 of every file under `root` but the site, before the build (symlinks: 'link')."""
    after: dict[str, str]
    seconds: float
    graph: dict[str, Any] = field(default_factory=dict)

    def note_url(self, path: str) -> str:
        return self.nodes[path]["url"]

    @property
    def nodes(self) -> dict[str, dict[str, Any]]:
        return {node["id"]: node for node in self.graph["nodes"]}

    def page(self, url: str) -> Path:
        """Output file of a site-relative URL (``notes/a/`` -> ``<site>/notes/a/index.html``)."""
        path = self.site_dir / url
        return path / "index.html" if url == "" or url.endswith("/") else path


def snapshot(root: Path, skip: Path) -> dict[str, str]:
    """Digest of every file under `root` (without following links), leaving out `skip`."""
    found: dict[str, str] = {}
    for folder, dirs, files in os.walk(root):
        base = Path(folder)
        if base == skip or skip in base.parents:
            dirs[:] = []
            continue
        for name in dirs + files:
            path = base / name
            rel = path.relative_to(root).as_posix()
            if path.is_symlink():
                found[rel] = "link:" + os.readlink(path)
            elif path.is_file():
                found[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
        dirs[:] = [d for d in dirs if not (base / d).is_symlink()]
    return found


_BUILDS: dict[str, HostileBuild] = {}


def hostile_build(tmp_path_factory: pytest.TempPathFactory, build_config: Any) -> HostileBuild:
    """The hostile vault, written into a fresh folder and built once per test session."""
    if "main" in _BUILDS:
        return _BUILDS["main"]
    root = tmp_path_factory.mktemp("hostile")
    config_file = write_project(root)
    site_dir = root / "site"
    before = snapshot(root, site_dir)
    logger = logging.getLogger("mkdocs")
    level = logger.level
    logger.setLevel(logging.DEBUG)  # infos are logged one by one at debug level
    clock = time.perf_counter()
    try:
        built = build_config(config_file, site_dir, strict=False)
    finally:
        logger.setLevel(level)
    seconds = time.perf_counter() - clock
    result = HostileBuild(
        root=root,
        config_file=config_file,
        vault=root / "vault",
        site_dir=site_dir,
        warnings=built.warnings,
        infos=[r.getMessage() for r in built.records if r.levelno <= logging.INFO],
        before=before,
        after=snapshot(root, site_dir),
        seconds=seconds,
        graph=json.loads((site_dir / "graph.json").read_text(encoding="utf-8")),
    )
    _BUILDS["main"] = result
    return result


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory, build_config: Any) -> HostileBuild:
    return hostile_build(tmp_path_factory, build_config)


# --- helpers ------------------------------------------------------------------------------------

_WARNING = re.compile(
    r"^notegraph: (?P<shown>.*?)(?::(?P<line>\d+))?(?::\d+)?: (?P<level>warning|info): "
    r"(?P<text>.*)$",
    re.S,
)


def collapse(text: str) -> str:
    return " ".join(text.split())


def attributed(messages: list[str]) -> tuple[dict[str, list[tuple[int, str]]], list[str]]:
    """Messages per vault path of `HOSTILE` as (line, text), and the messages of no item."""
    per_item: dict[str, list[tuple[int, str]]] = {item.path: [] for item in HOSTILE}
    orphans: list[str] = []
    for message in messages:
        match = _WARNING.match(message)
        shown = match.group("shown") if match else ""
        owner = next(
            (p for p in per_item if shown == f"vault/{p}" or shown.endswith(f"/vault/{p}")), None
        )
        if match is None or owner is None:
            orphans.append(message)
            continue
        per_item[owner].append((int(match.group("line") or 0), match.group("text")))
    return per_item, orphans


_TREES: dict[Path, Element] = {}


def tree(path: Path) -> Element:
    if path not in _TREES:
        _TREES[path] = parse(path)
    return _TREES[path]


def landed(hostile: HostileBuild, page: Path, a: Element) -> str:
    """Site-relative path of the file a link reaches (it must reach one, inside the site)."""
    target, _ = resolve(hostile.site_dir, page, a.attrs["href"])
    assert target.is_relative_to(hostile.site_dir), f"{a.attrs['href']} leaves the site"
    assert target.is_file(), f"{a.attrs['href']} on {page} reaches no file"
    return target.relative_to(hostile.site_dir).as_posix()


def links_with_text(root: Element, text: str) -> list[Element]:
    return [a for a in root.find_all("a") if a.text == collapse(text)]


def search_titles(site_dir: Path) -> dict[str, str]:
    """Title of every page in the site's search index (Material's or Pagefind's), by URL."""
    titles: dict[str, str] = {}
    material = site_dir / "search" / "search_index.json"
    if material.is_file():
        for doc in json.loads(material.read_text(encoding="utf-8"))["docs"]:
            if "#" not in doc["location"]:
                titles[doc["location"]] = html.unescape(doc["title"])
    for fragment in sorted((site_dir / "pagefind" / "fragment").glob("*.pf_fragment")):
        import gzip

        raw = gzip.decompress(fragment.read_bytes()).removeprefix(b"pagefind_dcd")
        data = json.loads(raw)
        titles[data["url"].lstrip("/")] = data["meta"].get("title", "")
    return titles


GENERATED_SECTIONS = ("notes/", "topics/", "tags/", "az/", "videos/", "graph/")


def generated_pages(site_dir: Path) -> list[Path]:
    return sorted(
        p
        for p in site_dir.rglob("*.html")
        if p.relative_to(site_dir).as_posix().startswith(GENERATED_SECTIONS)
    )


# --- 1. the build finishes and publishes every note ---------------------------------------------


def test_build_finishes_and_every_note_has_its_own_page(hostile):
    notes = {n["id"]: n for n in hostile.graph["nodes"] if n["kind"] == "note"}
    assert sorted(notes) == sorted(NOTES)
    urls = [n["url"] for n in notes.values()]
    assert len(set(urls)) == len(urls), "two notes share a page"
    missing = [u for u in urls if not hostile.page(u).is_file()]
    assert missing == []
    assert all(u.startswith("notes/") for u in urls)


@pytest.mark.parametrize("path", sorted(NOTES), ids=ascii)
def test_each_note_page_shows_its_own_title_as_text(hostile, path):
    title = NOTES[path]
    node = hostile.nodes[path]
    assert node["title"] == title  # graph.json: the exact string
    if path in GENERATED:  # 10 MB of HTML: read the head only
        head = hostile.page(node["url"]).read_text(encoding="utf-8")[:200_000]
        assert f"<title>{html.escape(title, quote=False)} - Hostile vault</title>" in head
        assert re.search(rf"<h1\b[^>]*>{re.escape(html.escape(title, quote=False))}</h1>", head)
        return
    page = tree(hostile.page(node["url"]))
    assert page.one("title").text == f"{collapse(title)} - Hostile vault"
    assert [h1.text for h1 in page.one("article").find_all("h1")] == [collapse(title)]


def test_files_that_are_not_notes_get_no_page(hostile):
    nodes = hostile.nodes
    for item in HOSTILE:
        if item.title is None:
            assert item.path not in nodes
    assert not (hostile.site_dir / "notes" / "files" / "outside_link").exists()
    assert not (hostile.site_dir / "notes" / "names" / "hidden").exists()
    copied = hostile.site_dir / "notes" / "files" / "x.md.png"
    assert copied.read_bytes() == png()


def test_only_inert_attachments_are_published(hostile):
    """HTML, scripts and SVGs that cannot be read safely are left out, SVGs that can are
    published without what could run (all reported, see `HOSTILE`)."""
    published = {p.name for p in hostile.site_dir.rglob("*") if p.is_file()}
    assert sorted(set(REFUSED) & published) == ["index.html"]  # pages only:
    assert "Hostile home" in (hostile.site_dir / "index.html").read_text()
    assert "All notes" in (hostile.site_dir / "notes" / "index.html").read_text()
    clean = (hostile.site_dir / "notes" / "files" / "clean.svg").read_bytes()
    assert clean == clean_svg(CLEAN_SVG.encode()).data
    assert b"<polyline" in clean and b"A clean curve" in clean
    for name in SANITIZED:
        text = (hostile.site_dir / "notes" / "files" / name).read_text()
        assert MARK not in text and "foreignObject" not in text and "href" not in text, name
    page = hostile.page(hostile.note_url("files/attachments.md"))
    article = tree(page).one("article")
    images = article.find_all("img")
    assert [landed(hostile, page, Element("a", {"href": i.attrs["src"]})) for i in images] == [
        "notes/files/clean.svg",
        "notes/files/script.svg",
    ]
    assert "Files: page, , and gone." in article.text


# Text each note's page must show: the rest of a broken note still publishes.
BODY_TEXT = {
    "fm/invalid_yaml.md": "The invalid YAML note still shows up.",
    "fm/list.md": "A list is no mapping.",
    "fm/scalar.md": "A scalar is no mapping.",
    "fm/title_number.md": "A number as title.",
    "fm/title_list.md": "A list as title.",
    "fm/duplicate.md": "A key given twice.",
    "fm/bom.md": "A byte order mark.",
    "fm/crlf.md": "After the script.",
    "fm/unclosed.md": "The body goes on without a closing fence.",
    "files/binary.md": "\ufffd\x01\x04 café end",  # Markdown drops STX and ETX
    "files/invalid_utf8.md": "bad \ufffd\ufffd bytes here",
    "html/xss.md": "Paragraph after.",
    "names/new\nline.md": "A line break in the name.",
}


@pytest.mark.parametrize("path", sorted(BODY_TEXT), ids=ascii)
def test_the_rest_of_a_broken_note_still_publishes(hostile, path):
    assert BODY_TEXT[path] in tree(hostile.page(hostile.note_url(path))).one("article").text


def test_frontmatter_values_that_are_no_text_are_read_as_documented(hostile):
    nodes = hostile.nodes
    assert nodes["fm/tags_null.md"]["tags"] == []
    assert nodes["fm/duplicate.md"]["tags"] == ["dup"]
    assert nodes["fm/title_list.md"]["tags"] == ["listed"]
    assert nodes["fm/invalid_yaml.md"]["tags"] == []
    assert nodes["html/title.md"]["tags"] == list(HOSTILE_TAGS)


def test_huge_note_is_published_up_to_the_size_limit(hostile):
    html_text = hostile.page(hostile.note_url("files/huge.md")).read_text(encoding="utf-8")
    paragraphs = huge_published().count("Paragraph of the huge note")
    assert html_text.count("<p>Paragraph of the huge note") == paragraphs
    assert HUGE_END not in html_text


def test_ten_thousand_links_all_render_and_count(hostile):
    url = hostile.note_url("files/many_links.md")
    page = hostile.page(url)
    links = tree(page).one("article").find_all("ul")[0].find_all("a")
    assert len(links) == MANY_LINKS
    reached = {landed(hostile, page, a) for a in links}
    topic = hostile.nodes["topic:many topic"]
    assert reached == {
        hostile.page(hostile.note_url("fm/bom.md")).relative_to(hostile.site_dir).as_posix(),
        hostile.page(hostile.note_url("names/with spaces.md"))
        .relative_to(hostile.site_dir)
        .as_posix(),
        hostile.page(topic["url"]).relative_to(hostile.site_dir).as_posix(),
    }
    edges = {(e["source"], e["target"]): e["count"] for e in hostile.graph["edges"]}
    per_target = MANY_LINKS // len(MANY_TARGETS)
    assert edges[("files/many_links.md", "fm/bom.md")] == 2 * per_target
    assert edges[("files/many_links.md", "names/with spaces.md")] == per_target
    assert edges[("files/many_links.md", "topic:many topic")] == 2 * per_target
    kind = tree(hostile.page(topic["url"])).one("p", "ng-kind").text
    assert kind.startswith(f"Topic · {2 * per_target:,} mentions in 1 note")


def test_each_of_ten_thousand_links_in_one_paragraph_gets_its_own_sentence(tmp_path):
    """A paragraph of 10,000 cited sentences: every backlink shows the sentence of its link.

    (How long such a note takes is measured by benchmarks/run.py --hostile, not here.)
    """
    vault = tmp_path / "vault"
    vault.mkdir()
    sentences = " ".join(f"Sentence {i} cites [[Topic {i % 50}]]." for i in range(MANY_LINKS))
    (vault / "paragraph.md").write_text(f"# One paragraph\n\n{sentences}\n", encoding="utf-8")
    site = build_site(vault).site
    for topic in (0, 7, 49):
        contexts = [m.context for m in site.links.mentions[fold(f"Topic {topic}")]]
        assert contexts == [
            f"Sentence {i} cites {MARK_OPEN}Topic {topic}{MARK_CLOSE}."
            for i in range(topic, MANY_LINKS, 50)
        ]


# --- 2. each defect is reported once, with its file and line ------------------------------------


@pytest.mark.parametrize("item", HOSTILE, ids=lambda item: ascii(item.path))
def test_each_defect_is_reported_once_with_its_file_and_line(hostile, item):
    logged = attributed(hostile.warnings)[0][item.path]
    for line, fragment in item.warnings:
        hits = [text for at, text in logged if at == line and fragment in text]
        assert len(hits) == 1, f"{item.path}:{line}: {fragment!r} logged {len(hits)}×: {logged}"
    unexpected = [
        (at, text)
        for at, text in logged
        if not any(at == line and fragment in text for line, fragment in item.warnings)
    ]
    assert unexpected == [], f"{item.path}: warnings nobody expects"


def test_every_warning_names_a_file_of_the_vault_and_none_repeats(hostile):
    assert attributed(hostile.warnings)[1] == []
    assert len(set(hostile.warnings)) == len(hostile.warnings)


def test_hidden_note_is_skipped_with_one_notice(hostile):
    logged = attributed(hostile.infos)[0]
    for item in HOSTILE:
        for fragment in item.info:
            assert len([t for _, t in logged[item.path] if fragment in t]) == 1, logged[item.path]


def test_infos_are_summed_up_in_one_line(hostile):
    """Thousands of links to topics are infos: listed at debug level, counted at info."""
    (summary,) = [m for m in hostile.infos if re.match(r"notegraph: [\d,]+ infos \(", m)]
    unresolved = len([m for m in hostile.infos if m.endswith("[unresolved]")])
    assert unresolved > MANY_LINKS // 3
    assert summary == (
        f"notegraph: {unresolved + 1:,} infos (hidden: 1, unresolved: {unresolved});"
        " all of them: notegraph check (or mkdocs build -v)"
    )


def test_strict_build_aborts(hostile, build_config):
    """Every warning of the build is in the one warning that sums them up, which fails
    --strict (MkDocs counts that one record: "Aborted with 1 warnings")."""
    with pytest.raises(Abort) as failure:
        build_config(hostile.config_file, hostile.root / "site-strict", strict=True)
    assert str(failure.value) == "Aborted with 1 warnings in strict mode!"
    logged = "\n".join(failure.value.__notes__)
    assert f"notegraph: {len(hostile.warnings):,} warnings in " in logged


# --- 3. nothing leaves the site folder ----------------------------------------------------------

LAYOUT_CACHE = ".cache/notegraph/"
"""The documented layout cache (`graph_cache_dir`, relative to mkdocs.yml): the one thing a
build may write outside its site folder. Nothing in it may be named after a note."""


def test_nothing_is_written_outside_the_site_folder(hostile):
    before, after = hostile.before, hostile.after
    changed = sorted(p for p in before if after.get(p) != before[p])
    added = sorted(p for p in after if p not in before)
    assert changed == [], "the build changed files outside its site folder"
    assert [p for p in added if not p.startswith(LAYOUT_CACHE) and p != ".cache"] == []
    stems = {Path(p).stem.casefold() for p in NOTES}
    assert [p for p in added if Path(p).stem.casefold() in stems] == []


def test_every_built_file_resolves_inside_the_site(hostile):
    site = hostile.site_dir.resolve()
    for folder, dirs, files in os.walk(hostile.site_dir):
        for name in dirs + files:
            path = Path(folder) / name
            assert not path.is_symlink(), f"{path} is a symbolic link"
            assert path.resolve().is_relative_to(site)


def test_no_byte_of_a_linked_outside_file_is_published(hostile):
    secret = OUTSIDE_SECRET.encode()
    leaked = [
        p.relative_to(hostile.site_dir).as_posix()
        for p in hostile.site_dir.rglob("*")
        if p.is_file() and (secret in p.read_bytes() or b"root:x:0:0" in p.read_bytes())
    ]
    assert leaked == []


# --- 4. links from strangers stay in the site ---------------------------------------------------


def test_hostile_wikilinks_become_topic_pages_inside_the_site(hostile):
    page = hostile.page(hostile.note_url("links/hostile.md"))
    body = tree(page).one("article")
    topic = {t: hostile.page(n["url"]) for t, n in hostile.nodes.items() if n["kind"] == "topic"}
    expected = {
        "../../etc/passwd": topic["topic:etc passwd"],
        "/etc/passwd": topic["topic:etc passwd"],
        "https://x.example/": topic["topic:https x example"],
        f"javascript:{JS}": topic["topic:javascript console log pwned alert 1"],
        "deep": topic["topic:deep"],
    }
    for shown, target in expected.items():
        (a,) = links_with_text(body, shown)
        assert landed(hostile, page, a) == target.relative_to(hostile.site_dir).as_posix()
    assert links_with_text(body, "hostile")[0].attrs["href"] == "#"
    assert links_with_text(body, "Hostile links")[0].attrs["href"] == "#hostile-links"
    assert "Empty: [[]] and [[|]] and [[ ]]." in body.text
    assert "Unbalanced: [[open and never closed." in body.text
    assert f"Nested: {'[' * 998}deep{']' * 998}." in body.text
    assert "Markdown up and out: pw." in body.text
    hrefs = [a.attrs["href"] for a in body.find_all("a") if "href" in a.attrs]
    assert [h for h in hrefs if re.match(r"^\s*[a-z][a-z0-9+.-]*:|^\s*/", h, re.I)] == []
    topic_page = tree(topic["topic:etc passwd"]).one("article")
    assert topic_page.one("h1").text == "../../etc/passwd"


def test_embed_cycles_stop_after_one_round(hostile):
    page_a = tree(hostile.page(hostile.note_url("links/embed_a.md"))).one("article")
    (embed,) = page_a.find_all("div", "ng-embed")
    assert "Embed B says goodbye." in embed.text
    assert "Embed A says hello." in page_a.text
    assert page_a.text.count("Embed A says hello.") == 1
    self_page = tree(hostile.page(hostile.note_url("links/embed_self.md"))).one("article")
    assert self_page.find_all("div", "ng-embed") == []
    assert self_page.text.count("Embeds itself.") == 1


@pytest.mark.parametrize(
    ("shown", "path"),
    [
        ("a&b", "names/a&b.md"),
        (NFC_CAFE, f"names/{NFC_CAFE}.md"),
        ("Isolated", "names/Isolated.md"),
    ],
    ids=ascii,
)
def test_a_name_spelled_exactly_wins_over_lookalikes(hostile, shown, path):
    """`[[a&b]]` goes to ``a&b.md``, not to ``a"b.md``, whose name only folds the same."""
    page = hostile.page(hostile.note_url("names/links.md"))
    (a,) = links_with_text(tree(page).one("article"), shown)
    want = hostile.page(hostile.note_url(path)).relative_to(hostile.site_dir).as_posix()
    assert landed(hostile, page, a) == want


def test_odd_file_names_are_listed_with_links_that_reach_their_pages(hostile):
    listing = hostile.page("notes/names/")
    reached = {landed(hostile, listing, a) for a in tree(listing).one("article").find_all("a")}
    pages = {
        hostile.page(hostile.note_url(p)).relative_to(hostile.site_dir).as_posix()
        for p in NOTES
        if p.startswith("names/")
    }
    assert pages <= reached


# --- 5. scripts never reach a reader ------------------------------------------------------------

DANGEROUS_TAGS = {"script", "style", "iframe", "frame", "frameset", "object", "embed", "svg"}
DANGEROUS_TAGS |= {"math", "form", "base", "link", "meta"}
_SCRIPT_URL = re.compile(r"^(?:javascript|vbscript|data):", re.I)
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "xlink:href", "poster", "data")


def dangers(root: Element) -> list[str]:
    found = []
    for element in root.iter():
        if element.tag in DANGEROUS_TAGS:
            found.append(f"<{element.tag}>")
        for name, value in element.attrs.items():
            if name.startswith("on"):
                found.append(f"<{element.tag} {name}>")
            squeezed = re.sub(r"[\s\x00-\x1f]", "", html.unescape(value))
            if name in URL_ATTRIBUTES and _SCRIPT_URL.match(squeezed):
                found.append(f"<{element.tag} {name}={value[:40]!r}>")
    return found


def test_no_script_style_frame_or_handler_survives_in_any_generated_article(hostile):
    problems: dict[str, list[str]] = {}
    for page in generated_pages(hostile.site_dir):
        if page == hostile.page(hostile.note_url("files/huge.md")):
            continue  # 10 MB of plain paragraphs: checked by string below
        found = dangers(tree(page).one("article"))
        if found:
            problems[page.relative_to(hostile.site_dir).as_posix()] = found
    assert problems == {}
    huge = hostile.page(hostile.note_url("files/huge.md")).read_text(encoding="utf-8")
    body = huge[huge.index("<article") : huge.index("</article>")]
    assert not re.search(r"<(?:script|style|iframe|svg)\b|\son[a-z]+\s*=|javascript:", body, re.I)


def test_no_injected_script_runs_anywhere_in_a_page(hostile):
    """Outside the article only the theme's scripts remain: none carries the marker."""
    problems: dict[str, list[str]] = {}
    for page in generated_pages(hostile.site_dir):
        if page == hostile.page(hostile.note_url("files/huge.md")):
            continue
        root = tree(page)
        found = [
            f"<script> with {MARK}"
            for s in root.find_all("script")
            if MARK in "".join(c for c in s.children if isinstance(c, str))
        ]
        found += [f"<{e.tag} {n}>" for e in root.iter() for n in e.attrs if n.startswith("on")]
        if found:
            problems[page.relative_to(hostile.site_dir).as_posix()] = found
    assert problems == {}


_ELSEWHERE = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:|[/\\\\]{2})", re.I)


def test_no_page_fetches_from_another_host_before_a_click(hostile):
    """Images from other hosts are links; video and audio load only when played, with no
    poster from elsewhere (the browser test watches the requests themselves)."""
    problems: dict[str, list[str]] = {}
    for page in generated_pages(hostile.site_dir):
        if page == hostile.page(hostile.note_url("files/huge.md")):
            continue
        found = []
        for element in tree(page).one("article").iter():
            src = element.attrs.get("src", "")
            if element.tag == "img" and _ELSEWHERE.match(src):
                found.append(f"<img src={src!r}>")
            if element.tag in ("video", "audio") and element.attrs.get("preload") != "none":
                found.append(f"<{element.tag}> without preload=none")
            if _ELSEWHERE.match(element.attrs.get("poster", "")):
                found.append(f"<{element.tag} poster={element.attrs['poster']!r}>")
        if found:
            problems[page.relative_to(hostile.site_dir).as_posix()] = found
    assert problems == {}
    media = tree(hostile.page(hostile.note_url("html/media.md"))).one("article")
    players = media.find_all("video") + media.find_all("audio")
    assert [(p.tag, p.attrs.get("src", "")) for p in players] == [
        ("video", "https://media.example/clip.mp4"),
        ("video", ""),
        ("audio", ""),
    ]
    (pixel,) = media.find_all("a", "ng-external-image")
    assert pixel.attrs["href"] == "https://media.example/p.png"
    assert "After the media." in media.text


def test_timestamp_anchor_keeps_only_the_clean_player_link(hostile):
    body = tree(hostile.page(hostile.note_url("html/stamps.md"))).one("article")
    (stamp,) = body.find_all("a", "ng-stamp")
    assert stamp.attrs["data-t"] == "1"
    assert stamp.attrs["href"] == "https://www.youtube.com/watch?v=7gaPPrAd7nc&t=1s"
    assert set(stamp.attrs) == {"class", "href", "data-t", "data-video", "title"}
    plain = tree(hostile.page(hostile.note_url("html/stamps_novideo.md"))).one("article")
    assert "A sentence cites a moment [00:00:01]." in plain.text
    assert [a for a in plain.find_all("a") if "yt-timestamp" in a.classes] == []


# --- 6. names from notes are text everywhere ----------------------------------------------------


def test_hostile_title_is_text_in_title_header_h1_and_graph(hostile):
    url = hostile.note_url("html/title.md")
    page = tree(hostile.page(url))
    assert page.one("title").text == f"{HOSTILE_TITLE} - Hostile vault"
    assert page.one("article").one("h1").text == HOSTILE_TITLE
    assert HOSTILE_TITLE in [e.text for e in page.find_all(cls="md-header__topic")]
    node = hostile.nodes["html/title.md"]
    assert (node["title"], node["tags"]) == (HOSTILE_TITLE, list(HOSTILE_TAGS))
    view = json.loads((hostile.site_dir / "graph" / "view.json").read_text(encoding="utf-8"))
    index = view["nodes"]["title"].index(HOSTILE_TITLE)
    assert view["nodes"]["aliases"][index] == sorted(HOSTILE_ALIASES)
    assert [view["tags"][i] for i in view["nodes"]["tags"][index]] == sorted(HOSTILE_TAGS)


def test_hostile_title_is_text_in_backlinks_listings_and_a_to_z(hostile):
    target = hostile.page(hostile.note_url("html/title.md"))
    want = target.relative_to(hostile.site_dir).as_posix()
    places = [
        hostile.page(hostile.note_url("html/xss.md")),  # backlinks
        *[p for p in sorted((hostile.site_dir / "az").rglob("index.html"))],  # A–Z
        hostile.page("notes/html/"),  # folder listing
    ]
    found = []
    for place in places:
        for a in links_with_text(tree(place).one("article"), HOSTILE_TITLE):
            assert landed(hostile, place, a) == want
            found.append(place.relative_to(hostile.site_dir).as_posix())
    assert len(found) >= 3, found
    backlinks = tree(hostile.page(hostile.note_url("html/xss.md"))).one("section", "ng-backlinks")
    assert links_with_text(backlinks, HOSTILE_TITLE)
    (alias,) = links_with_text(
        tree(hostile.page(hostile.note_url("html/backlinker.md"))).one("article"),
        HOSTILE_ALIASES[1],
    )


def test_hostile_tags_are_text_on_chips_tag_pages_and_the_tag_index(hostile):
    page = hostile.page(hostile.note_url("html/title.md"))
    chips = tree(page).one("article").find_all("a", "ng-tag")
    assert [a.text for a in chips] == [f"#{tag}" for tag in HOSTILE_TAGS]
    title_page = page.relative_to(hostile.site_dir).as_posix()
    for chip, tag in zip(chips, HOSTILE_TAGS, strict=True):
        tag_page = hostile.site_dir / landed(hostile, page, chip)
        body = tree(tag_page).one("article")
        assert body.one("h1").text == f"#{tag}"
        assert tree(tag_page).one("title").text == f"#{tag} - Hostile vault"
        (back,) = links_with_text(body, HOSTILE_TITLE)
        assert landed(hostile, tag_page, back) == title_page
    index = tree(hostile.page("tags/")).one("article")
    for tag in HOSTILE_TAGS:
        assert len(links_with_text(index, f"#{tag}")) == 1


def test_hostile_file_name_is_text_on_its_page_and_in_backlinks(hostile):
    path = f"names/{HOSTILE_NAME}.md"
    own = hostile.page(hostile.note_url(path))
    assert tree(own).one("article").one("h1").text == HOSTILE_NAME
    spaces = hostile.page(hostile.note_url("names/with spaces.md"))
    (a,) = links_with_text(tree(spaces).one("section", "ng-backlinks"), HOSTILE_NAME)
    assert landed(hostile, spaces, a) == own.relative_to(hostile.site_dir).as_posix()


def test_search_index_holds_every_note_title_exactly(hostile):
    titles = search_titles(hostile.site_dir)
    wrong = {
        path: titles.get(hostile.note_url(path))
        for path, title in NOTES.items()
        if collapse(titles.get(hostile.note_url(path), "")) != collapse(title)
    }
    assert wrong == {}
    assert titles[hostile.note_url("html/title.md")] == HOSTILE_TITLE


def test_graph_json_is_valid_and_round_trips_every_title(hostile):
    raw = (hostile.site_dir / "graph.json").read_text(encoding="utf-8")
    data = json.loads(raw)
    assert {n["id"]: n["title"] for n in data["nodes"] if n["kind"] == "note"} == NOTES


# --- 7. the same vault builds to the same bytes -------------------------------------------------


def digests(site_dir: Path) -> dict[str, str]:
    return {
        p.relative_to(site_dir).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in site_dir.rglob("*")
        if p.is_file()
    }


def test_rebuild_in_reverse_order_from_another_folder_is_byte_identical(hostile, tmp_path):
    """Files created in reverse order, built by the `notegraph` command from another cwd."""
    other = tmp_path / "again"
    config_file = write_project(other, reverse=True)
    assert config_file.read_bytes() == hostile.config_file.read_bytes()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONHASHSEED": "4242", "NO_MKDOCS_2_WARNING": "1"}
    site2 = other / "site2"
    command = ["build", str(other / "vault"), "-f", str(config_file), "-d", str(site2)]
    result = subprocess.run(
        [sys.executable, "-m", "notegraph.cli", *command],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    first, second = digests(hostile.site_dir), digests(site2)
    assert sorted(second) == sorted(first)
    assert sorted(p for p in first if first[p] != second[p]) == []
