"""Ending a process without the interpreter's teardown (standard library only).

Freeing every module and object of the scientific stack one by one takes 0.1-0.5 s when a
railsim process ends (measured). The command line (:func:`railsim.cli.main`) and the
worker pool's fork server (:mod:`railsim.parallel`) end with :func:`exit_now` once their
own exit work is done.
"""

from __future__ import annotations

import contextlib
import os
import sys
from typing import NoReturn


def exit_now(status: int) -> NoReturn:
    """Flush stdout and stderr, then end the process with ``status`` at once."""
    for stream in (sys.stdout, sys.stderr):
        # None: started without it (`>&-`); a closed pipe: nothing more can be said
        if stream is not None:
            with contextlib.suppress(OSError, ValueError):
                stream.flush()
    os._exit(status & 0xFF)  # what the system keeps of any exit status
