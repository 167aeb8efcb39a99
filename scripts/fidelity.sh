#!/usr/bin/env bash
# Replays every reference transcript with the release build of `stowage` and scores the
# result against the real Docker recordings with compare.py. Fails below FIDELITY_MIN (%).
set -euo pipefail
cd "$(dirname "$0")/.."
ref=${REFERENCE_DIR:-../shared/reference}
min=${FIDELITY_MIN:-99}
if [ ! -d "$ref/transcripts" ]; then
  echo "fidelity: reference transcripts not found at $ref (skipped)"
  exit 0
fi
cargo build --release -q -p stowage-cli
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for f in "$ref"/transcripts/*.txt; do
  "${CARGO_TARGET_DIR:-target}/release/stowage" replay "$f" > "$out/$(basename "$f")"
done
report=$(python3 "$ref/compare.py" --dir "$ref/transcripts" "$out")
echo "$report" | grep -E '^(==|fidelity)'
pct=$(echo "$report" | sed -n 's/^fidelity: \([0-9.]*\)%.*/\1/p')
python3 -c "import sys; sys.exit(0 if float('$pct') >= float('$min') else 1)" || { echo "fidelity $pct% is below $min%"; exit 1; }
