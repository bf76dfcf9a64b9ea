"""Make an SVG attachment safe to publish: parse it, and write a new file of what draws.

An SVG opened by itself (a note may link to it) is a document of the site's origin, so a
script in it runs with the site's rights. Looking for dangerous text does not work: XHTML in
another namespace (``<h:iframe srcdoc=...>``), entities, an XSLT stylesheet applied by
``<?xml-stylesheet?>``, ``<meta http-equiv="refresh">``... So `clean_svg` parses the file
with a hardened XML parser (defusedxml's expat reader: no entity declarations, no external
entities; a doctype line is allowed, a DTD inside the file is not) and writes a new file
from an allowlist:

- elements of the SVG namespace that draw (`ELEMENTS`: shapes, paths, text, groups,
  gradients, patterns, clips, masks, markers, filters, ``<a>``, ``<image>``, ``<style>``),
  with their children; nothing of any other namespace;
- their geometry and presentation attributes (`ATTRIBUTES`), ``xml:space`` and ``xml:lang``;
- references to ids of the same file only (``href="#id"``, ``url(#id)``): ``<a>`` may also
  link to a web page or a relative path (it navigates only when clicked), ``<image>`` may
  show an embedded raster image or a relative path (same site);
- CSS (``<style>``, ``style=``, presentation values) without escapes, ``@import`` or
  ``@font-face`` rules, ``url()`` to other documents or unknown functions.

Everything else is left out and reported with its line (`Removed`; an attribute with the
line its element's tag starts on): as a warning what could
run, navigate or load another document (``<script>``, ``<foreignObject>``, animations,
which can set ``href``, event attributes, processing instructions, other namespaces...), as
an info what only an editor needs (Inkscape's or Illustrator's metadata) or the site does
not know. Comments and the doctype line draw and run nothing; they go without a word. A
file that is not well-formed XML, declares entities or attributes in a DTD, or whose root
is no SVG ``<svg>``, is not published (`CleanSvg.problem`).

>>> svg = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><circle r="4"/></svg>'
>>> cleaned = clean_svg(svg)
>>> cleaned.data
b'<svg xmlns="http://www.w3.org/2000/svg"><circle r="4"/></svg>'
>>> for removed in cleaned.removed:
...     print(removed)
1: warning: 'onload' event attribute of <svg> is removed (it could run a script)
"""

from __future__ import annotations

import io
import re
import xml.sax
from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from xml.sax.handler import ContentHandler, feature_namespaces

from defusedxml.common import DefusedXmlException, DTDForbidden, ExternalReferenceForbidden
from defusedxml.expatreader import DefusedExpatParser

from notegraph.core.base.report import Level

__all__ = ["clean_svg", "CleanSvg", "Removed", "ELEMENTS", "ATTRIBUTES", "SVG_NS"]

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
XML_NS = "http://www.w3.org/XML/1998/namespace"

ELEMENTS = frozenset({
    "svg", "g", "defs", "symbol", "use", "switch", "title", "desc",
    "path", "rect", "circle", "ellipse", "line", "polyline", "polygon",
    "text", "tspan", "textPath",
    "linearGradient", "radialGradient", "stop", "pattern", "clipPath", "mask", "marker",
    "a", "image", "style",
    "filter", "feBlend", "feColorMatrix", "feComponentTransfer", "feComposite",
    "feConvolveMatrix", "feDiffuseLighting", "feDisplacementMap", "feDistantLight",
    "feDropShadow", "feFlood", "feFuncA", "feFuncB", "feFuncG", "feFuncR", "feGaussianBlur",
    "feMerge", "feMergeNode", "feMorphology", "feOffset", "fePointLight",
    "feSpecularLighting", "feSpotLight", "feTile", "feTurbulence",
})  # fmt: skip
"""SVG elements (local names, SVG namespace) a published SVG may hold."""

PRESENTATION = frozenset({
    "fill", "fill-opacity", "fill-rule", "stroke", "stroke-width", "stroke-linecap",
    "stroke-linejoin", "stroke-miterlimit", "stroke-dasharray", "stroke-dashoffset",
    "stroke-opacity", "opacity", "color", "display", "visibility", "overflow", "clip",
    "clip-path", "clip-rule", "mask", "filter", "marker-start", "marker-mid", "marker-end",
    "stop-color", "stop-opacity", "font-family", "font-size", "font-size-adjust",
    "font-stretch", "font-style", "font-variant", "font-weight", "text-anchor",
    "text-decoration", "dominant-baseline", "alignment-baseline", "baseline-shift",
    "letter-spacing", "word-spacing", "writing-mode", "direction", "unicode-bidi",
    "paint-order", "vector-effect", "shape-rendering", "text-rendering", "image-rendering",
    "color-interpolation", "color-interpolation-filters", "color-rendering", "flood-color",
    "flood-opacity", "lighting-color", "mix-blend-mode", "isolation", "transform-origin",
    "style",
})  # fmt: skip
"""Attributes whose values are CSS: each goes through the CSS check (`_css_problem`)."""

