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
evaluate() {  # evaluate NAME GOLD: first line to the terminal, the whole report to $out/NAME.txt
  echo "== $1"
  "$PANTAU" eval "$2" --worst 20 > "$out/$1.txt"
  head -n 1 "$out/$1.txt"
}
for name in real-test real-test-surface real-test-surface-nohashtags real-test-nohashtags written-test; do
  evaluate "$name" "$out/$name.jsonl"
done
# Written cases by independent authors, never trained or tuned on (corpus/heldout/README.md).
for set in c d e f g h i j; do
  evaluate "heldout-independent-$set" "corpus/heldout/independent_$set.jsonl"
done
# Child offers and their look-alikes written blind in the sixteenth session (minor-risk recall), and
# ordinary texts about children written blind in the eighteenth (child_lookalike_*: what escalates wrongly).
for set in a a_cut b lookalike_1 lookalike_2 lookalike_3 lookalike_4 lookalike_5; do
  evaluate "heldout-child-$set" "corpus/heldout/child_$set.jsonl"
done
# Ordinary posts with an ad's words (services with hourly rates and "WA admin"; everyday chat), eighteenth session.
for set in services everyday hospitality; do
  evaluate "heldout-negatives-$set" "corpus/heldout/negatives_$set.jsonl"
done
evaluate "heldout-agency-pairs" "corpus/heldout/agency_pairs.jsonl"  # admin-framed offers and businesses
