"""The report's texts, by language: a view of the one text table (:mod:`railsim.texts`,
keys ``report.<key>``), in the shape the report's templates and builders use."""

from __future__ import annotations

from railsim.texts import LANGS
from railsim.texts import TEXT as _ALL

PREFIX = "report."

TEXT: dict[str, dict[str, str]] = {
    lang: {key[len(PREFIX):]: entry[lang] for key, entry in _ALL.items()
           if key.startswith(PREFIX)}
    for lang in LANGS
}
"""Language → key → text (derived from :data:`railsim.texts.TEXT`; edit that table)."""

__all__ = ["LANGS", "TEXT", "text"]


def text(lang: str, key: str, **values: str) -> str:
    """The template ``key`` in ``lang``, filled with formatted values."""
    return TEXT[lang][key].format(**values)
