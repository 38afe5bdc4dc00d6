# Development entry points. Every target fetches what it needs first (scripts/setup is
# idempotent), so each works on a fresh clone.

.PHONY: setup example test lint

setup:
	@scripts/setup

# Compile the bundled example project to create-or-replace DDL for DuckDB.
example: setup
	cargo run --release -q -p nexus-cli -- compile --project-dir tests/fixtures/default --format ddl --out target/nexus/example

# The whole test suite: unit, snapshot, DuckDB execution and CLI tests.
test: setup
	scripts/test

lint: setup
	cargo fmt --all --check
	cargo clippy --workspace --all-targets -- -D warnings
