#!/usr/bin/env bash
# Group Scissor step 1 (rank clipping) on LeNet / MNIST: the dense baseline, direct LRA at the clipped
# ranks, rank clipping with PCA and with SVD at eps 0.03, a higher-eps point for the ~1 % loss row, and
# an eps sweep of direct LRA with the clip runs for the area-vs-error picture. Prints a Markdown table.
# Not run by CI. Run time on the shared 2-core reference machine: about 13 min per 20k-iteration clip run.
# ITERS (default 20000) shortens the paper's 30,000-iteration clipping schedule; the solver's steps scale.
# Each run is capped at 20 minutes (timeout). THREADS (default 1) CPU threads per run.
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=./build/xbarcut
export XBARCUT_DATA=${XBARCUT_DATA:-$(cd .. && pwd)/shared/datasets}
ITERS=${ITERS:-20000}
HIGH_EPS=${HIGH_EPS:-0.1}
THREADS=${THREADS:-1}
base_dir=${BASE_DIR:-runs/lenet_mnist}
out=${OUT:-runs/group_scissor_lenet}
mkdir -p "$out"

if [ ! -f "$base_dir/model.pt" ]; then
  $bin train --model lenet --dataset mnist --out "$base_dir"
fi
base=$base_dir/model.pt

run_clip() {  # name, extra args...
  local name=$1; shift
  [ -f "$out/$name/summary.json" ] || nice -n 5 timeout 1200 $bin clip --checkpoint "$base" --dataset mnist \
    --interval 500 --iters "$ITERS" --test-interval 0 --threads "$THREADS" --out "$out/$name" "$@" \
    2>&1 | tee "$out/$name.log"
}
run_clip clip_pca_eps0.03 --eps 0.03
run_clip "clip_pca_eps$HIGH_EPS" --eps "$HIGH_EPS"
run_clip clip_svd_eps0.03 --eps 0.03 --lra svd
run_clip clip_pca_centred_eps0.03 --eps 0.03 --centered

ranks=$(python3 -c "import json;r=json.load(open('$out/clip_pca_eps0.03/summary.json'))['ranks'];print(','.join(f'{k}={v}' for k,v in r.items()))")
run_lowrank() {  # name, args...
  local name=$1; shift
  [ -f "$out/$name/summary.json" ] || $bin lowrank --checkpoint "$base" --dataset mnist --threads "$THREADS" \
    --out "$out/$name" "$@"
}
run_lowrank direct_lra_clipped_ranks --ranks "$ranks"
run_lowrank direct_lra_paper_ranks --ranks conv1=5,conv2=12,fc1=36
run_lowrank direct_lra_eps0.03 --eps 0.03
run_lowrank sweep --eps 0.01,0.03,0.05,0.1,0.2,0.3 --clip-runs "$out/clip_pca_eps0.03,$out/clip_pca_eps$HIGH_EPS"

python3 - "$out" "$base_dir" <<'PY'
import json, os, sys
out, base_dir = sys.argv[1], sys.argv[2]
base = json.load(open(os.path.join(base_dir, "summary.json")))
rows = [("original (dense)", base["accuracy"], None, 1.0, base.get("command", ""))]
for name in ["direct_lra_clipped_ranks", "direct_lra_paper_ranks", "direct_lra_eps0.03"] + sorted(
        d for d in os.listdir(out) if d.startswith("clip_") and os.path.isdir(os.path.join(out, d))):
    s = json.load(open(os.path.join(out, name, "summary.json")))
    rows.append((name, s["accuracy"], s["ranks"], s["crossbar_area_ratio"], s["command"]))
print("| run | test accuracy | ranks (conv1, conv2, fc1) | crossbar area | command |")
print("|---|---|---|---|---|")
for name, acc, ranks, area, cmd in rows:
    r = "20, 50, 500 (dense)" if ranks is None else ", ".join(str(ranks[k]) for k in ("conv1", "conv2", "fc1"))
    print(f"| {name} | {100*acc:.2f} % | {r} | {100*area:.2f} % | `{cmd}` |")
for name in sorted(d for d in os.listdir(out) if d.startswith("clip_") and os.path.isdir(os.path.join(out, d))):
    s = json.load(open(os.path.join(out, name, "summary.json")))
    print(f"{name}: approximation {s['approximation_seconds']:.2f} s of {s['train_seconds']:.1f} s training "
          f"({100*s['approximation_share']:.2f} %)")
PY
