"""Build hook: the wheel carries the corridor data.

The project keeps its sourced data at the top level (``data/``, next to ``scenarios/``),
not inside the package. A regular (non-editable) build copies it into the wheel as
``railsim/_data`` so that ``pip install .`` or ``pip install git+…`` and Dask workers that
are not a checkout have the data; an editable install reads ``data/`` in place instead
(a copy would go stale when the data are edited). Everything else is in pyproject.toml.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

DATA = Path(__file__).resolve().parent / "data"


class BuildPyWithData(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        target = Path(self.build_lib) / "railsim" / "_data"
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(DATA, target,
                        ignore=shutil.ignore_patterns("scripts", "__pycache__", "*.pyc"))


setup(cmdclass={"build_py": BuildPyWithData})
