#!/usr/bin/env bash
# Reproduces docs/results/trannsformer.md: MLP 784-1200-1200-10 on MNIST (and Fashion-MNIST with
# DATASETS="mnist fashion-mnist"): dense baseline, magnitude-pruned reference, TraNNsformer at X = 64.
# Each step takes tens of minutes on the 2-core reference machine. Usage: bash bench/reproduce/trannsformer_mnist.sh [OUT]
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:-runs/trannsformer}
bin=build/xbarcut
export XBARCUT_DATA=${XBARCUT_DATA:-../shared/datasets}
BASE_EPOCHS=${BASE_EPOCHS:-5}
EPOCHS=${EPOCHS:-10}
for d in ${DATASETS:-mnist}; do
  "$bin" train --model mlp:784-1200-1200-10 --dataset "$d" --epochs "$BASE_EPOCHS" --out "$out/$d/base"
  "$bin" prune --checkpoint "$out/$d/base/model.pt" --dataset "$d" --epochs "$EPOCHS" --out "$out/$d/pruned"
  "$bin" trannsform --checkpoint "$out/$d/base/model.pt" --dataset "$d" --xbar 64 --epochs "$EPOCHS" \
    --pruned "$out/$d/pruned/model.pt" --out "$out/$d/trann"
  python3 - "$out/$d/trann/summary.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
print(f"accuracy {s['accuracy']:.4f}  baseline {s['baseline_accuracy']:.4f}  pruned {s['pruned_accuracy']:.4f}")
for x in s["sweep"]:
    print(f"X={x['xbar']:>3}  crossbars {x['trannsformer']['crossbars']:>4} / pruned {x['pruned']['crossbars']:>4}"
          f" / original {x['original']['crossbars']:>4}  area vs orig {x['area_ratio_vs_original']:.3f}"
          f"  energy vs orig {x['energy_ratio_vs_original']:.3f}  area vs pruned {x['area_ratio_vs_pruned']:.3f}"
          f"  energy vs pruned {x['energy_ratio_vs_pruned']:.3f}")
PY
done
