"""`notegraph check` and `notegraph new`: findings, locations, formats and exit codes.

Each row of `DEFECTS` is a small vault with one kind of defect and the exact lines
``notegraph check`` prints for it (paths as seen from the project folder, ``vault/...``).
"""

from __future__ import annotations

import json
import logging
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import write_files
from notegraph.cli.main import main

LEVEL_RANK = {"error": 0, "warning": 1, "info": 2}
TS = '<a class="yt-timestamp" data-t="00:01:02">[00:01:02]</a>'

DEFECTS: list[tuple[str, dict[str, str], list[str]]] = [
    (
        "unclosed-fence",
        {"a.md": "# A\n\nText.\n\n```py\ncode\n\n## Later\n", "b.md": "> ```\n> x\n\nOut.\n"},
        [
            "vault/a.md:5:1: warning: code fence ``` is never closed; the rest of its note is"
            " shown as code [markdown]",
            "vault/b.md:1:3: warning: code fence ``` is never closed; the rest of its quote is"
            " shown as code [markdown]",
        ],
    ),
    (
        "footnote-without-definition",
        {"a.md": "# A\n\nA claim[^1] and[^2], `[^3]`.\n\n[^1]: Defined.\n"},
        [
            "vault/a.md:3:16: warning: footnote [^2] has no definition ('[^2]: ...' on a line"
            " of its own); it stays text [markdown]",
        ],
    ),
    (
        "block-link-to-missing-id",
        {
            "a.md": "# A\n\nSee [[b#^here]] and [[b#^gone]], ![[b#^gone]].\n",
            "b.md": "# B\n\nA claim. ^here\n",
        },
        [
            "vault/a.md:3:21: warning: no block '^gone' in b.md; linking to the note [heading]",
            "vault/a.md:3:34: warning: no block '^gone' in b.md; linking to the note [heading]",
        ],
    ),
    (
        "unresolved-with-suggestion",
        {
            "working_backwards.md": "---\ntitle: Working backwards\n---\nText.\n",
            "amazon.md": "---\ntitle: Amazon\n---\nSee [[Working backward]] and [[Nowhere]].\n",
        },
        [
            "vault/amazon.md:4:5: info: 'Working backward' matches no note; it gets a topic"
            " page. Did you mean 'Working backwards' (working_backwards.md)? [unresolved]",
            "vault/amazon.md:4:30: info: 'Nowhere' matches no note; it gets a topic page."
            " [unresolved]",
        ],
    ),
    (
        "several-suggestions",
        {
            "ai_in_product.md": "# AI in product\n",
            "ai_in_products.md": "# AI in products\n",
            "x.md": "[[AI in producs]]\n",
        },
        [
            "vault/x.md:1:1: info: 'AI in producs' matches no note; it gets a topic page."
            " Did you mean 'AI in products' (ai_in_products.md) or 'AI in product'"
            " (ai_in_product.md)? [unresolved]",
        ],
    ),
    (
        "frontmatter-yaml",
        {"a.md": "---\ntitle: A\ntags: [unclosed\n---\nBody.\n"},
        [
            "vault/a.md:4: warning: frontmatter is not valid YAML (did not find"
            " expected ',' or ']'); the note is published without it [frontmatter]",
        ],
    ),
    (
        "frontmatter-types",
        {"a.md": "---\ntitle: [1, 2]\ntags: {x: 1}\n---\nBody.\n"},
        [
            "vault/a.md:2: warning: 'title' should be text; the note's heading or file name"
            " is used [frontmatter]",
            "vault/a.md:3: warning: 'tags' should be a list of words, or text; a mapping is"
            " ignored [frontmatter]",
        ],
    ),
    (
        "video-and-timestamps",
        {
            "a.md": "---\ntitle: A\nvideoId: not a video\n---\n"
            'Claim <a class="yt-timestamp" data-t="00:99:00">[00:99:00]</a>. Next ' + TS + ".\n",
        },
        [
            "vault/a.md:3: warning: videoId 'not a video' is not a YouTube video id or URL;"
            " the note gets no player [video]",
            "vault/a.md:5:7: warning: 2 timestamps but no valid videoId; they stay text"
            " [timestamp]",
            "vault/a.md:5:7: warning: timestamp '[00:99:00]' is not a valid time: minutes and"
            " seconds must be below 60; left as text [timestamp]",
        ],
    ),
    (
        "impossible-timestamps",
        {
            "a.md": "---\ntitle: A\nvideoId: 7gaPPrAd7nc\n---\n"
            'Long <a class="yt-timestamp" data-t="50:34:00">[50:34:00]</a>.\n'
            "Fine [01:14:30]. Also wrong [01:75:00].\n",
        },
        [
            "vault/a.md:5:6: warning: timestamp '[50:34:00]' is not a valid time: over 24"
            " hours (minutes written as hours?); left as text [timestamp]",
            "vault/a.md:6:29: warning: timestamp '[01:75:00]' is not a valid time: minutes and"
            " seconds must be below 60; left as text [timestamp]",
        ],
    ),
    (
        "ambiguous-heading-missing-file",
        {
            "a/dup.md": "---\ntitle: First dup\n---\n",
            "b/dup.md": "---\ntitle: Second dup\n---\n## Real\n",
            "links.md": "[[dup]] [[b/dup#Nope]] [text](missing.md)\n",
        },
        [
            "vault/links.md:1:1: warning: 'dup' matches several notes by name (a/dup.md,"
            " b/dup.md); linking to a/dup.md [ambiguous]",
            "vault/links.md:1:9: warning: no heading 'Nope' in b/dup.md; linking to the note"
            " [heading]",
            "vault/links.md:1:24: warning: link to 'missing.md', which is not in the vault"
            " [missing-file]",
        ],
    ),
    (
        "duplicate-title",
        {
            "one.md": "---\ntitle: Same Title\n---\n",
            "two.md": "---\ntags: [x]\ntitle: same title\n---\n",
        },
        [
            "vault/two.md:3: warning: title 'same title' is also the title of one.md; links by"
            " title go to one of them [duplicate-title]",
        ],
    ),
    (
        "name-collisions",
        {
            "Case.md": "---\ntitle: Upper\n---\n",
            "case.md": "---\ntitle: Lower\n---\n",
            "foo-bar.md": "---\ntitle: Hyphen\n---\n",
            "foo_bar.md": "---\ntitle: Underscore\n---\n",
        },
        [
            "vault/case.md: warning: file name differs from Case.md only by case; the two are"
            " one file on Windows and macOS [name-collision]",
            "vault/foo_bar.md: warning: file name is the same as foo-bar.md once case, spaces"
            " and punctuation are ignored; links cannot tell them apart [name-collision]",
        ],
    ),
    (
        "invisible-characters",
        {
            "amazon.md": "---\ntitle: Amazon\naliases: [AM\u200bZN]\n---\n",
            "zero\u200bwidth.md": "---\ntitle: Zero\n---\nSee [[Ama\u200bzon]].\n",
        },
        [
            "vault/amazon.md:3: warning: alias 'AM\\u200bZN' contains U+200B ZERO WIDTH SPACE"
            " [invisible]",
            "vault/zero\u200bwidth.md: warning: file name contains U+200B ZERO WIDTH SPACE"
            " [invisible]",
            "vault/zero\u200bwidth.md:4:10: warning: link '[[Ama\\u200bzon]]' contains U+200B"
            " ZERO WIDTH SPACE [invisible]",
        ],
    ),
    (
        "raw-html",
        {
            "a.md": "---\ntitle: A\nvideoId: 7gaPPrAd7nc\n---\n"
            "Fine <b>bold</b> <br/> " + TS + "\n"
            "<div>block</div>\n"
            "x <script>alert(1)</script> y\n"
            '<a href="javascript:alert(1)">js</a> <img src="a.png" onerror="x()">\n'
            '`<script>in code</script>` and <a href="https://x.org">link</a>\n',
        },
        [
            "vault/a.md:6:1: warning: raw HTML <div>; notes use Markdown, timestamp anchors,"
            " <br> and inline formatting only [raw-html]",
            "vault/a.md:7:3: warning: unsafe raw HTML: <script> element (removed with its"
            " content) is removed from the page [html]",
            "vault/a.md:8:1: warning: raw HTML <a> that is not a timestamp anchor; notes use"
            " Markdown, timestamp anchors, <br> and inline formatting only [raw-html]",
            "vault/a.md:8:1: warning: unsafe raw HTML: 'javascript:' URL is removed from the"
            " page [html]",
            "vault/a.md:8:38: warning: raw HTML <img>; notes use Markdown, timestamp anchors,"
            " <br> and inline formatting only [raw-html]",
            "vault/a.md:8:38: warning: unsafe raw HTML: 'onerror' attribute is removed from the"
            " page [html]",
            "vault/a.md:9:32: warning: raw HTML <a> that is not a timestamp anchor; notes use"
            " Markdown, timestamp anchors, <br> and inline formatting only [raw-html]",
        ],
    ),
]


