"""Every text a reader sees, in Finnish and English: chart labels and report sentences.

One table, so the charts and the report say the same thing the same way: :data:`TEXT`,
assembled from the chart texts (:mod:`.charts`: plain keys, and ``chart.<key>`` for the
report's charts) and the report's (:mod:`.report`: ``report.<key>``); a few keys say
different things in the report and in a chart, hence the namespaces. Every key has both
languages (a test checks it). Templates take already formatted numbers
(:mod:`railsim.numfmt`). Plot and report both read this package; it imports nothing
outside it.
"""

from __future__ import annotations

from railsim.texts.charts import CHART_TEXT, REPORT_CHART_TEXT
from railsim.texts.report import REPORT_TEXT

__all__ = ["LANGS", "TEXT", "text"]

LANGS = ("fi", "en")
"""Finnish first: the study is for Finnish decision-makers."""


def _merged(*parts: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    table: dict[str, dict[str, str]] = {}
    for part in parts:
        twice = table.keys() & part.keys()
        if twice:  # one key in two parts would silently lose one of its texts
            raise ValueError(f"texts declared twice: {sorted(twice)}")
        table.update(part)
    return table


TEXT: dict[str, dict[str, str]] = _merged(CHART_TEXT, REPORT_TEXT, REPORT_CHART_TEXT)
"""Key → language → text."""


def text(key: str, lang: str, **values: object) -> str:
    """The ``lang`` text of ``key``, filled with the (formatted) ``values``."""
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}: railsim writes {', '.join(LANGS)}")
    return TEXT[key][lang].format(**values)
