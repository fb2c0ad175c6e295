#!/usr/bin/env bash
# Peak resident memory while training from an image folder larger than we want in memory: 200,000 32x32 colour
# PNGs (the 50,000 CIFAR-10 training images, four times: as they are, flipped, shifted, both; about 600 MB
# decoded). The first run decodes and caches them; the second trains the ConvNet for one epoch reading each batch
# from the cache. Prints the peak resident memory of each (goal: under 1 GiB while training).
#
#   bash bench/your_data_memory.sh [IMAGES_DIR]   (default: a temporary folder, removed afterwards)
# Needs CIFAR-10 under $XBARCUT_DATA (default ../shared/datasets) and about 1.5 GB of free disk.
set -euo pipefail
cd "$(dirname "$0")/.."
data=${XBARCUT_DATA:-$(cd .. && pwd)/shared/datasets}
py=/usr/bin/python3
[ -x build/xbarcut ] || { echo "your_data_memory: build first: bash scripts/build.sh" >&2; exit 2; }
unset OPENBLAS_CORETYPE OPENBLAS_L2_SIZE
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dir=${1:-$work/images}
export XBARCUT_CACHE=$work/cache
if [ ! -d "$dir/train" ]; then
  echo "writing 200,000 PNG images to $dir ..."
  $py - "$data/cifar10" "$dir" <<'PY'
import gzip, os, sys
import numpy as np
from PIL import Image
src, out = sys.argv[1], sys.argv[2]
def batch(name):
    p = os.path.join(src, name)
    raw = open(p, "rb").read() if os.path.exists(p) else gzip.open(p + ".gz").read()
    rec = np.frombuffer(raw, np.uint8).reshape(-1, 3073)
    return rec[:, 1:].reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1), rec[:, 0]
def write(split, x, y, variants):
    n = 0
    for v in range(variants):
        xs = x[:, :, ::-1] if v & 1 else x
        xs = np.roll(xs, 2, axis=1) if v & 2 else xs
        for img, label in zip(xs, y):
            folder = os.path.join(out, split, f"class{label}")
            os.makedirs(folder, exist_ok=True)
            Image.fromarray(np.ascontiguousarray(img)).save(os.path.join(folder, f"{n:06d}.png"))
            n += 1
parts = [batch(f"data_batch_{i}.bin") for i in range(1, 6)]
write("train", np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts]), 4)
write("test", *batch("test_batch.bin"), 1)
PY
fi
peak() {  # the peak resident memory (MiB) of the command, printed after its own output
  $py - "$@" <<'PY'
import resource, subprocess, sys
code = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL)
print(f"{resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024:.0f}")
sys.exit(code)
PY
}
# --std 1/255: pixel-scale inputs, as the Caffe ConvNet's initialisation expects (docs/data.md).
args=(train --model convnet --dataset "images:$dir" --std 0.00392156862745098 --epochs 1 --batch 100 --test-interval 0
  --display 500)
first=$(peak ./build/xbarcut "${args[@]}" --out "$work/first")
echo "first run (decode, cache, train one epoch): peak resident memory $first MiB"
second=$(peak ./build/xbarcut "${args[@]}" --out "$work/second")
echo "second run (train one epoch from the cache): peak resident memory $second MiB"
du -sh "$XBARCUT_CACHE" | awk '{print "cache on disk: " $1}'
