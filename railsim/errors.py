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
        parts = [f"{self.location()}: {self.field or '<document>'}: {self.message}"]
        if self.given:
            parts.append(f"given {self.given}")
        if self.allowed:
            parts.append(f"allowed: {self.allowed}")
        text = "; ".join(parts)
        if self.hint:
            text += f" ({self.hint})"
        return text


@dataclass
class ScenarioError(RailsimError):
    """A scenario file (or the files it extends) has one or more problems."""

    problems: list[Problem] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


class DataError(RailsimError):
    """A table in ``data/`` is missing, malformed or inconsistent."""
