#!/usr/bin/env bash
# Group Scissor on Caffe's cifar10_full ConvNet / CIFAR-10 with the shortened schedules of
# docs/results/group_scissor.md: the 20,000-iteration baseline, rank clipping at eps 0.015 for 20,000
# iterations, then group deletion at each lambda of LAMBDAS with the recipe of configs/scissor_convnet_cifar10.toml
# (adaptive proximal group Lasso, 30,000 iterations with x0.1 drops at 2/3 and 13/15 of the phase; fine-tuning at
# lr 0.001 with x0.1 drops at 7/10 and 9/10 of it). Prints a Markdown table like the results page's.
# Not run by CI. Run time on the shared 2-core reference machine, one thread per run: baseline about 18 min,
# clipping about 19 min, each lambda about 55 min (two runs sharing the cores: about 1.5x longer each).
# Every step is skipped when its summary.json exists and resumes from its checkpoint.pt when interrupted, so
# running the script again continues where it stopped.
# Knobs (environment): LAMBDAS (default "0.02 0.025 0.03"), BASE_ITERS (20000), CLIP_ITERS (20000),
# LASSO_ITERS (30000), FT_ITERS (20000), THREADS per run (1), JOBS lambdas at a time (1), BASE_DIR, CLIP_DIR, OUT.
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=${BIN:-./build/xbarcut}
export XBARCUT_DATA=${XBARCUT_DATA:-$(cd .. && pwd)/shared/datasets}
export OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-passive}  # two runs sharing two cores must not spin on each other
LAMBDAS=${LAMBDAS:-0.02 0.025 0.03}
BASE_ITERS=${BASE_ITERS:-20000}
CLIP_ITERS=${CLIP_ITERS:-20000}
LASSO_ITERS=${LASSO_ITERS:-30000}
FT_ITERS=${FT_ITERS:-20000}
THREADS=${THREADS:-1}
JOBS=${JOBS:-1}
base_dir=${BASE_DIR:-runs/convnet_cifar10_${BASE_ITERS}}
clip_dir=${CLIP_DIR:-runs/convnet_clip_eps0.015_${CLIP_ITERS}}
out=${OUT:-runs/group_scissor_convnet}
mkdir -p "$out"

# Drop points as a share of a phase, rounded to whole iterations.
at() { echo $(( $1 * $2 / $3 )); }

if [ ! -f "$base_dir/summary.json" ]; then
  $bin train --model convnet --dataset cifar10 --iters "$BASE_ITERS" --lr-policy multistep --gamma 0.1 \
    --stepvalues "$(at "$BASE_ITERS" 4 5)" "$(at "$BASE_ITERS" 9 10)" --test-interval 0 --threads "$THREADS" \
    --resume --out "$base_dir"
fi
if [ ! -f "$clip_dir/summary.json" ]; then
  $bin clip --checkpoint "$base_dir/model.pt" --dataset cifar10 --eps 0.015 --interval 1000 --iters "$CLIP_ITERS" \
    --test-interval 0 --threads "$THREADS" --resume --out "$clip_dir"
fi

run_delete() {  # lambda
  local dir=$out/lambda_$1
  [ -f "$dir/summary.json" ] && return 0
  $bin delete --checkpoint "$clip_dir/model.pt" --dataset cifar10 --lambda "$1" --lasso-adaptive 1 \
    --lasso-step proximal --iters "$LASSO_ITERS" --lr-policy multistep \
    --stepvalues "$(at "$LASSO_ITERS" 2 3),$(at "$LASSO_ITERS" 13 15)" --finetune-iters "$FT_ITERS" \
    --finetune-lr 0.001 --finetune-stepvalues "$(at "$FT_ITERS" 7 10),$(at "$FT_ITERS" 9 10)" --threads "$THREADS" \
    --test-interval 0 --display 2000 --checkpoint-every 2000 --resume --out "$dir" >"$dir.log" 2>&1 ||
    { echo "lambda $1 failed: $(tail -n 1 "$dir.log")" >&2; return 1; }
}
pids=()
for lambda in $LAMBDAS; do
  run_delete "$lambda" &
  pids+=($!)
  while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do wait -n || true; done
done
status=0
for pid in "${pids[@]}"; do wait "$pid" || status=1; done

python3 - "$base_dir" "$clip_dir" "$out" $LAMBDAS <<'PY'
import json, os, sys
base_dir, clip_dir, out, lambdas = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
base = json.load(open(os.path.join(base_dir, "summary.json")))
clip = json.load(open(os.path.join(clip_dir, "summary.json")))
b = base["accuracy"]
print(f"baseline {100*b:.2f} %; rank clipping {100*clip['accuracy']:.2f} % at {100*clip['crossbar_area_ratio']:.2f} % "
      f"crossbar area, ranks {clip['ranks']}\n")
print("| lambda | after lasso | test accuracy | vs baseline | live wires | routing area | "
      "crossbar area: empty removed / compacted | magnitude pruning, same sparsity: accuracy, routing area |")
print("|---|---|---|---|---|---|---|---|")
for lam in lambdas:
    path = os.path.join(out, f"lambda_{lam}", "summary.json")
    if not os.path.exists(path):
        print(f"| {lam} | (not finished) | | | | | | |")
        continue
    s = json.load(open(path))
    wires = ", ".join(f"{m['name']} {100*m['live_wires_ratio']:.1f}" for m in s["matrices"] if m.get("regularised"))
    mag = s.get("magnitude_pruned")
    mag_cell = f"{100*mag['accuracy']:.2f} %, {100*mag['routing_area_ratio']:.2f} %" if mag else ""
    print(f"| {lam} | {100*s['lasso_accuracy']:.2f} % | {100*s['accuracy']:.2f} % | {100*(s['accuracy']-b):+.2f} | "
          f"{wires} % | {100*s['routing_area_ratio']:.2f} % | {100*s['crossbar_area_ratio_nonempty']:.2f} / "
          f"{100*s['crossbar_area_ratio_compacted']:.2f} % | {mag_cell} |")
print("\npaper (no loss): wires 83.3, 40.5, 74.4, 81.9 %; routing area 52.06 %")
PY
exit $status
