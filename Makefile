# Two commands for a newcomer: `make build` and `make test` (see README.md).
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-from-lock

export NTP_WAREHOUSE ?= warehouse/ntp_poverty.duckdb
export DBT_PROFILES_DIR := $(CURDIR)
export DBT_SEND_ANONYMOUS_USAGE_STATS := false
# DuckDB runs on every core (profiles.yml: one thread for a bare `dbt build`); `ntp` does the same
export NTP_DUCKDB_THREADS ?= $(shell nproc)

.PHONY: build refresh rollback report test test-all test-national chromium venv lint clean ledger geography synthetic \
	bench java spark-venv duckdb15-venv spark-build bench-spark spark-clean

# The virtualenv is rebuilt whenever the lock file or the package's metadata changes; every package
# is pinned with hashes; then the project's own package (src/ntp_poverty, the `ntp` command) is
# installed into it, editable, from this folder alone (no index, no dependencies: they came from the lock).
$(STAMP): requirements.lock pyproject.toml
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes --no-deps -r requirements.lock
	$(BIN)/pip install --quiet --no-deps --no-build-isolation --no-index -e .
	$(BIN)/pip check
	touch $(STAMP)

venv: $(STAMP)

# The Spark build's own virtualenv (dbt-spark, pyspark) from its own hashed lock, installed only by
# the targets that need it, so that `make build` stays light.
SPARK_VENV := .venv-spark
SPARK_BIN := $(SPARK_VENV)/bin
SPARK_STAMP := $(SPARK_VENV)/.installed-from-lock
export NTP_SPARK_WAREHOUSE ?= $(CURDIR)/warehouse/spark
export NTP_SPARK_MASTER ?= local[2]

$(SPARK_STAMP): requirements-spark.lock
	rm -rf $(SPARK_VENV)
	$(PYTHON) -m venv $(SPARK_VENV)
	$(SPARK_BIN)/pip install --quiet --require-hashes --no-deps -r requirements-spark.lock
	$(SPARK_BIN)/pip check
	touch $(SPARK_STAMP)

spark-venv: $(SPARK_STAMP)

# DuckDB 1.5 (what BI drivers ship) in a virtualenv of its own, from its hashed lock: the tests open
# every published DuckDB file with it (storage_compatibility_version). Built once, not per test run.
DUCKDB15_VENV := .venv-duckdb15
DUCKDB15_STAMP := $(DUCKDB15_VENV)/.installed-from-lock

$(DUCKDB15_STAMP): tests/duckdb15/requirements.lock
	rm -rf $(DUCKDB15_VENV)
	$(PYTHON) -m venv $(DUCKDB15_VENV)
	$(DUCKDB15_VENV)/bin/pip install --quiet --require-hashes --no-deps -r tests/duckdb15/requirements.lock
	touch $(DUCKDB15_STAMP)

duckdb15-venv: $(DUCKDB15_STAMP)

## Build the warehouse the one way it is produced: the refresh (validate seeds, dbt build with all
## tests into a candidate, Great Expectations, then publish atomically to $(NTP_WAREHOUSE) with the
## marts as Parquet in parquet/ and Data Docs in data_docs/ beside it).
build: refresh

## Incremental when only some feed partitions changed since the published build (see docs/operators.md);
## REFRESH_ARGS=--full-refresh computes every row again.
REFRESH_ARGS ?=
refresh: $(STAMP)
	$(BIN)/ntp refresh --warehouse $(NTP_WAREHOUSE) $(REFRESH_ARGS)

## Switch warehouse/current back to the previous release (every published form at once).
rollback: $(STAMP)
	$(BIN)/ntp rollback --warehouse $(NTP_WAREHOUSE)

## Render the static HTML report from the published warehouse into target/report/index.html (the
## published report is part of its sealed release, warehouse/report/index.html).
report: $(STAMP)
	$(BIN)/ntp report $(NTP_WAREHOUSE) target/report/index.html

## Debian's Chromium renders the report in the tests (the machines run as root).
chromium:
	@command -v chromium >/dev/null 2>&1 || { apt-get update && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium; }

## Spark needs Java 17: Debian's headless JRE if no java is on the PATH (the machines run as root).
java:
	@command -v java >/dev/null 2>&1 || { apt-get update && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends openjdk-17-jre-headless; }

## The same project on Apache Spark (dbt-spark session mode, master NTP_SPARK_MASTER, default local[2]):
## every seed, model and test, from scratch, into NTP_SPARK_WAREHOUSE (default warehouse/spark:
## Parquet tables, one folder per schema, and the Derby metastore). Reads NTP_FEEDS like `make build`.
spark-build: $(SPARK_STAMP) java
	rm -rf $(NTP_SPARK_WAREHOUSE)
	$(SPARK_BIN)/dbt build --target spark --full-refresh --target-path target/spark --log-path logs/spark

spark-clean:
	rm -rf $(NTP_SPARK_WAREHOUSE) target/spark logs/spark

