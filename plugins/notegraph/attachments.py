"""Which files of a vault, besides notes, the site publishes: an allowlist of inert types.

A vault's other files are served from the site's own origin, so a stranger's ``evil.html``
or an SVG with a script would run with the site's rights. Only types a browser shows but
never runs are published (`ALLOWED`); an SVG is published only when it holds nothing that
can run or embed HTML (`svg_problem`). Every other file is reported (code ``attachment``)
and left out.

>>> refused("img/chart.PNG", b""), refused("evil.html", b"")
(None, "'.html' files are not published (they could run scripts on the site)")
>>> refused("curve.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><circle r="4"/></svg>')
>>> refused("x.svg", b'<svg onload="alert(1)"/>')
"SVG with an 'onload' event attribute is not published"
"""

from __future__ import annotations

import html
import posixpath
import re

__all__ = ["ALLOWED", "refused", "svg_problem"]

IMAGES = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".bmp", ".ico", ".tif", ".tiff")
AUDIO = (".mp3", ".m4a", ".aac", ".ogg", ".oga", ".opus", ".wav", ".flac", ".weba")
VIDEO = (".mp4", ".m4v", ".webm", ".ogv", ".mov")
DOCUMENTS = (".pdf", ".txt", ".csv", ".tsv", ".rtf", ".epub")
OFFICE = (".docx", ".xlsx", ".pptx", ".doc", ".xls", ".ppt", ".odt", ".ods", ".odp")
ALLOWED = frozenset((*IMAGES, ".svg", *AUDIO, *VIDEO, *DOCUMENTS, *OFFICE))
"""File name endings (lower case) of the attachments the site publishes."""

ACTIVE = frozenset({".html", ".htm", ".xhtml", ".xht", ".shtml", ".xml", ".xsl", ".xslt"})
ACTIVE |= {".js", ".mjs", ".css", ".svgz", ".swf", ".wasm", ".php", ".mht", ".mhtml"}
"""Types a browser may run or render as a page: their refusal says so."""

_SVG_SCRIPT = re.compile(r"<\s*(?:[\w.-]+:)?script\b", re.IGNORECASE)
_SVG_FOREIGN = re.compile(r"<\s*(?:[\w.-]+:)?foreignObject\b", re.IGNORECASE)
_SVG_EVENT = re.compile(r"""[\s"'/](on[a-z]+)\s*=""", re.IGNORECASE)
_SVG_ANIMATED_EVENT = re.compile(r"""attributeName\s*=\s*["']?\s*on""", re.IGNORECASE)
_SVG_ENTITY = re.compile(r"<!ENTITY", re.IGNORECASE)
_SCRIPT_SCHEMES = ("javascript:", "vbscript:")
_SQUEEZE = re.compile(r"[\s\x00-\x1f]+")


def svg_problem(data: bytes) -> str | None:
    """Why an SVG file could run a script or embed HTML, or None when it cannot.

    Refused: ``<script>`` (also with a namespace prefix), an ``on*=`` event attribute (also
    set by animation), a ``javascript:`` URL (also written with entities or spaces),
    ``<foreignObject>`` (HTML inside the image), ``<!ENTITY`` (entities can build any of
    these), and a file that is not UTF-8 text (it could not be checked).

    >>> svg_problem(b'<svg><a href="&#106;ava&#x09;script:alert(1)"><text>x</text></a></svg>')
    "SVG with a 'javascript:' URL is not published"
    >>> svg_problem(b'<svg><foreignObject><div>x</div></foreignObject></svg>')
    'SVG with <foreignObject> (HTML inside the image) is not published'
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return "SVG that is not UTF-8 text cannot be checked, so it is not published"
    if "\x00" in text:
        return "SVG that holds NUL bytes cannot be checked, so it is not published"
    if _SVG_SCRIPT.search(text):
        return "SVG with a <script> is not published"
    event = _SVG_EVENT.search(text)  # anywhere, not only in tags: a quoted '>' ends no tag
    if event:
        return f"SVG with an '{event.group(1).lower()}' event attribute is not published"
    if _SVG_ANIMATED_EVENT.search(text):
        return "SVG that animates an event attribute is not published"
    squeezed = _SQUEEZE.sub("", html.unescape(text)).lower()
    scheme = next((s for s in _SCRIPT_SCHEMES if s in squeezed), None)
    if scheme:
        return f"SVG with a '{scheme}' URL is not published"
    if _SVG_FOREIGN.search(text):
        return "SVG with <foreignObject> (HTML inside the image) is not published"
    if _SVG_ENTITY.search(text):
        return "SVG that declares XML entities is not published"
    return None


def refused(path: str, data: bytes | None) -> str | None:
    """Why the vault file `path` (its bytes `data`, read for SVGs only) is not published, or
    None when it is. `data` is None when the file could not be read."""
    suffix = posixpath.splitext(path)[1].lower()
    if suffix not in ALLOWED:
        if not suffix:
            return "files without an extension are not published"
        why = " (they could run scripts on the site)" if suffix in ACTIVE else ""
        return f"'{suffix}' files are not published{why}"
    if suffix == ".svg":
        if data is None:
            return "SVG that cannot be read is not published"
        return svg_problem(data)
    return None
