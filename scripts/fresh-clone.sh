#!/usr/bin/env bash
# Proves the repository is self-contained: clones HEAD into a new temporary folder with nothing
# beside it (no sibling folders, no .venv) and runs the Rust part of the README's test command there,
# `cargo test --all-targets`, as a new user would right after cloning. Tests that need the
# Python venv skip (as they do in any fresh clone); every other test must pass without reading
# a file outside the clone.
#
# Dependencies are not rebuilt: the clone builds into its own target directory,
# <target>/fresh-clone, seeded with hard links to the dependencies' compiled artifacts from the
# shared one (rustc and the linker replace their outputs, never write into them; build-script
# outputs and fingerprints are copied). credlint's own crates are built from the clone there; sharing the target
# directory itself would not do, because cargo hashes workspace crates independently of their
# path: the clone's build would overwrite this tree's test binaries, which cargo would then
# think fresh. Uncommitted changes are not in the clone.
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
ct="$target/fresh-clone"
trap 'rm -rf "$tmp" "$ct"' EXIT

start=$(date +%s)
rm -rf "$ct"
mkdir -p "$ct/debug/deps" "$ct/debug/.fingerprint"
if [ -d "$target/debug/deps" ]; then
  find "$target/debug/deps" -maxdepth 1 -type f -name 'lib*' ! -name 'libcredlint-*' \
    -exec ln -t "$ct/debug/deps" {} +
  find "$target/debug/.fingerprint" -mindepth 1 -maxdepth 1 -type d ! -name 'credlint-*' \
    -exec cp -a -t "$ct/debug/.fingerprint" {} +
  [ ! -d "$target/debug/build" ] || cp -a "$target/debug/build" "$ct/debug/build"
fi
# The SARIF Multitool installed by scripts/setup-tools.sh, if any, for tests/sarif.rs.
[ ! -d "$target/tools" ] || ln -s "$target/tools" "$ct/tools"

git clone --quiet --no-checkout --no-hardlinks "$PWD" "$tmp/credlint"
git -C "$tmp/credlint" checkout --quiet --detach "$head"
echo "fresh-clone: $tmp/credlint at $head (nothing beside it: $(ls -A "$tmp" | tr '\n' ' '))"
(
  cd "$tmp/credlint"
  env -u CREDLINT_REQUIRE_VENV -u CREDLINT_REQUIRE_TOOLS \
    CREDLINT_IN_FRESH_CLONE=1 CARGO_TARGET_DIR="$ct" CARGO_INCREMENTAL=0 \
    cargo test --all-targets --quiet
)
echo "fresh-clone: passed in $(($(date +%s) - start)) s"
