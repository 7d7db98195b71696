"""Numbers for readers: thousands separators, decimal comma in Finnish, M€, rounding.

Shared by the charts (axis ticks) and the report (sentences and tables), so a figure
reads the same everywhere. Standard library only.

>>> number(1234.6, lang="en")
'1,235'
>>> number(1234.5, 1, lang="fi")
'1\\u202f234,5'
>>> meur(91_400_000, lang="fi")
'91\\xa0M€'
>>> about(1234)
1200.0
"""

from __future__ import annotations

import math

LANGS = ("fi", "en")
NBSP = "\u00a0"
"""Between a number and its unit ('14 €', '40 %'): a no-break space keeps them together."""
THIN = "\u202f"
"""Finnish groups thousands with a thin space (SFS 4175); the narrow no-break one keeps
'1 200' on one line."""
MINUS = "\u2212"


def is_number(value: object) -> bool:
    """True for a finite int or float (not bool, not NaN, not None)."""
    return (isinstance(value, int | float) and not isinstance(value, bool)
            and math.isfinite(float(value)))


def number(value: float, decimals: int = 0, lang: str = "en") -> str:
    """``value`` with grouped thousands: 1,234.5 (en) or 1 234,5 (fi, thin space); '–' when
    missing."""
    if not is_number(value):
        return "–"
    text = f"{abs(value):,.{decimals}f}"
    if lang == "fi":
        text = text.replace(",", THIN).replace(".", ",")
    # a value that rounds to zero must not print as "−0"
    negative = value < 0 and any(c not in "0,.\u202f" for c in text)
    return (MINUS if negative else "") + text


def auto_decimals(value: float) -> int:
    """Decimals a reader needs: none from 10 up, one below 10, two below 1."""
    if not is_number(value):
        return 0
    size = abs(value)
    if size >= 10 or size == 0:
        return 0
    return 1 if size >= 1 else 2


def meur(value: float, lang: str = "en", decimals: int | None = None) -> str:
    """Euros as millions: '91 M€', '4.5 M€' (en), '4,5 M€' (fi)."""
    if not is_number(value):
        return "–"
    millions = value / 1e6
    places = auto_decimals(millions) if decimals is None else decimals
    return f"{number(millions, places, lang)}{NBSP}M€"


def eur(value: float, lang: str = "en") -> str:
    """Euros with the decimals a reader needs: '14 €', '4.5 €'."""
    return f"{number(value, auto_decimals(value), lang)}{NBSP}€"


def percent(value: float, lang: str = "en", decimals: int = 0) -> str:
    """A percentage given in per cent: '40 %' (the space is SI and Finnish usage)."""
    return f"{number(value, decimals, lang)}{NBSP}%"


def about(value: float) -> float:
    """Round to two significant figures, as 'about' promises no more (1 234 → 1 200)."""
    if not is_number(value) or value == 0:
        return value
    digits = 1 - math.floor(math.log10(abs(value)))
    return float(round(value, digits))
