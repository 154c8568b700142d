#!/usr/bin/env bash
# Create .venv with the pinned Python packages the tests need (tests/requirements.txt).
# Idempotent and non-interactive: nothing is reinstalled while the requirements are unchanged.
set -euo pipefail
cd "$(dirname "$0")/.."

req=tests/requirements.txt
stamp=.venv/.requirements-stamp
want=$(sha256sum "$req" | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -x .venv/bin/python ]; then
  exit 0
fi
if [ -L .venv ] || [ ! -x .venv/bin/python ]; then
  rm -rf .venv
  python3 -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check --no-input -r "$req"
echo "$want" > "$stamp"
echo "setup-venv: .venv ready ($(.venv/bin/python -c 'import botocore; print("botocore", botocore.__version__)'))"
