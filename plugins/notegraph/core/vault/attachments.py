"""Which files of a vault, besides notes, the site publishes: an allowlist of inert types.

A vault's other files are served from the site's own origin, so a stranger's ``evil.html``
would run with the site's rights. Only types a browser shows but never runs as a page of
the site are published (`ALLOWED`): images, audio, video, PDFs (shown by the browser's own
viewer, apart from the site), text and office files (shown as text or downloaded). Every
other file is reported (code ``attachment``) and left out. An SVG is a document a browser
runs scripts in when it is opened: it is published only as `svg.clean_svg` rewrites it.

>>> refused("img/chart.PNG"), refused("evil.html")
(None, "'.html' files are not published (they could run scripts on the site)")
>>> refused("drawing.svg"), refused("page.xhtml")
(None, "'.xhtml' files are not published (they could run scripts on the site)")
"""

from __future__ import annotations

import posixpath

__all__ = ["ALLOWED", "ACTIVE", "refused", "is_svg"]

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


def is_svg(path: str) -> bool:
    """Whether a vault file is an SVG, which is published sanitized (`svg.clean_svg`)."""
    return path.lower().endswith(".svg")


def refused(path: str) -> str | None:
    """Why the vault file `path` is not published (by its type), or None when it is."""
    suffix = posixpath.splitext(path)[1].lower()
    if suffix in ALLOWED:
        return None
    if not suffix:
        return "files without an extension are not published"
    why = " (they could run scripts on the site)" if suffix in ACTIVE else ""
    return f"'{suffix}' files are not published{why}"
