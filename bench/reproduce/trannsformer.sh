#!/usr/bin/env bash
# Reproduces docs/results/trannsformer.md: MLP 784-1200-1200-10 on MNIST and Fashion-MNIST: dense
# baseline, magnitude-pruned reference (xbarcut prune), TraNNsformer at X = 64 (xbarcut trannsform),
# then the crossbar sweep X = 16, 32, 64, 128 from the summaries. The schedule is the shortened one the
# results page names (2-core machine shared with other jobs); raise the variables for longer runs.
# Usage: bash bench/reproduce/trannsformer.sh [OUT]   (DATASETS="mnist fashion-mnist" by default)
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:-runs/trannsformer}
bin=${XBARCUT:-build/xbarcut}
export XBARCUT_DATA=${XBARCUT_DATA:-/work/shared/datasets}
run() { echo "+ $*" >&2; nice -n 5 timeout "${LIMIT:-1500}" "$@"; }
for d in ${DATASETS:-mnist fashion-mnist}; do
  base_epochs=${BASE_EPOCHS:-2}; [ "$d" = mnist ] || base_epochs=${BASE_EPOCHS_FASHION:-1}
  [ -f "$out/$d/base/model.pt" ] || run "$bin" train --model mlp:784-1200-1200-10 --dataset "$d" \
    --epochs "$base_epochs" --out "$out/$d/base"
  common=(--checkpoint "$out/$d/base/model.pt" --dataset "$d" --epochs "${EPOCHS:-6}"
          --train-images "${TRAIN_IMAGES:-20000}")
  [ -f "$out/$d/pruned/model.pt" ] || run "$bin" prune "${common[@]}" --prune-max 0.9 --out "$out/$d/pruned"
  [ -f "$out/$d/trann/model.pt" ] || run "$bin" trannsform "${common[@]}" --xbar 64 \
    --prune-max 0.8 --quality-max 0.5 --quality-min 0.2 --min-utilisation 0.2 --cluster-prune-start 0.6 \
    --pruned "$out/$d/pruned/model.pt" --out "$out/$d/trann"
  python3 - "$out/$d/trann/summary.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
print(f"{s['dataset']}: accuracy {s['accuracy']:.4f}  baseline {s['baseline_accuracy']:.4f}  pruned {s['pruned_accuracy']:.4f}"
      f"  clustering {s['clustering_seconds']:.1f} s of {s['seconds']:.0f} s")
for x in s["sweep"]:
    how = x.get("sweep_mapping", "re-clustered offline" if x.get("reclustered_offline") else "trained")
    print(f"X={x['xbar']:>3} ({how:>20}) crossbars {x['trannsformer']['crossbars']:>5}"
          f" / pruned {x['pruned']['crossbars']:>5} / original {x['original']['crossbars']:>5}"
          f"  area vs orig {x['area_ratio_vs_original']:.3f}  energy vs orig {x['energy_ratio_vs_original']:.3f}"
          f"  area vs pruned {x['area_ratio_vs_pruned']:.3f}  energy vs pruned {x['energy_ratio_vs_pruned']:.3f}"
          f"  utilisation {x['trannsformer']['utilisation']:.3f}")
PY
done
