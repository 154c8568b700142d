#!/usr/bin/env bash
# Every test credlint has, on a fresh machine: installs what the tests need (a Python venv
# with pinned botocore, pre-commit, python-dotenv, PyYAML and check-jsonschema; the SARIF
# Multitool from npm and checkov in a venv of its own, both under the cargo target
# directory), then runs the Rust tests, the differential tests against real botocore, the
# GitHub Action's steps on sample repositories, and the Rust tests again in a fresh clone of
# HEAD. Non-interactive; safe with CI=true.
#
# Writes only into the cargo target directory (CARGO_TARGET_DIR is honoured), .venv and
# temporary folders.
set -euo pipefail
cd "$(dirname "$0")/.."
export PYTHONDONTWRITEBYTECODE=1

target=$(cargo metadata --format-version 1 --no-deps |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
export CARGO_TARGET_DIR="$target"

bash scripts/setup-venv.sh
bash scripts/setup-tools.sh >/dev/null
bash scripts/setup-checkov.sh >/dev/null
cargo build --quiet
CREDLINT_REQUIRE_VENV=1 CREDLINT_REQUIRE_TOOLS=1 cargo test --all-targets
# Differential tests: random scenarios plus named regressions, credlint against botocore.
.venv/bin/python tests/differential/run.py --count "${CREDLINT_DIFF_COUNT:-2000}" \
  --credlint "$target/debug/credlint"
# `credlint .` reports an error exactly where `credlint resolve --profile` raises, over the
# same generator's homes (standard library only).
python3 tests/differential/scan_agrees.py --count "${CREDLINT_DIFF_COUNT:-2000}" \
  --credlint "$target/debug/credlint"
# The bearer-token path (Bedrock API keys), credlint against botocore with the request caught
# before it is sent.
.venv/bin/python tests/differential/bearer.py --count "${CREDLINT_BEARER_COUNT:-300}" \
  --credlint "$target/debug/credlint"
# The same for the JavaScript v3 Bedrock Runtime client (resolve --sdk js-v3 --service),
# against @aws-sdk/client-bedrock-runtime pinned in tests/oracles/js.
bash scripts/setup-oracles.sh js >/dev/null
.venv/bin/python tests/differential/bearer.py --sdk js-v3 --count "${CREDLINT_BEARER_COUNT:-300}" \
  --credlint "$target/debug/credlint"
# The other SDKs' chains against the real SDKs (scripts/setup-oracles.sh, run_sdk.py): the AWS
# CLI v2 (resolve --sdk cli-v2) from Debian's awscli, the JavaScript v3 chain (resolve --sdk
# js-v3) against @aws-sdk/credential-provider-node pinned in tests/oracles/js, and the Go v2
# chain (resolve --sdk go-v2) against Debian's golang-github-aws-aws-sdk-go-v2-dev, and the
# Rust chain (resolve --sdk rust) against aws-config built from tests/oracles/rust/Cargo.lock.
bash scripts/setup-oracles.sh cli js go rust
.venv/bin/python tests/differential/run_sdk.py --sdk cli --count "${CREDLINT_DIFF_COUNT:-2000}" \
  --credlint "$target/debug/credlint"
.venv/bin/python tests/differential/run_sdk.py --sdk js-v3 --count "${CREDLINT_DIFF_COUNT:-2000}" \
  --credlint "$target/debug/credlint"
.venv/bin/python tests/differential/run_sdk.py --sdk go-v2 --count "${CREDLINT_DIFF_COUNT:-2000}" \
  --credlint "$target/debug/credlint"
.venv/bin/python tests/differential/run_sdk.py --sdk rust --count "${CREDLINT_DIFF_COUNT:-2000}" \
  --credlint "$target/debug/credlint"
# action.yml: checked against the schema for action metadata, its steps run locally.
bash scripts/test-action.sh
# Last, because it rebuilds credlint's own crates from the clone into the shared target dir.
if [ -z "${CREDLINT_IN_FRESH_CLONE:-}" ]; then
  bash scripts/fresh-clone.sh
fi