ATTRIBUTES = PRESENTATION | frozenset({
    "id", "class", "lang", "tabindex", "version", "baseProfile", "width", "height", "viewBox",
    "preserveAspectRatio", "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry",
    "fx", "fy", "fr", "d", "points", "pathLength", "transform", "href",
    "gradientUnits", "gradientTransform", "spreadMethod", "offset", "patternUnits",
    "patternContentUnits", "patternTransform", "clipPathUnits", "maskUnits",
    "maskContentUnits", "markerWidth", "markerHeight", "markerUnits", "refX", "refY",
    "orient", "dx", "dy", "rotate", "textLength", "lengthAdjust", "startOffset", "method",
    "spacing", "side", "path", "media", "type",
    "filterUnits", "primitiveUnits", "in", "in2", "result", "stdDeviation", "mode",
    "values", "operator", "k1", "k2", "k3", "k4", "order", "kernelMatrix", "divisor", "bias",
    "targetX", "targetY", "edgeMode", "preserveAlpha", "surfaceScale", "diffuseConstant",
    "specularConstant", "specularExponent", "kernelUnitLength", "scale", "xChannelSelector",
    "yChannelSelector", "radius", "baseFrequency", "numOctaves", "seed", "stitchTiles",
    "azimuth", "elevation", "pointsAtX", "pointsAtY", "pointsAtZ", "limitingConeAngle",
    "tableValues", "slope", "intercept", "amplitude", "exponent",
})  # fmt: skip
"""Attributes (no namespace; ``xlink:href`` counts as ``href``) a kept element may keep."""

DANGEROUS = frozenset({
    "script", "foreignobject", "iframe", "embed", "object", "meta", "link", "base", "html",
    "body", "animate", "animatemotion", "animatetransform", "animatecolor", "set", "discard",
    "mpath", "handler", "listener", "feimage", "cursor", "color-profile", "font-face-uri",
    "tref", "video", "audio", "canvas",
})  # fmt: skip
"""Element names (lower case, any namespace) whose removal is a warning: they could run a
script, navigate, or load another document."""

EDITORS = (
    "http://www.inkscape.org/",
    "http://sodipodi.sourceforge.net/",
    "http://ns.adobe.com/",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns",
    "http://purl.org/dc/",
    "http://creativecommons.org/ns",
    "http://web.resource.org/cc/",
    "http://www.bohemiancoding.com/sketch/",
    "http://www.serif.com/",
)
"""Namespaces of drawing programs' own metadata: removing it is an info."""

CSS_FUNCTIONS = frozenset({
    "rgb", "rgba", "hsl", "hsla", "hwb", "lab", "lch", "oklab", "oklch", "color",
    "color-mix", "var", "calc", "min", "max", "clamp", "url", "translate", "translatex",
    "translatey", "translate3d", "rotate", "scale", "scalex", "scaley", "skew", "skewx",
    "skewy", "matrix", "matrix3d", "perspective", "cubic-bezier", "steps", "not", "is",
    "where", "nth-child", "nth-of-type", "nth-last-child", "nth-last-of-type", "drop-shadow",
    "blur", "brightness", "contrast", "grayscale", "hue-rotate", "invert", "opacity",
    "saturate", "sepia", "linear-gradient", "radial-gradient", "conic-gradient",
    "repeating-linear-gradient", "repeating-radial-gradient", "path", "polygon", "circle",
    "ellipse", "inset",
})  # fmt: skip
"""CSS functions an SVG's CSS may call (``url()`` only with ``#id``)."""
CSS_AT_RULES = frozenset({"media", "keyframes", "-webkit-keyframes", "supports"})

