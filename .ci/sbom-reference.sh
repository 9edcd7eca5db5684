#!/usr/bin/env bash
# Independent check of the SBOMs ossgate writes: for every project in $OSSGATE_DATA/inputs, write
# CycloneDX JSON (1.4-1.7), CycloneDX XML, SPDX JSON and SPDX tag-value with the built binary,
# and validate each with reference validators that share no code with ossgate
# (cyclonedx-python-lib's strict schema validators, spdx-tools' parser and validator).
#
#   .ci/sbom-reference.sh [BINARY]      # default: $CARGO_TARGET_DIR/debug/ossgate
set -euo pipefail
cd "$(dirname "$0")/.."
DATA="${OSSGATE_DATA:-../shared/data}"
BIN="${1:-${CARGO_TARGET_DIR:-$HOME/.cache/ossgate/target}/debug/ossgate}"
if [ ! -d "$DATA/inputs" ]; then
  if [ "${CI:-}" = "true" ]; then echo "no $DATA/inputs" >&2; exit 1; fi
  echo "skipped: no $DATA/inputs"; exit 0
fi

# The validators live in a virtual environment outside the clone, reused when present.
VENV="${OSSGATE_REFVAL_VENV:-$HOME/.cache/ossgate/refval}"
if ! "$VENV/bin/python" -c "import cyclonedx.validation.json, spdx_tools" 2>/dev/null; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check \
    "spdx-tools==0.8.5" "cyclonedx-python-lib[json-validation,xml-validation]==11.12.0"
fi

OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
for dir in "$DATA"/inputs/*/; do
  name=$(basename "$dir")
  "$BIN" sbom -q "$dir" --reproducible -o "$OUT/$name.cdx.json"
  "$BIN" sbom -q "$dir" --reproducible --format cyclonedx-xml -o "$OUT/$name.cdx.xml"
  "$BIN" sbom -q "$dir" --reproducible --format spdx-json -o "$OUT/$name.spdx.json"
  "$BIN" sbom -q "$dir" --reproducible --format spdx-tag-value -o "$OUT/$name.spdx"
done
# Every CycloneDX version ossgate writes, on one mid-sized input.
for v in 1.4 1.5 1.7; do
  "$BIN" sbom -q "$DATA/inputs/rubygems.org" --spec-version "$v" -o "$OUT/rubygems-$v.cdx.json"
  "$BIN" sbom -q "$DATA/inputs/rubygems.org" --spec-version "$v" --format cyclonedx-xml \
    -o "$OUT/rubygems-$v.cdx.xml"
done
echo "validating $(ls "$OUT" | wc -l) SBOMs with the reference validators"
# Two at a time (the machine has two cores); any failure fails the run.
ls "$OUT"/* | xargs -P 2 -n 4 "$VENV/bin/python" .ci/sbom_reference.py
