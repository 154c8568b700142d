#!/usr/bin/env bash
# Fuzz every parser with libFuzzer (cargo-fuzz), on the stable toolchain: `-s none` needs no
# sanitizer and so no nightly compiler. Each target runs for FUZZ_SECONDS (default 60).
# Crashes land in fuzz/artifacts/<target>/; keep each as a regression test in tests/.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${FUZZ_SECONDS:-60}"
command -v cargo-fuzz >/dev/null 2>&1 || cargo install --locked cargo-fuzz
targets=(ini dotenv shell text chain)
mkdir -p fuzz/corpus
for t in "${targets[@]}"; do
  mkdir -p "fuzz/corpus/$t"
  # Seed each corpus with the fixtures of its format.
  case "$t" in
    ini|chain) find fixtures -path '*/.aws/*' -type f -exec cp {} "fuzz/corpus/$t/" \; ;;
    dotenv) find fixtures -name '*.env' -o -name '.env*' | while read -r f; do cp "$f" "fuzz/corpus/$t/" 2>/dev/null || true; done ;;
    shell) find fixtures -name '*.sh' -exec cp {} "fuzz/corpus/$t/" \; ;;
    text) find fixtures -type f -name '*.md' -exec cp {} "fuzz/corpus/$t/" \; ;;
  esac
  echo "fuzz: $t for ${seconds}s"
  cargo fuzz run -s none --release "$t" "fuzz/corpus/$t" -- -max_total_time="$seconds" -rss_limit_mb=2048 2>&1 | tail -n 3
done
echo "fuzz: ${#targets[@]} targets ran ${seconds}s each without a crash"
