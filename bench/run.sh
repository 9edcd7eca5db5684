#!/usr/bin/env bash
# Benchmarks on the real inputs: import rate, warm-store scan wall time and peak RSS per input,
# and cargo-audit side by side on the same RustSec data. Prints Markdown tables.
#
#   bench/run.sh            # needs ../shared/data (or $OSSGATE_DATA), hyperfine, GNU time
#   CARGO_AUDIT=/path/to/cargo-audit bench/run.sh   # to include the cargo-audit comparison
set -euo pipefail
cd "$(dirname "$0")/.."
DATA="${OSSGATE_DATA:-../shared/data}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/ossgate/target}"
cargo build --release --quiet -p ossgate-cli
BIN="$CARGO_TARGET_DIR/release/ossgate"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export OSSGATE_HOME="$WORK/home"

records=$(python3 -c "import zipfile,glob; print(sum(len(zipfile.ZipFile(z).namelist()) for z in glob.glob('$DATA/osv/*.zip')))")
echo "## Import of all of $DATA/osv ($records records)"
echo
hyperfine --style none --runs 5 --prepare "rm -rf $OSSGATE_HOME" \
  --export-json "$WORK/import.json" "$BIN db import -q $DATA/osv" >/dev/null
python3 - "$WORK/import.json" "$records" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"][0]; n = int(sys.argv[2])
print(f"| runs | median wall | records/s |\n|---|---|---|\n| {len(r['times'])} | {r['median']:.3f} s | {n / r['median']:,.0f} |")
PY
"$BIN" db import -q "$DATA/kev/known_exploited_vulnerabilities.json"

echo
echo "## Scan with a warm store (median of 30 runs, JSON to stdout; peak RSS from GNU time)"
echo
echo "| input | components | findings | median wall | peak RSS |"
echo "|---|---|---|---|---|"
for f in cargo/Cargo.lock deno/Cargo.lock localsend/Cargo.lock npm-cli/package-lock.json \
         insomnia/package-lock.json warehouse-2021/package-lock.json firefly-iii/package-lock.json \
         saleor/package-lock.json poetry/poetry.lock warehouse-2021/requirements/main.txt warehouse-2021 \
         outline/yarn.lock jenkins/yarn.lock argo-cd/go.mod rubygems.org/Gemfile.lock firefly-iii/composer.lock \
         saleor/uv.lock bitwarden-server/src/Api/packages.lock.json; do
  p="$DATA/inputs/$f"
  "$BIN" scan "$p" -f json > "$WORK/out.json" 2>/dev/null || true
  read -r comps finds < <(python3 -c "import json; d=json.load(open('$WORK/out.json'))['summary']; print(d['components'], d['findings'])")
  hyperfine -N --style none --warmup 3 --runs 30 -i 2>/dev/null --export-json "$WORK/h.json" "$BIN scan $p -f json" >/dev/null
  med=$(python3 -c "import json; print('%.1f ms' % (json.load(open('$WORK/h.json'))['results'][0]['median']*1000))")
  /usr/bin/time -f '%M' -o "$WORK/rss" "$BIN" scan "$p" -f json -o "$WORK/o.json" 2>/dev/null || true
  rss=$(tail -1 "$WORK/rss")
  echo "| $f | $comps | $finds | $med | $((rss / 1024)) MB |"
done

AUDIT="${CARGO_AUDIT:-$(command -v cargo-audit || true)}"
if [ -n "$AUDIT" ]; then
  echo
  echo "## cargo-audit side by side (same RustSec advisories: $DATA/rustsec-advisory-db vs osv/crates.io.zip)"
  echo
  echo "| Cargo.lock | cargo-audit median | ossgate median | speed-up | same vulnerabilities |"
  echo "|---|---|---|---|---|"
  for proj in cargo deno localsend; do
    lock="$DATA/inputs/$proj/Cargo.lock"
    "$AUDIT" audit --db "$DATA/rustsec-advisory-db" --no-fetch --no-yanked --json --file "$lock" > "$WORK/audit.json" 2>/dev/null || true
    "$BIN" scan "$lock" -f json > "$WORK/og.json" 2>/dev/null || true
    same=$(python3 - "$WORK/audit.json" "$WORK/og.json" <<'PY'
import json, sys
a = json.load(open(sys.argv[1])); o = json.load(open(sys.argv[2]))
A = {(v["package"]["name"], v["advisory"]["id"]) for v in a["vulnerabilities"]["list"]}
O = {(f["name"], f["id"]) for f in o["findings"] if f["informational"] is None}
print(f"yes ({len(A)})" if A == O else f"NO: audit-only {sorted(A - O)}, ossgate-only {sorted(O - A)}")
PY
)
    hyperfine -N --style none --warmup 3 --runs 30 -i 2>/dev/null --export-json "$WORK/a.json" \
      "$AUDIT audit --db $DATA/rustsec-advisory-db --no-fetch --no-yanked --json --file $lock" >/dev/null
    hyperfine -N --style none --warmup 3 --runs 30 -i 2>/dev/null --export-json "$WORK/b.json" "$BIN scan $lock -f json" >/dev/null
    python3 - "$WORK/a.json" "$WORK/b.json" "$proj" "$same" <<'PY'
import json, sys
a = json.load(open(sys.argv[1]))["results"][0]["median"]; b = json.load(open(sys.argv[2]))["results"][0]["median"]
print(f"| {sys.argv[3]} | {a*1000:.1f} ms | {b*1000:.1f} ms | {a/b:.1f}x | {sys.argv[4]} |")
PY
  done
fi
