#!/usr/bin/env bash
# Prints raw and gzip sizes of what a first visit downloads (html + wasm + js + css), and apart
# from it the spreadsheet worker, which is fetched only when a spreadsheet is imported or exported.
set -euo pipefail
dir=${1:-dist}
total_raw=0; total_gz=0
printf '%-48s %10s %10s\n' "first-visit file" "raw B" "gzip B"
for f in "$dir"/index.html "$dir"/*.wasm "$dir"/*.js "$dir"/*.css; do
  [ -f "$f" ] || continue
  case "$(basename "$f")" in reform-sheets*|sheet_loader.js) continue ;; esac
  raw=$(stat -c %s "$f"); gz=$(gzip -9 -c "$f" | wc -c)
  total_raw=$((total_raw + raw)); total_gz=$((total_gz + gz))
  printf '%-48s %10d %10d\n' "$(basename "$f")" "$raw" "$gz"
done
printf '%-48s %10d %10d\n' "TOTAL first visit" "$total_raw" "$total_gz"
w_raw=0; w_gz=0
for f in "$dir"/reform-sheets* "$dir"/sheet_loader.js; do
  [ -f "$f" ] || continue
  raw=$(stat -c %s "$f"); gz=$(gzip -9 -c "$f" | wc -c)
  w_raw=$((w_raw + raw)); w_gz=$((w_gz + gz))
  printf '%-48s %10d %10d\n' "  (on demand) $(basename "$f")" "$raw" "$gz"
done
[ "$w_raw" -gt 0 ] && printf '%-48s %10d %10d\n' "TOTAL spreadsheet worker (not in first visit)" "$w_raw" "$w_gz"
exit 0
