#!/usr/bin/env bash
# Installs what is missing, builds everything and runs the whole test suite (ctest).
# Real datasets beside the project (../shared/datasets) are used when present; tests that need
# them skip otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install_deps.sh
bash scripts/build.sh
if [ -z "${XBARCUT_DATA:-}" ] && [ -d ../shared/datasets ]; then
  export XBARCUT_DATA="$(cd ../shared/datasets && pwd)"
fi
cd build
ctest --output-on-failure -j"$(nproc 2>/dev/null || echo 2)" --timeout 900
