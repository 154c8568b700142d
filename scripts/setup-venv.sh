#!/usr/bin/env bash
# Create .venv (repo root) with the pinned Python packages the tests need, listed in
# tests/requirements.txt: botocore for the differential tests, pre-commit, python-dotenv for
# tests/dotenv_agreement.rs, PyYAML and check-jsonschema for scripts/test-action.sh.
#
# Idempotent and non-interactive (fine with CI=true and no stdin): when .venv/.stamp holds
# the SHA-256 of tests/requirements.txt and .venv's python still runs, nothing is done.
# Otherwise the venv is (re)created if missing or broken, the pins are installed from PyPI
# with pip, checked, and the stamp is written last, so an interrupted run is redone.
set -euo pipefail
cd "$(dirname "$0")/.."
exec </dev/null

# Serialise concurrent runs (two test harnesses starting at once) on this script itself.
if command -v flock >/dev/null 2>&1; then
  exec 9<"$0"
  flock 9
fi

# strace lets tests/safety.rs prove that credlint opens no socket and starts no program.
# Best effort, only as root with apt-get, only when it is missing.
if ! command -v strace >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q strace >/dev/null 2>&1 ||
    { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q strace >/dev/null 2>&1; } || true
fi

req=tests/requirements.txt
stamp=.venv/.stamp
py=.venv/bin/python
want=$(python3 -c 'import hashlib, sys; print(hashlib.sha256(open(sys.argv[1], "rb").read()).hexdigest())' "$req")

venv_works() { [ -x "$py" ] && "$py" -c 'import sys' >/dev/null 2>&1; }

if venv_works && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi

if [ -L .venv ] || { [ -e .venv ] && ! venv_works; }; then
  echo "setup-venv: replacing a broken .venv"
  rm -rf .venv
fi
if [ ! -e .venv ]; then
  python3 -m venv .venv || {
    echo "setup-venv: 'python3 -m venv' failed (on Debian/Ubuntu: apt-get install python3-venv)" >&2
    exit 1
  }
fi
rm -f "$stamp"

export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1 PIP_NO_PYTHON_VERSION_WARNING=1
"$py" -m pip install --quiet --no-input -r "$req"

# Every pin must be what is installed now (a stale venv could hold other versions).
"$py" - "$req" <<'EOF'
import re, sys
from importlib.metadata import version, PackageNotFoundError
bad = []
for line in open(sys.argv[1], encoding="utf-8"):
    line = line.split("#", 1)[0].strip()
    m = re.fullmatch(r"([A-Za-z0-9_.-]+)==([^\s;]+)", line)
    if not m:
        continue
    try:
        have = version(m.group(1))
    except PackageNotFoundError:
        have = None
    if have != m.group(2):
        bad.append(f"{m.group(1)}: want {m.group(2)}, have {have}")
if bad:
    sys.exit("setup-venv: pins not satisfied: " + "; ".join(bad))
EOF

echo "$want" >"$stamp.tmp" && mv "$stamp.tmp" "$stamp"
rm -f .venv/.requirements-stamp # the stamp's earlier name
echo "setup-venv: .venv ready ($("$py" -c 'import botocore; print("botocore", botocore.__version__)'))"
