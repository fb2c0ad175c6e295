#!/usr/bin/env bash
# Reproduces docs/results/crossbar_aware_pruning.md.
#  1. Crossbar counts of VGG8 / VGG16 / ResNet18 / ResNet20 from their shapes alone (256x256 crossbars,
#     one size, edge tiles padded). No training: ImageNet is out of reach on this machine.
#  2. A short CIFAR-10 schedule on vgg8:0.125 (every width / 8) mapped on 32x32 crossbars: the tile grid of
#     every layer is then exactly that of the full VGG8 on 256x256 crossbars (same crossbar counts per layer),
#     at 1/64 of the compute. Base training, then xbprune at both grains, with and without --reorder.
# About 45 min on the shared 2-core EPYC (load ~5-8 from other jobs); each step is capped by `timeout`.
# Usage: bash bench/reproduce/crossbar_aware_pruning.sh [build/xbarcut] [runs/xbprune]
set -euo pipefail
bin=${1:-build/xbarcut}
out=${2:-runs/xbprune}
export XBARCUT_DATA=${XBARCUT_DATA:-/work/shared/datasets}
mkdir -p "$out"
run() { nice -n 5 timeout 1200 "$@"; }

for m in vgg8 vgg16 resnet18 resnet20; do
  "$bin" map --model $m --xbar 256x256 --policy fixed --json "$out/map_$m.json" > "$out/map_$m.txt"
done
"$bin" map --model vgg8:0.125 --xbar 32x32 --policy fixed --json "$out/map_vgg8e.json" > "$out/map_vgg8e.txt"

aug="--crop-pad 4 --flip"
[ -f "$out/vgg8e_base/model.pt" ] || run "$bin" train --model vgg8:0.125 --dataset cifar10 --epochs 1.5 --batch 128 \
  --lr 0.05 --lr-policy cosine --weight-decay 5e-4 $aug --display 50 --test-interval 0 --out "$out/vgg8e_base"

# keep 0.26 of each pruned layer's crossbars: 56 of 206 crossbars in all (72.8 % fewer, the paper: 72.1 %).
prune() {  # name, extra flags
  local name=$1; shift
  [ -f "$out/$name/summary.json" ] && return 0
  run "$bin" xbprune --checkpoint "$out/vgg8e_base/model.pt" --dataset cifar10 --xbar 32x32 --keep-ratio 0.26 \
    --iters 200 --project-every 40 --finetune-iters 200 --lr 0.01 --finetune-lr 0.01 --batch 64 $aug \
    --display 100 --out "$out/$name" "$@"
}
prune vgg8e_crossbar --grain crossbar
prune vgg8e_column --grain column
prune vgg8e_crossbar_reorder --grain crossbar --reorder
prune vgg8e_column_reorder --grain column --reorder

for f in "$out"/*/summary.json; do
  python3 -c "import json,sys; s=json.load(open(sys.argv[1])); print(sys.argv[1], s.get('accuracy'), s.get('baseline_accuracy'), s.get('projected_accuracy'), s.get('crossbar_ratio'))" "$f"
done