DEFECTS += [
    (
        "frontmatter-not-text",
        {"a.md": "---\ntitle: A\ntags: 5\naliases: [yes]\n---\n"},
        [
            "vault/a.md:3: warning: 'tags' should be a list of words, or text; 5 (a number) is"
            " read as the tag '5' [frontmatter]",
            "vault/a.md:4: warning: 'aliases' should be a list of names, or text; true (a yes/no"
            " value) is ignored [frontmatter]",
        ],
    ),
    (
        "malformed-links",
        {"a.md": "# A\n\n[[]] and [[|]], [[javascript:x()]].\nOpen [[b here.\n"},
        [
            "vault/a.md:3:1: warning: empty link '[[]]' names no note; it stays text [link]",
            "vault/a.md:3:10: warning: empty link '[[|]]' names no note; it stays text [link]",
            "vault/a.md:3:17: info: 'javascript:x()' matches no note; it gets a topic page."
            " [unresolved]",
            "vault/a.md:3:17: warning: link '[[javascript:x()]]' is a 'javascript:' URL, not a"
            " note; it gets a topic page [link]",
            "vault/a.md:4:6: warning: '[[' is never closed on its line; it stays text [link]",
        ],
    ),
    (
        "attachments",
        {
            "a.md": "# A\n\n![ok](ok.svg) [page](page.html)\n",
            "ok.svg": '<svg xmlns="http://www.w3.org/2000/svg"><circle r="1"/></svg>',
            "bad.svg": "\n".join(
                ['<?xml version="1.0"?>', '<svg xmlns="http://www.w3.org/2000/svg" onload="x"/>']
            ),
            "broken.svg": '<svg xmlns="http://www.w3.org/2000/svg">\n<g>\n</svg>',
            "page.html": "<script>x()</script>",
        },
        [
            "vault/a.md:3:15: warning: link to 'page.html', a file the site does not publish"
            " [missing-file]",
            "vault/bad.svg:2: warning: 'onload' event attribute of <svg> is removed (it could"
            " run a script) [svg]",
            "vault/broken.svg:3: warning: SVG that is not well-formed XML (mismatched tag) is"
            " not published [attachment]",
            "vault/page.html: warning: '.html' files are not published (they could run scripts"
            " on the site) [attachment]",
        ],
    ),
]

