"""Ticks worked out once per state of an axis while a figure is laid out and drawn.

Laying out a chart (two passes of constrained layout) and drawing it ask each axis for
its ticks about thirty times: every tight box, spine extent, label and title position
calls ``Axis._update_ticks``, which runs the locator and the formatter again, moves every
tick there and sets its label, and then measures the labels again. Between two layout
passes and the drawing the axes move (the ticks may change); between those calls nothing
the ticks depend on changes. :func:`ticks_remembered` lets each axis of a figure keep
the ticks (and the extents of their labels, per renderer) of the last state it saw, and
work them out again whenever any input differs: the view and data limits, the smallest
positive datum (log axes), the axes' box on the canvas, the figure's resolution, the
locators, formatters and tick lists in use, the tick parameters and the axis' scale.

Within it, too, an axis that needs more ticks copies its first tick (:func:`copied_tick`)
instead of building each new one and then copying the first one's properties onto it, as
``Axis.get_major_ticks`` does: that cost about a sixth of a report chart's drawing (a
chart makes some twenty ticks, each of five artists, its markers deep-copied).

And a title is placed without measuring the y axis once more where it can have no offset
text (the "1e6" at its top that a title must clear): ``Axes._update_title_position``
measures the whole y axis (ticks, labels, label position) only to place that text, in
each layout pass and before drawing; a few milliseconds a chart.

The ticks are those matplotlib works out (a test draws every chart with and without it:
the same SVG). It uses private methods and attributes of matplotlib's axis and ticks
(``_update_ticks``, ``_get_ticklabel_bboxes``, what a tick's artists hold,
``Axes._update_title_position``): only on the
release of :data:`CHECKED_ON`, else the figure is drawn as it is.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, cast

import matplotlib as mpl
from matplotlib import cbook
from matplotlib.axes import Axes
from matplotlib.axis import Axis, Tick, XAxis, YAxis
from matplotlib.lines import Line2D
from matplotlib.text import Text
from matplotlib.ticker import FixedFormatter, Formatter, FuncFormatter

if TYPE_CHECKING:
    from matplotlib.figure import Figure

_FIXED_OFFSET = (Formatter.get_offset, FuncFormatter.get_offset, FixedFormatter.get_offset)
"""``get_offset`` of formatters whose offset text is fixed (empty unless set), not worked
out from the ticks as a ScalarFormatter's is."""

CHECKED_ON = ("3", "11")
"""The matplotlib release (major, minor) whose ``Axis._update_ticks`` was read for what it
depends on."""


def supported(version: str = mpl.__version__) -> bool:
    """True on the matplotlib release of :data:`CHECKED_ON` (with the methods used)."""
    return (tuple(version.split(".")[:2]) == CHECKED_ON
            and callable(getattr(Axis, "_update_ticks", None))
            and callable(getattr(Axis, "_get_ticklabel_bboxes", None))
            and callable(getattr(Axes, "_update_title_position", None)))


def _state(axis: Any) -> tuple[Any, ...]:
    """What ``Axis._update_ticks`` gives depends on (objects compared by identity are
    kept in the tuple, so none is freed and its id reused while remembered)."""
    axes = axis.axes
    return (tuple(axis.get_view_interval()), tuple(axis.get_data_interval()),
            axis.get_minpos(), axes.bbox.bounds, axes.get_figure(root=True).dpi,
            axis.major.locator, axis.major.formatter, axis.minor.locator,
            axis.minor.formatter, axis.majorTicks, axis.minorTicks, axis._scale,
            repr(sorted(axis._major_tick_kw.items())), repr(sorted(axis._minor_tick_kw.items())))


def _same(a: tuple[Any, ...], b: tuple[Any, ...]) -> bool:
    return len(a) == len(b) and all(x is y or (type(x) is type(y) and x == y)
                                    if isinstance(x, tuple | float | int | str) else x is y
                                    for x, y in zip(a, b, strict=True))


def _copied_artist(src: Any) -> Any:
    """A new artist holding what ``src`` holds, with its own containers and caches (its
    transforms, clip path and path effects shared, as ``Artist.update_from`` shares them)."""
    new: Any = object.__new__(type(src))  # private attributes: not in matplotlib's stubs
    new.__dict__.update(src.__dict__)  # not copy.copy: __getstate__ drops stale_callback
    new._callbacks = cbook.CallbackRegistry(signals=["pchanged"])
    if src._sticky_edges is not None:
        new._sticky_edges = type(src._sticky_edges)(list(src._sticky_edges.x),
                                                    list(src._sticky_edges.y))
    if isinstance(src, Line2D):
        # a marker style is never changed once made (a new one replaces it): a shallow
        # copy is as good as update_from's deep copy; the data caches are made again
        # from the data when the tick is moved and drawn
        new._marker = copy.copy(new._marker)
        new._invalidx = new._invalidy = True
        new._transformed_path = None
    elif isinstance(src, Text):
        new._fontproperties = new._fontproperties.copy()  # set_fontsize changes it in place
        new._text = ""
        new._renderer = None
        new._bbox_patch = None
    return new


