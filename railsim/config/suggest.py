""""Did you mean" suggestions for misspelt keys and ids."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """A hint naming the closest candidate, or "" when nothing is close.

    Matching ignores case, so ``"hnl"`` suggests ``"HNL"``.

    >>> did_you_mean("heawday_min", ["headway_min", "peaks"])
    "did you mean 'headway_min'?"
    >>> did_you_mean("zzz", ["headway_min"])
    ''
    """
    pool = {c.lower(): c for c in candidates}
    close = difflib.get_close_matches(word.lower(), list(pool), n=1, cutoff=0.6)
    return f"did you mean {pool[close[0]]!r}?" if close else ""
