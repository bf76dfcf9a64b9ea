"""Options of the ``notegraph`` MkDocs plugin."""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config

__all__ = ["NotegraphConfig"]


class NotegraphConfig(Config):
    enabled = c.Type(bool, default=True)
    """Turn the plugin off without removing it from `mkdocs.yml`."""

    notes_dir = c.Type(str, default="notes")
    """Folder of the vault, relative to `mkdocs.yml`. It may (and usually does) lie outside
    `docs_dir`. The environment variable `NOTEGRAPH_VAULT` overrides it (the `notegraph`
    command uses this to publish any folder with an existing configuration)."""

    nav = c.Type(bool, default=True)
    """When `mkdocs.yml` has no `nav`, give the site a small one (home, notes, topics, tags,
    A–Z) instead of MkDocs' default of one entry per page, which is slow and unusable at
    thousands of notes."""
