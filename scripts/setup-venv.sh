#!/usr/bin/env bash
# Create .venv with the pinned Python packages the tests need (tests/requirements.txt).
# Idempotent and non-interactive: nothing is reinstalled while the requirements are unchanged.
set -euo pipefail
cd "$(dirname "$0")/.."

# strace proves in tests/safety.rs that no socket is opened and no program started.
if ! command -v strace >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  apt-get install -y -q strace >/dev/null 2>&1 || { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q strace >/dev/null 2>&1; } || true
fi

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
