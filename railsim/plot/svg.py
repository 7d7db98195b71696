"""The report's charts as SVG, with less work than ``savefig`` does: the same bytes.

A chart of the report is laid out once and written once (:func:`write_svg`):
``savefig`` on a figure with a layout engine draws the whole figure without output
first, then lays it out and draws it again to write it. And the text sizes are
remembered across renderers and figures (:class:`Renderer`): matplotlib measures every
label again in each layout pass and in the drawing, with a new renderer each time, and
looks its font up again for every measure. The report's hundred figures share most of
their texts and all of their fonts.

The SVG is the one ``savefig`` writes (a test compares them): the sizes are the same
numbers, computed once.
"""

from __future__ import annotations

import codecs
from os import PathLike
from typing import IO, TYPE_CHECKING, Any, cast

import matplotlib as mpl
from matplotlib import cbook
from matplotlib.backends.backend_mixed import MixedModeRenderer
from matplotlib.backends.backend_svg import FigureCanvasSVG, RendererSVG
from matplotlib.font_manager import FontProperties, fontManager, get_font

if TYPE_CHECKING:
    from matplotlib.backend_bases import RendererBase
    from matplotlib.figure import Figure

MAX_REMEMBERED = 20_000
"""Remembered sizes at most (a batch's report needs a few thousand); then they start over."""

_sizes: dict[tuple[Any, ...], tuple[float, float, float]] = {}
_heights: dict[tuple[Any, ...], tuple[float | None, float | None, float | None]] = {}


def _font_key(prop: FontProperties) -> tuple[Any, ...]:
    """What a :class:`FontProperties` says (it is mutable: never a key itself)."""
    return (tuple(prop.get_family()), prop.get_style(), prop.get_variant(),
            prop.get_weight(), prop.get_stretch(), prop.get_size_in_points(),
            prop.get_file(), prop.get_math_fontfamily())


def _font_settings() -> str:
    """The settings that change which font a text is measured in, or its widths: part of
    the key of a remembered size (a notebook may change them between charts)."""
    rc = mpl.rcParams
    return repr((rc["font.family"], rc["font.sans-serif"], rc["font.serif"],
                 rc["font.monospace"], rc["font.cursive"], rc["font.fantasy"],
                 rc["text.kerning_factor"], rc["text.hinting_factor"]))


def _remember(memo: dict[tuple[Any, ...], Any], key: tuple[Any, ...], value: Any) -> None:
    if len(memo) >= MAX_REMEMBERED:
        memo.clear()
    memo[key] = value


class Renderer(RendererSVG):
    """matplotlib's SVG renderer that remembers the sizes of texts for the process (they
    depend only on the text and the font: an SVG renderer measures unhinted outlines)."""

    def __init__(self, figure: Figure, width: float, height: float, svgwriter: IO[str],
                 *, image_dpi: float = 72, metadata: dict[str, Any] | None = None) -> None:
        super().__init__(width, height, svgwriter, image_dpi=image_dpi, metadata=metadata)
        self._figure = figure
        self._settings = _font_settings()

    def get_text_width_height_descent(self, s: str, prop: FontProperties,
                                      ismath: bool | str) -> tuple[float, float, float]:
        if ismath:  # mathtext and TeX have settings of their own: not remembered
            return super().get_text_width_height_descent(s, prop, ismath)
        key = (s, _font_key(prop), self._settings)
        found = _sizes.get(key)
        if found is None:
            found = super().get_text_width_height_descent(s, prop, ismath)
            _remember(_sizes, key, found)
        return found


def _font_heights(prop: FontProperties, dpi: float
                  ) -> tuple[float | None, float | None, float | None]:
    """As ``matplotlib.text.Text._get_layout`` computes them (matplotlib 3.11); a test
    holds the report's SVG to the one matplotlib writes alone."""
    font = get_font(fontManager._find_fonts_by_props(prop))
    os2, hhea = font.get_sfnt_table("OS/2"), font.get_sfnt_table("hhea")
    if os2 is not None:
        ascent, descent, gap = os2["sTypoAscender"], os2["sTypoDescender"], os2["sTypoLineGap"]
    elif hhea is not None:
        ascent, descent, gap = hhea["ascent"], hhea["descent"], hhea["lineGap"]
    else:
        return None, None, None
    head = font.get_sfnt_table("head")
    assert head is not None
    scale = 1 / head["unitsPerEm"] * prop.get_size_in_points() * dpi / 72
    return ascent * scale, -descent * scale, gap * scale


