""""Did you mean" suggestions for misspelt keys and ids."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping


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


def _plain(text: str) -> str:
    """Lower case, diacritics and punctuation dropped: "Vierumäki" → "vierumaki"."""
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed.casefold()
                   if ch.isalnum() and not unicodedata.combining(ch))


def suggest_id(word: str, names: Mapping[str, str]) -> str:
    """A hint naming the id meant by ``word``, which may be the id, the name or a name
    without its diacritics; ``names`` maps ids to names.

    >>> suggest_id("VIERUMAKI", {"VRM": "Vierumäki", "HNL": "Heinola"})
    "did you mean 'VRM' (Vierumäki)?"
    >>> suggest_id("hnll", {"VRM": "Vierumäki", "HNL": "Heinola"})
    "did you mean 'HNL' (Heinola)?"
    >>> suggest_id("Oslo", {"VRM": "Vierumäki"})
    ''
    """
    plain = _plain(word)
    by_key: dict[str, str] = {}
    for ident, name in names.items():
        by_key.setdefault(_plain(ident), ident)
        by_key.setdefault(_plain(name), ident)
    found = by_key.get(plain)
    if found is None:
        close = difflib.get_close_matches(plain, list(by_key), n=1, cutoff=0.7)
        found = by_key[close[0]] if close else None
    if found is None:
        return ""
    name = names.get(found, "")
    return f"did you mean {found!r}" + (f" ({name})" if name and name != found else "") + "?"


def id_list(names: Mapping[str, str], limit: int = 40) -> str:
    """``"HNL (Heinola), VRM (Vierumäki), …"``, at most ``limit`` entries."""
    shown = [f"{ident} ({name})" if name and name != ident else ident
             for ident, name in sorted(names.items())[:limit]]
    more = len(names) - len(shown)
    return ", ".join(shown) + (f", … ({more} more)" if more > 0 else "")
