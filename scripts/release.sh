#!/usr/bin/env bash
# Builds the static folder an office hosts (dist/): opt-level z, LTO, wasm-opt (the exchange
# worker at opt-level 3: cargo profile `worker`); prints its size.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$ROOT/scripts/setup.sh"
source "$ROOT/scripts/env.sh"
wasm_env
cd "$ROOT"
trunk build --release --offline --public-url ./
"$ROOT/scripts/size-report.sh" dist
