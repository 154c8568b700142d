#!/usr/bin/env bash
# Install the non-Python tools the tests use, pinned, under the cargo target directory
# (wherever cargo puts it: CARGO_TARGET_DIR is honoured), so nothing lands in the source tree:
#
#   <target>/tools/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool
#     Microsoft's SARIF Multitool 5.7.0 (npm), which tests/sarif.rs and
#     scripts/test-action.sh run to validate credlint's SARIF against the 2.1.0 schema and
#     GitHub's ingestion rules (`validate --rule-kind "Gh;Sarif"`).
#
# Only the platform package is installed: it holds the self-contained binary, which the tests
# call directly (the `@microsoft/sarif-multitool` wrapper only passes its arguments through a
# shell). Idempotent and non-interactive; prints the tool's path on its last line.
set -euo pipefail
cd "$(dirname "$0")/.."
exec </dev/null

version=5.7.0
case "$(uname -s)" in
  Linux) platform=linux bin=Sarif.Multitool ;;
  Darwin) platform=darwin bin=Sarif.Multitool ;;
  *) echo "setup-tools: no SARIF Multitool package for $(uname -s)" >&2; exit 1 ;;
esac

target=$(cargo metadata --format-version 1 --no-deps |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
prefix="$target/tools"
pkg="$prefix/node_modules/@microsoft/sarif-multitool-$platform"
tool="$pkg/$bin"

installed() {
  [ -x "$tool" ] &&
    python3 -c 'import json, sys; sys.exit(json.load(open(sys.argv[1]))["version"] != sys.argv[2])' \
      "$pkg/package.json" "$version" 2>/dev/null
}

if ! installed; then
  command -v npm >/dev/null 2>&1 || {
    echo "setup-tools: npm is missing (on Debian/Ubuntu: apt-get install npm)" >&2
    exit 1
  }
  mkdir -p "$prefix"
  # Serialise concurrent runs on the prefix itself.
  if command -v flock >/dev/null 2>&1; then
    exec 9>"$prefix/.lock"
    flock 9
  fi
  if ! installed; then
    npm install --prefix "$prefix" --cache "$prefix/.npm-cache" --no-save --no-audit --no-fund \
      --no-package-lock \
      --loglevel=error "@microsoft/sarif-multitool-$platform@$version" >&2
    # The package's postinstall only does this; npm may be set not to run install scripts.
    chmod u+x "$tool"
  fi
fi
installed || { echo "setup-tools: $tool is not SARIF Multitool $version" >&2; exit 1; }
echo "$tool"
