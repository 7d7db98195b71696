"""Exceptions and warnings that railsim raises for users.

A *user error* (a malformed scenario, an unknown station, an impossible timetable)
is reported as a clear message without a traceback. Every such error derives from
:class:`RailsimError`; the CLI catches that base class and prints ``str(error)``.
"""

from __future__ import annotations

from dataclasses import dataclass, field


class RailsimError(Exception):
    """Base class of errors caused by user input rather than by a bug."""


@dataclass(frozen=True)
class Issue:
    """One consistency problem of a scenario at a field path (before it is located)."""

    path: tuple[str | int, ...]
    message: str
    given: str = ""
    allowed: str = ""
    hint: str = ""


@dataclass(frozen=True)
class Problem:
    """One problem found in a scenario file.

    Attributes:
        file: path of the file the offending value came from (as given by the user).
        line: 1-based line number, or 0 when unknown.
        column: 1-based column number, or 0 when unknown.
        field: dotted field path, e.g. ``service.lines[0].stations[2]``.
        message: what is wrong.
        given: the value found, rendered for humans ("" when not applicable).
        allowed: what would be accepted ("" when not applicable).
        hint: optional "did you mean" suggestion.
    """

    file: str
    line: int
    column: int
    field: str
    message: str
    given: str = ""
    allowed: str = ""
    hint: str = ""

    def location(self) -> str:
        if self.line:
            return f"{self.file}:{self.line}:{self.column}"
        return self.file

    def __str__(self) -> str:
        # Every part is cut: a 200 KB key or value must not be echoed in full.
        parts = [f"{cut(self.location(), 300)}: {cut(self.field, 200) or '<document>'}: "
                 f"{cut(self.message, 2000)}"]
        if self.given:
            parts.append(f"given {cut(self.given)}")
        if self.allowed:
            parts.append(f"allowed: {cut(self.allowed, 2000)}")
        text = "; ".join(parts)
        if self.hint:
            text += f" ({cut(self.hint)})"
        return text


def cut(text: str, limit: int = 100) -> str:
    """``text`` shortened to ``limit`` characters, the cut marked with "…".

    >>> cut("a" * 10, 5)
    'aaaa…'
    """
    return text if len(text) <= limit else text[:limit - 1] + "…"


@dataclass
class ScenarioError(RailsimError):
    """A scenario file (or the files it extends) has one or more problems."""

    problems: list[Problem] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(str(self))

    def __str__(self) -> str:
        lines = [str(p) for p in self.problems[:MAX_LISTED_PROBLEMS]]
        if len(self.problems) > MAX_LISTED_PROBLEMS:
            lines.append(f"... and {len(self.problems) - MAX_LISTED_PROBLEMS} more problems")
        return "\n".join(lines)


MAX_LISTED_PROBLEMS = 50
"""Problems listed in a message; the rest are counted (thousands would bury the first)."""


class SettingError(RailsimError):
    """An environment variable railsim reads (``RAILSIM_*``) holds a value it cannot use:
    a setting of the whole command, not a problem of one scenario (the CLI says it once,
    with exit code 2, before it reads any scenario)."""

    def __init__(self, variable: str, value: str, problem: str, allowed: str) -> None:
        super().__init__(f"environment variable {variable}={cut(value, 60)!r}: {problem}; "
                         f"allowed: {allowed}")
        self.variable = variable


class DataError(RailsimError):
    """A table in ``data/`` is missing, malformed or inconsistent."""
