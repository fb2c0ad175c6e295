#!/usr/bin/env bash
# Share of rank-clipping training time spent in the low-rank approximations (Group Scissor issue goal: < 5 %).
# Runs a short `xbarcut clip` (or reads the summary.json of runs given as arguments) and prints, per run,
# approximation seconds (eigen/SVD decompositions, momentum projection and layer rewrites, timed inside
# clip_ranks) against the training time without the test evaluations made for the history.
# Usage: bench/clip_overhead.sh [RUN_DIR ...]   (no argument: a 2,000-iteration LeNet/MNIST run, ~2 min)
# Needs build/xbarcut, $XBARCUT_DATA with mnist/ and a trained LeNet in BASE (default /work/runs/lenet_mnist).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=./build/xbarcut
runs=("$@")
if [ ${#runs[@]} -eq 0 ]; then
  base=${BASE:-/work/runs/lenet_mnist}/model.pt
  out=$(mktemp -d /tmp/xbarcut_clip_overhead.XXXXXX)
  trap 'rm -rf "$out"' EXIT
  nice -n 5 timeout 1200 "$bin" clip --checkpoint "$base" --dataset mnist --eps 0.03 --interval 500 \
    --iters "${ITERS:-2000}" --test-interval 0 --threads "${THREADS:-1}" --out "$out/run" >/dev/null 2>&1
  runs=("$out/run")
fi
for run in "${runs[@]}"; do
  python3 - "$run/summary.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
approx, train, evals = s["approximation_seconds"], s["train_seconds"], s.get("history_eval_seconds", 0.0)
checks = len(s["history"]) - 2  # iteration 0 and the end are not checks
print(f"{sys.argv[1]}: {checks} rank checks, approximation {approx:.2f} s of {train - evals:.1f} s training "
      f"(history evaluations excluded): ratio {approx / (train - evals):.4f} "
      f"({100 * approx / (train - evals):.2f} %, goal < 5 %)")
PY
done
