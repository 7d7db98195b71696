"""Objects many tests share: the shipped corridor, read once."""

from __future__ import annotations

import railsim

CORRIDOR = railsim.load_corridor()
"""The shipped corridor's data (tests that need another set $RAILSIM_DATA or pass one)."""
