#!/usr/bin/env bash
# Every test credlint has, on a fresh machine: installs what the tests need (a Python venv
# with pinned botocore, pre-commit, jsonschema and python-dotenv), then runs the Rust tests
# and the differential tests against real botocore. Non-interactive; safe with CI=true.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup-venv.sh
cargo build --quiet
CREDLINT_REQUIRE_VENV=1 cargo test --all-targets
# Differential tests: random scenarios plus named regressions, credlint against botocore.
.venv/bin/python tests/differential/run.py --count "${CREDLINT_DIFF_COUNT:-2000}" --credlint target/debug/credlint
# The JavaScript v3 chain (resolve --sdk js-v3) against the real @aws-sdk/credential-provider-node,
# pinned in tests/oracles/js (the CLI v2, Go and Rust oracles: scripts/setup-oracles.sh, run_sdk.py).
bash scripts/setup-oracles.sh js
.venv/bin/python tests/differential/run_sdk.py --sdk js-v3 --count "${CREDLINT_DIFF_COUNT:-2000}" --credlint target/debug/credlint
