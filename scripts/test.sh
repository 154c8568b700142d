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
# The bearer-token path (Bedrock API keys), credlint against botocore with the request caught
# before it is sent.
.venv/bin/python tests/differential/bearer.py --count "${CREDLINT_BEARER_COUNT:-300}" --credlint "$PWD/target/debug/credlint"
