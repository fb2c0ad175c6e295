#!/usr/bin/env bash
# Training throughput from an image folder (after its first, decoding run) against the built-in IDX reader, on the
# same 60,000 Fashion-MNIST training images: LeNet, batch 64, both threads, alternating rounds. Prints each round's
# images/s and the median ratio images / built-in (goal: within 10 %, ratio >= 0.90).
#
#   bash bench/your_data_throughput.sh [ITERS] [ROUNDS]      (default 2000 iterations, 5 rounds: about 4 minutes)
set -euo pipefail
cd "$(dirname "$0")/.."
iters=${1:-2000}
rounds=${2:-5}
py=/usr/bin/python3
fmnist=/usr/share/datasets/fashion-mnist
[ -x build/xbarcut ] || { echo "your_data_throughput: build first: bash scripts/build.sh" >&2; exit 2; }
$py -c "import numpy, PIL" 2>/dev/null || { echo "your_data_throughput: bash scripts/install_deps.sh" >&2; exit 2; }
unset OPENBLAS_CORETYPE OPENBLAS_L2_SIZE
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export XBARCUT_CACHE=$work/cache
echo "writing 60,000 training images as PNG/BMP ..."
$py tests/fixtures/make_your_data.py $fmnist "$work/d" 59000 1000 train
cp $fmnist/t10k-* "$work/d/idx/" 2>/dev/null || true
ips() {  # name, dataset flags...
  local name=$1; shift
  ./build/xbarcut train --model lenet "$@" --iters "$iters" --test-interval 0 --display 0 --out "$work/$name" \
    >"$work/$name.log" 2>&1 || { tail -1 "$work/$name.log" >&2; exit 1; }
  $py -c "import json,sys; print(json.load(open(sys.argv[1]))['images_per_second'])" "$work/$name/summary.json"
}
start=$(date +%s)
ips decode --dataset "images:$work/d/images" >/dev/null
echo "first run (decodes and caches 60,000 images, then trains $iters iterations): $(( $(date +%s) - start )) s"
ratios=()
for r in $(seq "$rounds"); do
  builtin=$(ips builtin --dataset mnist --data-dir "$work/d/idx")
  folder=$(ips folder --dataset "images:$work/d/images")
  ratio=$($py -c "print(f'{$folder / $builtin:.3f}')")
  ratios+=("$ratio")
  printf 'round %d: built-in %.0f images/s, image folder %.0f images/s, ratio %s\n' "$r" "$builtin" "$folder" "$ratio"
done
echo "ratio lenet-images-vs-idx $($py -c "import statistics,sys; r=[float(x) for x in sys.argv[1:]]; print(f'{statistics.median(r):.3f} (min {min(r):.3f}, max {max(r):.3f})')" "${ratios[@]}")"
