"""The ``notegraph`` command: publish any vault, with or without a ``mkdocs.yml``.

``notegraph build VAULT -d SITE [--strict]`` and ``notegraph serve VAULT`` use ``mkdocs.yml``
from the current folder when it enables the plugin (or the file given with ``-f``), else a
built-in default (Material + search + notegraph). The vault given on the command line
replaces the configured ``notes_dir``.

``notegraph check [VAULT]`` lints a vault without building it (see `check`) and
``notegraph new "Title" [--video ID]`` writes a note from the template.

Every command exits 0 when done, 1 on findings that fail (check's errors, ``--strict``), 2 on
a usage error or what cannot be read or written (`EXIT_CODES`).
"""

from __future__ import annotations

import argparse
import importlib.metadata
import logging
import os
import re
import shutil
import signal
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn

import mkdocs
import yaml
from mkdocs import exceptions
from mkdocs.commands.build import build
from mkdocs.commands.serve import serve
from mkdocs.config import load_config
from mkdocs.config.base import ValidationError
from mkdocs.config.defaults import MkDocsConfig

from notegraph.cli.newnote import TEMPLATE, channel_of, fill_template, note_file_name
from notegraph.core.base.output import refusal
from notegraph.core.base.progress import Progress, installed, on_terminal
from notegraph.core.base.report import plural
from notegraph.core.vault.video import youtube_id
from notegraph.mkdocs_plugin.config import NotegraphConfig

LEVELS = ("error", "warning", "info")

DEFAULT_CONFIG = Path(__file__).parent / "defaults" / "mkdocs.yml"

_log = logging.getLogger("mkdocs.plugins.notegraph")


EXIT_CODES = """\
exit status (every command):
  0    done, nothing failing
  1    findings that fail: check's errors (and warnings with --strict), or a build
       with --strict that reported a warning
  2    usage error, or a configuration, vault or folder that cannot be read or
       written (a site folder the build refuses, an existing note for new...)
  130  interrupted (Ctrl-C, SIGTERM) before the end; serve stopped so exits 0
"""


def _version() -> str:
    """``notegraph 0.1.0 (mkdocs 1.6.1, Python 3.11.7)``."""
    try:
        own = importlib.metadata.version("mkdocs-notegraph")
    except importlib.metadata.PackageNotFoundError:  # run from a checkout, not installed
        own = "(not installed)"
    python = ".".join(map(str, sys.version_info[:3]))
    return f"notegraph {own} (mkdocs {mkdocs.__version__}, Python {python})"


def _para(text: str) -> str:
    """A paragraph of help, wrapped to the width argparse wraps options to."""
    return textwrap.fill(text, width=min(shutil.get_terminal_size().columns, 100) - 2)