_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_CSS_FUNCTION = re.compile(r"([A-Za-z_-][\w-]*)\s*\(")
_CSS_AT = re.compile(r"@([\w-]*)")
_CSS_LOCAL_URL = re.compile(r"""url\(\s*(['"]?)#[^'"()\s]*\1\s*\)""", re.IGNORECASE)
_URL_IGNORED = re.compile(r"[\x00-\x20]")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):", re.IGNORECASE)
_RASTER_DATA = re.compile(r"^data:image/(?:png|jpeg|gif|webp|avif|bmp);base64,", re.IGNORECASE)
_LINK_SCHEMES = {"http", "https", "mailto"}


@dataclass(frozen=True, order=True)
class Removed:
    """One thing left out of the published SVG: where, how bad, what."""

    line: int
    level: Level
    what: str

    def __str__(self) -> str:
        return f"{self.line}: {self.level}: {self.what}"


@dataclass(frozen=True)
class CleanSvg:
    """The SVG to publish (`data`), or why there is none (`problem`, at `line`)."""

    data: bytes | None
    removed: tuple[Removed, ...] = ()
    problem: str | None = None
    line: int = 0


def _css_problem(css: str) -> str | None:
    """Why a piece of CSS could load another document, or None.

    >>> _css_problem("fill: url(#g); stroke: rgb(1, 2, 3)")
    >>> _css_problem("@import 'x.css'"), _css_problem("fill: url(http://x.org/a.svg#g)")
    ('an @import rule', 'a url() to another document')
    >>> _css_problem("fill: u\\\\72l(x)"), _css_problem("background: image-set('a.png' 1x)")
    ('a CSS escape', "the CSS function 'image-set()'")
    """
    text = _CSS_COMMENT.sub(" ", css)
    if "/*" in text:
        return "an unclosed CSS comment"
    if "\\" in text:
        return "a CSS escape"
    for rule in _CSS_AT.findall(text):
        if rule.lower() not in CSS_AT_RULES:
            return f"an @{rule} rule"
    rest = _CSS_LOCAL_URL.sub("", text)
    for name in _CSS_FUNCTION.findall(rest):
        if name.lower() == "url":
            return "a url() to another document"
        if name.lower() not in CSS_FUNCTIONS:
            return f"the CSS function '{name}()'"
    return None


def _href_problem(element: str, value: str) -> str | None:
    """Why an ``href`` of `element` could run a script or load another document, or None."""
    url = _URL_IGNORED.sub("", value)
    if url.startswith("#"):
        return None
    scheme = _SCHEME.match(url)
    relative = scheme is None and not url.startswith(("//", "\\", "/\\"))
    if element == "a" and (relative or (scheme and scheme.group(1).lower() in _LINK_SCHEMES)):
        return None
    if element == "image" and (relative or _RASTER_DATA.match(url)):
        return None
    if element == "a":
        return "a link with a scheme other than http, https or mailto"
    if element == "image":
        return "an image from another host (only embedded or same-site images)"
    return 'a reference to another document (only ids of the same file: href="#id")'


def _shown(value: str, limit: int = 60) -> str:
    value = " ".join(value.split())
    return value if len(value) <= limit else value[: limit - 3] + "..."


def _escape_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _escape_attr(value: str) -> str:
    value = _escape_text(value).replace('"', "&quot;")
    return value.replace("\t", "&#9;").replace("\n", "&#10;").replace("\r", "&#13;")


class _Parser(DefusedExpatParser):
    """defusedxml's expat reader (no entity declarations, no external entities) that takes
    a doctype line as drawing programs write it (``<!DOCTYPE svg PUBLIC ...>``) without
    reading the DTD it names, and refuses attribute defaults declared in the file (they
    would add attributes no tag shows)."""

    def __init__(self) -> None:
        super().__init__(forbid_dtd=False, forbid_entities=True, forbid_external=True)
        self.setFeature(feature_namespaces, True)

    def reset(self) -> None:
        super().reset()
        expat = self._parser  # type: ignore[attr-defined]  # the pyexpat parser
        expat.ExternalEntityRefHandler = self._external
        expat.AttlistDeclHandler = self._attlist

    def _external(
        self, context: str | None, base: str | None, sysid: str | None, pubid: str | None
    ) -> int:
        if context is None:  # the doctype's external DTD: not read
            return 1
        raise ExternalReferenceForbidden(context, base, sysid, pubid)

    def _attlist(self, element: str, *_: Any) -> None:
        raise DTDForbidden(element, None, None)


class _NotSvg(Exception):
    pass


@dataclass
class _Open:
    """An element being written: its name, and whether its start tag is still open."""

    name: str
    pending: bool = True
    css: list[str] | None = None
    start: str = ""
    line: int = 0


