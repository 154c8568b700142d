#!/usr/bin/env bash
# Proves the repository is self-contained: clones HEAD into a new temporary folder with nothing
# beside it (no ../shared, no .venv) and runs the Rust part of the README's test command there,
# `cargo test --all-targets`, as a new user would right after cloning. Tests that need the
# Python venv skip (as they do in any fresh clone); every other test must pass without reading
# a file outside the clone.
#
# The cargo target directory is shared (CARGO_TARGET_DIR), so dependencies are not rebuilt;
# only credlint's own crates are, from the clone. Uncommitted changes are not in the clone.
set -euo pipefail
cd "$(dirname "$0")/.."
exec </dev/null

if [ -n "${CREDLINT_IN_FRESH_CLONE:-}" ]; then
  echo "fresh-clone: already inside a fresh clone; not cloning again" >&2
  exit 0
fi

target=$(cargo metadata --format-version 1 --no-deps |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
head=$(git rev-parse HEAD)
if [ -n "$(git status --porcelain --untracked-files=no)" ]; then
  echo "fresh-clone: the work tree has uncommitted changes; testing HEAD ($head) without them" >&2
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/credlint-fresh-clone.XXXXXX")
restore() {
  rm -rf "$tmp"
  # The clone's build replaced the binary cargo copies to <target>/debug; put this tree's back.
  rm -f "$target/debug/credlint"
  cargo build --quiet
}
trap restore EXIT

start=$(date +%s)
git clone --quiet --no-checkout --no-hardlinks "$PWD" "$tmp/credlint"
git -C "$tmp/credlint" checkout --quiet --detach "$head"
echo "fresh-clone: $tmp/credlint at $head (nothing beside it: $(ls -A "$tmp" | tr '\n' ' '))"
(
  cd "$tmp/credlint"
  env -u CREDLINT_REQUIRE_VENV -u CREDLINT_REQUIRE_TOOLS \
    CREDLINT_IN_FRESH_CLONE=1 CARGO_TARGET_DIR="$target" \
    cargo test --all-targets --quiet
)
echo "fresh-clone: passed in $(($(date +%s) - start)) s"
