#!/usr/bin/env bash
# Installs what is missing, builds the app and serves it on http://127.0.0.1:8080
# (`scripts/serve.sh --release` serves the optimised build).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$ROOT/scripts/setup.sh"
source "$ROOT/scripts/env.sh"
wasm_env
cd "$ROOT"
exec trunk serve --offline "$@"
