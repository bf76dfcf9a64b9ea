"""Options of the ``notegraph`` MkDocs plugin."""

from __future__ import annotations

import difflib
from typing import Any

from mkdocs.config import config_options as c
from mkdocs.config.base import Config, ValidationError

from notegraph.core.base.report import CODES, SEVERITIES

__all__ = ["NotegraphConfig", "Severity"]


class Severity(c.DictOfItems[str]):
    """A level (`report.SEVERITIES`) per finding code; a code that does not exist (a typo)
    is an error naming it and listing the codes."""

    def __init__(self) -> None:
        super().__init__(c.Choice(SEVERITIES), default={})

    def run_validation(self, value: object) -> dict[str, Any]:
        if isinstance(value, dict):  # YAML reads a bare `off` as false
            value = {key: "off" if level is False else level for key, level in value.items()}
        levels = super().run_validation(value)
        unknown = sorted(set(levels) - set(CODES))
        if unknown:
            near = {k: difflib.get_close_matches(k, list(CODES), n=1) for k in unknown}
            named = ", ".join(
                f"'{k}'" + (f" (did you mean '{near[k][0]}'?)" if near[k] else "") for k in unknown
            )
            raise ValidationError(
                f"unknown code{'s' * (len(unknown) != 1)} {named}; "
                f"the codes are: {', '.join(sorted(CODES))}"
            )
        return levels