def _parser() -> argparse.ArgumentParser:
    """The command line: help texts say what each option does and what it defaults to."""
    formatter = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(
        prog="notegraph",
        description=_para(
            "Publish a folder of Markdown notes (an Obsidian-style vault) as a static "
            "website: a page per note, topic pages, backlinks, an interactive graph, search, "
            "playable video moments."
        ),
        epilog=EXIT_CODES + "\nRun 'notegraph COMMAND -h' for the options of a command.",
        formatter_class=formatter,
    )
    parser.add_argument("--version", action="version", version=_version())
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    config_help = (
        "the mkdocs.yml to use (default: ./mkdocs.yml when it enables notegraph, else the "
        "built-in configuration: Material, search, notegraph)"
    )
    build = commands.add_parser(
        "build",
        help="build the site of a vault into a folder",
        description=_para(
            "Build the site of VAULT into SITE_DIR. The folder must be new, empty or "
            "a site notegraph built (it holds .notegraph-site); the vault, a folder around it "
            "and the project's own folders are always refused."
        ),
        epilog=EXIT_CODES,
        formatter_class=formatter,
    )
    build.add_argument("vault", type=Path, metavar="VAULT", help="folder of Markdown notes")
    build.add_argument(
        "-d",
        "--site-dir",
        type=Path,
        default=Path("site"),
        metavar="SITE_DIR",
        help="folder to write the site into (default: ./site)",
    )
    build.add_argument("-f", "--config-file", type=Path, metavar="FILE", help=config_help)
    build.add_argument(
        "--strict",
        action="store_true",
        help="exit 1 when the build reports any warning (default: off, warnings are listed "
        "and the exit status is 0)",
    )
    build.add_argument(
        "--force",
        action="store_true",
        help="build into SITE_DIR even if it holds files notegraph did not write, deleting "
        "them (default: off, such a folder is refused)",
    )
    build.add_argument(
        "--cache",
        type=Path,
        metavar="DIR",
        help="folder of the build's caches, kept between builds (CI: keep it with "
        "actions/cache, with SITE_DIR): a build renders again only the pages that the "
        "changes since the last build into SITE_DIR touch, and gives the same site as a "
        "clean build; with any doubt (other versions, configuration or templates, a site "
        "folder changed since) it builds everything and says why (default: .cache/notegraph "
        "next to mkdocs.yml, or in the working folder with the built-in configuration)",
    )
    build.add_argument(
        "--clean",
        action="store_true",
        help="build everything, whatever the cache holds (default: off)",
    )
    build.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="log every finding as it is found (default: off, they are summed up at the end "
        "with two examples of each kind)",
    )
    serve = commands.add_parser(
        "serve",
        help="preview the site of a vault, rebuilt on every save",
        description=_para(
            "Build the site of VAULT into a temporary folder, serve it and rebuild "
            "what a save changes; the page in the browser reloads. Stop with Ctrl-C."
        ),
        epilog=EXIT_CODES,
        formatter_class=formatter,
    )
    serve.add_argument("vault", type=Path, metavar="VAULT", help="folder of Markdown notes")
    serve.add_argument(
        "-a",
        "--dev-addr",
        default="127.0.0.1:8000",
        metavar="HOST:PORT",
        help="address to serve the preview at (default: 127.0.0.1:8000)",
    )
    serve.add_argument("-f", "--config-file", type=Path, metavar="FILE", help=config_help)
    serve.add_argument(
        "--strict",
        action="store_true",
        help="stop when a build reports any warning (default: off)",
    )
    serve.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="log every finding as it is found (default: off, summed up after each build)",
    )
    _contributor_commands(commands, formatter)
    return parser


def _uses_notegraph(config_file: Path) -> bool:
    try:
        _config_data(config_file)
        return "notegraph" in load_config(str(config_file)).plugins
    except (OSError, exceptions.ConfigurationError):
        return True  # let the real load report the problem


def _config_data(config_file: Path) -> dict[str, Any]:
    """The options of a ``mkdocs.yml``, read as MkDocs reads them (``!ENV``, ``INHERIT``...).

    Raises `ConfigurationError` (or `OSError`) with a one-line message when the file is no
    YAML mapping of options, so that no command shows a traceback for it.
    """
    from mkdocs.utils.yaml import yaml_load

    with config_file.open("rb") as file:
        text = _loose(file.read())
    try:
        head = yaml.safe_load(text)  # its shape, before MkDocs' own loader
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        problem = getattr(error, "problem", None) or "invalid YAML"
        raise exceptions.ConfigurationError(
            f"'{config_file}' is not valid YAML{where}: {problem}"
        ) from error
    if head is not None and not isinstance(head, dict):
        kind = {list: "a list", str: "text", bool: "true/false"}.get(type(head), "a number")
        raise exceptions.ConfigurationError(
            f"'{config_file}' holds {kind}, not a mapping of options (site_name: ..., plugins: ...)"
        )
    with config_file.open("rb") as file:
        data = yaml_load(file)
    return data if isinstance(data, dict) else {}


def _loose(text: bytes) -> str:
    """YAML text with its tags (``!ENV``, ``!!python/name:``) removed, to read its shape."""
    return re.sub(r"!!?[\w/:.-]+", "", text.decode("utf-8", errors="replace"))


@contextmanager
def _config(args: argparse.Namespace) -> Iterator[tuple[str, dict[str, Any]]]:
    """The config file to load and the overrides to apply, for the vault in `args`."""
    vault = args.vault.resolve()
    overrides: dict[str, Any] = {"strict": args.strict}
    local = Path("mkdocs.yml")
    config_file = args.config_file or (
        local if local.is_file() and _uses_notegraph(local) else None
    )
    # The plugin may empty a folder that is no site of ours only with --force.
    given: dict[str, Any] = {"vault": str(vault), "force": bool(getattr(args, "force", False))}
    if getattr(args, "cache", None) is not None:
        given["cache"] = str(args.cache.resolve())
    if config_file is not None:
        _say_configuration(config_file, vault, chosen=args.config_file is not None)
        yield str(config_file), overrides | plugin_overrides(config_file, given)
        return
    _log.info("notegraph: configuration: the built-in one (Material, search, notegraph)")
    with tempfile.TemporaryDirectory(prefix="notegraph-docs-") as docs:
        overrides.update(docs_dir=docs, site_name=vault.name or "Notes")
        yield str(DEFAULT_CONFIG), overrides | plugin_overrides(DEFAULT_CONFIG, given)


