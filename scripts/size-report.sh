#!/usr/bin/env bash
# Prints raw and gzip sizes of what a first visit downloads (html + wasm + js + css).
set -euo pipefail
dir=${1:-dist}
total_raw=0; total_gz=0
printf '%-48s %10s %10s\n' "first-visit file" "raw B" "gzip B"
for f in "$dir"/index.html "$dir"/*.wasm "$dir"/*.js "$dir"/*.css; do
  [ -f "$f" ] || continue
  raw=$(stat -c %s "$f"); gz=$(gzip -9 -c "$f" | wc -c)
  total_raw=$((total_raw + raw)); total_gz=$((total_gz + gz))
  printf '%-48s %10d %10d\n' "$(basename "$f")" "$raw" "$gz"
done
printf '%-48s %10d %10d\n' "TOTAL first visit" "$total_raw" "$total_gz"
