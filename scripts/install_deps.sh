#!/usr/bin/env bash
# Installs the Debian packages xbarcut needs, only those that are missing; fast when all are there.
set -euo pipefail

PACKAGES=(
  cmake g++ make pkg-config
  libtorch-dev libopenblas0-openmp
  libcli11-dev nlohmann-json3-dev libtomlplusplus-dev libfmt-dev libspdlog-dev zlib1g-dev
  libgtest-dev libgmock-dev libbenchmark-dev libstb-dev libeigen3-dev libspectra-dev
  libzip-dev  # NumPy .npz datasets
  dataset-fashion-mnist
  libonnx-dev libprotobuf-dev  # ONNX import and export
  python3-torch python3-onnx python3-pil  # fixtures in tests (TorchScript, ONNX, images) and the PyTorch peer in bench/
)
PACKAGES+=("${XBARCUT_EXTRA_PACKAGES[@]:-}")

missing=()
for p in "${PACKAGES[@]}"; do
  [ -z "$p" ] && continue
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "xbarcut: installing missing Debian packages: ${missing[*]}"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# LibTorch is 4x slower on the reference BLAS: make the OpenMP OpenBLAS the one it loads.
for alt in libblas.so.3 liblapack.so.3; do
  target=$(update-alternatives --list "${alt}-x86_64-linux-gnu" 2>/dev/null | grep openblas-openmp | head -n1 || true)
  if [ -n "$target" ]; then
    current=$(readlink -f "/etc/alternatives/${alt}-x86_64-linux-gnu" 2>/dev/null || true)
    if [ "$current" != "$(readlink -f "$target")" ]; then
      ${SUDO:-} update-alternatives --set "${alt}-x86_64-linux-gnu" "$target" >/dev/null
    fi
  fi
done
