"""The layer contract: imports flow one way, from the foundation up to the CLI.

Every module of railsim belongs to one layer; a module may import its own layer and the
layers below it, never one above. Every import statement counts wherever it is (module
level, inside functions, lazy imports), and so does ``importlib.import_module("...")``
with a literal name.

Imports under ``if TYPE_CHECKING:`` do not count: they never run, so they cannot create
an import cycle, load a heavy library or make a lower layer depend on a higher one's
behaviour. They let an annotation name a type that a function only receives (the batch
task names the Evaluation it returns). They should stay rare.

The package root ``railsim/__init__.py`` is the public facade: it imports nothing of
railsim when it runs (its exports are imported by name on first use), so any layer may
``import railsim`` for ``__version__``, and its lazy export table is not checked here.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "railsim"

# Lowest first. A name covers the module and, for a package, everything inside it.
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("foundation", ("railsim", "railsim.errors", "railsim.numfmt", "railsim.texts",
                    "railsim.parallel", "railsim.preloaded", "railsim.quick_exit",
                    "railsim.logs", "railsim.streams", "railsim.outputs")),
    ("config", ("railsim.config",)),
    ("models", ("railsim.data", "railsim.corridor", "railsim.prices", "railsim.network",
                "railsim.running",
                "railsim.checks", "railsim.scenarios", "railsim.timetable",
                "railsim.demand", "railsim.costs", "railsim.appraisal",
                "railsim.distributions", "railsim.synthetic")),
    ("sim", ("railsim.sim",)),
    ("batch/results", ("railsim.evaluation", "railsim.results", "railsim.batch",
                       "railsim.diff")),
    ("plot", ("railsim.plot",)),
    ("report", ("railsim.report",)),
    ("api", ("railsim.api",)),
    ("cli", ("railsim.cli", "railsim.entry")),
]

# (importing module, imported module) → why it is tolerated for now. Keep this short.
ALLOWED_UPWARD: dict[tuple[str, str], str] = {}


@dataclass(frozen=True)
class Import:
    module: str
    """The importing module."""
    target: str
    """The railsim module imported (a package's name when a name of its __init__ is)."""
    file: str
    """The importing file, relative to the repository."""
    line: int


def module_name(path: Path, package: Path = PACKAGE) -> str:
    parts = list(path.relative_to(package.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(test: ast.expr) -> bool:
    return ((isinstance(test, ast.Name) and test.id == "TYPE_CHECKING")
            or (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"))


class _Imports(ast.NodeVisitor):
    """The runtime imports of one module (TYPE_CHECKING blocks skipped)."""

    def __init__(self, path: Path, package: Path) -> None:
        self.path = path
        self.package = package
        self.module = module_name(path, package)
        self.found: list[Import] = []

    def _is_module(self, name: str) -> bool:
        place = self.package.parent.joinpath(*name.split("."))
        return place.with_suffix(".py").is_file() or place.is_dir()

    def _add(self, target: str, node: ast.stmt | ast.expr) -> None:
        if target == "railsim" or target.startswith("railsim."):
            file = self.path.relative_to(self.package.parent).as_posix()
            self.found.append(Import(self.module, target, file, node.lineno))

    def visit_If(self, node: ast.If) -> None:
        if _is_type_checking(node.test):
            for child in node.orelse:  # only the body is for the type checker alone
                self.visit(child)
            return
        self.generic_visit(node)

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self._add(alias.name, node)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        base = node.module or ""
        if node.level:  # relative: counted from this module's package
            package = self.module.split(".")
            if self.path.name != "__init__.py":
                package.pop()
            package = package[:len(package) - node.level + 1]
            base = ".".join([*package, *([base] if base else [])])
        targets = [f"{base}.{alias.name}" for alias in node.names]
        # names of one module count once: `from railsim.network import Network, Leg`
        for target in dict.fromkeys(t if self._is_module(t) else base for t in targets):
            self._add(target, node)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if (name == "import_module" and node.args and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)):
            self._add(node.args[0].value, node)
        self.generic_visit(node)


def runtime_imports(path: Path, package: Path = PACKAGE) -> list[Import]:
    visitor = _Imports(path, package)
    visitor.visit(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
    return visitor.found


def layer_of(module: str) -> int | None:
    """Index in LAYERS of the most specific name covering ``module``."""
    best: tuple[int, int] | None = None  # (length of the name, layer)
    for number, (_, names) in enumerate(LAYERS):
        for name in names:
            covers = module == name or (module.startswith(name + ".") and name != "railsim")
            if covers and (best is None or len(name) > best[0]):
                best = (len(name), number)
    return None if best is None else best[1]


def violations(package: Path = PACKAGE) -> list[str]:
    """One line per import that breaks the contract: file, line, modules and the rule."""
    order = " → ".join(name for name, _ in LAYERS)
    found = []
    for path in sorted(package.rglob("*.py")):
        for imp in runtime_imports(path, package):
            mine, theirs = layer_of(imp.module), layer_of(imp.target)
            where = f"{imp.file}:{imp.line}"
            if mine is None or theirs is None:
                unknown = imp.module if mine is None else imp.target
                found.append(f"{where}: {unknown} belongs to no layer; add it to LAYERS "
                             "in tests/test_layers.py")
            elif theirs > mine and (imp.module, imp.target) not in ALLOWED_UPWARD:
                found.append(f"{where}: {imp.module} ({LAYERS[mine][0]}) imports "
                             f"{imp.target} ({LAYERS[theirs][0]}), a higher layer; "
                             f"imports flow {order}")
    return found


def test_every_module_belongs_to_a_layer():
    modules = [module_name(path) for path in sorted(PACKAGE.rglob("*.py"))]
    assert [module for module in modules if layer_of(module) is None] == []


def test_no_module_imports_a_higher_layer():
    problems = violations()
    assert problems == [], "\n".join(problems)


def test_allowed_upward_imports_still_exist():
    # An entry whose import is gone must go too, or the allow-list only ever grows.
    imports = {(imp.module, imp.target) for path in PACKAGE.rglob("*.py")
               for imp in runtime_imports(path)}
    assert [pair for pair in ALLOWED_UPWARD if pair not in imports] == []


def _fake_package(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / "railsim" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root / "railsim"


def test_an_upward_import_is_reported_with_file_line_and_rule(tmp_path):
    package = _fake_package(tmp_path, {
        "__init__.py": "",
        "plot/__init__.py": "",
        "plot/charts.py": "",
        "report/__init__.py": "",
        "report/builder.py": "",
        "sim/__init__.py": "",
        "config/__init__.py": "",
        "config/schema.py": (
            "from typing import TYPE_CHECKING\n"
            "import railsim\n"
            "from railsim import errors\n"
            "if TYPE_CHECKING:\n"
            "    from railsim.sim import SimResult  # not run: not counted\n"
            "else:\n"
            "    import railsim.sim\n"
            "def draw():\n"
            "    from ..plot import charts\n"
            "    return importlib.import_module('railsim.report.builder')\n"),
    })
    rule = ("a higher layer; imports flow foundation → config → models → sim → "
            "batch/results → plot → report → api → cli")
    assert violations(package) == [
        f"railsim/config/schema.py:7: railsim.config.schema (config) imports railsim.sim "
        f"(sim), {rule}",
        f"railsim/config/schema.py:9: railsim.config.schema (config) imports "
        f"railsim.plot.charts (plot), {rule}",
        f"railsim/config/schema.py:10: railsim.config.schema (config) imports "
        f"railsim.report.builder (report), {rule}",
    ]


def test_a_module_outside_every_layer_is_reported(tmp_path):
    package = _fake_package(tmp_path, {"__init__.py": "", "extra.py": "import railsim.cli\n"})
    assert violations(package) == [
        "railsim/extra.py:1: railsim.extra belongs to no layer; add it to LAYERS in "
        "tests/test_layers.py"]


def test_the_report_may_draw_charts_but_the_charts_may_not_use_the_report(tmp_path):
    package = _fake_package(tmp_path, {
        "__init__.py": "", "plot/__init__.py": "from railsim.report import builder\n",
        "report/__init__.py": "", "report/builder.py": "from railsim import plot\n"})
    assert [line.split(":")[0] for line in violations(package)] == ["railsim/plot/__init__.py"]
