"""The output folder: where a build may write, and how a site notegraph built is recognised.

MkDocs empties its ``site_dir`` before every build (all but the entries whose name starts
with ``.``). Pointed at the wrong folder, that deletes the user's files: the vault itself,
the folder that holds it, a folder of documents. So before the first file is touched,
`refusal` says why a folder must not be built into, and the adapters (the ``notegraph``
command, the MkDocs plugin) stop with that message:

- the vault, a folder that contains the vault, or one that contains the project's
  ``mkdocs.yml`` or ``docs_dir`` (whatever the user says);
- a folder inside the vault that holds files notegraph did not write (it is part of the
  vault); a hidden one (``vault/.site``) is not part of the vault and follows the next rule;
- a folder with files in it that is no site notegraph built, unless the user says so
  (``notegraph build --force``, or ``NOTEGRAPH_FORCE=1`` for ``mkdocs build``).

A site notegraph builds carries `MARKER` in its root (written by `mark` before MkDocs cleans
the folder; hidden, so the clean keeps it). Reading a vault skips every folder that
`is_site`, so a site built inside its own vault is not read back as notes.

>>> import tempfile
>>> root = Path(tempfile.mkdtemp())
>>> (root / "vault").mkdir(); _ = (root / "vault" / "a.md").write_text("# A")
>>> print(refusal(root / "vault", root / "vault"))
'.../vault' is the vault; building there would delete the notes
>>> print(refusal(root, root / "vault"))
'...' contains the vault '.../vault'; building there would delete it
>>> refusal(root / "new", root / "vault") is None  # a folder that does not exist yet
True
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

__all__ = ["MARKER", "FORCE_ENV", "is_site", "mark", "refusal"]

MARKER = ".notegraph-site"
"""File in the root of every site notegraph builds: the folder may be emptied and rebuilt."""
FORCE_ENV = "NOTEGRAPH_FORCE"
"""Environment variable that lets a build empty a folder that is no site of ours (``1``)."""
_LEGACY = Path("assets") / "notegraph" / "notegraph.css"
"""A file every site notegraph built has, from before sites carried `MARKER`."""
_MARKER_TEXT = (
    "This folder is a site built by notegraph. Every build empties it (all but hidden\n"
    "entries) and writes it again: keep nothing of your own here.\n"
)


def is_site(folder: Path) -> bool:
    """Whether `folder` is a site notegraph built (it holds `MARKER`, or notegraph's CSS)."""
    return (folder / MARKER).is_file() or (folder / _LEGACY).is_file()


def mark(site_dir: Path) -> None:
    """Make `site_dir` (if needed) and mark it as a site notegraph builds."""
    site_dir.mkdir(parents=True, exist_ok=True)
    marker = site_dir / MARKER
    if not marker.is_file():
        marker.write_text(_MARKER_TEXT, encoding="utf-8")


def _visible_entries(folder: Path) -> list[str]:
    """Names in `folder` that a clean would delete (MkDocs keeps those starting with ``.``)."""
    try:
        return sorted(name for name in os.listdir(folder) if not name.startswith("."))
    except OSError:
        return []


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or path.is_relative_to(folder)


def _in_vault(path: Path, vault: Path) -> bool:
    """Whether `path` is part of the vault: below it, and not in a hidden folder (which
    reading a vault skips)."""
    if not path.is_relative_to(vault):
        return False
    return not any(part.startswith(".") for part in path.relative_to(vault).parts)


def refusal(
    site_dir: Path,
    vault: Path,
    *,
    keep: Iterable[tuple[str, Path]] = (),
    force: bool = False,
    force_hint: str = "pass --force",
) -> str | None:
    """Why a build must not write into `site_dir`, in one line; None when it may.

    `keep` names other paths no build may delete: ``("the configuration", mkdocs.yml)``...
    `force` is the user's word that a folder with files of theirs may be emptied (the vault,
    and what `keep` names, stay refused); `force_hint` says how to give it.
    """
    site, vault = site_dir.resolve(), vault.resolve()
    if site.exists() and not site.is_dir():
        return f"'{site}' is a file, not a folder"
    if site == vault:
        return f"'{site}' is the vault; building there would delete the notes"
    if _inside(vault, site):
        return f"'{site}' contains the vault '{vault}'; building there would delete it"
    for what, path in keep:
        if _inside(path.resolve(), site):
            return f"'{site}' contains {what} '{path.resolve()}'; building there would delete it"
    entries = _visible_entries(site)
    if not entries or is_site(site):
        return None
    shown = ", ".join(f"'{name}'" for name in entries[:3]) + (", ..." if len(entries) > 3 else "")
    if _in_vault(site, vault):
        return (
            f"'{site}' lies inside the vault and holds files notegraph did not write ({shown}); "
            "choose a folder outside the vault, or a hidden one (a name starting with '.')"
        )
    if force:
        return None
    return (
        f"'{site}' holds files notegraph did not write ({shown}) and building would delete "
        f"them; choose an empty or new folder, or {force_hint} to delete what it holds"
    )
