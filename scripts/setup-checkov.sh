#!/usr/bin/env bash
# Install checkov, pinned in tests/checkov-requirements.txt, from PyPI into its own venv under
# the cargo target directory (CARGO_TARGET_DIR is honoured), so nothing lands in the source
# tree:
#
#   <target>/tools/checkov-venv/bin/checkov
#
# It cannot share .venv: checkov pins boto3 (and so botocore) to an older release than the
# differential tests pin. Idempotent and non-interactive (fine with CI=true and no stdin):
# when the venv's stamp holds the SHA-256 of the requirements and its checkov still runs,
# nothing is done; the stamp is written last, so an interrupted run is redone. Prints the
# path of checkov on its last line.
set -euo pipefail
cd "$(dirname "$0")/.."
exec </dev/null

req=tests/checkov-requirements.txt
target=$(cargo metadata --format-version 1 --no-deps |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
venv="$target/tools/checkov-venv"
py="$venv/bin/python"
checkov="$venv/bin/checkov"
stamp="$venv/.stamp"
want=$(python3 -c 'import hashlib, sys; print(hashlib.sha256(open(sys.argv[1], "rb").read()).hexdigest())' "$req")
pinned=$(sed -n 's/^checkov==\([^[:space:]#]*\).*/\1/p' "$req")

installed() { "$py" -c 'from importlib.metadata import version; print(version("checkov"))' 2>/dev/null; }
ready() {
  [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -x "$checkov" ] &&
    [ "$(installed)" = "$pinned" ]
}

mkdir -p "$target/tools"
# Serialise concurrent runs (two test harnesses starting at once).
if command -v flock >/dev/null 2>&1; then
  exec 9>"$target/tools/.checkov.lock"
  flock 9
fi

if ! ready; then
  rm -f "$stamp"
  if ! { [ -x "$py" ] && "$py" -c 'import sys' >/dev/null 2>&1; }; then
    rm -rf "$venv"
    python3 -m venv "$venv" || {
      echo "setup-checkov: 'python3 -m venv' failed (on Debian/Ubuntu: apt-get install python3-venv)" >&2
      exit 1
    }
  fi
  export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1 PIP_NO_PYTHON_VERSION_WARNING=1
  "$py" -m pip install --quiet --no-input -r "$req" >&2
  have=$("$checkov" --version 2>/dev/null || true) # runs it once, not only reads metadata
  [ "$have" = "$pinned" ] || { echo "setup-checkov: want checkov $pinned, have '$have'" >&2; exit 1; }
  echo "$want" >"$stamp.tmp" && mv "$stamp.tmp" "$stamp"
fi
echo "$checkov"