## The same dbt build on Spark (NTP_SPARK_MASTER, default local[2]) and on DuckDB, RUNS times, on the synthetic
## feed of ROWS leaf rows that `make bench` uses: wall, CPU and peak RSS of each engine's process tree, the
## ratio run by run; raw numbers in benchmarks/results/spark/ROWS.json, BENCHMARKS.md rewritten.
RUNS ?= 3
bench-spark: $(STAMP) $(SPARK_STAMP) java
	$(BIN)/ntp bench-spark --rows $(ROWS) --runs $(RUNS) --master '$(NTP_SPARK_MASTER)'

## The tests that prove every promise of the README and docs/ once, in parallel (pytest-xdist, 2 workers, each
## file's tests in one worker): unit tests, provenance, bad input, the ledger, one shared dbt build
## read by the golden values, analyses, exports and docs tests, the refresh's orchestration on a fake
## build plus its real end-to-end runs (a good refresh, a failing gate, a kill during the build and
## one during publishing, readers during a refresh), incremental = full, the report and Data Docs in
## headless Chromium, a DuckDB 1.5 reader, sqlfluff, ruff, and the Spark build (local[2]) compared row
## by row with the DuckDB build. PYTEST_ARGS: more pytest options (e.g. -k refresh, -x).
PYTEST_ARGS ?=
PYTEST_PARALLEL := -n 2 --dist loadfile --no-loadscope-reorder --durations=25
test: $(STAMP) $(SPARK_STAMP) $(DUCKDB15_STAMP) chromium java
	$(BIN)/pytest $(PYTEST_PARALLEL) -m "not exhaustive" $(PYTEST_ARGS)

## Everything `make test` runs, and what is slow by nature and proves again what a faster test proves
## once (tests marked exhaustive): the real refresh killed at every publish step, the standalone
## Spark cluster, a broken Spark macro caught by the comparison. Run it before resolving an issue
## that touches models or publishing.
test-all: $(STAMP) $(SPARK_STAMP) $(DUCKDB15_STAMP) chromium java
	$(BIN)/pytest $(PYTEST_PARALLEL) $(PYTEST_ARGS)

## The refresh's guarantees at national scale, the same tests as in `make test` on a synthetic feed of
## NATIONAL_ROWS leaf rows (default 1M, generated once into target/feeds/): readers during a refresh,
## a refresh killed during its build and at each publish step, a concurrent refresh refused.
NATIONAL_ROWS ?= 1000000
NATIONAL_FEED := target/feeds/synthetic-$(NATIONAL_ROWS)
test-national: $(STAMP)
	test -f $(NATIONAL_FEED)/manifest.json || \
		$(BIN)/ntp synthetic --rows $(NATIONAL_ROWS) --out $(NATIONAL_FEED) --seed 42
	NTP_TEST_FEED=$(CURDIR)/$(NATIONAL_FEED) $(BIN)/pytest tests/test_refresh.py tests/test_refresh_orchestration.py \
		-k "readers or killed_during_the_build or second_refresh_refuses or sigkill"

## Completeness ledger: every numeral printed in documents/ is transcribed (a seed with provenance)
## or classified (rules, seeds/reference/numeral_classifications.csv); lists what is unaccounted
## (exit 1 if anything is) and writes target/ledger/ledger.{md,json,html}. Run it on a new document.
ledger: $(STAMP)
	$(BIN)/ntp ledger --documents documents --seeds seeds --summary target/ledger

## Regenerate the whole country's geography seeds (seeds/reference/geographies.csv and
## geography_successors.csv) from the pinned packages vietnamadminunits and vietnam-provinces,
## offline; review the diff and update the versions in seeds/reference/_reference__geography.yml.
geography: $(STAMP)
	$(BIN)/ntp geography

## A deterministic synthetic national line-item feed (feeds/README.md) in feeds/synthetic/ (git-ignored):
## about ROWS leaf rows, ERRORS deliberate errors in printed totals listed in its manifest.json and
## acknowledged in its acknowledged.csv. Build it with NTP_FEEDS=feeds/synthetic make build.
ROWS ?= 1000000
ERRORS ?= 5
synthetic: $(STAMP)
	$(BIN)/ntp synthetic --rows $(ROWS) --errors $(ERRORS) --out feeds/synthetic --seed 42

## Benchmarks (BENCHMARKS.md, docs/benchmarks.md): on the synthetic feed of ROWS leaf rows (feeds/synthetic
## when `make synthetic` wrote that size, else target/bench/feeds/ROWS), RUNS times: the full refresh, the engine
## floor (the compiled SQL in one DuckDB connection, marts compared equal), an incremental refresh after 1% of the
## partitions changed, pandas, plain SQL and polars (marts compared equal), and the real data; raw numbers in
## benchmarks/results/ROWS.json, BENCHMARKS.md rewritten from every result file.
## BENCH_ARGS: more options of benchmarks/run.py (--skip-floor, --skip-pandas, --skip-sql, --skip-polars, --revise 0,
## --skip-real-data: the 50M run, whose target is the full refresh within the memory limit).
RUNS ?= 3
BENCH_ARGS ?=
bench: $(STAMP)
	$(BIN)/ntp bench --rows $(ROWS) --runs $(RUNS) $(BENCH_ARGS)

## The linters `make test` runs too: sqlfluff on the SQL, ruff (check and format) on the Python.
lint: $(STAMP)
	$(BIN)/sqlfluff lint models macros
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf target logs dbt_packages $(NTP_WAREHOUSE)