def plugin_overrides(config_file: Path, options: dict[str, Any]) -> dict[str, Any]:
    """The overrides of MkDocs' `load_config` that give the notegraph plugin of
    `config_file` these `options` (`vault`, `force`: `NotegraphConfig`) besides its own;
    none when the file does not use notegraph.

    MkDocs replaces the whole ``plugins`` option with an override: it gets the file's own
    plugins, read as MkDocs reads them (`_config_data`: ``!ENV``, ``INHERIT``), in their
    order, with their options. `serve` loads the configuration again with the same
    overrides on every save, of the mkdocs.yml too: `_Plugins` reads the file again then.
    """
    plugins = _Plugins(lambda: _config_data(config_file).get("plugins"), options)
    return {"plugins": plugins} if plugins.found else {}


class _Plugins(list[Any]):
    """A ``plugins`` option read from its file each time MkDocs goes through it, with
    `options` added to notegraph's. Read once, a list would not do: MkDocs takes each
    entry apart as it loads it (the next load would find it empty), and under `serve` an
    edit to the plugins' options in mkdocs.yml must count, as under ``mkdocs serve``."""

    def __init__(self, read: Callable[[], Any], options: dict[str, Any]) -> None:
        self._read, self._options = read, options
        entries = self._entries()
        self.found = entries is not None and any(
            isinstance(entry, dict) and entry.keys() == {"notegraph"} for entry in entries
        )
        super().__init__(entries or [])

    def __iter__(self) -> Iterator[Any]:
        entries = self._entries()
        if entries is None:
            raise ValidationError("Invalid Plugins configuration. Expected a list or dict.")
        self[:] = entries
        return super().__iter__()

    def _entries(self) -> list[Any] | None:
        """The plugins as a list, notegraph's with `options`; None if they are no list."""
        plugins = self._read()
        if plugins is None:
            plugins = MkDocsConfig.plugins.default  # what MkDocs loads then
        if isinstance(plugins, dict):
            plugins = [{name: value} for name, value in plugins.items()]
        if not isinstance(plugins, list):
            return None
        return [self._with_options(entry) for entry in plugins]

    def _with_options(self, entry: Any) -> Any:
        name, value = entry, None
        if isinstance(entry, dict) and len(entry) == 1:
            name, value = next(iter(entry.items()))
        if name != "notegraph" or not isinstance(value, dict | None):
            return entry  # another plugin (or one that MkDocs says is wrong)
        return {name: {**(value or {}), **self._options}}


def _say_configuration(config_file: Path, vault: Path, chosen: bool) -> None:
    """Log which mkdocs.yml the build uses; warn when it was found in the working folder
    and is made for other notes (its hand-written pages would come with the vault)."""
    _log.info(f"notegraph: configuration: {config_file} (its theme, options and pages)")
    try:
        data = _config_data(config_file)
        base, options, _ = _project(argparse.Namespace(config_file=config_file))
    except (OSError, exceptions.ConfigurationError):
        return  # the real load reports it
    own = (base / options.notes_dir).resolve()
    if chosen or own == vault:
        return
    docs = data.get("docs_dir", "docs")
    _log.warning(
        f"notegraph: {config_file} is made for the notes in '{options.notes_dir}', not for "
        f"'{vault}': the site gets its options and its hand-written pages ({docs}/). To build "
        f"'{vault}' on its own, run notegraph in another folder (or give -f a config)."
    )


class _Formatter(logging.Formatter):
    """MkDocs' look (``WARNING -  message``), with the lines of a long message indented
    under its first, and the level coloured on a terminal."""

    COLORS = {"WARNING": "33", "ERROR": "31", "CRITICAL": "31", "DEBUG": "34"}

    def __init__(self, color: bool) -> None:
        super().__init__()
        self.color = color

    def format(self, record: logging.LogRecord) -> str:
        level = f"{record.levelname:<7} -  "
        text = super().format(record).replace("\n", "\n" + " " * len(level))
        if self.color and record.levelname in self.COLORS:
            level = f"\033[{self.COLORS[record.levelname]}m{level}\033[0m"
        return level + text


