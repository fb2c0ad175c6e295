#!/usr/bin/env bash
# Installs what is missing, builds, and runs the main job on the embedded default dataset
# (Fashion-MNIST from Debian's dataset-fashion-mnist): Group Scissor end to end on LeNet
# (train -> rank clipping -> group connection deletion), ending with the hardware table.
# Usage: bash scripts/quickstart.sh [OUT_DIR]   (default runs/quickstart; rerunning skips finished steps)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install_deps.sh
bash scripts/build.sh --target xbarcut
out=${1:-runs/quickstart}
./build/xbarcut scissor --config configs/scissor_lenet_fashion_short.toml --out "$out"