_LINE = re.compile(
    r"^(?P<path>.+?)(?::(?P<line>\d+))?(?::(?P<col>\d+))?: (?P<level>error|warning|info): "
    r"(?P<message>.*) \[(?P<code>[\w-]+)\]$"
)


def as_json(lines: list[str]) -> list[dict[str, Any]]:
    """The text format's lines as the rows ``--format json`` prints."""
    rows = []
    for line in lines:
        match = _LINE.match(line)
        assert match, line
        rows.append(
            {
                "path": match["path"],
                "line": int(match["line"] or 0),
                "col": int(match["col"] or 0),
                "level": match["level"],
                "code": match["code"],
                "message": match["message"],
            }
        )
    return rows


def as_github(lines: list[str], verbose: bool = False) -> list[str]:
    """The text format's lines as ``--format github`` prints them: an annotation per error
    and warning (and info, when `verbose`), else one notice counting the infos per code."""

    def data(text: str) -> str:
        return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

    def prop(text: str) -> str:
        return data(text).replace(":", "%3A").replace(",", "%2C")

    out = []
    infos: dict[str, int] = {}
    for row in as_json(lines):
        if row["level"] == "info" and not verbose:
            infos[row["code"]] = infos.get(row["code"], 0) + 1
            continue
        where = "".join(f",{key}={row[key]}" for key in ("line", "col") if row[key] and row["line"])
        level = {"info": "notice"}.get(row["level"], row["level"])
        out.append(
            f"::{level} file={prop(row['path'])}{where},title={prop('notegraph ' + row['code'])}"
            f"::{data(row['message'])}"
        )
    if infos:
        count = sum(infos.values())
        per_code = ", ".join(f"{code}: {n}" for code, n in sorted(infos.items()))
        out.append(
            f"::notice title=notegraph infos::{count} info{'s' * (count != 1)} ({per_code}),"
            " not annotated one by one: notegraph check lists them"
        )
    return out


FORMAT_ARGS = {
    "text": [],
    "github": ["--format", "github"],
    "github-verbose": ["--format", "github", "--verbose"],
    "json": ["--format", "json"],
}


