"""A grammar of dangerous constructs, and what may survive them (issue #12).

Hypothesis writes notes (attribute lists, raw HTML, headings, ``markdown="1"`` blocks)
whose ids and classes are the page frame's names in every spelling, and SVG documents made
of scripts, other namespaces (prefixed or not, upper case), event attributes, URLs written
with entities and spaces, animations, CSS that loads other documents, processing
instructions and DTDs. The output is checked statically, by parsing it:

- a note's page holds no id the page frame owns and no class that makes the theme fetch;
- a published SVG holds only SVG elements and attributes of the allowlist, references to
  its own ids (or, for ``<a>`` and ``<image>``, what they may load), no processing
  instruction, no DTD, no other namespace; and cleaning it again changes nothing.
"""

from __future__ import annotations

import html
import os
import re
import xml.dom.minidom
from html.parser import HTMLParser

import markdown
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from markdown.extensions.toc import slugify
from notegraph.core.vault.notes import parse_note
from notegraph.core.vault.reserved import (
    RESERVED_CLASSES,
    SafeSlugify,
    is_reserved_id,
    reserved_ids,
)
from notegraph.core.vault.sanitize import sanitize
from notegraph.core.vault.svg import ATTRIBUTES, ELEMENTS, SVG_NS, clean_svg

