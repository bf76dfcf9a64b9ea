"""Run the ``notegraph`` command as a user does: in a subprocess, in a pipe or on a terminal.

`notegraph(*args, cwd=...)` runs ``python -m notegraph.cli`` with stdout and stderr piped
(a CI log); with ``tty=True`` both go to a pseudo-terminal (`pty`), as in a shell window,
and `Ran.out` holds everything the terminal received, control characters included. The
child imports the notegraph under test (this checkout's, through ``PYTHONPATH``).
"""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import notegraph

PACKAGES = str(Path(notegraph.__file__).resolve().parents[1])


@dataclass
class Ran:
    code: int
    out: str
    """stdout (on a terminal: everything the terminal showed, stderr too)."""
    err: str
    """stderr ("" on a terminal: it went to `out`)."""

    @property
    def both(self) -> str:
        return self.out + self.err


def environment(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """A clean environment for the command: no NOTEGRAPH_* of the test run, this package."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NOTEGRAPH_")}
    env |= {"NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": PACKAGES, "COLUMNS": "100"}
    return env | dict(extra or {})


def notegraph(
    *args: str | Path,
    cwd: Path,
    tty: bool = False,
    env: Mapping[str, str] | None = None,
    timeout: float = 300,
) -> Ran:
    """Run ``notegraph ARGS`` in `cwd`; on a pseudo-terminal when `tty`."""
    command = [sys.executable, "-m", "notegraph.cli", *map(str, args)]
    if not tty:
        result = subprocess.run(
            command,
            cwd=cwd,
            env=environment(env),
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        return Ran(result.returncode, result.stdout, result.stderr)
    main, child = pty.openpty()
    os.set_blocking(main, False)
    env_tty = environment({"TERM": "xterm-256color", **(env or {})})
    process = subprocess.Popen(
        command, cwd=cwd, env=env_tty, stdin=child, stdout=child, stderr=child, close_fds=True
    )
    os.close(child)
    received = bytearray()
    deadline = time.monotonic() + timeout
    try:
        while True:
            ready, _, _ = select.select([main], [], [], 0.1)
            if ready:
                try:
                    chunk = os.read(main, 65536)
                except OSError:  # EIO: every process closed the terminal
                    chunk = b""
                if not chunk:
                    break
                received += chunk
            elif process.poll() is not None:
                break
            if time.monotonic() > deadline:
                process.kill()
                raise TimeoutError(f"notegraph {args} did not finish in {timeout} s")
    finally:
        os.close(main)
    process.wait(timeout=timeout)
    return Ran(process.returncode, received.decode("utf-8", errors="replace"), "")
