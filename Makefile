# The two commands of the README: `make up` runs the whole system, `make test` the suite.
# Both build .venv from nothing, so a fresh machine needs only Python 3.11+ and make.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: up test venv lint bench histories clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[embedded,test]'
	touch $(STAMP)

venv: $(STAMP)

up: $(STAMP)
	bash scripts/system-packages.sh
	$(BIN)/arshjul up

test: $(STAMP)
	bash scripts/test-setup.sh
	$(BIN)/python -m pytest -q $(PYTEST_ARGS)

bench: $(STAMP)
	for b in bench/bench_*.py; do PYTHONPATH=. $(BIN)/python $$b || exit 1; done

# Golden histories of this release's workflows (tests/workflows/histories/v<version>/); the
# replay test replays them on every run. ARGS: scenario names, --release vX.Y.Z, --force.
histories: $(STAMP)
	$(BIN)/python -m tests.workflows.capture $(ARGS)

lint: $(STAMP)
	$(BIN)/ruff check arshjul tests bench

clean:
	rm -rf $(VENV) .pytest_cache
