#!/usr/bin/env bash
# The public C++ API as a user gets it: install xbarcut into a scratch prefix, build examples/cpp_api (the program of
# docs/cpp_api.md) against the installed package xbarcut::xbarcut, run it briefly and check it prints the hardware
# table and three accuracies. Usage: cpp_api.sh XBARCUT_BINARY SOURCE_DIR BUILD_DIR
bin=$1
src=$2
build=$3
source "$src/tests/e2e/lib/common.sh"
if [ ! -d /usr/share/datasets/fashion-mnist ]; then echo "skip: no Fashion-MNIST"; exit 0; fi
cmake --install "$build" --prefix "$work/prefix" >"$work/install.log" 2>&1 || fail "install: $(tail -3 "$work/install.log")"
[ -f "$work/prefix/include/xbarcut/xbarcut.hpp" ] || fail "the public header is not installed"
[ -f "$work/prefix/include/xbarcut/methods/rank_clipping/run_rank_clipping.hpp" ] || fail "library headers are not installed"
cmake -S "$src/examples/cpp_api" -B "$work/example" -DCMAKE_PREFIX_PATH="$work/prefix" >"$work/configure.log" 2>&1 ||
  fail "configure: $(tail -5 "$work/configure.log")"
cmake --build "$work/example" -j2 >"$work/build.log" 2>&1 || fail "build: $(tail -20 "$work/build.log")"
"$work/example/group_scissor_example" 400 >"$work/run.txt" 2>"$work/run.err" || fail "run: $(tail -3 "$work/run.err")"
grep -q "crossbar area" "$work/run.txt" || fail "no hardware table: $(cat "$work/run.txt")"
python3 - "$work/run.txt" <<'PY' || fail "accuracies: $(tail -2 "$work/run.txt")"
import re, sys
text = open(sys.argv[1]).read()
m = re.search(r"accuracy: trained ([0-9.]+), clipped ([0-9.]+), deleted ([0-9.]+)", text)
assert m, text
trained, clipped, deleted = map(float, m.groups())
assert trained > 0.6, "400 LeNet iterations learn Fashion-MNIST"
assert clipped > 0.5 and deleted > 0.5, (clipped, deleted)
PY
finish cpp_api
