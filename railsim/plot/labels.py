"""Chart labels of the report's charts: a view of the one text table (:mod:`railsim.texts`,
keys ``chart.<key>``)."""

from __future__ import annotations

from railsim.texts import TEXT as _ALL

PREFIX = "chart."

TEXT: dict[str, dict[str, str]] = {key[len(PREFIX):]: entry for key, entry in _ALL.items()
                                   if key.startswith(PREFIX)}
"""Key → {en, fi} (derived from :data:`railsim.texts.TEXT`; edit that table)."""


def text(key: str, lang: str = "en", **values: object) -> str:
    """The ``lang`` text of ``key`` (English when a language lacks it), filled in."""
    entry = TEXT[key]
    return entry.get(lang, entry["en"]).format(**values)
