#!/usr/bin/env bash
# Regenerate the README's rule table from rules/*.toml (tests/readme.rs checks it).
set -euo pipefail
cd "$(dirname "$0")/.."
table=$(cargo run -q -- rules --markdown)
python3 - "$table" <<'PY'
import sys, re
table = sys.argv[1] + "\n"
text = open("README.md").read()
start = text.index("<!-- rules:begin")
start = text.index("\n", start) + 1
end = text.index("<!-- rules:end -->")
open("README.md", "w").write(text[:start] + table + text[end:])
PY
