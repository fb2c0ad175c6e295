#!/usr/bin/env bash
# Training throughput of xbarcut against the same networks in PyTorch (Debian's python3-torch, the same
# LibTorch 1.13 underneath), run back to back on the same data, batch size and solver (SGD momentum 0.9,
# weight decay). Prints images/s for each and the ratio xbarcut / PyTorch (goal: >= 1.0).
#
#   bash bench/train_throughput.sh [ITERS]        (default 300 iterations per run, after 20 warm-up)
#
# Needs the built binary (bash scripts/build.sh), python3-torch (scripts/install_deps.sh) and the datasets:
# MNIST and CIFAR-10 under $XBARCUT_DATA (default ../shared/datasets). Run it on an otherwise idle machine.
set -euo pipefail
cd "$(dirname "$0")/.."
iters=${1:-300}
data=${XBARCUT_DATA:-$(cd .. && pwd)/shared/datasets}
[ -d "$data/mnist" ] && [ -d "$data/cifar10" ] ||
  { echo "train_throughput: need $data/mnist and $data/cifar10; set XBARCUT_DATA" >&2; exit 2; }
[ -x build/xbarcut ] || { echo "train_throughput: build first: bash scripts/build.sh" >&2; exit 2; }
py=/usr/bin/python3
$py -c "import torch" 2>/dev/null || { echo "train_throughput: install python3-torch (bash scripts/install_deps.sh)" >&2; exit 2; }
# The machine image pins OpenBLAS to a core type and L2 size that do not match this CPU; the benchmark runs
# with OpenBLAS's own detection, for both peers alike.
unset OPENBLAS_CORETYPE OPENBLAS_L2_SIZE
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

xbarcut_ips() {  # model dataset batch
  XBARCUT_DATA="$data" ./build/xbarcut train --model "$1" --dataset "$2" --batch "$3" --iters "$iters" \
    --test-interval 0 --display 0 --out "$work/$1" >/dev/null 2>&1
  $py -c "import json,sys; print(json.load(open(sys.argv[1]))['images_per_second'])" "$work/$1/summary.json"
}

pytorch_ips() {  # model dataset batch
  $py - "$1" "$2" "$3" "$iters" "$data" <<'EOF'
# The same networks as xbarcut's lenet and convnet (Caffe cifar10_full: LRN within channel, ceil-mode pools),
# trained the same way: preloaded normalised tensors, a random batch per step, SGD momentum 0.9.
import gzip, os, sys, time
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

model, dataset, batch, iters, root = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
torch.set_num_threads(os.cpu_count())  # as xbarcut does; PyTorch's default is half the hardware threads
torch.manual_seed(1)

def idx_images(path):
    raw = gzip.open(path).read()
    n, h, w = (int.from_bytes(raw[i:i + 4], "big") for i in (4, 8, 12))
    return torch.from_numpy(np.frombuffer(raw, np.uint8, offset=16).reshape(n, 1, h, w).copy()).float() / 256

def idx_labels(path):
    return torch.from_numpy(np.frombuffer(gzip.open(path).read(), np.uint8, offset=8).astype(np.int64))

def cifar(root):
    recs = np.concatenate([np.frombuffer(gzip.open(os.path.join(root, f"data_batch_{i}.bin.gz")).read(), np.uint8)
                           .reshape(-1, 3073) for i in range(1, 6)])
    x = torch.from_numpy(recs[:, 1:].reshape(-1, 3, 32, 32).copy()).float()
    return x - x.mean(0), torch.from_numpy(recs[:, 0].astype(np.int64))

class LRNWithin(nn.Module):
    def forward(self, x):
        return x * (1 + 5e-5 * F.avg_pool2d(x * x, 3, 1, 1, count_include_pad=True)).pow(-0.75)

if dataset == "mnist":
    x, y = idx_images(os.path.join(root, "mnist", "train-images-idx3-ubyte.gz")), \
           idx_labels(os.path.join(root, "mnist", "train-labels-idx1-ubyte.gz"))
    net = nn.Sequential(nn.Conv2d(1, 20, 5), nn.MaxPool2d(2, 2, ceil_mode=True), nn.Conv2d(20, 50, 5),
                        nn.MaxPool2d(2, 2, ceil_mode=True), nn.Flatten(), nn.Linear(800, 500), nn.ReLU(),
                        nn.Linear(500, 10))
    opt = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.9, weight_decay=5e-4)
else:
    x, y = cifar(os.path.join(root, "cifar10"))
    net = nn.Sequential(nn.Conv2d(3, 32, 5, padding=2), nn.MaxPool2d(3, 2, ceil_mode=True), nn.ReLU(), LRNWithin(),
                        nn.Conv2d(32, 32, 5, padding=2), nn.ReLU(), nn.AvgPool2d(3, 2, ceil_mode=True), LRNWithin(),
                        nn.Conv2d(32, 64, 5, padding=2), nn.ReLU(), nn.AvgPool2d(3, 2, ceil_mode=True),
                        nn.Flatten(), nn.Linear(64 * 4 * 4, 10))
    net = net.to(memory_format=torch.channels_last)  # as xbarcut does for conv nets
    opt = torch.optim.SGD(net.parameters(), lr=0.001, momentum=0.9, weight_decay=0.004)

def step():
    idx = torch.randint(0, x.shape[0], (batch,))
    xb = x[idx]
    if dataset != "mnist":
        xb = xb.contiguous(memory_format=torch.channels_last)
    opt.zero_grad()
    F.cross_entropy(net(xb), y[idx]).backward()
    opt.step()

for _ in range(20):
    step()
t0 = time.perf_counter()
for _ in range(iters):
    step()
print(iters * batch / (time.perf_counter() - t0))
EOF
}

printf '%-10s %-8s %6s %14s %14s %8s\n' model dataset batch "xbarcut img/s" "PyTorch img/s" ratio
for row in "lenet mnist 64" "convnet cifar10 100"; do
  set -- $row
  a=$(xbarcut_ips "$1" "$2" "$3")
  b=$(pytorch_ips "$1" "$2" "$3")
  printf '%-10s %-8s %6s %14.0f %14.0f %8.2f\n' "$1" "$2" "$3" "$a" "$b" "$($py -c "import sys; print(float(sys.argv[1]) / float(sys.argv[2]))" "$a" "$b")"
done
