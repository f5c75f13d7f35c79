# Sourced by the other scripts: puts the project's tools on PATH and, on the Debian path,
# sets the variables that build std from source for wasm32 (never for native builds).
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CARGO_BIN="${CARGO_HOME:-$HOME/.cargo}/bin"
MODE=$(cat "$ROOT/tools/.wasm-mode" 2>/dev/null || echo rustup)
if [ "$MODE" = debian ]; then
  # Debian's rustc 1.96 (/usr/bin) drives the wasm build; trunk and wasm-bindgen live in cargo's bin.
  export PATH="$ROOT/tools/bin:/usr/bin:$CARGO_BIN:$PATH"
else
  export PATH="$ROOT/tools/bin:$CARGO_BIN:$PATH"
fi
export CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
wasm_env() {
  # Leptos type erasure: measured 742 KB -> 612 KB gzip for a first visit.
  export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="--cfg erase_components"
  if [ "$MODE" = debian ]; then
    export RUSTC_BOOTSTRAP=1
    export CARGO_UNSTABLE_BUILD_STD=std,panic_abort
    export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER=wasm-ld-19
  fi
}