@dataclass
class _Writer(ContentHandler):
    """Writes the allowlisted part of the document as it is parsed (SAX events)."""

    out: list[str] = field(default_factory=list)
    removed: list[Removed] = field(default_factory=list)
    infos: Counter[tuple[str, str]] = field(default_factory=Counter)
    first_line: dict[tuple[str, str], int] = field(default_factory=dict)
    stack: list[_Open] = field(default_factory=list)
    skipping: int = 0
    prefixes: dict[str, str] = field(default_factory=dict)
    locator: Any = None

    def __post_init__(self) -> None:
        ContentHandler.__init__(self)

    # --- reporting ---

    @property
    def line(self) -> int:
        return self.locator.getLineNumber() if self.locator is not None else 0

    def warn(self, what: str) -> None:
        self.removed.append(Removed(self.line, "warning", what))

    def info(self, kind: str, name: str) -> None:
        """Many of one kind (Inkscape writes the same attributes on every path): one info."""
        key = (kind, name)
        self.infos[key] += 1
        self.first_line.setdefault(key, self.line)

    def qname(self, uri: str | None, local: str) -> str:
        prefix = self.prefixes.get(uri or "", "")
        return f"{prefix}:{local}" if prefix else local

    # --- SAX events ---

    def setDocumentLocator(self, locator: Any) -> None:  # noqa: N802 (SAX's names)
        self.locator = locator

    def startPrefixMapping(self, prefix: str | None, uri: str) -> None:  # noqa: N802
        self.prefixes[uri] = prefix or ""

    def processingInstruction(self, target: str, data: str) -> None:  # noqa: N802
        why = (
            " (a stylesheet or XSLT transform from another file)"
            if target.lower() == "xml-stylesheet"
            else ""
        )
        self.warn(f"processing instruction <?{target} {_shown(data)}?> is removed{why}")

    def skippedEntity(self, name: str) -> None:  # noqa: N802
        self.info("entity", f"&{name};")

    def startElementNS(self, name: tuple[str | None, str], qname: Any, attrs: Any) -> None:  # noqa: N802
        uri, local = name
        if not self.stack and not self.skipping and (uri, local) != (SVG_NS, "svg"):
            raise _NotSvg(self.qname(uri, local))
        if self.skipping:
            self.skipping += 1
            return
        if uri != SVG_NS or local not in ELEMENTS:
            self.skipping = 1
            self.element_removed(uri, local)
            return
        if self.stack and self.stack[-1].css is not None:  # an element inside <style>
            self.skipping = 1
            self.info("element", f"<{self.qname(uri, local)}> inside <style>")
            return
        if local != "style":  # a <style> is written when it ends, if its CSS is safe
            self.open_tag()
        start = "<" + local
        if not self.stack:
            start += f' xmlns="{SVG_NS}"'
        for attribute, value in self.kept_attributes(local, attrs):
            start += f' {attribute}="{_escape_attr(value)}"'
        element = _Open(local, start=start, line=self.line)
        if local == "style":
            element.css = []
        else:
            self.out.append(start)
        self.stack.append(element)

    def endElementNS(self, name: tuple[str | None, str], qname: Any) -> None:  # noqa: N802
        if self.skipping:
            self.skipping -= 1
            return
        element = self.stack.pop()
        if element.css is not None:
            self.close_style(element)
        elif element.pending:
            self.out.append("/>")
        else:
            self.out.append(f"</{element.name}>")

    def characters(self, content: str) -> None:
        if self.skipping or not self.stack:
            return
        element = self.stack[-1]
        if element.css is not None:
            element.css.append(content)
            return
        self.open_tag()
        self.out.append(_escape_text(content))

    def ignorableWhitespace(self, whitespace: str) -> None:  # noqa: N802
        self.characters(whitespace)

    # --- helpers ---

    def open_tag(self) -> None:
        """Close the start tag of the innermost element: it has content."""
        if self.stack and self.stack[-1].pending and self.stack[-1].css is None:
            self.out.append(">")
            self.stack[-1].pending = False

    def close_style(self, element: _Open) -> None:
        css = "".join(element.css or [])
        problem = _css_problem(css)
        if problem is not None:
            self.removed.append(
                Removed(element.line, "warning", f"<style> with {problem} is removed")
            )
            return
        if css.strip():
            self.open_tag()
            self.out.append(f"{element.start}>{_escape_text(css)}</style>")

    def element_removed(self, uri: str | None, local: str) -> None:
        shown = self.qname(uri, local)
        if uri and uri.startswith(EDITORS):
            self.info("element", f"<{shown}> (editor metadata)")
        elif local.lower() in DANGEROUS:
            where = "" if uri == SVG_NS else f" of namespace {uri or 'none'}"
            self.warn(
                f"<{shown}>{where} is removed (it could run a script, navigate or load "
                "another document)"
            )
        elif uri != SVG_NS:
            self.warn(f"<{shown}> of namespace {uri or 'none'} is removed (only SVG is published)")
        elif local == "metadata":
            self.info("element", "<metadata> (editor metadata)")
        else:
            self.info("element", f"<{shown}> (not an element the site publishes)")

    def kept_attributes(self, element: str, attrs: Any) -> list[tuple[str, str]]:
        """The attributes of a kept element that stay, in the file's order; the others are
        reported."""
        kept: dict[str, str] = {}
        for (uri, local), value in attrs.items():
            shown = self.qname(uri, local)
            if uri == XML_NS and local in ("space", "lang"):
                kept[f"xml:{local}"] = value
                continue
            name = "href" if uri == XLINK_NS and local == "href" else local if not uri else ""
            if local.lower().startswith("on") and (not uri or uri == SVG_NS):
                self.warn(
                    f"'{shown}' event attribute of <{element}> is removed (it could run a script)"
                )
            elif name == "href":
                problem = _href_problem(element, value)
                if problem is None:
                    kept.setdefault("href", value)  # a plain href wins over xlink:href
                else:
                    self.warn(f"'{shown}' of <{element}> ({_shown(value)}) is removed: {problem}")
            elif name in PRESENTATION:
                problem = _css_problem(value)
                if problem is None:
                    kept[name] = value
                else:
                    self.warn(f"'{shown}' of <{element}> is removed: it holds {problem}")
            elif name in ATTRIBUTES:
                kept[name] = value
            elif uri and uri.startswith(EDITORS):
                self.info("attribute", f"'{shown}' (editor metadata)")
            elif uri:
                self.warn(
                    f"'{shown}' attribute of namespace {uri} on <{element}> is removed "
                    "(only SVG is published)"
                )
            else:
                self.info("attribute", f"'{shown}' (not an attribute the site publishes)")
        return list(kept.items())

    def grouped(self) -> list[Removed]:
        """The warnings, and one info per kind of thing an editor or the site's allowlist
        left out."""
        found = list(self.removed)
        for (kind, name), count in self.infos.items():
            times = f"{count} times, first here" if count > 1 else "once"
            found.append(
                Removed(
                    self.first_line[(kind, name)], "info", f"{kind} {name} is removed ({times})"
                )
            )
        return sorted(found)


