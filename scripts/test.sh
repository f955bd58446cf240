#!/usr/bin/env bash
# The whole test suite: formatting, lints, then every test (unit, property, HTTP on
# SQLite and PostgreSQL, command line, browser). Run from the repository root.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-test-deps.sh
cargo fmt --all -- --check
cargo clippy --workspace --all-targets --locked -- -D warnings
cargo nextest run --workspace --locked --no-fail-fast
