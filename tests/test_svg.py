"""SVG attachments: what the site publishes of each (`notegraph.core.vault.svg.clean_svg`).

Each row is a file a stranger could add to the vault (the SVGs of issue #12 and their
variants: upper case, entities, namespaces and prefixes, XSLT, meta refresh, embed/object),
the exact bytes the site publishes and what is reported, line by line. The browser side is
``test_browser_clobbering.py``; the grammar of dangerous constructs is
``test_dangerous_properties.py``.
"""

from __future__ import annotations

import pytest
from conftest import write_files
from notegraph.core.checks.check import check_vault
from notegraph.core.vault.svg import clean_svg

NS = 'xmlns="http://www.w3.org/2000/svg"'
XHTML = "http://www.w3.org/1999/xhtml"
XLINK = 'xmlns:xlink="http://www.w3.org/1999/xlink"'
EMPTY = b'<svg xmlns="http://www.w3.org/2000/svg"/>'
RUNS = "is removed (it could run a script, navigate or load another document)"
LOCAL = 'a reference to another document (only ids of the same file: href="#id")'

# (name, the vault's file, what the site publishes, [(line, level, message)])
CASES: list[tuple[str, str, bytes, list[tuple[int, str, str]]]] = [
    (
        "clean",
        f'<svg {NS} viewBox="0 0 10 10"><title>Curve</title>\n'
        '<polyline fill="none" stroke="#2b6cb0" points="0,0 5,8"/></svg>\n',
        b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><title>Curve</title>\n'
        b'<polyline fill="none" stroke="#2b6cb0" points="0,0 5,8"/></svg>',
        [],
    ),
    (
        "xhtml iframe srcdoc",
        f'<svg {NS}>\n<iframe xmlns="{XHTML}" '
        'srcdoc="&lt;script&gt;parent.alert(1)&lt;/script&gt;"/>\n</svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg">\n\n</svg>',
        [(2, "warning", f"<iframe> of namespace {XHTML} {RUNS}")],
    ),
    (
        "prefixed h:iframe",
        f'<svg {NS} xmlns:h="{XHTML}"><h:iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"/>'
        "</svg>",
        EMPTY,
        [(1, "warning", f"<h:iframe> of namespace {XHTML} {RUNS}")],
    ),
    (
        "upper-case IFRAME in XHTML",
        f'<svg {NS}><H:IFRAME xmlns:H="{XHTML}" SRCDOC="x"/></svg>',
        EMPTY,
        [(1, "warning", f"<H:IFRAME> of namespace {XHTML} {RUNS}")],
    ),
    (
        "xslt stylesheet",
        '<?xml version="1.0"?>\n<?xml-stylesheet type="text/xsl" href="style.svg"?>\n'
        f'<svg {NS}><rect width="1" height="1"/></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg"><rect width="1" height="1"/></svg>',
        [
            (
                2,
                "warning",
                '<?xml-stylesheet type="text/xsl" href="style.svg"?> is removed (a stylesheet'
                " or XSLT transform from another file)",
            )
        ],
    ),
    (
        "an XSLT file saved as .svg",
        '<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">'
        "<xsl:template match='/'><script>alert(1)</script></xsl:template></xsl:stylesheet>",
        b"",
        [(1, "problem", "file whose root is <xsl:stylesheet>, not an SVG <svg>")],
    ),
    (
        "meta refresh",
        f'<svg {NS}><meta xmlns="{XHTML}" http-equiv="refresh" content="0;url=https://x.org/"/>'
        "</svg>",
        EMPTY,
        [(1, "warning", f"<meta> of namespace {XHTML} {RUNS}")],
    ),
    (
        "embed and object",
        f'<svg {NS}>\n<embed xmlns="{XHTML}" src="data:text/html,&lt;script&gt;alert(1)'
        '&lt;/script&gt;"/>\n<object data="x.html"/></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg">\n\n</svg>',
        [
            (2, "warning", f"<embed> of namespace {XHTML} {RUNS}"),
            (3, "warning", f"<object> {RUNS}"),
        ],
    ),
    (
        "script in upper case and with a prefix",
        '<s:svg xmlns:s="http://www.w3.org/2000/svg"><s:SCRIPT>alert(1)</s:SCRIPT>'
        "<s:script>alert(2)</s:script></s:svg>",
        EMPTY,
        [(1, "warning", f"<s:SCRIPT> {RUNS}"), (1, "warning", f"<s:script> {RUNS}")],
    ),
    (
        "event attributes",
        f'<svg {NS} onload="alert(1)"><g ONCLICK="alert(2)"><circle r="1"/></g></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg"><g><circle r="1"/></g></svg>',
        [
            (1, "warning", "'ONCLICK' event attribute of <g> is removed (it could run a script)"),
            (1, "warning", "'onload' event attribute of <svg> is removed (it could run a script)"),
        ],
    ),
    (
        "javascript link written with entities",
        f'<svg {NS} {XLINK}><a xlink:href="&#106;ava&#x09;script:alert(1)"><text>x</text></a>'
        '<a href="https://example.org/">ok</a></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg"><a><text>x</text></a>'
        b'<a href="https://example.org/">ok</a></svg>',
        [
            (
                1,
                "warning",
                "'xlink:href' of <a> (java script:alert(1)) is removed: a link with a scheme"
                " other than http, https or mailto",
            )
        ],
    ),
    (
        "use of another document, and of a local id",
        f'<svg {NS} {XLINK}><defs><circle id="c" r="1"/></defs>'
        '<use xlink:href="other.svg#c"/><use xlink:href="#c"/></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg"><defs><circle id="c" r="1"/></defs>'
        b'<use/><use href="#c"/></svg>',
        [(1, "warning", f"'xlink:href' of <use> (other.svg#c) is removed: {LOCAL}")],
    ),
    (
        "animation that sets href",
        f'<svg {NS}><a><set attributeName="href" to="javascript:alert(1)"/>'
        '<animate attributeName="href" values="javascript:alert(1)"/><text>x</text></a></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg"><a><text>x</text></a></svg>',
        [(1, "warning", f"<animate> {RUNS}"), (1, "warning", f"<set> {RUNS}")],
    ),
    (
        "foreignObject with HTML",
        f'<svg {NS}><foreignObject><div xmlns="{XHTML}">x</div></foreignObject></svg>',
        EMPTY,
        [(1, "warning", f"<foreignObject> {RUNS}")],
    ),
    (
        "CSS that loads other documents",
        f"<svg {NS}>\n<style>@import url(https://x.org/a.css);</style>\n"
        '<rect style="fill: url(https://x.org/p.svg#g)" stroke="u\\72l(x)"/>\n'
        "<style>.a{fill:url(#g)}</style></svg>",
        b'<svg xmlns="http://www.w3.org/2000/svg">\n\n<rect/>\n<style>.a{fill:url(#g)}</style>'
        b"</svg>",
        [
            (2, "warning", "<style> with an @import rule is removed"),
            (3, "warning", "'stroke' of <rect> is removed: it holds a CSS escape"),
            (3, "warning", "'style' of <rect> is removed: it holds a url() to another document"),
        ],
    ),
    (
        "image from another host, and an embedded one",
        f'<svg {NS}><image href="https://x.org/p.png"/><image href="data:image/png;base64,AA=="/>'
        '<image href="data:text/html;base64,AA=="/></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg"><image/>'
        b'<image href="data:image/png;base64,AA=="/><image/></svg>',
        [
            (
                1,
                "warning",
                "'href' of <image> (data:text/html;base64,AA==) is removed: an image from another"
                " host (only embedded or same-site images)",
            ),
            (
                1,
                "warning",
                "'href' of <image> (https://x.org/p.png) is removed: an image from another host"
                " (only embedded or same-site images)",
            ),
        ],
    ),
    (
        "entities declared",
        '<!DOCTYPE svg [<!ENTITY x "&#60;script&#62;alert(1)&#60;/script&#62;">]>'
        f"<svg {NS}>&x;</svg>",
        b"",
        [(1, "problem", "SVG that declares XML entities is not published")],
    ),
    (
        "attribute defaults declared",
        f'<!DOCTYPE svg [<!ATTLIST svg onload CDATA "alert(1)">]><svg {NS}/>',
        b"",
        [(1, "problem", "SVG that declares attributes in its DTD (<!ATTLIST>) is not published")],
    ),
    (
        "an external entity",
        '<!DOCTYPE svg SYSTEM "x.dtd"><svg xmlns="http://www.w3.org/2000/svg">&ext;</svg>',
        EMPTY,
        [(1, "info", "entity &ext; is removed (once)")],
    ),
    (
        "Inkscape's metadata and doctype",
        '<?xml version="1.0"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
        '"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n'
        f'<svg {NS} xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape">\n'
        '<g inkscape:label="a"><path d="M0 0" inkscape:label="b"/></g></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg">\n<g><path d="M0 0"/></g></svg>',
        [
            (
                4,
                "info",
                "attribute 'inkscape:label' (editor metadata) is removed (2 times, first here)",
            )
        ],
    ),
    (
        "not well-formed",
        f"<svg {NS}>\n<g>\n</svg>",
        b"",
        [(3, "problem", "SVG that is not well-formed XML (mismatched tag) is not published")],
    ),
]


