"""``python -m notegraph.cli``: the `notegraph` command."""

import sys

from notegraph.cli.main import main

sys.exit(main())