def clean_svg(data: bytes) -> CleanSvg:
    """The SVG `data` as the site publishes it: what draws, nothing that runs (see above).

    >>> clean_svg(b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')
    ... # doctest: +NORMALIZE_WHITESPACE
    CleanSvg(data=b'<svg xmlns="http://www.w3.org/2000/svg"/>',
             removed=(Removed(line=1, level='warning', what='<script> is removed (it could
             run a script, navigate or load another document)'),), problem=None, line=0)
    >>> clean_svg(b'<!DOCTYPE svg [<!ENTITY x "y">]><svg/>').problem
    'SVG that declares XML entities is not published'
    """
    writer = _Writer()
    parser = _Parser()
    parser.setContentHandler(writer)
    try:
        parser.parse(io.BytesIO(data))
    except _NotSvg as error:
        root = str(error)
        problem = (
            f'SVG without xmlns="{SVG_NS}" on its <svg> (browsers do not draw it) is not published'
            if root == "svg"
            else f"file whose root is <{root}>, not an SVG <svg>, is not published"
        )
        return CleanSvg(None, problem=problem, line=writer.line)
    except DTDForbidden:
        return CleanSvg(
            None,
            problem="SVG that declares attributes in its DTD (<!ATTLIST>) is not published",
            line=writer.line,
        )
    except DefusedXmlException as error:
        what = "declares XML entities" if "Entit" in type(error).__name__ else "refers to files"
        return CleanSvg(None, problem=f"SVG that {what} is not published", line=writer.line)
    except xml.sax.SAXParseException as error:
        return CleanSvg(
            None,
            problem=f"SVG that is not well-formed XML ({error.getMessage()}) is not published",
            line=error.getLineNumber() or 0,
        )
    return CleanSvg("".join(writer.out).encode("utf-8"), tuple(writer.grouped()))
