#!/usr/bin/env bash
# Install and build the SDK oracles of the differential tests (tests/differential/run_sdk.py),
# pinned and offline at run time. Idempotent: a second run only checks. No prompts.
#
#   AWS CLI v2      Debian's `awscli` (2.9.19 on bookworm), run by /usr/bin/python3
#   JavaScript v3   @aws-sdk/credential-provider-node and @aws-sdk/client-bedrock-runtime
#                   (tests/differential/bearer.py --sdk js-v3), exact versions from
#                   tests/oracles/js/package-lock.json, installed into .oracles/js
#   Go v2           Debian's golang-github-aws-aws-sdk-go-v2-dev and golang-go, built in GOPATH
#                   mode (no module download) into .oracles/go/oracle
#   Rust            aws-config from tests/oracles/rust/Cargo.lock (--locked), built into
#                   .oracles/rust-target
#
# .oracles/fakebin/sh is the stand-in `sh` the Go and Rust oracles run credential_process
# through: it prints stand-in credentials and runs nothing.
#
# usage: bash scripts/setup-oracles.sh [cli|js|go|rust]...   (default: all four)
# Apt packages are installed only when missing, and only as root (CI runs as root).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
ORACLES=${CREDLINT_ORACLES:-$ROOT/.oracles}
mkdir -p "$ORACLES/fakebin"
wanted=("$@")
[ ${#wanted[@]} -eq 0 ] && wanted=(cli js go rust)
want() { local w; for w in "${wanted[@]}"; do [ "$w" = "$1" ] && return 0; done; return 1; }

cat > "$ORACLES/fakebin/sh.tmp" <<'SH'
#!/bin/sh
# credlint's oracles run credential_process as `sh -c COMMAND` with PATH set to this folder:
# answer stand-in credentials, run nothing.
printf '{"Version": 1, "AccessKeyId": "STANDINKEYNOTREAL0000", "SecretAccessKey": "stand-in"}\n'
SH
chmod +x "$ORACLES/fakebin/sh.tmp" && mv "$ORACLES/fakebin/sh.tmp" "$ORACLES/fakebin/sh"

apt_missing=()
need_deb() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed' || apt_missing+=("$1"); }
want cli && need_deb awscli
want go && { need_deb golang-go; need_deb golang-github-aws-aws-sdk-go-v2-dev; }
if [ ${#apt_missing[@]} -gt 0 ]; then
    if [ "$(id -u)" != 0 ]; then
        echo "setup-oracles: missing Debian packages (install as root): ${apt_missing[*]}" >&2
        exit 2
    fi
    echo "setup-oracles: apt-get install ${apt_missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${apt_missing[@]}" >/dev/null
fi

if want js; then
    lock_sum=$(cat tests/oracles/js/package.json tests/oracles/js/package-lock.json | sha256sum | cut -c1-16)
    if [ "$(cat "$ORACLES/js/.installed" 2>/dev/null)" != "$lock_sum" ]; then
        mkdir -p "$ORACLES/js"
        cp tests/oracles/js/package.json tests/oracles/js/package-lock.json "$ORACLES/js/"
        (cd "$ORACLES/js" && CI=true npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
        echo "$lock_sum" > "$ORACLES/js/.installed"
    fi
fi

if want go; then
    if [ ! -x "$ORACLES/go/oracle" ] || [ tests/oracles/go/main.go -nt "$ORACLES/go/oracle" ]; then
        mkdir -p "$ORACLES/go"
        GOPATH=/usr/share/gocode GO111MODULE=off GOFLAGS= GOCACHE="$ORACLES/go/cache" GOPROXY=off \
            go build -o "$ORACLES/go/oracle" ./tests/oracles/go
    fi
fi

if want rust; then
    CARGO_TARGET_DIR="$ORACLES/rust-target" cargo build --quiet --locked \
        --manifest-path tests/oracles/rust/Cargo.toml
fi

echo "setup-oracles: ready in $ORACLES"
want cli && echo "  cli:  awscli $(dpkg-query -W -f='${Version}' awscli) ($(/usr/bin/aws --version 2>&1 | cut -d' ' -f1))"
want js && echo "  js:   @aws-sdk/credential-provider-node $(node -p 'require(process.argv[1]).version' "$ORACLES/js/node_modules/@aws-sdk/credential-provider-node/package.json") under node $(node --version)"
want js && echo "        @aws-sdk/client-bedrock-runtime $(node -p 'require(process.argv[1]).version' "$ORACLES/js/node_modules/@aws-sdk/client-bedrock-runtime/package.json")"
want go && echo "  go:   golang-github-aws-aws-sdk-go-v2-dev $(dpkg-query -W -f='${Version}' golang-github-aws-aws-sdk-go-v2-dev) (config $(sed -n 's/^const goModuleVersion = "\(.*\)"/\1/p' /usr/share/gocode/src/github.com/aws/aws-sdk-go-v2/config/go_module_metadata.go)), $(go version | cut -d' ' -f3)"
want rust && echo "  rust: aws-config $(sed -n '/^name = "aws-config"/{n;s/version = "\(.*\)"/\1/p}' tests/oracles/rust/Cargo.lock)"
exit 0
