#!/usr/bin/env bash
# Replays every reference transcript with the release build of `stowage` and scores the
# result against the real Docker recordings with compare.py. Fails below FIDELITY_MIN (%, 100
# by default: the reference sessions replay in full, and a line lost is a regression).
set -euo pipefail
cd "$(dirname "$0")/.."
ref=${REFERENCE_DIR:-../shared/reference}
min=${FIDELITY_MIN:-100}
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
# The exact share from the line counts: compare.py rounds 2238/2239 to 100.0%.
counts=$(echo "$report" | sed -n 's/^fidelity: .*(\([0-9]*\)\/\([0-9]*\) lines.*/\1 \2/p')
python3 -c "import sys; good, total = map(int, '$counts'.split()); sys.exit(0 if good * 100 >= float('$min') * total else 1)" || { echo "fidelity ($counts lines) is below $min%"; exit 1; }
