"""``python -m notegraph.cli``: the `notegraph` command."""

from notegraph.cli.main import run

run()