SETTINGS = settings(
    max_examples=int(os.environ.get("NOTEGRAPH_EXAMPLES", 300)),  # more when hunting
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

# --- notes: ids and classes ---------------------------------------------------------------------

RESERVED = sorted(reserved_ids())
ids = st.one_of(
    st.sampled_from(RESERVED),
    st.sampled_from(["__md_scope", "__CONFIG", "__", "___x", "__nav_1_2", "__palette_0"]),
    st.builds(lambda s: "__" + s, st.from_regex(r"[A-Za-z0-9_-]{0,8}", fullmatch=True)),
    st.sampled_from(["config", "_config", "intro", "note-__config", "search"]),
)
classes = st.lists(st.sampled_from(["mermaid", "md-button", "big", "ng-x", "x"]), max_size=3)


def entity_encoded(value: str) -> st.SearchStrategy[str]:
    """`value` as raw HTML may write it: plain, or with underscores as character references."""
    return st.sampled_from(
        [
            html.escape(value),
            value.replace("_", "&#95;"),
            value.replace("_", "&#x5F;"),
            value.replace("_", "&lowbar;"),
            " " + html.escape(value) + "\t",
        ]
    )


@st.composite
def note_constructs(draw: st.DrawFn) -> str:
    """One block of a note that sets an id or classes, as a stranger may write it."""
    value = draw(ids)
    names = " ".join(draw(classes))
    dotted = " ".join("." + c for c in draw(classes))
    tag = draw(st.sampled_from(["p", "div", "span", "h2", "pre", "section", "ul", "Div", "SPAN"]))
    quote = draw(st.sampled_from(['"', "'"]))
    encoded = draw(entity_encoded(value))
    kind = draw(st.integers(0, 6))
    if kind == 0:
        return f"Some text\n{{: #{value} {dotted} }}"
    if kind == 1:
        return f"## Title {{ #{value} {dotted} }}"
    if kind == 2:
        return f"## {value}"
    if kind == 3:
        return f"<{tag} id={quote}{encoded}{quote} class={quote}{names}{quote}>x</{tag}>"
    if kind == 4:
        return f'<div markdown="1" id="{encoded}" class="{names}">\n\nInside *text*.\n\n</div>'
    if kind == 5:
        return f'Some text\n{{: id="{value}" class="{names}" }}'
    return f"A [link](#x){{: #{value} }} and *emphasis*{{: .{(draw(classes) or ['x'])[0]} }}"


class _Names(HTMLParser):
    """Every id and class of an HTML fragment, as a browser reads them (entities decoded)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: list[str] = []
        self.classes: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "id" and value is not None:
                self.ids.append(value)
            elif name == "class" and value is not None:
                self.classes += value.split()


def render(text: str) -> str:
    """A note's Markdown as the site renders it (the plugin's extensions), then sanitized."""
    md = markdown.Markdown(
        extensions=["attr_list", "md_in_html", "toc", "tables", "notegraph.core.vault.reserved"],
        extension_configs={"toc": {"slugify": SafeSlugify(slugify)}},
    )
    return sanitize(md.convert(text))


@SETTINGS
@given(st.lists(note_constructs(), min_size=1, max_size=5))
@example(['{"base":"http://127.0.0.1:9977/","features":[]}\n{: #__config }'])
@example(['<div id="&#95;&#95;config" class="mermaid">{}</div>'])
@example(["## __config", "## __config"])
def test_no_note_takes_a_name_of_the_page_frame(blocks):
    text = "# Note\n\n" + "\n\n".join(blocks) + "\n"
    names = _Names()
    names.feed(render(text))
    assert [i for i in names.ids if is_reserved_id(i)] == []
    assert RESERVED_CLASSES.isdisjoint(names.classes)
    parse_note("note.md", text)  # reading (and reporting) never fails


# --- SVG documents ------------------------------------------------------------------------------

XHTML = "http://www.w3.org/1999/xhtml"
XLINK = "http://www.w3.org/1999/xlink"
NAMESPACES = {
    "svg": SVG_NS,
    "h": XHTML,
    "xlink": XLINK,
    "xsl": "http://www.w3.org/1999/XSL/Transform",
    "inkscape": "http://www.inkscape.org/namespaces/inkscape",
    "m": "http://www.w3.org/1998/Math/MathML",
    "x": "urn:unknown",
}
DANGEROUS_ELEMENTS = [
    "script", "SCRIPT", "foreignObject", "iframe", "embed", "object", "meta", "animate", "set",
    "animateTransform", "handler", "feImage", "cursor", "body", "a", "use", "image", "style",
    "g", "text", "circle", "path", "linearGradient", "stop", "filter", "feGaussianBlur",
]  # fmt: skip
URLS = [
    "javascript:alert(1)", "JaVaScRiPt:alert(1)", "&#106;ava&#x09;script:alert(1)",
    " java\nscript:alert(1)", "data:text/html,<script>alert(1)</script>",
    "data:image/svg+xml;base64,PHN2Zz4=", "data:image/png;base64,AA==", "https://x.org/a.svg#g",
    "//x.org/a", "\\\\x.org/a", "other.svg#g", "#local", "img.png", "mailto:a@x.org", "vbscript:x",
]  # fmt: skip
CSS = [
    "fill:url(#g)", "fill:url(https://x.org/a.svg#g)", "fill:url( 'x.svg' )", "@import 'x.css'",
    "fill:u\\72l(x)", "width:expression(alert(1))", "behavior:url(x.htc)",
    "-moz-binding:url(x.xml#b)", "background:image-set('x.png' 1x)", "fill:red",
    "/* a */ fill:url(#a)", "fill: URL(//x.org/a)", "@font-face{src:url(x.woff)}",
]  # fmt: skip
ATTRIBUTE_NAMES = [
    "onload", "ONLOAD", "onclick", "onbegin", "href", "xlink:href", "style", "fill", "filter",
    "clip-path", "mask", "x", "id", "class", "srcdoc", "src", "data", "http-equiv", "content",
    "attributeName", "to", "values", "h:onload", "x:href", "inkscape:label", "xml:base",
    "xml:space", "target", "begin",
]  # fmt: skip


def _escape(value: str) -> str:
    """An attribute value as XML needs it, keeping the character references of `URLS`."""
    escaped = value.replace("<", "&lt;").replace('"', "&quot;")
    return re.sub(r"&(?!#\w+;|lt;|quot;|amp;)", "&amp;", escaped)


@st.composite
def svg_attributes(draw: st.DrawFn) -> str:
    pairs = {}
    for name in draw(st.lists(st.sampled_from(ATTRIBUTE_NAMES), max_size=4, unique=True)):
        if name in ("style", "fill", "filter", "clip-path", "mask"):
            value = draw(st.sampled_from(CSS))
        elif name in ("attributeName",):
            value = draw(st.sampled_from(["href", "xlink:href", "onload", "style"]))
        else:
            value = draw(st.sampled_from(URLS + ["alert(1)", "refresh", "0;url=https://x.org/"]))
        pairs[name] = value
    return "".join(f' {name}="{_escape(value)}"' for name, value in pairs.items())


@st.composite
def svg_element(draw: st.DrawFn, children: st.SearchStrategy[str]) -> str:
    prefix = draw(st.sampled_from(["", "", "", "svg:", "h:", "xsl:", "inkscape:", "m:", "x:"]))
    name = prefix + draw(st.sampled_from(DANGEROUS_ELEMENTS))
    declare = ""
    if not prefix and draw(st.booleans()):
        declare = f' xmlns="{draw(st.sampled_from([SVG_NS, XHTML, "urn:unknown"]))}"'
    inner = "".join(draw(st.lists(children, max_size=3)))
    text = draw(
        st.sampled_from(
            ["", "alert(1)", "&lt;script&gt;alert(1)&lt;/script&gt;", "<![CDATA[<script>]]>"]
        )
    )
    pi = draw(st.sampled_from(["", "", '<?xml-stylesheet href="x.xsl"?>', "<?php x ?>"]))
    return f"<{name}{declare}{draw(svg_attributes())}>{pi}{text}{inner}</{name}>"


svg_elements = st.recursive(
    st.sampled_from(["", "text", "&amp;", "<!-- c -->"]),
    lambda children: svg_element(children),
    max_leaves=12,
)
PROLOGS = [
    "",
    '<?xml version="1.0" encoding="UTF-8"?>\n',
    '<?xml-stylesheet type="text/xsl" href="style.svg"?>\n',
    '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
    '"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n',
    '<!DOCTYPE svg [<!ENTITY x "<script>alert(1)</script>">]>\n',
    '<!DOCTYPE svg [<!ATTLIST svg onload CDATA "alert(1)">]>\n',
]
DECLARATIONS = "".join(f' xmlns:{p}="{uri}"' for p, uri in NAMESPACES.items())


@st.composite
def svg_documents(draw: st.DrawFn) -> bytes:
    root_prefix = draw(st.sampled_from(["", "svg:"]))
    default = "" if root_prefix else f' xmlns="{SVG_NS}"'
    body = "".join(draw(st.lists(svg_elements, max_size=4)))
    root = f"{root_prefix}svg"
    document = (
        draw(st.sampled_from(PROLOGS))
        + f"<{root}{default}{DECLARATIONS}{draw(svg_attributes())}>{body}</{root}>"
    )
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-16"]))
    if encoding == "utf-16" and document.startswith("<?xml version"):
        document = document.replace('encoding="UTF-8"', 'encoding="UTF-16"')
    return document.encode(encoding)


_SQUEEZE = re.compile(r"[\x00-\x20]")
_URL = re.compile(r"url\(\s*(['\"]?)([^'\")]*)", re.IGNORECASE)


def assert_nothing_dangerous(published: bytes) -> None:
    """Statically: what a published SVG may hold (see the module's docstring)."""
    text = published.decode("utf-8")
    assert "<?" not in text and "<!" not in text, "a processing instruction or DTD survived"
    assert "xmlns:" not in text, "a namespace besides SVG's survived"
    document = xml.dom.minidom.parseString(published)
    stack = [document.documentElement]
    assert (stack[0].namespaceURI, stack[0].localName) == (SVG_NS, "svg")
    while stack:
        element = stack.pop()
        assert element.namespaceURI == SVG_NS and element.localName in ELEMENTS, element.tagName
        for name, value in element.attributes.items():
            if name == "xmlns":
                assert value == SVG_NS
                continue
            assert name in ATTRIBUTES or name in ("xml:space", "xml:lang"), name
            assert not name.lower().startswith("on")
            squeezed = _SQUEEZE.sub("", value).lower()
            if name == "href":
                local = squeezed.startswith("#")
                if element.localName == "a":
                    assert local or not re.match(r"^(?!https?:|mailto:)[a-z][\w+.-]*:", squeezed)
                elif element.localName == "image":
                    assert local or squeezed.startswith("data:image/png") or ":" not in squeezed
                    assert not squeezed.startswith(("//", "\\", "/\\"))
                else:
                    assert local, value
            for match in _URL.finditer(value):
                assert match.group(2).strip().startswith("#"), value
            assert "\\" not in value or name not in ("style", "fill", "filter", "clip-path")
        for child in element.childNodes:
            if child.nodeType == child.ELEMENT_NODE:
                stack.append(child)
            elif element.localName == "style":
                css = child.data
                assert "@import" not in css and "\\" not in css
                assert all(m.group(2).strip().startswith("#") for m in _URL.finditer(css))


@SETTINGS
@given(svg_documents())
@example(
    b'<svg xmlns="http://www.w3.org/2000/svg"><iframe xmlns="http://www.w3.org/1999/xhtml" '
    b'srcdoc="&lt;script&gt;parent.alert(1)&lt;/script&gt;"/></svg>'
)
@example(
    b'<?xml-stylesheet href="style.svg"?><svg xmlns="http://www.w3.org/2000/svg" '
    b'xmlns:h="http://www.w3.org/1999/xhtml"><h:meta http-equiv="refresh" content="0;url=//x"/>'
    b"</svg>"
)
def test_no_published_svg_holds_anything_that_runs_or_loads(document):
    cleaned = clean_svg(document)
    if cleaned.data is None:
        assert cleaned.problem  # refused, and says why
        return
    assert_nothing_dangerous(cleaned.data)
    again = clean_svg(cleaned.data)
    assert (again.data, again.removed) == (cleaned.data, ()), "cleaning twice changed more"
