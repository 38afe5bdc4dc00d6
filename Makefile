# Development entry points. Every target fetches what it needs first (scripts/setup is
# idempotent), so each works on a fresh clone.

.PHONY: setup engines demo test lint bench

setup:
	@scripts/setup

# What the tests run on: a virtualenv with dbt, pyspark and sqlglot, and a throwaway PostgreSQL
# server on 127.0.0.1 (both idempotent; `make test` stops the server afterwards).
engines:
	@scripts/setup-python
	@scripts/setup-postgres

# The main job: generate 100,000 synthetic Segment calls into demo.duckdb, build every model on
# DuckDB, run the data tests and print a summary.
demo: setup
	cargo run -q -p nexus-cli -- demo

# The whole test suite: unit, snapshot, DuckDB, PostgreSQL and Spark execution, CLI and dbt tests.
test: setup engines
	@scripts/test; status=$$?; scripts/setup-postgres stop; exit $$status

lint: setup
	cargo fmt --all --check
	cargo clippy --workspace --all-targets -- -D warnings

# Benchmarks (not part of `test`): compile latency per dialect, and `nexus run` time and peak
# memory at 1M and 10M synthetic rows against a plain copy of the source tables. Results in
# target/bench/results.md and .json; pass options with BENCH_ARGS="--sizes 1000000 --runs 5".
bench: setup
	@scripts/bench $(BENCH_ARGS)
