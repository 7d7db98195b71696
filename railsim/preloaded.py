"""Imported last by a fork server's preload (:mod:`railsim.parallel`): what the preload
imported is frozen, and the cycle collector, off while it ran, is on again.

Frozen objects are left out of every later collection, in the server and in the workers
forked from it: the imported stack (about 200 000 objects) is not gone through
again in each worker, and its memory pages stay shared with the server instead of being
copied as the collector touches them.
"""

from __future__ import annotations

import gc

from railsim.parallel import FORK_SERVER

if FORK_SERVER:
    gc.freeze()
    gc.enable()
