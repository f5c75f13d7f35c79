#!/usr/bin/env bash
# Prints raw, gzip and brotli sizes of what a first visit downloads (html + wasm + js + css), and
# apart from it the two workers fetched on demand: the spreadsheet worker (a spreadsheet imported
# or exported) and the exchange worker (an exchange file imported).
# The compressed sizes are those of the .gz and .br files the build ships beside each file
# (scripts/post-build.mjs); issue 17's target is ≤ 300 KB brotli and ≤ 400 KB gzip.
set -euo pipefail
dir=${1:-dist}
size() { [ -f "$1" ] && stat -c %s "$1" || echo 0; }
row() { printf '%-48s %10s %10s %10s\n' "$@"; }
row "first-visit file" "raw B" "gzip B" "brotli B"
t_raw=0; t_gz=0; t_br=0; w_raw=0; w_gz=0; w_br=0; x_raw=0; x_gz=0; x_br=0
for f in "$dir"/index.html "$dir"/*.wasm "$dir"/*.js "$dir"/*.css; do
  [ -f "$f" ] || continue
  raw=$(size "$f"); gz=$(size "$f.gz"); br=$(size "$f.br")
  [ "$gz" -gt 0 ] || { echo "size-report: $f.gz missing (run the build: scripts/post-build.mjs writes it)" >&2; exit 1; }
  case "$(basename "$f")" in
    reform-sheets*|sheet_loader.js) w_raw=$((w_raw + raw)); w_gz=$((w_gz + gz)); w_br=$((w_br + br)); continue ;;
    reform-exchange*|exchange_loader.js) x_raw=$((x_raw + raw)); x_gz=$((x_gz + gz)); x_br=$((x_br + br)); continue ;;
  esac
  t_raw=$((t_raw + raw)); t_gz=$((t_gz + gz)); t_br=$((t_br + br))
  row "$(basename "$f")" "$raw" "$gz" "$br"
done
row "TOTAL first visit" "$t_raw" "$t_gz" "$t_br"
row "TOTAL spreadsheet worker (on demand)" "$w_raw" "$w_gz" "$w_br"
row "TOTAL exchange worker (on demand)" "$x_raw" "$x_gz" "$x_br"
printf 'size: first visit %d KB gzip (target 400), %d KB brotli (target 300)\n' $((t_gz / 1024)) $((t_br / 1024))
