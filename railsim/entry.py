"""The console command ``railsim``: imports the command line only once it runs.

Importing :mod:`railsim.cli` (click, pydantic, the scenario schema) takes about 0.2 s. Ctrl-C
pressed in that time would otherwise end the command with a traceback of the import;
here it ends as an interrupted command does (status 130, one line).
"""

from __future__ import annotations

import sys


def main() -> None:
    """Console-script entry point (:func:`railsim.cli.main` once imported)."""
    try:
        from railsim.cli import main as command
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        raise SystemExit(130) from None
    command()
