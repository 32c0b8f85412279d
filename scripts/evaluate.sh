#!/usr/bin/env bash
# Reproduces every figure in docs/model-card.md with the shipped model:
#   scripts/evaluate.sh [OUTPUT_DIR]        (default artifacts/eval; needs ../shared/data)
set -euo pipefail
cd "$(dirname "$0")/.."
PANTAU=${PANTAU:-.venv/bin/pantau}
out=${1:-artifacts/eval}
mkdir -p "$out"
export_split() { "$PANTAU" corpus export "$@"; }
export_split --source real --split test --out "$out/real-test.jsonl"
export_split --source real --split test --surface-matched --out "$out/real-test-surface.jsonl"
export_split --source real --split test --surface-matched --strip-hashtags --out "$out/real-test-surface-nohashtags.jsonl"
export_split --source real --split test --strip-hashtags --out "$out/real-test-nohashtags.jsonl"
export_split --source written --split test --out "$out/written-test.jsonl"
for name in real-test real-test-surface real-test-surface-nohashtags real-test-nohashtags written-test; do
  echo "== $name"
  "$PANTAU" eval "$out/$name.jsonl" --worst 20 > "$out/$name.txt"
  head -n 1 "$out/$name.txt"
done
# Written cases by an independent author, never trained or tuned on (corpus/heldout/README.md).
echo "== heldout-independent-c"
"$PANTAU" eval corpus/heldout/independent_c.jsonl --worst 20 > "$out/heldout-independent-c.txt"
head -n 1 "$out/heldout-independent-c.txt"
echo "== heldout-independent-d"
"$PANTAU" eval corpus/heldout/independent_d.jsonl --worst 20 > "$out/heldout-independent-d.txt"
head -n 1 "$out/heldout-independent-d.txt"
