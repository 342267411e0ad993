#!/usr/bin/env bash
# Runs every bench/bench_*.py in turn. stdout: result lines only ("name value unit"), also
# saved to bench/results/latest.txt; progress goes to stderr. SIZE=small|medium|large (default
# medium), SEED (default 1) and REQUESTS (default 200) are passed to every script.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PY=.venv/bin/python
SIZE="${SIZE:-medium}"
SEED="${SEED:-1}"
REQUESTS="${REQUESTS:-200}"
mkdir -p bench/results var

started=$SECONDS
{
    for script in bench/bench_*.py; do
        echo "bench: running $script (size $SIZE, seed $SEED, $REQUESTS requests)" >&2
        "$PY" "$script" --size "$SIZE" --seed "$SEED" --requests "$REQUESTS"
    done
} | tee bench/results/latest.txt.partial
# Only a complete run replaces latest.txt (set -o pipefail stops us above if a script failed).
mv bench/results/latest.txt.partial bench/results/latest.txt
echo "bench: done in $((SECONDS - started))s; results in bench/results/latest.txt" >&2
