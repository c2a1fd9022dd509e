# caseload — the two set-up commands are `make demo` and `make test`; each creates the venv if needed.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
DEMO_DB := demo/caseload.db

.PHONY: demo test test-sqlite test-postgres stress lint bench bench-db clean

$(BIN)/caseload: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

# Build a fresh demo agency and run the morning job on it.
demo: $(BIN)/caseload
	@mkdir -p -m 700 demo
	@rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(BIN)/caseload --db $(DEMO_DB) demo --families 12 --seed 1
	$(BIN)/caseload --db $(DEMO_DB) family list --all
	$(BIN)/caseload --db $(DEMO_DB) overdue --all
	$(BIN)/caseload --db $(DEMO_DB) compliance --all
	@case=$$($(BIN)/caseload --db $(DEMO_DB) family list --all --program foster_care | awk 'NR==2 {print $$1}'); \
	for format in md docx pdf; do \
	  $(BIN)/caseload --db $(DEMO_DB) report court $$case --format $$format -o demo/court-report.$$format || exit 1; \
	done

# The whole suite on SQLite, then again on a throwaway PostgreSQL cluster (skipped with a message
# where PostgreSQL is not installed; .ci/run installs it).
test: test-sqlite test-postgres

test-sqlite: $(BIN)/caseload
	$(BIN)/python -m pytest

test-postgres: $(BIN)/caseload
	CASELOAD_TEST_BACKEND=postgres $(BIN)/python -m pytest

# Long runs: 8 processes x 50 writes, repeated SIGKILL mid-write, first-use races (SQLite).
stress: $(BIN)/caseload
	$(BIN)/python -m pytest -m stress

lint: $(BIN)/caseload
	$(BIN)/ruff check caseload tests bench
	$(BIN)/ruff format --check caseload tests bench

clean:
	rm -rf demo .pytest_cache .ruff_cache

# Agency-scale benchmark: builds bench/cache/agency.db once, then times the everyday commands.
bench-db: $(BIN)/caseload
	@command -v sqlite3 >/dev/null || (apt-get update -qq && apt-get install -y -qq sqlite3 >/dev/null) || true
	$(BIN)/python -c "import bench.run as b; b.build_database()"

bench: bench-db
	$(BIN)/python bench/run.py