class _Counter(logging.Handler):
    """Counts the warnings logged besides notegraph's grouped findings (MkDocs', other
    plugins'), for the message of a build that ``--strict`` fails."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        if not getattr(record, "grouped", False):
            self.count += 1


def _logging(verbose: bool) -> _Counter:
    """Log like ``mkdocs build`` does, to stderr; every finding too when `verbose`."""
    logger = logging.getLogger("mkdocs")
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(_Formatter(color=on_terminal(sys.stderr)))
        handler.addFilter(_not_mkdocs_summary)
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False
    _log.setLevel(logging.DEBUG if verbose else logging.NOTSET)
    counter = _Counter()
    logger.addHandler(counter)
    return counter


def _not_mkdocs_summary(record: logging.LogRecord) -> bool:
    """MkDocs' closing "Documentation built in N seconds": notegraph's summary says it,
    and says where the site is; it stays the last line."""
    return not str(record.msg).startswith("Documentation built in")


def main(argv: Sequence[str] | None = None) -> int:
    """The ``notegraph`` command; returns its exit status (see `EXIT_CODES`)."""
    args = _parser().parse_args(argv)
    if args.command in ("check", "new"):
        return _check(args) if args.command == "check" else _new(args)
    if not args.vault.is_dir():
        return _fail(f"'{args.vault}' is not a folder")
    given = args.config_file or Path("mkdocs.yml")
    if given.is_file() or args.config_file is not None:
        try:
            _config_data(given)
        except (OSError, exceptions.ConfigurationError) as error:
            return _fail(f"cannot read the configuration: {error}")
    counter = _logging(args.verbose)
    config: Any = None
    try:
        with _stopped_by_sigterm(), _config(args) as (config_file, overrides):
            if args.command == "serve":
                # Dirty rebuilds: a save re-renders only the pages whose Markdown changed.
                serve(
                    config_file=config_file,
                    dev_addr=args.dev_addr,
                    build_type="dirty",
                    **overrides,
                )
                return 0
            config = load_config(config_file, site_dir=str(args.site_dir.resolve()), **overrides)
            why = _output_refusal(config, args)
            if why is not None:
                return _fail(f"not building the site: {why}")
            # Dirty: the plugin renders what changed (`incremental`), or empties the folder.
            plugin = config.plugins.get("notegraph")
            dirty = not args.clean and plugin is not None and plugin.config.enabled
            config.plugins.on_startup(command="build", dirty=dirty)
            try:
                build(config, dirty=dirty)
            finally:
                config.plugins.on_shutdown()
    except exceptions.Abort as error:  # MkDocs logged why
        if "configuration error" in str(error):
            return _fail("the configuration has errors (logged above)")
        if "in strict mode" not in str(error):
            return _fail("the build failed (the error is logged above)")
        plugin = config.plugins.get("notegraph") if config is not None else None
        warnings = counter.count + (getattr(plugin, "failing", 0) if plugin else 0)
        return _fail(f"--strict, and the build reported {plural(warnings, 'warning')}", 1)
    except exceptions.ConfigurationError as error:
        return _fail(f"configuration error: {error}")
    except OSError as error:
        return _fail(f"cannot write the site: {error}")
    except KeyboardInterrupt:
        return 130
    finally:
        logging.getLogger("mkdocs").removeHandler(counter)
    return 0


@contextmanager
def _stopped_by_sigterm() -> Iterator[None]:
    """SIGTERM stops like Ctrl-C does, so that temporary folders (the preview's site, the
    built-in configuration's docs folder) are removed: by default the signal ends the
    process at once, and they stay behind."""

    owner = os.getpid()

    def interrupt(signum: int, frame: Any) -> None:
        if os.getpid() != owner:  # a forked worker (render, parse): end as SIGTERM would
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            os.kill(os.getpid(), signal.SIGTERM)
            return
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _output_refusal(config: Any, args: argparse.Namespace) -> str | None:
    """Why the build must not write into its site folder (`output.refusal`), or None."""
    keep = [
        ("the docs folder", Path(config.docs_dir)),
        ("the configuration", Path(config.config_file_path)),
    ]
    return refusal(Path(config.site_dir), args.vault, keep=keep, force=args.force)


# --- `notegraph check` and `notegraph new`: the contributor's commands ----------------------


def _contributor_commands(commands: Any, formatter: type[argparse.HelpFormatter]) -> None:
    check = commands.add_parser(
        "check",
        help="lint a vault without building the site",
        description=_para(
            "Report what is wrong in the notes of VAULT, with file and line, ordered "
            "by severity (errors, warnings, infos), then path. The build reports the same "
            "findings, with the same 'severity' option of mkdocs.yml."
        ),
        epilog=EXIT_CODES,
        formatter_class=formatter,
    )
    check.add_argument(
        "vault",
        type=Path,
        nargs="?",
        metavar="VAULT",
        help="folder of notes (default: notes_dir of ./mkdocs.yml, else ./notes)",
    )
    check.add_argument(
        "-f",
        "--config-file",
        type=Path,
        metavar="FILE",
        help="mkdocs.yml to read options "
        "from (default: ./mkdocs.yml when there is one, else the default options)",
    )
    check.add_argument(
        "--format",
        choices=("text", "github", "json"),
        default="text",
        help="text: one finding a line; github: annotations of a GitHub Actions workflow; "
        "json: a list of objects (default: text)",
    )
    check.add_argument(
        "--strict",
        action="store_true",
        help="warnings fail the check too (default: off, only errors do)",
    )
    check.add_argument(
        "--no-topics",
        action="store_true",
        help="links that match no note are errors (default: off, they are infos: each "
        "gets a topic page)",
    )
    check.add_argument("-q", "--quiet", action="store_true", help="leave out infos (default: off)")
    check.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="with --format github, an annotation per info too (default: off, one notice "
        "sums them up)",
    )
    new = commands.add_parser(
        "new",
        help="write a new note from the template",
        description=_para(
            "Write a new note into the vault from its template (.templates/note.md "
            "in the vault, else the built-in one) and print its path. Its file name is the "
            "title in snake_case; an existing note is never overwritten."
        ),
        epilog=EXIT_CODES,
        formatter_class=formatter,
    )
    new.add_argument("title", metavar="TITLE", help="the note's title")
    new.add_argument(
        "--video",
        metavar="ID",
        help="YouTube video id or URL the note is about (default: none, no videoId)",
    )
    new.add_argument(
        "--vault",
        type=Path,
        metavar="VAULT",
        help="folder of notes (default: notes_dir of ./mkdocs.yml, else ./notes)",
    )
    new.add_argument(
        "-f",
        "--config-file",
        type=Path,
        metavar="FILE",
        help="mkdocs.yml to read options from (default: ./mkdocs.yml when there is one)",
    )


def _fail(message: str, code: int = 2) -> int:
    print(f"notegraph: error: {' '.join(message.split())}", file=sys.stderr)  # one line
    return code


def _project(args: argparse.Namespace) -> tuple[Path, NotegraphConfig, Any]:
    """Folder of the config, the plugin's options and the toc slugify, from mkdocs.yml.

    Read without loading the theme or the plugins, so that `check` starts at once. Without a
    mkdocs.yml (or without notegraph in it) the defaults apply, relative to the working folder.
    """
    config_file = args.config_file or Path("mkdocs.yml")
    options = NotegraphConfig()
    if not config_file.is_file():
        if args.config_file is not None:
            raise exceptions.ConfigurationError(f"no config file '{config_file}'")
        options.load_dict({})
        options.validate()
        return Path.cwd(), options, None
    data = _config_data(config_file)
    plugins = data.get("plugins") or []
    if isinstance(plugins, dict):
        plugins = [{name: value} for name, value in plugins.items()]
    if not isinstance(plugins, list):
        raise exceptions.ConfigurationError(f"'plugins' in '{config_file}' is not a list")
    found: Any = {}
    for entry in plugins:
        if isinstance(entry, dict) and "notegraph" in entry:
            found = entry["notegraph"] or {}
    if not isinstance(found, dict):
        raise exceptions.ConfigurationError(
            f"plugins.notegraph in '{config_file}' is not a mapping of options"
        )
    options.load_dict(dict(found))
    errors, _ = options.validate()
    if errors:
        raise exceptions.ConfigurationError(
            "; ".join(f"plugins.notegraph.{key}: {error}" for key, error in errors)
        )
    slugify = None
    extensions = data.get("markdown_extensions")
    for entry in extensions if isinstance(extensions, list) else []:
        if isinstance(entry, dict):
            for name, value in entry.items():
                if name in ("toc", "markdown.extensions.toc") and isinstance(value, dict):
                    slugify = value.get("slugify") if callable(value.get("slugify")) else None
    return config_file.resolve().parent, options, slugify


def _vault(given: Path | None, base: Path, options: NotegraphConfig) -> Path:
    return given if given is not None else base / options.notes_dir


def _shown_path(vault: Path) -> Callable[[str], str]:
    """Vault path -> the path printed: relative to the working folder when inside it."""
    cwd = Path.cwd()
    root = vault.resolve()

    def shown(path: str) -> str:
        full = root / path
        return full.relative_to(cwd).as_posix() if full.is_relative_to(cwd) else full.as_posix()

    return shown


def _check(args: argparse.Namespace) -> int:
    from notegraph.core.base.report import by_severity
    from notegraph.core.checks.check import FORMATS, CheckOptions, check_vault, format_github

    clock = time.perf_counter()
    try:
        base, options, slugify = _project(args)
    except (OSError, exceptions.ConfigurationError) as error:
        return _fail(f"cannot read the configuration: {error}")
    vault = _vault(args.vault, base, options)
    if not vault.is_dir():
        return _fail(f"'{vault}' is not a folder")
    check_options = CheckOptions(
        topics=not args.no_topics,
        require_title=options.require_title,
        severity=options.severity,
        workers=options.workers or len(os.sched_getaffinity(0)),
        **({"slugify": slugify} if slugify else {}),
    )
    try:
        with installed(Progress()):  # on a terminal, a line that shows how far it is
            diagnostics = check_vault(vault, check_options)
    except OSError as error:
        return _fail(f"cannot read the vault: {error}")
    if args.quiet:
        diagnostics = [d for d in diagnostics if d.level != "info"]
    diagnostics = sorted(diagnostics, key=by_severity)
    counts = {level: sum(d.level == level for d in diagnostics) for level in LEVELS}
    failing = ("error", "warning") if args.strict else ("error",)
    status = 1 if any(counts[level] for level in failing) else 0
    summary = (
        "notegraph check: "
        + ", ".join(plural(n, level) for level, n in counts.items())
        + f" in {plural(len({d.path for d in diagnostics}), 'file')}"
        + f" ({time.perf_counter() - clock:.1f} s): "
        + ("fails" if status else "passes")
        + (" (--strict)" if args.strict else "")
    )
    if args.format == "github":
        output = format_github(diagnostics, _shown_path(vault), verbose=args.verbose)
    else:
        output = FORMATS[args.format](diagnostics, _shown_path(vault))
    if args.format == "text" and on_terminal(sys.stdout) and diagnostics:
        print(summary, flush=True)  # first, before a list that may fill the screen
    sys.stdout.write(output)
    sys.stdout.flush()
    print(summary, file=sys.stderr)
    return status


def _new(args: argparse.Namespace) -> int:
    title = " ".join(args.title.split())
    name = note_file_name(title)
    if not name:
        return _fail(f"the title {args.title!r} has no letters or digits to name a file with")
    video = None
    if args.video is not None:
        video = youtube_id(args.video)
        if video is None:
            return _fail(f"--video {args.video!r} is not a YouTube video id or URL")
    try:
        base, options, _ = _project(args)
    except (OSError, exceptions.ConfigurationError) as error:
        return _fail(f"cannot read the configuration: {error}")
    vault = _vault(args.vault, base, options)
    if not vault.is_dir():
        return _fail(f"'{vault}' is not a folder")
    path = vault / name
    clash = [p.name for p in vault.iterdir() if p.name.casefold() == name.casefold()]
    if clash:
        return _fail(f"'{vault / clash[0]}' already exists; not overwriting it")
    own = vault / ".templates" / "note.md"
    template = (own if own.is_file() else TEMPLATE).read_text(encoding="utf-8")
    channel = channel_of(vault, video) if "{{channel}}" in template else None
    text = fill_template(template, title, video, channel)
    try:
        with path.open("x", encoding="utf-8") as file:
            file.write(text)
    except FileExistsError:
        return _fail(f"'{path}' already exists; not overwriting it")
    except OSError as error:
        return _fail(f"cannot write '{path}': {error.strerror}")
    print(_shown_path(vault)(name))
    return 0


def run() -> NoReturn:
    """The console script (and ``python -m notegraph.cli``): `main`, then out at once.

    A build of a large vault leaves a gigabyte of objects in the process, which Python
    would free one by one on its way out: four seconds on 21,000 notes, after the site and
    the caches are written and closed. The logs and the standard streams are flushed,
    then the process ends with `main`'s status.
    """
    code = main()
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    run()
