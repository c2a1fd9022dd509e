# caseload — the two set-up commands are `make demo` and `make test`; each creates the venv if needed.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
DEMO_DB := demo/caseload.db

.PHONY: demo test test-sqlite test-postgres stress lint bench bench-db bench-scale clean

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
	$(BIN)/caseload --db $(DEMO_DB) report court $$case -o demo/court-report.md && \
	if command -v pandoc >/dev/null; then \
	  $(BIN)/caseload --db $(DEMO_DB) report court $$case --format docx -o demo/court-report.docx; \
	else echo "(pandoc is not installed: no Word copy of the court report)"; fi

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

# Agency-scale benchmark: builds bench/cache/agency.db (and the same agency in a PostgreSQL cluster
# kept in bench/cache/pg) once, then times the everyday commands on both backends.
bench-db: $(BIN)/caseload
	@command -v sqlite3 >/dev/null || (apt-get update -qq && apt-get install -y -qq sqlite3 >/dev/null) || true
	$(BIN)/python -c "import bench.run as b; b.build_database()"

bench: bench-db
	$(BIN)/python bench/run.py

# One worker's overdue on a 50,000-family agency on PostgreSQL (built once into bench/cache/pg).
bench-scale: $(BIN)/caseload
	$(BIN)/python bench/run.py scale
