"""Shared chart plumbing: figures, axes, number formatters, saving.

Figures are made as :class:`matplotlib.figure.Figure` objects, not through pyplot: they
need no backend and no display (batch workers, the CLI), saving picks the file format's
renderer, and importing railsim.plot leaves the caller's backend alone (a notebook's
inline charts keep working). Nothing here calls ``matplotlib.use``.
"""

from __future__ import annotations

import gc
import re
import sys
import textwrap
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import matplotlib as mpl
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from railsim import numfmt
from railsim.plot.compact import Compact

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.patches import Patch
    from matplotlib.path import Path as MplPath

FORMATS = ("png", "svg")
"""The chart file formats there are."""
DEFAULT_FORMATS = ("png",)
"""What chart files are written in unless asked (SVG files only on request)."""
DPI = 110
"""Resolution of PNG chart files [dots per inch]."""


def axes(ax: Axes | None, size: tuple[float, float] = (8.0, 4.5)) -> tuple[Figure, Axes]:
    """The given axes and their figure, or a new figure with one axes."""
    if ax is None:
        fig = Figure(figsize=size, layout="constrained")
        return fig, fig.subplots()
    return ax.get_figure(), ax  # type: ignore[return-value]


def tick_number(value: float, lang: str) -> str:
    """A tick label with only the decimals the tick needs (2.5 → '2,5' in Finnish)."""
    for decimals in (0, 1, 2):
        if abs(value - round(value, decimals)) < 1e-9:
            return numfmt.number(value, decimals, lang)
    return numfmt.number(value, 2, lang)


def number_axis(ax: Axes, lang: str, which: str = "y") -> None:
    """Ticks with thousands separators (and decimal comma in Finnish)."""
    formatter = FuncFormatter(lambda value, _pos: tick_number(value, lang))
    (ax.yaxis if which == "y" else ax.xaxis).set_major_formatter(formatter)


def count_axis(ax: Axes, lang: str) -> None:
    """A y axis of counts (days, draws): whole numbers only, grouped thousands."""
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    number_axis(ax, lang)


def clock(hours: float, lang: str) -> str:
    """A time of day from hours after midnight: '06:30' (en), '6.30' (fi, as Finnish writes
    clock times); hours past 24 are the next morning.

    >>> clock(6.5, "en"), clock(24.75, "fi")
    ('06:30', '0.45')
    """
    minutes = round(hours * 60)
    h, m = divmod(minutes % (24 * 60), 60)
    return f"{h}.{m:02d}" if lang == "fi" else f"{h:02d}:{m:02d}"


def clock_axis(ax: Axes, lang: str, which: str = "x") -> None:
    """Ticks at whole hours (every two when the day is long) labelled as clock times."""
    from matplotlib.ticker import MaxNLocator

    axis = ax.xaxis if which == "x" else ax.yaxis
    axis.set_major_locator(MaxNLocator(nbins=12, steps=[1, 2, 3, 6], integer=True))
    axis.set_major_formatter(FuncFormatter(lambda value, _pos: clock(value, lang)))


def label(ax: Axes, title: str, xlabel: str, ylabel: str) -> None:
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)


def plain(text: object) -> str:
    """Text from users or data as matplotlib shows it literally: a ``$`` is a dollar sign,
    not the start of mathtext (a title "$x_$" would otherwise break every chart).

    >>> print(plain("cost $5 or $x^2$"))
    cost \\$5 or \\$x^2\\$
    """
    return str(text).replace("$", r"\$")


def wrap(name: str, width: int = 28) -> str:
    """Long scenario or station names on several lines so tick labels stay readable; the
    result is :func:`plain` text."""
    return plain("\n".join(textwrap.wrap(str(name), width)) or str(name))


def scenario_names(summary: pd.DataFrame) -> list[str]:
    """Display names: the title where there is one, else the scenario id."""
    names = []
    for _, row in summary.iterrows():
        title = row.get("title")
        # about 18 characters fit under a bar of a five-scenario chart at 8 pt; four
        # lines at most
        name = title if isinstance(title, str) and title.strip() else str(row["scenario"])
        names.append(wrap(name if len(name) <= 72 else name[:71] + "…", 18))
    return names