@pytest.mark.parametrize(
    ("svg", "published", "reported"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_each_svg_is_published_as_the_sanitizer_rewrites_it(svg, published, reported):
    cleaned = clean_svg(svg.encode("utf-8"))
    found = [(r.line, r.level, r.what) for r in cleaned.removed]
    if cleaned.data is None:
        found.append((cleaned.line, "problem", cleaned.problem))
    assert (cleaned.data or b"") == published
    assert len(found) == len(reported), found
    for (line, level, what), (want_line, want_level, want) in zip(found, reported, strict=True):
        assert (line, level) == (want_line, want_level), what
        assert want in what


def test_check_reports_each_removed_construct_with_file_and_line(tmp_path):
    write_files(tmp_path, {f"img/{i}.svg": case[1] for i, case in enumerate(CASES)})
    found = {(d.path, d.line, d.code) for d in check_vault(tmp_path)}
    for i, (_, _, _, reported) in enumerate(CASES):
        for line, level, _ in reported:
            code = "attachment" if level == "problem" else "svg"
            assert (f"img/{i}.svg", line, code) in found


def test_the_site_publishes_the_sanitized_svg_not_the_vault_file(build_vault):
    built = build_vault(
        "svg-site",
        {
            "a.md": "# A\n\n![[drawing.svg]] and [the file](drawing.svg).\n",
            "drawing.svg": f'<svg {NS} onload="alert(1)"><circle r="4"/></svg>',
            "broken.svg": f"<svg {NS}>",
        },
    )
    drawing = built.site_dir / "notes" / "drawing.svg"
    assert drawing.read_bytes() == b'<svg xmlns="http://www.w3.org/2000/svg"><circle r="4"/></svg>'
    assert not (built.site_dir / "notes" / "broken.svg").exists()
    assert any(
        w.endswith(
            "drawing.svg:1: warning: 'onload' event attribute of <svg> is removed"
            " (it could run a script) [svg]"
        )
        for w in built.warnings
    )