def write_vault(root: Path, notes: dict[str, str], options: dict | None = None) -> Path:
    """Write `notes` into ``root/vault`` and, with `options`, a mkdocs.yml enabling them."""
    write_files(root / "vault", notes)
    if options is not None:
        config = {
            "site_name": "x",
            "plugins": ["search", {"notegraph": {"notes_dir": "vault", **options}}],
        }
        (root / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    return root / "vault"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["check", *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("fmt", FORMAT_ARGS)
@pytest.mark.parametrize(("name", "notes", "expected"), DEFECTS, ids=[d[0] for d in DEFECTS])
def test_each_defect_is_reported_with_its_place(
    project: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    notes: dict[str, str],
    expected: list[str],
    fmt: str,
) -> None:
    """Exact messages, places and suggestions, in each output format; errors first, then
    warnings, then infos (the rows list them by path: a stable sort by level)."""
    write_vault(project, notes)
    code, out, err = run(capsys, "vault", *FORMAT_ARGS[fmt])
    expected = sorted(expected, key=lambda line: LEVEL_RANK[line.split(": ")[1]])
    if fmt == "text":
        assert out.splitlines() == expected
    elif fmt == "json":
        assert json.loads(out) == as_json(expected)
    else:
        assert out.splitlines() == as_github(expected, verbose=fmt == "github-verbose")
    levels = [line.split(": ")[1] for line in expected]
    assert code == (1 if "error" in levels else 0)
    assert err.startswith(
        f"notegraph check: {levels.count('error')} error"
        f"{'s' * (levels.count('error') != 1)}, {levels.count('warning')} warning"
    )


def test_a_clean_vault_passes_even_when_strict(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_vault(project, {"a.md": "---\ntitle: A\n---\nSee [[b]].\n", "b.md": "# B\n"})
    assert run(capsys, "vault", "--strict") == (
        0,
        "",
        run(capsys, "vault", "--strict")[2],
    )
    assert run(capsys, "vault")[2].startswith(
        "notegraph check: 0 errors, 0 warnings, 0 infos in 0 files ("
    )


def test_exit_codes_strict_and_no_topics(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_vault(project, {"a.md": "---\ntitle: A\n---\nSee [[Nowhere]].\n", "b.md": "# B\n"})
    assert run(capsys, "vault")[0] == 0  # an info
    assert run(capsys, "vault", "--strict")[0] == 0  # infos never fail
    code, out, _ = run(capsys, "vault", "--no-topics")
    assert code == 1
    assert out == (
        "vault/a.md:4:5: error: 'Nowhere' matches no note; it gets a topic page. [unresolved]\n"
    )
    (project / "vault" / "c.md").write_text("[[b#Missing]]\n")
    assert run(capsys, "vault")[0] == 0  # a warning
    assert run(capsys, "vault", "--strict")[0] == 1
    assert run(capsys, "vault", "--quiet")[1] == (
        "vault/c.md:1:1: warning: no heading 'Missing' in b.md; linking to the note [heading]\n"
    )


def test_usage_and_io_errors_exit_2(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "no-such-folder") == (
        2,
        "",
        "notegraph: error: 'no-such-folder' is not a folder\n",
    )
    with pytest.raises(SystemExit) as exited:
        main(["check", "--format", "xml"])
    assert exited.value.code == 2
    assert "invalid choice: 'xml'" in capsys.readouterr().err
    (project / "mkdocs.yml").write_text("plugins:\n  - notegraph:\n      severity: {x: fatal}\n")
    code, out, err = run(capsys)
    assert (code, out) == (2, "")
    assert err.startswith("notegraph: error: cannot read the configuration: plugins.notegraph")
    assert "fatal" in err


CODES_LISTED = (
    "the codes are: ambiguous, attachment, duplicate-title, embed-cycle, empty, encoding,"
    " frontmatter, heading, hidden, html, id, internal, invisible, io, limit, link, markdown,"
    " missing-file,"
    " name-collision, raw-html, svg, symlink, timestamp, title, unresolved, video"
)
NOT_MAPPING = ", not a mapping of options (site_name: ..., plugins: ...)"
BAD_CONFIGS = [
    # (mkdocs.yml, the one line `notegraph check` prints after "cannot read the configuration: ")
    ("[a, b]\n", "'mkdocs.yml' holds a list" + NOT_MAPPING),
    ("5\n", "'mkdocs.yml' holds a number" + NOT_MAPPING),
    ("just words\n", "'mkdocs.yml' holds text" + NOT_MAPPING),
    (
        "site_name: [x\n",
        "'mkdocs.yml' is not valid YAML (line 2): expected ',' or ']', but got '<stream end>'",
    ),
    ("plugins: 5\n", "'plugins' in 'mkdocs.yml' is not a list"),
    (
        "plugins: [{notegraph: [a]}]\n",
        "plugins.notegraph in 'mkdocs.yml' is not a mapping of options",
    ),
    (
        "plugins:\n  - notegraph:\n      severity: {ambigous: error}\n",
        "plugins.notegraph.severity: unknown code 'ambigous' (did you mean 'ambiguous'?); "
        + CODES_LISTED,
    ),
    (
        "plugins:\n  - notegraph:\n      severity: {zzz: off, hiden: info}\n",
        "plugins.notegraph.severity: unknown codes 'hiden' (did you mean 'hidden'?), 'zzz'; "
        + CODES_LISTED,
    ),
    (
        "plugins:\n  - notegraph:\n      severity: {hidden: fatal}\n",
        "plugins.notegraph.severity: Expected one of: ('error', 'warning', 'info', 'off') but"
        " received: 'fatal'",
    ),
]


@pytest.mark.parametrize(("text", "error"), BAD_CONFIGS, ids=[b[0][:30] for b in BAD_CONFIGS])
def test_a_bad_mkdocs_yml_is_one_line_and_exit_2(
    project: Path, capsys: pytest.CaptureFixture[str], text: str, error: str
) -> None:
    write_vault(project, {"a.md": "# A\n"})
    (project / "mkdocs.yml").write_text(text)
    expected = f"notegraph: error: cannot read the configuration: {error}\n"
    assert run(capsys, "vault") == (2, "", expected)
    assert main(["new", "Title", "--vault", "vault"]) == 2  # reads the same options
    assert capsys.readouterr().err == expected


def test_an_unreadable_mkdocs_yml_is_one_line_and_exit_2(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write_vault(project, {"a.md": "# A\n"}, {})
    real_open = Path.open

    def refuse(path: Path, *args: Any, **kwargs: Any) -> Any:
        if path.name == "mkdocs.yml":
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refuse)
    assert run(capsys, "vault") == (
        2,
        "",
        "notegraph: error: cannot read the configuration: [Errno 13] Permission denied:"
        " 'mkdocs.yml'\n",
    )


def test_severity_off_may_be_written_bare(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """YAML reads a bare `off` as false: the documented `hidden: off` works as written."""
    write_vault(project, {"a.md": "# A\n", ".b.md": "# B\n"})
    (project / "mkdocs.yml").write_text(
        "plugins:\n  - notegraph:\n      notes_dir: vault\n      severity:\n        hidden: off\n"
    )
    assert run(capsys)[:2] == (0, "")
    (project / "mkdocs.yml").unlink()
    assert run(capsys, "vault")[1] == (
        "vault/.b.md: info: hidden file (name starts with '.') is not published [hidden]\n"
    )


def test_a_severity_typo_fails_the_build_naming_the_key(tmp_path: Path, build_config: Any) -> None:
    from mkdocs.exceptions import Abort

    write_vault(tmp_path, {"a.md": "# A\n"}, {"severity": {"ambigous": "error"}})
    (tmp_path / "docs").mkdir()
    with pytest.raises(Abort) as failed:
        build_config(tmp_path / "mkdocs.yml", tmp_path / "site")
    assert (
        "Config value 'plugins': Plugin 'notegraph' option 'severity': unknown code 'ambigous'"
        " (did you mean 'ambiguous'?); " + CODES_LISTED
    ) in failed.value.__notes__[0]


def test_every_code_the_package_reports_can_be_given_a_severity() -> None:
    import notegraph
    from notegraph.core.base.report import CODES

    source = "".join(p.read_text() for p in Path(notegraph.__file__).parent.rglob("*.py"))
    used = set(re.findall(r'code="([\w-]+)"', source)) - {"yaml", "demo"}  # doctest codes
    assert sorted(used) == sorted(CODES)


def test_default_vault_and_options_come_from_mkdocs_yml(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    notes = {
        "untitled.md": "Body without a title.\n",
        "a/dup.md": "---\ntitle: A\n---\n",
        "b/dup.md": "---\ntitle: B\n---\n",
        "link.md": "---\ntitle: Link\n---\n[[dup]] and [[Nowhere]]\n",
    }
    write_vault(
        project,
        notes,
        {"require_title": True, "severity": {"ambiguous": "error", "unresolved": "off"}},
    )
    code, out, _ = run(capsys)  # no VAULT: notes_dir of ./mkdocs.yml
    assert code == 1
    assert out.splitlines() == [
        "vault/link.md:4:1: error: 'dup' matches several notes by name (a/dup.md, b/dup.md);"
        " linking to a/dup.md [ambiguous]",
        "vault/untitled.md:1: warning: no 'title' in the frontmatter (the page is titled"
        " 'untitled') [title]",
    ]
    # Without the options, the defaults: no title check, ambiguity a warning, topics infos.
    (project / "mkdocs.yml").unlink()
    code, out, _ = run(capsys, "vault")
    assert code == 0
    assert [line.rsplit(" [", 1)[1] for line in out.splitlines()] == [
        "ambiguous]",
        "unresolved]",
    ]


def test_github_format_escapes_per_the_workflow_command_rules(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_vault(
        project,
        {
            "a, b: c.md": "---\ntitle: A\n---\n[[100% Nowhere]] [[a, b: c#Gone]]\n",
            "d.md": "---\ntitle: [x\n---\n",
        },
    )
    code, out, _ = run(capsys, "vault", "--format", "github", "--no-topics")
    assert code == 1
    assert out.splitlines() == [
        "::error file=vault/a%2C b%3A c.md,line=4,col=1,title=notegraph unresolved::"
        "'100%25 Nowhere' matches no note; it gets a topic page.",
        "::warning file=vault/a%2C b%3A c.md,line=4,col=18,title=notegraph heading::"
        "no heading 'Gone' in a, b: c.md; linking to the note",
        "::warning file=vault/d.md,line=3,title=notegraph frontmatter::frontmatter is not"
        " valid YAML (did not find expected ',' or ']'); the note is published without it",
    ]


def test_github_format_escapes_newlines_and_uses_notice_for_infos(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from notegraph.core.base.report import Diagnostic
    from notegraph.core.checks.check import format_github

    found = [Diagnostic("x.md", 0, 0, "info", "line one\r\nline two 100%", "c,d")]
    assert format_github(found, verbose=True) == (
        "::notice file=x.md,title=notegraph c%2Cd::line one%0D%0Aline two 100%25\n"
    )
    assert format_github(found) == (
        "::notice title=notegraph infos::1 info (c,d: 1), not annotated one by one:"
        " notegraph check lists them\n"
    )


def test_github_format_sums_up_many_infos_in_one_notice(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """GitHub shows about ten annotations of a level per step: 30 infos are one line."""
    links = " ".join(f"[[Topic {i}]]" for i in range(30))
    write_vault(project, {"a.md": f"# A\n\n{links} [[a#Gone]]\n", ".b.md": "# B\n"})
    code, out, _ = run(capsys, "vault", "--format", "github")
    assert (code, out.splitlines()) == (
        0,
        [
            "::warning file=vault/a.md,line=3,col=381,title=notegraph heading::no heading"
            " 'Gone' in a.md; linking to the note",
            "::notice title=notegraph infos::31 infos (hidden: 1, unresolved: 30), not annotated"
            " one by one: notegraph check lists them",
        ],
    )
    code, out, _ = run(capsys, "vault", "--format", "github", "--verbose")
    assert [line.split(" ", 1)[0] for line in out.splitlines()] == ["::warning"] + [
        "::notice"
    ] * 31  # warnings first
    assert run(capsys, "vault", "--format", "github", "--quiet")[1].count("\n") == 1


def test_json_format_is_a_sorted_list_of_objects(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_vault(
        project,
        {
            "b.md": "---\ntitle: B\n---\n[[Nowhere]]\n",
            "a.md": "---\ntitle: A\nvideoId: nope\n---\n<div>x</div>\n",
        },
    )
    code, out, _ = run(capsys, "vault", "--format", "json")
    assert code == 0
    assert json.loads(out) == [
        {
            "path": "vault/a.md",
            "line": 3,
            "col": 0,
            "level": "warning",
            "code": "video",
            "message": "videoId 'nope' is not a YouTube video id or URL; the note gets no player",
        },
        {
            "path": "vault/a.md",
            "line": 5,
            "col": 1,
            "level": "warning",
            "code": "raw-html",
            "message": "raw HTML <div>; notes use Markdown, timestamp anchors, <br> and inline"
            " formatting only",
        },
        {
            "path": "vault/b.md",
            "line": 4,
            "col": 1,
            "level": "info",
            "code": "unresolved",
            "message": "'Nowhere' matches no note; it gets a topic page.",
        },
    ]
    assert run(capsys, "vault", "--format", "json", "--strict")[0] == 1


def test_check_as_a_command(tmp_path: Path) -> None:
    """The installed command, in a subprocess: output, summary and exit code."""
    write_vault(tmp_path, {"a.md": "---\ntitle: A\n---\n[[a#Nope]]\n"})
    result = subprocess.run(
        [sys.executable, "-m", "notegraph.cli", "check", "vault", "--strict"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "NO_MKDOCS_2_WARNING": "1"}
        | {k: v for k, v in os.environ.items() if k == "PYTHONPATH"},  # the code under test
    )
    assert result.returncode == 1
    assert result.stdout == (
        "vault/a.md:4:1: warning: no heading 'Nope' in a.md; linking to the note [heading]\n"
    )
    assert result.stderr.startswith("notegraph check: 0 errors, 1 warning, 0 infos in 1 file (")
    assert result.stderr.endswith("): fails (--strict)\n")


# --- notegraph new ---------------------------------------------------------------------------


def test_new_writes_a_note_from_the_template(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "vault").mkdir()
    code = main(["new", "Working Backwards: Amazon's way", "--vault", "vault",
                 "--video", "https://youtu.be/7gaPPrAd7nc?t=3"])  # fmt: skip
    out, err = capsys.readouterr()
    assert (code, out, err) == (0, "vault/working_backwards_amazons_way.md\n", "")
    text = (project / out.strip()).read_text()
    assert text.startswith(
        '---\ntitle: "Working Backwards: Amazon\'s way"\nvideoId: 7gaPPrAd7nc\ntags: []\n---\n'
    )
    # The new note is clean, and found by its title.
    (project / "vault" / "b.md").write_text("[[Working backwards: Amazon's way]]\n")
    code, out, err = run(capsys, "vault", "--strict", "--no-topics")
    assert (code, out) == (0, "")
    assert err.startswith("notegraph check: 0 errors, 0 warnings, 0 infos in 0 files (")


def test_new_uses_the_vaults_template_and_refuses_to_overwrite(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    templates = project / "vault" / ".templates"
    templates.mkdir(parents=True)
    (templates / "note.md").write_text(
        "---\ntitle: {{title}}\nvideoId: {{videoId}}\n---\n# {{title}}\n"
    )
    assert main(["new", "Plain title", "--vault", "vault"]) == 0
    assert (project / "vault" / "plain_title.md").read_text() == (
        "---\ntitle: Plain title\n---\n# Plain title\n"
    )
    capsys.readouterr()
    assert main(["new", "PLAIN title", "--vault", "vault"]) == 2
    assert capsys.readouterr().err == (
        "notegraph: error: 'vault/plain_title.md' already exists; not overwriting it\n"
    )
    assert main(["new", "Other", "--vault", "vault", "--video", "not an id"]) == 2
    assert "is not a YouTube video id or URL" in capsys.readouterr().err
    assert not (project / "vault" / "other.md").exists()
    assert main(["new", "???", "--vault", "vault"]) == 2
    # The template folder starts with '.', so the vault walker never publishes it.
    assert run(capsys, "vault")[1] == ""


CHANNEL_TEMPLATE = (
    "---\ntitle: {{title}}\nvideoId: {{videoId}}\n---\n\nFrom: [[{{channel}}]]\n\nText\n"
)
HUB = "---\ntitle: {title}\ntags: [{tag}]\n---\n### [Episode](https://www.youtube.com/watch?v={video})\n"

CHANNELS = [
    # (case, notes besides the template, --video, the From line written, or None)
    ("hub lists the video", {"show.md": HUB.format(title="Show", tag="x", video="7gaPPrAd7nc"),
                             "other.md": HUB.format(title="O", tag="channel", video="aaaaaaaaaaa")},
     "7gaPPrAd7nc", "From: [[show]]"),
    ("one note tagged channel", {"pod.md": HUB.format(title="Pod", tag="media/channel",
                                                      video="aaaaaaaaaaa")},
     None, "From: [[pod]]"),
    ("two tagged: none", {"a.md": HUB.format(title="A", tag="channel", video="aaaaaaaaaaa"),
                          "b.md": HUB.format(title="B", tag="channel", video="bbbbbbbbbbb")},
     None, None),
    ("no channel", {"a.md": "# A\n"}, "7gaPPrAd7nc", None),
]  # fmt: skip


@pytest.mark.parametrize(("case", "notes", "video", "line"), CHANNELS, ids=[c[0] for c in CHANNELS])
def test_new_takes_the_channel_from_the_vault(
    project: Path,
    capsys: pytest.CaptureFixture[str],
    case: str,
    notes: dict[str, str],
    video: str | None,
    line: str | None,
) -> None:
    """No channel is hard-coded: the one the vault has, or no line at all."""
    write_vault(project, {**notes, ".templates/note.md": CHANNEL_TEMPLATE})
    assert main(["new", "Fresh", "--vault", "vault", *(["--video", video] if video else [])]) == 0
    text = (project / "vault" / "fresh.md").read_text()
    body = text.split("---\n", 2)[2]
    assert body == (f"\n{line}\n\nText\n" if line else "\nText\n")


def test_the_projects_template_names_no_channel_of_its_own() -> None:
    template = (Path(__file__).parents[1] / "notes" / ".templates" / "note.md").read_text()
    assert "lennyspodcast" not in template and "From: [[{{channel}}]]" in template


# --- one rule set: the build logs with the same severity map ---------------------------------

FAST = {"graph_page": False, "local_graph": False, "search": "material", "nav": False}
"""Options that leave out what these builds do not need (graph layout, Pagefind)."""

RULES: list[tuple[str, dict[str, str], dict[str, Any], list[str]]] = [
    # (id, vault, plugin options, every warning `notegraph build` logs, as check prints it)
    (
        "duplicate-title",
        {"one.md": "---\ntitle: Same\n---\n", "two.md": "# Same\n"},
        {},
        [
            "vault/two.md:1: warning: title 'Same' is also the title of one.md; links by title"
            " go to one of them [duplicate-title]"
        ],
    ),
    (
        "name-collision-case",
        {"Note.md": "# Upper\n", "note.md": "# Lower\n"},
        {},
        [
            "vault/note.md: warning: file name differs from Note.md only by case; the two are"
            " one file on Windows and macOS [name-collision]"
        ],
    ),
    (
        "name-collision-folded",
        {"foo bar.md": "# A\n", "foo_bar.md": "# B\n"},
        {},
        [
            "vault/foo_bar.md: warning: file name is the same as foo bar.md once case, spaces"
            " and punctuation are ignored; links cannot tell them apart [name-collision]"
        ],
    ),
    (
        "invisible-file-name",
        {"zero\u200bwidth.md": "# Zero\n"},
        {},
        [
            "vault/zero\u200bwidth.md: warning: file name contains U+200B ZERO WIDTH SPACE"
            " [invisible]"
        ],
    ),
    (
        "invisible-title",
        {"a.md": '---\ntitle: "Bid\\u200bi"\n---\n'},
        {},
        ["vault/a.md:2: warning: title 'Bid\\u200bi' contains U+200B ZERO WIDTH SPACE [invisible]"],
    ),
    (
        "invisible-link",
        {"a.md": "# A\n\nSee [[A\u2060]].\n"},
        {},
        ["vault/a.md:3:8: warning: link '[[A\\u2060]]' contains U+2060 WORD JOINER [invisible]"],
    ),
    (
        "empty-link",
        {"a.md": "# A\n\nSee [[]] here.\n"},
        {},
        ["vault/a.md:3:5: warning: empty link '[[]]' names no note; it stays text [link]"],
    ),
    (
        "empty-link-with-bar",
        {"a.md": "# A\n\nSee [[|]] here.\n"},
        {},
        ["vault/a.md:3:5: warning: empty link '[[|]]' names no note; it stays text [link]"],
    ),
    (
        "unclosed-link",
        {"a.md": "# A\n\nSee [[A here]. `[[code` is fine.\n"},
        {},
        ["vault/a.md:3:5: warning: '[[' is never closed on its line; it stays text [link]"],
    ),
    (
        "javascript-link",
        {"a.md": "# A\n\n[[javascript:alert(1)]]\n"},
        {},
        [
            "vault/a.md:3:1: warning: link '[[javascript:alert(1)]]' is a 'javascript:' URL,"
            " not a note; it gets a topic page [link]"
        ],
    ),
    (
        "raw-html",
        {"a.md": "# A\n\n<div>x</div>\n"},
        {},
        [
            "vault/a.md:3:1: warning: raw HTML <div>; notes use Markdown, timestamp anchors,"
            " <br> and inline formatting only [raw-html]"
        ],
    ),
    (
        "require-title",
        {"a.md": "# A\n"},
        {"require_title": True},
        ["vault/a.md:1: warning: no 'title' in the frontmatter (the page is titled 'A') [title]"],
    ),
    ("severity-info", {"a.md": "# A\n\n[[]]\n"}, {"severity": {"link": "info"}}, []),
    (
        "severity-off",
        {"Note.md": "# U\n", "note.md": "# L\n"},
        {"severity": {"name-collision": "off"}},
        [],
    ),
]


@contextmanager
def logged() -> Iterator[list[logging.LogRecord]]:
    """Every record the ``mkdocs`` logger gets meanwhile."""
    records: list[logging.LogRecord] = []
    handler = logging.Handler(logging.DEBUG)
    handler.emit = records.append  # type: ignore[method-assign]
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    try:
        yield records
    finally:
        logger.removeHandler(handler)


@pytest.mark.parametrize(("name", "notes", "options", "expected"), RULES, ids=[r[0] for r in RULES])
def test_the_build_reports_what_the_check_reports_and_strict_fails(
    project: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    notes: dict[str, str],
    options: dict[str, Any],
    expected: list[str],
) -> None:
    write_vault(project, notes, {**FAST, **options})
    (project / "docs").mkdir()
    (project / "docs" / "index.md").write_text("# Home\n")
    with logged() as records:  # -v: every finding, one by one
        code = main(["build", "vault", "-f", "mkdocs.yml", "-d", "site", "--strict", "-v"])
    capsys.readouterr()
    ours = [
        r.getMessage()
        for r in records
        if getattr(r, "finding", None) is not None and r.finding.level != "info"
    ]
    assert ours == [f"notegraph: {line}" for line in expected]
    grouped = [r.getMessage() for r in records if getattr(r, "grouped", False)]
    assert len(grouped) == (1 if expected else 0)  # and summed up in one warning
    assert code == (1 if expected else 0)
    assert (project / "site" / "index.html").is_file()  # built all the same
    check_code, out, _ = run(capsys, "--strict", "--quiet")
    assert [line for line in out.splitlines() if ": info: " not in line] == expected
    assert check_code == code


def test_the_build_applies_the_same_severity_map(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, build_config: Any
) -> None:
    from mkdocs.exceptions import Abort

    monkeypatch.chdir(tmp_path)
    notes = {
        "a/dup.md": "---\ntitle: A\n---\n",
        "b/dup.md": "---\ntitle: B\n---\n",
        "link.md": "---\ntitle: Link\n---\n[[dup]]\n",
        ".hidden.md": "hidden\n",
    }
    write_vault(
        tmp_path, notes, {"severity": {"ambiguous": "error", "hidden": "off"}, "nav": False}
    )
    config = yaml.safe_load((tmp_path / "mkdocs.yml").read_text())
    config["docs_dir"] = "docs"
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Home\n")
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(config))
    built = build_config(tmp_path / "mkdocs.yml", tmp_path / "site")
    ours = [m for m in built.warnings if "vault/" in m]
    assert ours == [
        "notegraph: vault/link.md:4:1: error: 'dup' matches several notes by name"
        " (a/dup.md, b/dup.md); linking to a/dup.md [ambiguous]"
    ]
    assert not [r for r in built.records if "[hidden]" in r.getMessage()]
    with pytest.raises(Abort):
        build_config(tmp_path / "mkdocs.yml", tmp_path / "site", strict=True)
    # `notegraph check` reads the same options and agrees.
    code = main(["check", "--quiet"])
    assert code == 1


# --- edit links: contributors go from a page to the note's source ----------------------------


def test_note_pages_link_to_their_source_when_edit_url_is_set(
    tmp_path: Path, build_config: Any
) -> None:
    from htmltree import parse

    notes = {"people/Ian M#1.md": "# Ian\n\nA note.\n", "plain.md": "# Plain\n"}
    edit_url = "https://git.example/o/r/edit/main/vault/"
    write_vault(tmp_path, notes, {"edit_url": edit_url})
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Home\n")
    built = build_config(tmp_path / "mkdocs.yml", tmp_path / "site")
    assert not [m for m in built.warnings if "vault/" in m]
    hrefs = [
        a.attrs["href"]
        for page in sorted((tmp_path / "site" / "notes").rglob("index.html"))
        for a in parse(page).find_all("a")
        if a.text.strip() == "Edit this note"
    ]
    assert sorted(hrefs) == [
        edit_url + "people/Ian%20M%231.md",
        edit_url + "plain.md",
    ]