def copied_tick(src: Tick) -> Tick:
    """A new tick of ``src``'s axis, as ``Axis.get_major_ticks`` (or ``get_minor_ticks``)
    makes it from the axis' first tick ``src``: ``_get_tick`` then ``_copy_tick_props``
    (a test compares the two, attribute by attribute)."""
    tick: Any = _copied_artist(src)
    for name in ("tick1line", "tick2line", "gridline", "label1", "label2"):
        setattr(tick, name, _copied_artist(getattr(src, name)))
    return cast(Tick, tick)


class _Remembered:
    """One axis' last ticks: its ``_update_ticks`` and ``_get_ticklabel_bboxes`` while
    installed, and its ``get_major_ticks`` and ``get_minor_ticks`` (new ticks copied)."""

    def __init__(self, axis: Axis) -> None:
        self.axis: Any = axis  # its private methods are not in matplotlib's stubs
        self.state: tuple[Any, ...] | None = None
        self.ticks: list[Any] = []
        self.boxes: list[tuple[Any, list[Any], Any]] = []  # (renderer, ticks, boxes)

    def update_ticks(self) -> list[Any]:
        state = _state(self.axis)
        if self.state is None or not _same(state, self.state):
            cls: Any = type(self.axis)
            self.ticks = cls._update_ticks(self.axis)
            self.state = state
            self.boxes = []
        return list(self.ticks)

    def ticklabel_bboxes(self, ticks: list[Any], renderer: Any) -> Any:
        cls: Any = type(self.axis)
        if self.state is None or not _same(_state(self.axis), self.state):
            return cls._get_ticklabel_bboxes(self.axis, ticks, renderer)
        for seen, for_ticks, boxes in self.boxes:
            if seen is renderer and len(for_ticks) == len(ticks) and all(
                    a is b for a, b in zip(for_ticks, ticks, strict=True)):
                return tuple([b.frozen() for b in side] for side in boxes)
        boxes = cls._get_ticklabel_bboxes(self.axis, ticks, renderer)
        self.boxes.append((renderer, list(ticks),
                           tuple([b.frozen() for b in side] for side in boxes)))
        return boxes

    def major_ticks(self, numticks: int | None = None) -> list[Any]:
        return self._ticks(self.axis.majorTicks, numticks, self.axis.get_majorticklocs)

    def minor_ticks(self, numticks: int | None = None) -> list[Any]:
        return self._ticks(self.axis.minorTicks, numticks, self.axis.get_minorticklocs)

    @staticmethod
    def _ticks(ticks: list[Any], numticks: int | None, locs: Any) -> list[Any]:
        """``Axis.get_major_ticks`` (or minor), each new tick copied from the first."""
        if numticks is None:
            numticks = len(locs())
        while len(ticks) < numticks:
            ticks.append(copied_tick(ticks[0]))
        return ticks[:numticks]


def _no_offset_text(axis: Axis) -> bool:
    """True when ``axis`` shows no offset text, whatever its ticks."""
    formatter = axis.get_major_formatter()
    return (not axis.offsetText.get_visible()
            or (type(formatter).get_offset in _FIXED_OFFSET and formatter.get_offset() == ""))


def _title_placed(ax: Axes) -> Any:
    """``ax._update_title_position``, with the y axes that can have no offset text left
    unmeasured: matplotlib measures them (``yaxis.get_tightbbox``) only to place that
    text, and lays each axis out again itself when it measures or draws it."""
    def update_title_position(renderer: Any) -> None:
        quiet = [a.yaxis for a in ax.get_figure(root=True).get_axes()  # type: ignore[union-attr]
                 if "get_tightbbox" not in vars(a.yaxis) and _no_offset_text(a.yaxis)]
        try:
            for axis in quiet:
                setattr(axis, "get_tightbbox", _unmeasured)  # noqa: B010
            cls: Any = type(ax)
            cls._update_title_position(ax, renderer)
        finally:
            for axis in quiet:
                delattr(axis, "get_tightbbox")
    return update_title_position


def _unmeasured(*_args: Any, **_kwargs: Any) -> None:
    return None


_INSTALLED = ("_update_ticks", "_get_ticklabel_bboxes", "get_major_ticks", "get_minor_ticks")
"""The axis methods :func:`ticks_remembered` stands in for."""


@contextmanager
def ticks_remembered(fig: Figure) -> Iterator[None]:
    """Within: the axes of ``fig`` work their ticks out once per state (see the module);
    for laying out and drawing a finished figure (nothing may change its locators,
    formatters or tick parameters meanwhile)."""
    if not supported():
        yield
        return
    installed: list[Axis] = []
    titled: list[Axes] = []
    try:
        for ax in fig.get_axes():
            if "_update_title_position" not in vars(ax):
                setattr(ax, "_update_title_position", _title_placed(ax))  # noqa: B010
                titled.append(ax)
            for axis in ax._axis_map.values():
                if type(axis) not in (XAxis, YAxis) or "_update_ticks" in vars(axis):
                    continue  # an axis of another kind, or remembered already (nested)
                memo = _Remembered(axis)
                # instance attributes: they stand in for the class' methods on this axis
                for name, method in zip(_INSTALLED, (memo.update_ticks, memo.ticklabel_bboxes,
                                                     memo.major_ticks, memo.minor_ticks),
                                        strict=True):
                    setattr(axis, name, method)
                installed.append(axis)
        yield
    finally:
        for axis in installed:
            for name in _INSTALLED:
                delattr(axis, name)
        for ax in titled:
            delattr(ax, "_update_title_position")