class NotegraphConfig(Config):  # type: ignore[no-untyped-call]  # MkDocs' Config is untyped
    enabled = c.Type(bool, default=True)
    """Turn the plugin off without removing it from `mkdocs.yml`."""

    notes_dir = c.Type(str, default="notes")
    """Folder of the vault, relative to `mkdocs.yml`. It may (and usually does) lie outside
    `docs_dir`."""

    vault = c.Optional(c.Type(str))
    """Set by the `notegraph` command, not in `mkdocs.yml`: the folder of notes it was given
    (absolute), published instead of `notes_dir` with the configuration's other options.
    Its layout cache goes in a folder of its own (`graph_cache_dir`), and the build's log
    names `notegraph check VAULT` to list the findings."""

    force = c.Optional(c.Type(bool))
    """Set by the `notegraph` command (`--force`): build into a site folder that holds files
    notegraph did not write, deleting them. Unset, the environment variable
    `NOTEGRAPH_FORCE=1` does it for one `mkdocs build`."""

    incremental = c.Type(bool, default=True)
    """In a dirty build (``notegraph build``, ``mkdocs build --dirty``), render again only the
    pages whose inputs changed since the last build into the same folder, from a manifest
    kept in the cache folder (`graph_cache_dir`); the site is the same, byte for byte, as a
    clean build's. False: MkDocs' own dirty build (its pages may be out of date)."""

    cache = c.Optional(c.Type(str))
    """Set by the `notegraph` command (``--cache DIR``): the folder for every cache of the
    build (layout, the incremental build's manifest), instead of `graph_cache_dir`."""

    nav = c.Type(bool, default=True)
    """When `mkdocs.yml` has no `nav`, give the site a small one (home, notes, topics, tags,
    A–Z) instead of MkDocs' default of one entry per page, which is slow and unusable at
    thousands of notes."""

    workers = c.Type(int, default=0)
    """Processes that render the generated pages side by side during `mkdocs build`
    (`prerender.py`): 0 gives one per core, 1 renders every page in the main process.
    Workers are only used when every other plugin of the site is known to be safe with
    them (search, tags), never under `mkdocs serve`."""

    # --- the concept graph (global page `graph/` and a local graph on every page) ----------

    graph_page = c.Type(bool, default=True)
    """Generate the global graph page `graph/` (and its data `graph/view.json`): every note,
    topic and video as an interactive map, with search, filters and a legend."""

    local_graph = c.Type(bool, default=True)
    """Draw a local graph (the page's neighbourhood) under the content of every note, topic
    and video page."""

    link_previews = c.Type(bool, default=True)
    """Show a preview of a note, topic or video (its title, kind, counts and opening text)
    when the pointer rests on a link to it or the keyboard focuses the link; each page's
    preview is a small JSON file under ``preview/``, fetched on demand."""

    local_graph_depth = c.Type(int, default=1)
    """Links away from the page that its local graph shows; a button adds one more ring."""

    local_graph_max_nodes = c.Type(int, default=60)
    """Most nodes per ring of a local graph (the most linked first), so that a hub's page
    stays small; the graph says how many it leaves out."""

    graph_kinds = c.ListOfItems(
        c.Choice(("note", "topic", "video", "channel")),
        default=["note", "topic", "video", "channel"],
    )
    """Kinds of node the graphs show. `channel` is a note drawn as a hub: tagged `channel`,
    or clearly the most linked-to note of its folder."""

    graph_colors = c.Type(dict, default={})
    """Colour per kind (`note`, `topic`, `video`, `channel`), any CSS colour, used in both
    palettes. Unset kinds use the theme's colours (distinct in light and dark)."""

    graph_folder_colors = c.Type(dict, default={})
    """Colour per vault folder (`people: "#e91e63"`); a node of that folder (or below it)
    takes it instead of its kind's colour. Its shape still tells its kind."""

    graph_max_edges = c.Type(int, default=20000)
    """Above this many links the global graph draws no links at first (only those of the
    node under the pointer, searched or selected), so that 200,000 links stay fluid."""

    graph_cache_dir = c.Type(str, default=".cache/notegraph")
    """Where the layout cache goes, relative to `mkdocs.yml` (empty: no cache). Node
    positions are kept between builds, so that a small change to the vault moves little.
    A vault other than `notes_dir` (given to the `notegraph` command) keeps its own cache
    in `vaults/NAME-HASH/` below it, so that one vault's layout never seeds another's."""

    # --- checks and contributing (`notegraph check`, CONTRIBUTING.md) ----------------------

    severity = Severity()
    """Level of each kind of finding, by its code (`ambiguous: error`, `unresolved: info`,
    `hidden: off`). One rule set for the build's log and `notegraph check`: `error` and
    `warning` fail `mkdocs build --strict`, `error` fails `notegraph check`, `off` drops
    the findings of that code."""

    require_title = c.Type(bool, default=False)
    """Report a note without a `title` in its frontmatter, in the build and in `notegraph
    check` (code `title`, a warning unless `severity` says otherwise)."""

    edit_url = c.Optional(c.Type(str))
    """Base URL of the vault's sources for the "Edit this note" link of every note page, e.g.
    `https://github.com/OWNER/REPO/edit/main/notes/`; the note's vault path is appended.
    Unset: derived from MkDocs' `repo_url` and `edit_uri`, with the docs folder at the end
    of `edit_uri` replaced by the notes folder (`edit/main/docs/` becomes
    `edit/main/notes/`); no link when `edit_uri` is empty. `""`: no link. Material's own
    edit button (`content.action.edit`) is pointed at the note's source too, and the
    header's repository link stays a plain link: the plugin keeps Material from fetching
    the repository's stars and forks from the GitHub API, so pages make no outside request."""

    # --- search -----------------------------------------------------------------------------

    search = c.Choice(("pagefind", "material"), default="pagefind")
    """`pagefind`: index notes, topics, videos and hand-written pages with Pagefind after
    the build (`site/pagefind/`, fetched in small chunks as readers search) and answer
    Material's header search box from it; Material's search plugin stays for the box but
    indexes nothing. `material`: leave Material's search plugin alone (one index of the
    whole text, downloaded in full by every reader who searches)."""

    search_shard_mb = c.Type((int, float), default=100)
    """Most HTML, in MB, that one Pagefind run indexes. Pagefind needs about eight times as
    much memory as the HTML it reads, so a bigger site is indexed in several runs, side by
    side, each a bundle that the search box merges. 0: always one run."""