def ok_rows(summary: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """Scenarios that ran and have numbers in ``columns`` (failed ones have no KPIs).

    A scenario skipped as unchanged by a rerun has its results: it is shown.
    """
    frame = summary
    if "status" in frame:
        frame = frame[frame["status"].fillna("ok").isin(["ok", "skipped"])]
    for column in columns:
        if column not in frame:
            return frame.iloc[0:0]
        frame = frame[frame[column].notna()]
    return frame


PATCH_LIMITS_CHECKED_ON = ("3", "11")
"""The matplotlib release (major, minor) whose ``Axes.add_patch`` and
``Axes._update_patch_limits`` :func:`patch_limits_at_once` (and :func:`_outline_points`)
was read against."""


@contextmanager
def patch_limits_at_once(ax: Axes) -> Iterator[None]:
    """Within: the bars (rectangles) and circles added to ``ax`` extend its data limits all
    at once when the block ends, not one by one as ``add_patch`` does (per patch it splits
    the outline into curves, builds transforms and updates the limits: about a tenth of a
    bar chart's drawing, a fifth of the map's building). Only adding patches, bars,
    histograms and the like belongs in the block: the limits are not up to date inside
    it. The limits are the ones matplotlib gives (the same outline points through the
    same transform; a test compares them); on another matplotlib release the block
    changes nothing."""
    if (tuple(mpl.__version__.split(".")[:2]) != PATCH_LIMITS_CHECKED_ON
            or not callable(getattr(ax, "_update_patch_limits", None))
            or "_update_patch_limits" in vars(ax)):  # another release, or nested
        yield
        return
    added: list[Patch] = []
    setattr(ax, "_update_patch_limits", added.append)  # noqa: B010 (stands in on this axes)
    try:
        yield
    finally:
        delattr(ax, "_update_patch_limits")
        _extend_limits(ax, added)


def _extend_limits(ax: Axes, patches: Sequence[Patch]) -> None:
    """Extend ``ax``'s data limits by ``patches`` as ``_update_patch_limits`` would one by
    one: a rectangle or an ellipse in data coordinates by its outline's points, gathered;
    any other patch by matplotlib itself, in its turn."""
    import numpy as np
    from matplotlib.patches import Ellipse, Rectangle

    gathered: list[np.ndarray] = []
    outlines: dict[int, tuple[object, np.ndarray]] = {}  # path id → (path, its points)

    def flush() -> None:
        if gathered:
            ax.update_datalim(np.concatenate(gathered))
            gathered.clear()

    for patch in patches:
        if (isinstance(patch, Rectangle | Ellipse) and ax.name == "rectilinear"
                and patch.get_data_transform() is ax.transData):
            if isinstance(patch, Rectangle):
                if not patch.get_width() and not patch.get_height():
                    continue  # as matplotlib: a bar of no size does not count
                outline = np.array(_UNIT_SQUARE)
            else:  # ellipses share one unit circle: its points worked out once
                path = patch.get_path()
                if id(path) not in outlines:
                    outlines[id(path)] = (path, _outline_points(path))
                outline = outlines[id(path)][1]
            # matplotlib transforms the outline's points by the patch's transform less
            # the data transform: the patch's own transform
            points = patch.get_patch_transform().transform(outline)
            if len(points) and np.isfinite(points).all():
                gathered.append(points)
                continue
        flush()  # what the limits were when this patch came
        type(ax)._update_patch_limits(ax, patch)  # type: ignore[attr-defined]
    flush()


def _outline_points(path: MplPath) -> np.ndarray:
    """The points of ``path`` that bound it, as ``Axes._update_patch_limits`` takes them
    (matplotlib 3.11): each curve's ends and its extremes along x and y."""
    import numpy as np

    segments: Any = path.iter_bezier(simplify=False)  # (curve, code) pairs: stubs differ
    points = [curve([0, *curve.axis_aligned_extrema()[1], 1]) for curve, _code in segments]
    return np.vstack(points) if points else np.empty((0, 2))


_UNIT_SQUARE = ((0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0))


def scenario_bars(ax: Axes, rows: pd.DataFrame, heights: Sequence[float],
                  colours: Sequence[str], labels: Sequence[str], lang: str) -> None:
    """One labelled bar per scenario, with room above the bars for their labels."""
    with patch_limits_at_once(ax):
        bars = ax.bar(scenario_names(rows), list(heights), color=list(colours))
    # annotation_clip=False: each label's bar end is inside the axes (their limits take
    # in every bar), and matplotlib would test that at each measure and drawing
    ax.bar_label(bars, labels=list(labels), padding=2, fontsize=9, annotation_clip=False)
    ax.margins(y=0.15)
    number_axis(ax, lang)
    ax.tick_params(axis="x", labelsize=8)
    count = len(rows)
    if 0 < count < 4:  # keep one or two bars from spanning the whole chart like a wall
        pad = (4 - count) / 2
        ax.set_xlim(-0.5 - pad, count - 0.5 + pad)


def save(fig: Figure, stem: Path, formats: Sequence[str] = DEFAULT_FORMATS) -> list[Path]:
    """Write ``stem.png`` and/or ``stem.svg``, then close the figure (batch jobs draw many)."""
    from railsim.plot.ticks import ticks_remembered

    stem.parent.mkdir(parents=True, exist_ok=True)
    written = []
    try:
        with ticks_remembered(fig):
            written = _save(fig, stem, formats)
    finally:
        close(fig)
    return written


def _save(fig: Figure, stem: Path, formats: Sequence[str]) -> list[Path]:
    written = []
    engine = fig.get_layout_engine()
    if engine is not None and tuple(formats) != ("svg",):
        # lay the figure out once, at the PNG's resolution (so the PNG is the one a
        # lone save gives), and save it without its layout engine: savefig would lay
        # it out again for each format and draw it once without output each time
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        from railsim.plot.svg import drop_layout_engine

        canvas = fig.canvas
        try:
            FigureCanvasAgg(fig)
            fig.set_dpi(DPI)
            engine.execute(fig)
        finally:
            fig.set_canvas(canvas)
        drop_layout_engine(fig)
    for fmt in formats:
        path = stem.with_name(f"{stem.name}.{fmt}")
        if fmt == "svg":
            from railsim.plot.svg import write_svg

            write_svg(fig, path, dpi=DPI)  # laid out here when it is the only format
        else:
            fig.savefig(path, dpi=DPI)
        written.append(path)
    return written


SVG_ALWAYS = 80_000
"""An SVG up to this many bytes is used as it is: vector text prints sharp and is small."""
PNG_COLOURS = 128
"""Palette size of a quantised PNG: flat chart colours and their antialiased edges fit."""

_KEEP_NUMBERS = re.compile(r'(\s(?:d|x|y|x1|x2|y1|y2|width|height|cx|cy|r|rx|ry|points|'
                           r'transform)=")([^"]*)"')
_NUMBER = re.compile(r"-?\d+\.\d+")
_ID = re.compile(r'\sid="([^"]+)"')


def minified_svg(svg: str, prefix: str) -> str:
    """Matplotlib's SVG made small and safe to inline in HTML: no XML prolog or metadata,
    coordinates to 0.1 pt, no whitespace between tags, only referenced ids kept (and
    prefixed, so two charts in one page never share one), scaled by its viewBox."""
    svg = re.sub(r"<\?xml[^>]*\?>|<!DOCTYPE[^>]*>|<metadata>.*?</metadata>", "", svg,
                 flags=re.S)
    svg = _KEEP_NUMBERS.sub(lambda m: m[1] + _NUMBER.sub(
        lambda n: f"{float(n[0]):.1f}".rstrip("0").rstrip("."), " ".join(m[2].split())) + '"',
        svg)
    used = set(re.findall(r"url\(#([^)]+)\)|href=\"#([^\"]+)\"", svg))
    referenced = {name for pair in used for name in pair if name}
    svg = _ID.sub(lambda m: f' id="{prefix}{m[1]}"' if m[1] in referenced else "", svg)
    svg = re.sub(r"url\(#([^)]+)\)", lambda m: f"url(#{prefix}{m[1]})", svg)
    svg = re.sub(r'href="#([^"]+)"', lambda m: f'href="#{prefix}{m[1]}"', svg)
    svg = re.sub(r">\s+<", "><", svg).strip()
    svg = svg.replace("*{stroke-linejoin", "svg.chart *{stroke-linejoin")
    return re.sub(r'<svg ([^>]*?)width="[^"]*" height="[^"]*"', r'<svg class="chart" \1',
                  svg, count=1)


def _svg(fig: Figure) -> str:
    import io

    import matplotlib

    from railsim.plot.svg import write_svg

    buffer = io.StringIO()
    # text stays text (small, selectable, sharp in print); a fixed salt gives stable ids
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "railsim"}):
        write_svg(fig, buffer, metadata={"Date": None})
    return buffer.getvalue()