HEIGHTS_CHECKED_ON = ("3", "11")
"""The matplotlib release (major, minor) whose font-height computation
:func:`_font_heights` copies (it uses a private method of the font manager): on another
release the heights are left to matplotlib (slower, never different)."""


def heights_remembered(version: str = mpl.__version__) -> bool:
    """True when the running matplotlib is the one :func:`_font_heights` was checked
    against, and has the private method it uses."""
    return (tuple(version.split(".")[:2]) == HEIGHTS_CHECKED_ON
            and hasattr(fontManager, "_find_fonts_by_props"))


class HeightsRenderer(Renderer):
    """:class:`Renderer` that also remembers the height metrics of fonts (only on the
    matplotlib release of :data:`HEIGHTS_CHECKED_ON`: matplotlib asks a renderer for them
    through a private method)."""

    def _get_font_height_metrics(self, prop: FontProperties
                                 ) -> tuple[float | None, float | None, float | None]:
        """Ascent, descent and line gap of the font of ``prop`` at the figure's dpi, as
        ``Text._get_layout`` computes them when a renderer has no such method (matplotlib
        asks a renderer for this first; it would look the font up for every text)."""
        dpi = self._figure.dpi
        key = (_font_key(prop), self._settings, dpi)
        found = _heights.get(key)
        if found is None:
            found = _font_heights(prop, dpi)
            _remember(_heights, key, found)
        return found


class Canvas(FigureCanvasSVG):
    """The SVG canvas, drawing with :class:`Renderer` (``print_svg`` as matplotlib's)."""

    def print_svg(self, filename: Any, *, bbox_inches_restore: Any = None,
                  metadata: dict[str, Any] | None = None, **_ignored: Any) -> None:
        fh: Any
        with cbook.open_file_cm(filename, "w", encoding="utf-8") as fh:
            if not cbook.file_requires_unicode(fh):
                fh = codecs.getwriter("utf-8")(fh)
            dpi = self.figure.dpi
            self.figure.dpi = 72
            width, height = self.figure.get_size_inches()
            renderer = MixedModeRenderer(
                self.figure, width, height, dpi,
                (HeightsRenderer if heights_remembered() else Renderer)(
                    self.figure, width * 72, height * 72, fh, image_dpi=dpi,
                    metadata=metadata),
                bbox_inches_restore=bbox_inches_restore)
            self.figure.draw(cast("RendererBase", renderer))  # it stands for one
            renderer.finalize()


def drop_layout_engine(fig: Figure) -> None:
    """Take the figure's layout engine away once it is laid out: savefig then neither
    lays it out again nor draws it once without output before it draws it to write."""
    with mpl.rc_context({"figure.autolayout": False, "figure.constrained_layout.use": False}):
        fig.set_layout_engine(None)  # None, not "none": "none" leaves a placeholder engine


def write_svg(fig: Figure, out: str | PathLike[str] | IO[str], **savefig: Any) -> None:
    """``fig.savefig(out, format="svg", **savefig)``, the figure laid out once (as savefig
    lays it out for an SVG: with the SVG renderer, at 72 dpi) and drawn once; its layout
    engine is gone afterwards (the figure is laid out). Its canvas is left as it was."""
    from railsim.plot.ticks import ticks_remembered

    canvas = fig.canvas
    try:
        Canvas(fig)
        engine = fig.get_layout_engine()
        with ticks_remembered(fig):
            if engine is not None:
                dpi = fig.dpi
                fig.dpi = 72
                try:
                    engine.execute(fig)
                finally:
                    fig.dpi = dpi
                drop_layout_engine(fig)
            fig.savefig(out, format="svg", **savefig)
    finally:
        fig.set_canvas(canvas)
