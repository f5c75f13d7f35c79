#!/usr/bin/env bash
# Installs everything the build and the tests need, skipping what is already there.
# Two paths (see README.md):
#   - rustup path: where `rustup target add wasm32-unknown-unknown` works (a normal laptop);
#   - Debian path: where it cannot download (our build machines): Debian's rustc-web, the
#     standard library's source and wasm-ld-19, with std built from source for wasm32.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
TRUNK_VERSION=0.21.14
# The CLI must match the wasm-bindgen crate exactly; read the version from Cargo.lock.
WB_VERSION=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/,""); print; exit}' Cargo.lock)
say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
APT_UPDATED=0
apt_install() {
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "apt-get install ${missing[*]}"
  if [ $APT_UPDATED = 0 ]; then $SUDO apt-get update -qq; APT_UPDATED=1; fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# Browser for the tests, a CJK font so screenshots and printouts show Chinese, pdftoppm to look at PDFs.
apt_install chromium chromium-driver fonts-noto-cjk poppler-utils ca-certificates curl
command -v node >/dev/null && command -v npm >/dev/null || apt_install nodejs npm

# The lint gates of the test command: rustfmt and clippy (in rustup's default profile; added
# where a minimal profile left them out).
for comp in rustfmt clippy; do
  cargo "${comp/rustfmt/fmt}" --version >/dev/null 2>&1 || rustup component add "$comp"
done

# Which way to get a wasm32 standard library.
MODE_FILE="$ROOT/tools/.wasm-mode"
mkdir -p "$ROOT/tools/bin"
# REFORM_WASM_MODE=debian|rustup forces a path (to test the Debian one on a laptop).
if [ -n "${REFORM_WASM_MODE:-}" ]; then echo "$REFORM_WASM_MODE" > "$MODE_FILE"; fi
if [ ! -f "$MODE_FILE" ]; then
  if rustup target list --installed 2>/dev/null | grep -q '^wasm32-unknown-unknown$' \
     || timeout 120 rustup target add wasm32-unknown-unknown >/dev/null 2>&1; then
    echo rustup > "$MODE_FILE"
  else
    echo debian > "$MODE_FILE"
  fi
fi
MODE=$(cat "$MODE_FILE")
say "wasm32 toolchain: $MODE path"
if [ "$MODE" = debian ]; then
  apt_install rustc-web cargo-web rust-web-src lld-19
  # build-std compiles std from rust-web-src; its own dependencies (dlmalloc, …) must be in the
  # registry cache because Trunk runs cargo with --offline.
  RUSTC_BOOTSTRAP=1 /usr/bin/cargo fetch --quiet --manifest-path /usr/lib/rustlib/src/rust/library/Cargo.toml
fi

# Trunk and wasm-bindgen, built from crates.io with the host toolchain (~17 min the first time).
CARGO_BIN="${CARGO_HOME:-$HOME/.cargo}/bin"
if ! "$CARGO_BIN/trunk" --version 2>/dev/null | grep -q " $TRUNK_VERSION\$"; then
  say "cargo install trunk $TRUNK_VERSION (slow, once)"
  cargo install trunk --version "$TRUNK_VERSION" --locked
fi
if ! "$CARGO_BIN/wasm-bindgen" --version 2>/dev/null | grep -q " $WB_VERSION\$"; then
  say "cargo install wasm-bindgen-cli $WB_VERSION (slow, once)"
  cargo install wasm-bindgen-cli --version "$WB_VERSION" --force
fi

# wasm-opt from npm's binaryen (Debian's is too old), playwright-core for the browser tests,
# axe-core for their accessibility audit and lighthouse for the first-visit scores.
if [ ! -d "$ROOT/tools/node_modules/binaryen" ] || [ ! -d "$ROOT/tools/node_modules/playwright-core" ] \
   || [ ! -d "$ROOT/tools/node_modules/axe-core" ] || [ ! -d "$ROOT/tools/node_modules/lighthouse" ] \
   || [ "$ROOT/tools/package-lock.json" -nt "$ROOT/tools/node_modules/.package-lock.json" ]; then
  say "npm ci (binaryen, playwright-core, axe-core, lighthouse)"
  (cd "$ROOT/tools" && npm ci --no-audit --no-fund --loglevel=error)
fi
cat > "$ROOT/tools/bin/wasm-opt" <<WRAP
#!/bin/sh
exec node "$ROOT/tools/node_modules/binaryen/bin/wasm-opt" "\$@"
WRAP
chmod +x "$ROOT/tools/bin/wasm-opt"
say "ready"
