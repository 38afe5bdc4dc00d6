# Development entry points. Every target fetches what it needs first (scripts/setup is
# idempotent), so each works on a fresh clone.

.PHONY: setup setup-python demo test lint

setup:
	@scripts/setup

# The Python tools the tests drive (dbt with dbt-duckdb), into .deps/venv.
setup-python:
	@scripts/setup-python

# The main job: generate 100,000 synthetic Segment calls into demo.duckdb, build every model on
# DuckDB, run the data tests and print a summary.
demo: setup
	cargo run -q -p nexus-cli -- demo

# The whole test suite: unit, snapshot, DuckDB execution, CLI and dbt tests.
test: setup setup-python
	scripts/test

lint: setup
	cargo fmt --all --check
	cargo clippy --workspace --all-targets -- -D warnings