def quantised_png(fig: Figure, dpi: float = 110, colours: int = PNG_COLOURS) -> bytes:
    """The figure as a palette PNG (a few times smaller than the full-colour one)."""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    with Image.open(io.BytesIO(buffer.getvalue())) as image:
        small = io.BytesIO()
        image.convert("RGB").quantize(colours).save(small, format="PNG", optimize=True)
    return small.getvalue()


def compact(fig: Figure) -> Compact:
    """The figure as the smaller of a minified inline SVG and a quantised PNG (an SVG of
    at most :data:`SVG_ALWAYS` bytes is taken without drawing the PNG)."""
    import base64
    import hashlib

    engine = fig.get_layout_engine()
    raw = _svg(fig)  # lays the figure out for the SVG and takes its layout engine
    svg = minified_svg(raw, "c" + hashlib.sha256(raw.encode("utf-8")).hexdigest()[:8])
    if len(svg) <= SVG_ALWAYS:
        return Compact("svg", svg)
    fig.set_layout_engine(engine)  # the PNG laid out at its own resolution, as ever
    png = base64.b64encode(quantised_png(fig)).decode("ascii")
    return Compact("svg", svg) if len(svg) <= len(png) else Compact("png", png)


@contextmanager
def collected_after() -> Iterator[None]:
    """Within: Python's cycle collector is off; after it: the young objects collected once,
    which frees a figure drawn and closed within (its objects are all young then).

    A chart makes tens of thousands of objects linked in cycles (artists, transforms,
    callbacks), so the collector ran a few times a figure while it was drawn and, every
    couple of dozen figures, over all of the process' objects (about 0.1 s each): some 3
    ms of CPU a figure. A collector already off stays off."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()
            gc.collect(1)


def close(fig: Figure) -> None:
    """Let go of a figure. Ours are freed with their last reference; one drawn on axes
    the caller made with pyplot also leaves pyplot's list of open figures."""
    pyplot = sys.modules.get("matplotlib.pyplot")  # never imported here just to close
    if pyplot is not None:
        pyplot.close(fig)
