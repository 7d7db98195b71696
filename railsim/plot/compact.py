"""What the report needs to know of the charts without drawing them: a chart as it is
embedded (:class:`Compact`) and the comparison charts' names. Standard library only: the
report's own process (its workers draw) never loads matplotlib for it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Compact:
    """A chart as the report embeds it: ``kind`` "svg" (``data`` is the markup, for inline
    use) or "png" (``data`` is base64 of a palette PNG)."""

    kind: str
    data: str

    @property
    def size(self) -> int:
        return len(self.data.encode("utf-8"))


BATCH_CHART_NAMES = ("capex_vs_passengers", "npv_societal", "bcr", "subsidy_per_passenger",
                     "validation")
"""The comparison charts of a batch, in the report's order (the drawers:
:data:`railsim.plot.charts.BATCH_CHARTS`)."""
