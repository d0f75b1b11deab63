# Two commands for a newcomer: `make build` and `make test` (see README.md).
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-from-lock

export NTP_WAREHOUSE ?= warehouse/ntp_poverty.duckdb
export DBT_PROFILES_DIR := $(CURDIR)
export PYTHONPATH := $(CURDIR)/scripts
export DBT_SEND_ANONYMOUS_USAGE_STATS := false

.PHONY: build test venv lint clean

# The virtualenv is rebuilt whenever the lock file changes; every package is pinned with hashes.
$(STAMP): requirements.lock
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes --no-deps -r requirements.lock
	$(BIN)/pip check
	touch $(STAMP)

venv: $(STAMP)

## Validate the seeds, seed, run and test everything into $(NTP_WAREHOUSE), then validate the
## marts with Great Expectations (Data Docs in the warehouse folder's data_docs/).
build: $(STAMP)
	$(BIN)/python -m ntp_poverty.validate_seeds seeds
	mkdir -p $(dir $(NTP_WAREHOUSE))
	$(BIN)/dbt build --fail-fast --full-refresh
	$(BIN)/python -m ntp_poverty.validate_marts $(NTP_WAREHOUSE)

## Every test: pytest (unit, provenance, bad-input and a full build into a temporary warehouse) and sqlfluff.
test: $(STAMP)
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/sqlfluff lint models macros

clean:
	rm -rf target logs dbt_packages $(NTP_WAREHOUSE)
