"""The ``notegraph`` command: publish any vault, with or without a ``mkdocs.yml``.

``notegraph build VAULT -d SITE [--strict]`` and ``notegraph serve VAULT`` use ``mkdocs.yml``
from the current folder when it enables the plugin (or the file given with ``-f``), else a
built-in default (Material + search + notegraph). The vault given on the command line
replaces the configured ``notes_dir``.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from mkdocs import exceptions
from mkdocs.commands.build import build
from mkdocs.commands.serve import serve
from mkdocs.config import load_config

DEFAULT_CONFIG = Path(__file__).parent / "defaults" / "mkdocs.yml"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="notegraph", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    for name, help_text in (("build", "build the site"), ("serve", "preview with live reload")):
        command = commands.add_parser(name, help=help_text)
        command.add_argument("vault", type=Path, help="folder of Markdown notes")
        command.add_argument("-f", "--config-file", type=Path, help="mkdocs.yml to use")
        command.add_argument("--strict", action="store_true", help="fail on any warning")
        if name == "build":
            command.add_argument("-d", "--site-dir", type=Path, default=Path("site"))
        else:
            command.add_argument("-a", "--dev-addr", default="127.0.0.1:8000")
    return parser


def _uses_notegraph(config_file: Path) -> bool:
    try:
        return "notegraph" in load_config(str(config_file)).plugins
    except exceptions.ConfigurationError:
        return True  # let the real load report the problem


@contextmanager
def _config(args: argparse.Namespace) -> Iterator[tuple[str, dict[str, Any]]]:
    """The config file to load and the overrides to apply, for the vault in `args`."""
    vault = args.vault.resolve()
    os.environ["NOTEGRAPH_VAULT"] = str(vault)
    overrides: dict[str, Any] = {"strict": args.strict}
    local = Path("mkdocs.yml")
    config_file = args.config_file or (
        local if local.is_file() and _uses_notegraph(local) else None
    )
    if config_file is not None:
        yield str(config_file), overrides
        return
    with tempfile.TemporaryDirectory(prefix="notegraph-docs-") as docs:
        overrides.update(docs_dir=docs, site_name=vault.name or "Notes")
        yield str(DEFAULT_CONFIG), overrides


def _logging() -> None:
    logger = logging.getLogger("mkdocs")
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if not args.vault.is_dir():
        print(f"notegraph: error: '{args.vault}' is not a folder", file=sys.stderr)
        return 2
    _logging()
    try:
        with _config(args) as (config_file, overrides):
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
            config.plugins.on_startup(command="build", dirty=False)
            try:
                build(config)
            finally:
                config.plugins.on_shutdown()
    except exceptions.Abort as error:
        print(f"notegraph: {error}", file=sys.stderr)
        return 1
    except exceptions.ConfigurationError as error:
        print(f"notegraph: configuration error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
