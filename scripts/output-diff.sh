#!/usr/bin/env bash
# Check that two credlint binaries give byte-identical output: on fixtures/ as a whole, on
# every rule fixture tree (laid out as tests/rule_fixtures.rs does: a copy with an empty
# .git/ and every `gitignore` installed as `.gitignore`), and on any extra trees given.
# For a change that must not alter results (a speed-up, a refactor).
#
# usage: scripts/output-diff.sh BEFORE_BINARY AFTER_BINARY [EXTRA_TREE...]
# e.g.   scripts/output-diff.sh /work/bin/credlint-main target/release/credlint /tmp/credlint-bench/aws/tree
# Exit 0 when every output matches, 1 otherwise (the differences are printed).
set -u
before=$(realpath "$1")
after=$(realpath "$2")
shift 2
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0
checked=0

# compare NAME DIR ARGS...: run both binaries in DIR with ARGS, in every output format.
compare() {
    local name=$1 dir=$2
    shift 2
    local fmt
    for fmt in json human sarif; do
        (cd "$dir" && "$before" "$@" --format "$fmt" --fail-level never >"$work/before" 2>"$work/before.err")
        local rb=$?
        (cd "$dir" && "$after" "$@" --format "$fmt" --fail-level never >"$work/after" 2>"$work/after.err")
        local ra=$?
        checked=$((checked + 1))
        if [ $rb != $ra ] || ! cmp -s "$work/before" "$work/after" || ! cmp -s "$work/before.err" "$work/after.err"; then
            echo "DIFFERS: $name ($fmt; exit $rb -> $ra)"
            diff "$work/before" "$work/after" | head -20
            diff "$work/before.err" "$work/after.err" | head -5
            status=1
        fi
    done
    # What was done with each file, as `credlint files` lists it.
    (cd "$dir" && "$before" files "$@" --format json >"$work/before" 2>&1)
    (cd "$dir" && "$after" files "$@" --format json >"$work/after" 2>&1)
    checked=$((checked + 1))
    if ! cmp -s "$work/before" "$work/after"; then
        echo "DIFFERS: $name (files)"
        diff "$work/before" "$work/after" | head -20
        status=1
    fi
}

compare "fixtures" "$root" fixtures
compare "fixtures --no-ignore" "$root" fixtures --no-ignore
for tree in "$root"/fixtures/rules/*/*/ "$root"/fixtures/demo/; do
    name=${tree#"$root"/}
    copy="$work/tree"
    rm -rf "$copy"
    cp -a "$tree" "$copy"
    mkdir -p "$copy/.git"
    find "$copy" -name gitignore -type f | while read -r g; do mv "$g" "$(dirname "$g")/.gitignore"; done
    compare "$name" "$copy" .
done
for extra in "$@"; do
    compare "$extra" "$extra" .
done
echo "output-diff: $checked outputs compared, $([ $status = 0 ] && echo 'all identical' || echo 'SOME DIFFER')"
exit $status
