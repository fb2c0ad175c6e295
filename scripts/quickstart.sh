#!/usr/bin/env bash
# Installs what is missing, builds, and runs the main job on the embedded default dataset
# (Fashion-MNIST from Debian's dataset-fashion-mnist): train LeNet, then map it onto crossbars.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install_deps.sh
bash scripts/build.sh --target xbarcut
out=${1:-runs/quickstart}
./build/xbarcut train --model lenet --dataset fashion-mnist --iters 2000 --test-interval 1000 --out "$out/baseline"
./build/xbarcut map --checkpoint "$out/baseline/model.pt" --json "$out/baseline/hardware.json"
