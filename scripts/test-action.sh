#!/usr/bin/env bash
# The GitHub Action (action.yml): validated against SchemaStore's JSON schema for action
# metadata (vendored by check-jsonschema, so offline), then its steps run locally on sample
# repositories by scripts/test_action.py, whose SARIF logs the SARIF Multitool must accept.
# Needs the venv (scripts/setup-venv.sh) and the tools (scripts/setup-tools.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
export PYTHONDONTWRITEBYTECODE=1

.venv/bin/check-jsonschema --builtin-schema vendor.github-actions action.yml
tool=$(bash scripts/setup-tools.sh | tail -n 1)
target=$(cargo metadata --format-version 1 --no-deps |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
.venv/bin/python scripts/test_action.py --multitool "$tool" --target-dir "$target"
