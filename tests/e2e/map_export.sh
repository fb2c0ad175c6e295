#!/usr/bin/env bash
# `xbarcut map` and `xbarcut export` end to end: golden area from shapes alone, a trained checkpoint
# mapped with pictures and exported (the exported conductances rebuild the weights), a TorchScript model
# scripted by python3-torch, and every bad input giving one line and exit code 2.
# Usage: map_export.sh XBARCUT_BINARY SOURCE_DIR
set -uo pipefail
bin=$1
source "$(dirname "$0")/lib/common.sh"

# 1. Shapes alone reproduce Group Scissor's LeNet crossbar area (13.62 %).
"$bin" map --model lenet --ranks conv1=5,conv2=12,fc1=36 --json "$work/lenet.json" >"$work/lenet.txt" || fail "map --ranks"
$py - "$work/lenet.json" <<'EOF' || fail "lenet ranks JSON"
import json, sys
j = json.load(open(sys.argv[1]))
s = j["summary"]
assert abs(s["crossbar_area_ratio"] - 0.1362) < 5e-5, s["crossbar_area_ratio"]
names = [m["name"] for m in j["matrices"]]
assert names == ["conv1_u", "conv1_v", "conv2_u", "conv2_v", "fc1_u", "fc1_v", "fc2"], names
fc1u = j["matrices"][4]
assert (fc1u["rows"], fc1u["cols"], fc1u["xbar_rows"], fc1u["xbar_cols"]) == (800, 36, 50, 36), fc1u
for key in ("routing_area_ratio", "energy_ratio", "crossbars", "cells"):
    assert key in s, key
EOF
grep -q "crossbar area 13.62 %" "$work/lenet.txt" || fail "table does not print the area"

expect_error map --model lenet --ranks fc9=3
expect_error map --model lenet --ranks conv1=0
expect_error map --model lenet --ranks conv1=21
expect_error map --model lenet --ranks conv1=five
expect_error map --model lenet --xbar 0x0
expect_error map --model lenet --xbar 64
expect_error map --model lenet --policy diagonal
expect_error map --checkpoint "$work/missing.pt"
head -c 1000 /dev/urandom >"$work/garbage.pt"
expect_error map --checkpoint "$work/garbage.pt"
expect_error map --torchscript "$work/garbage.pt"
expect_error map --model lenet --checkpoint "$work/garbage.pt"
expect_error export --checkpoint "$work/garbage.pt" --out "$work/x"

# 2. A trained checkpoint: map with pictures, export, and rebuild the weights from the conductances.
if [ -d /usr/share/datasets/fashion-mnist ] || [ -n "${XBARCUT_DATA:-}" ]; then
  "$bin" train --model mlp:784-100-10 --dataset fashion-mnist --iters 30 --test-interval 30 --out "$work/mlp" \
    >"$work/train.txt" 2>&1 || fail "train a tiny MLP: $(tail -1 "$work/train.txt")"
  "$bin" map --checkpoint "$work/mlp/model.pt" --json "$work/mlp.json" --pictures "$work/pics" >/dev/null ||
    fail "map --checkpoint"
  [ "$(ls "$work/pics"/*.png 2>/dev/null | wc -l)" -eq 2 ] || fail "want one picture per matrix (2)"
  expect_error export --checkpoint "$work/mlp/model.pt" --out "$work/exp" --levels 1
  expect_error export --checkpoint "$work/mlp/model.pt" --out "$work/exp" --format hdf5
  "$bin" export --checkpoint "$work/mlp/model.pt" --out "$work/exp" --format csv --levels 1024 >/dev/null ||
    fail "export csv"
  if $py -c "import torch" 2>/dev/null; then
    $py - "$work" <<'EOF' || fail "exported conductances do not rebuild the weights"
import json, sys, os, torch
work = sys.argv[1]
man = json.load(open(os.path.join(work, "exp", "crossbars.json")))
summary = json.load(open(os.path.join(work, "mlp.json")))
shapes = {m["name"]: (m["rows"], m["cols"]) for m in summary["matrices"]}
count = {m["name"]: m["crossbars"] for m in summary["matrices"]}
seen = {}
cover = {}
for t in man["tiles"]:
    seen[t["matrix"]] = seen.get(t["matrix"], 0) + 1
    g = lambda f: [[float(x) for x in line.split(",")] for line in open(os.path.join(work, "exp", f))]
    gp, gn = g(t["g_pos"]), g(t["g_neg"])
    assert len(gp) == t["xbar_rows"] and len(gp[0]) == t["xbar_cols"]
    for a, b in zip(gp, gn):
        for p, n in zip(a, b):
            assert man["g_off"] - 1e-12 <= p <= man["g_on"] + 1e-12 and man["g_off"] - 1e-12 <= n <= man["g_on"] + 1e-12
            assert min(p, n) <= man["g_off"] + 1e-12, "one device of a pair stays off"
    r0, r1 = t["rows"]; c0, c1 = t["cols"]
    cover[t["matrix"]] = cover.get(t["matrix"], 0) + (r1 - r0) * (c1 - c0)
assert seen == count, (seen, count)
for name, (r, c) in shapes.items():
    assert cover[name] == r * c, (name, cover[name], r * c)
EOF
  fi
else
  echo "skip: no Fashion-MNIST for the checkpoint part"
fi

# 3. A TorchScript model scripted by python3-torch: every Conv2d and Linear weight becomes a matrix.
if $py -c "import torch" 2>/dev/null; then
  $py - "$work/tiny.ts" <<'EOF' || fail "script a TorchScript model"
import sys, torch
net = torch.nn.Sequential(torch.nn.Conv2d(3, 8, 3), torch.nn.ReLU(), torch.nn.Conv2d(8, 16, 3, groups=2),
                          torch.nn.Flatten(), torch.nn.Linear(16 * 4 * 4, 10))
torch.jit.script(net).save(sys.argv[1])
EOF
  "$bin" map --torchscript "$work/tiny.ts" --xbar 32x32 --json "$work/ts.json" >/dev/null || fail "map --torchscript"
  $py - "$work/ts.json" <<'EOF' || fail "TorchScript matrices"
import json, sys
j = json.load(open(sys.argv[1]))
got = [(m["rows"], m["cols"]) for m in j["matrices"]]
assert got == [(27, 8), (36, 16), (256, 10)], got
assert abs(j["summary"]["crossbar_area_ratio"] - 1.0) < 1e-12
EOF
else
  echo "skip: python3-torch is not installed (bash scripts/install_deps.sh installs it)"
fi

finish map_export
