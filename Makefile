# railsim: two commands on a fresh machine (Python 3.11 and make):
#   make demo   set up .venv and run the main job on scenarios/
#   make test   set up .venv with the dev extras and run lint, types and tests
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PIP_FLAGS := --disable-pip-version-check --quiet
CONSTRAINTS := constraints.txt
# railsim's byte code, written even where PYTHONDONTWRITEBYTECODE is set (then every process
# would compile its modules again: about 0.1 s each, the run's workers too); quick when
# nothing changed, and a stale file is never used (Python checks the source's time)
COMPILE := $(BIN)/python -m compileall -q -j 0 railsim

.PHONY: demo test lint typecheck pytest docs notebooks benchmark clean lock

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install $(PIP_FLAGS) --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml $(CONSTRAINTS)
	$(BIN)/pip install $(PIP_FLAGS) -c $(CONSTRAINTS) -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(BIN)/pip install $(PIP_FLAGS) -c $(CONSTRAINTS) -e '.[dev]'
	touch $@

# One run: the options and, from scenarios/validation/, the back-casts of today's services,
# which the run keeps apart (checks of the model, not options: validation.csv and their own
# section of the report).
demo: $(VENV)/.installed
	$(COMPILE)
	$(BIN)/railsim validate scenarios/
	$(BIN)/railsim run scenarios/ --out results/
	@echo "open results/report.fi.html (suomeksi) or results/report.en.html; tables in results/summary.csv and results/<scenario>/; back-casts against observed counts: results/validation.csv"

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .

typecheck: $(VENV)/.installed-dev
	$(BIN)/mypy

pytest: $(VENV)/.installed-dev
	$(COMPILE)
	$(BIN)/python -m pytest -q

test: lint typecheck pytest

docs: $(VENV)/.installed
	$(BIN)/railsim schema --format markdown > docs/scenario-reference.md
	$(BIN)/railsim schema --format editor > docs/scenario.schema.json
	$(BIN)/python -c "from railsim.data import write_readme_tables; write_readme_tables()"
	$(BIN)/python -c "from railsim.outputs import result_tables_markdown as md; print(md(), end='')" > docs/result-tables.md

notebooks: $(VENV)/.installed-dev
	$(BIN)/pip install $(PIP_FLAGS) -c $(CONSTRAINTS) -e '.[dev,notebooks]'
	$(BIN)/jupyter lab notebooks/

benchmark: $(VENV)/.installed-dev
	$(COMPILE)
	$(BIN)/python benchmarks/run.py

# Refresh the pinned versions after changing dependencies in pyproject.toml.
lock: $(BIN)/python
	$(BIN)/pip install $(PIP_FLAGS) -e '.[dev]'
	$(BIN)/pip freeze --exclude-editable | grep -v '^railsim' > $(CONSTRAINTS)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache results
