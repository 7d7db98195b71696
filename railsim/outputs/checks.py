"""Look-ups in the declarations and the checks of written tables and KPI rows against them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from railsim.outputs.declarations import (
    Kpi,
    OutputDeclarationError,
    ResultFile,
)
from railsim.outputs.files import FILES
from railsim.outputs.kpis import KPIS
from railsim.outputs.summary import BATCH_FILES

_BY_NAME = {k.name: k for k in KPIS if not k.is_family}
_FAMILIES = tuple(k for k in KPIS if k.is_family)


def result_file(name: str, level: str = "scenario") -> ResultFile:
    """The declaration of a file of the scenario (or batch) folder; KeyError if none."""
    files = FILES if level == "scenario" else BATCH_FILES
    if name in files:
        return files[name]
    for spec in files.values():
        if spec.matches(name):
            return spec
    raise KeyError(name)


def column_names(name: str) -> tuple[str, ...]:
    """Declared columns of a result table, in order."""
    return result_file(name).column_names()


def descriptions(name: str) -> dict[str, str]:
    """Declared column name → meaning of a result table, in order."""
    return result_file(name).descriptions()


def kpi(variable: str) -> Kpi | None:
    """The declaration of a KPI variable (a family matches by pattern), or None."""
    found = _BY_NAME.get(variable)
    if found is not None:
        return found
    return next((k for k in _FAMILIES if k.matches(variable)), None)


def required_files(rail: bool, weekday: bool) -> tuple[str, ...]:
    """Files every scenario of this kind gets from :meth:`Evaluation.tables`."""
    needed = {"always"} | ({"rail"} if rail else set()) | ({"weekday"} if rail and weekday
                                                             else set())
    return tuple(f.name for f in FILES.values() if f.when in needed)


def ordered(names: Iterable[str]) -> list[str]:
    """``names`` in the order of the declarations (undeclared ones last, as given)."""
    rank = {name: k for k, name in enumerate(FILES)}
    return sorted(names, key=lambda n: rank.get(n, len(rank)))


def check_files(files: Mapping[str, Sequence[str] | None], required: Iterable[str] = ()
                ) -> None:
    """Raise :class:`OutputDeclarationError` unless every file is declared for a scenario
    folder, each table has exactly its declared columns in order and every ``required``
    file is there.

    ``files`` maps file name → column names of a table (None for a text file).
    """
    problems = [f"{name}: required file missing" for name in required if name not in files]
    for name, columns in files.items():
        try:
            spec = result_file(name)
        except KeyError:
            problems.append(f"{name}: file not declared")
            continue
        if spec.is_table != (columns is not None):
            problems.append(f"{name}: declared as {'a table' if spec.is_table else 'text'}")
        elif columns is not None and tuple(columns) != spec.column_names():
            problems.append(f"{name}: columns {list(columns)} differ from the declared "
                            f"{list(spec.column_names())}")
    _raise(problems)


def check_kpi_rows(rows: Iterable[Mapping[str, object]], price_year: int | None = None) -> None:
    """Raise :class:`OutputDeclarationError` unless every KPI row is declared: variable
    (or family), unit (at ``price_year`` when given) and statistic; no row twice."""
    problems, seen = [], set()
    for row in rows:
        variable, unit, statistic = (str(row.get(k)) for k in ("variable", "unit", "statistic"))
        declared = kpi(variable)
        if declared is None:
            problems.append(f"KPI {variable!r} not declared")
            continue
        if not declared.unit_matches(unit, price_year):
            expected = declared.unit if price_year is None else declared.unit_for(price_year)
            problems.append(f"KPI {variable!r}: unit {unit!r}, declared {expected!r}")
        if statistic not in declared.statistics:
            problems.append(f"KPI {variable!r}: statistic {statistic!r}, declared "
                            f"{list(declared.statistics)}")
        if (variable, statistic) in seen:
            problems.append(f"KPI {variable!r}: statistic {statistic!r} twice")
        seen.add((variable, statistic))
    _raise(problems)


def _raise(problems: list[str]) -> None:
    if problems:
        raise OutputDeclarationError(
            "outputs not as declared in railsim/outputs/ (a bug in railsim: declare new "
            "outputs there and run `make docs`): " + "; ".join(problems))


