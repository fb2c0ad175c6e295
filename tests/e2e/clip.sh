#!/usr/bin/env bash
# xbarcut clip and xbarcut lowrank end to end on a tiny Fashion-MNIST MLP (a few seconds): summary.json has the
# promised fields, ranks only go down, the area shrinks, pictures are written, and bad input exits 2 with one line.
# Args: XBARCUT_BINARY SOURCE_DIR. Skips (exit 0) without the Fashion-MNIST copy.
set -euo pipefail
bin=$1
data=/usr/share/datasets
if [ ! -d "$data/fashion-mnist" ]; then echo "skip: no $data/fashion-mnist"; exit 0; fi
work=$(mktemp -d /tmp/xbarcut_e2e_clip.XXXXXX)
trap 'rm -rf "$work"' EXIT

"$bin" train --model mlp:784-64-32-10 --dataset fashion-mnist --data-dir "$data" --iters 300 --test-interval 0 \
  --display 100 --out "$work/base" --threads 2 >/dev/null 2>&1

"$bin" clip --checkpoint "$work/base/model.pt" --data-dir "$data" --eps 0.1 --interval 50 --iters 200 \
  --test-interval 0 --out "$work/clip" --threads 2 >"$work/clip.log" 2>&1 || { cat "$work/clip.log"; exit 1; }
test -f "$work/clip/model.pt"
test -s "$work/clip/ranks.png"

# Augmentation flags work in clip as in train (the CIFAR schedules use them).
"$bin" clip --checkpoint "$work/base/model.pt" --data-dir "$data" --eps 0.1 --interval 10 --iters 20 --crop-pad 2 \
  --flip --test-interval 0 --out "$work/clip_aug" --threads 2 >"$work/clip_aug.log" 2>&1 || { cat "$work/clip_aug.log"; exit 1; }
python3 -c "import json, sys; s = json.load(open(sys.argv[1]))['solver']; assert s['crop_pad'] == 2 and s['flip'], s" \
  "$work/clip_aug/summary.json"

python3 - "$work/clip/summary.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
for key in ("accuracy", "baseline_accuracy", "ranks", "crossbar_area_ratio", "history",
            "approximation_seconds", "train_seconds"):
    assert key in s, key
assert set(s["ranks"]) == {"fc1", "fc2"}, s["ranks"]
full = {"fc1": 64, "fc2": 32}
h = s["history"]
assert h[0]["iter"] == 0 and h[0]["ranks"] == full, h[0]
assert [e["iter"] for e in h] == [0, 50, 100, 150, 200], [e["iter"] for e in h]
for prev, cur in zip(h, h[1:]):
    for layer in full:
        assert cur["ranks"][layer] <= prev["ranks"][layer], (layer, prev, cur)
assert h[-1]["ranks"] == s["ranks"]
assert s["ranks"]["fc1"] < 64, s["ranks"]
assert set(h[1]["errors"]) == {"fc1", "fc2"} and all(0 <= e <= 0.1 for e in h[1]["errors"].values()), h[1]
assert 0 < s["crossbar_area_ratio"] < 1, s["crossbar_area_ratio"]
assert s["accuracy"] > 0.5, s["accuracy"]
print("clip summary ok:", s["ranks"], round(s["crossbar_area_ratio"], 4), s["accuracy"])
PY

# The solver flags shared with train and delete reach clip's solver (default: the authors' schedule stretched to
# --iters, LeNet x0.9 at 2/3 ... of the run).
"$bin" clip --checkpoint "$work/base/model.pt" --data-dir "$data" --eps 0.1 --interval 50 --iters 100 \
  --stepvalues 40,80 --gamma 0.5 --weight-decay 0.001 --test-interval 0 --out "$work/clip_solver" --threads 2 >/dev/null 2>&1
python3 - "$work/clip_solver/summary.json" "$work/clip/summary.json" <<'PY'
import json, sys
s, default = (json.load(open(p))["solver"] for p in sys.argv[1:])
assert s["lr_policy"] == "multistep" and s["stepvalues"] == [40, 80] and s["gamma"] == 0.5, s
assert s["weight_decay"] == 0.001, s
assert default["lr_policy"] == "multistep" and default["gamma"] == 0.9 and default["stepvalues"][0] == 133, default
PY

# Direct LRA at the clipped ranks, and an eps sweep with the clip run on the picture.
ranks=$(python3 -c "import json;r=json.load(open('$work/clip/summary.json'))['ranks'];print(','.join(f'{k}={v}' for k,v in r.items()))")
"$bin" lowrank --checkpoint "$work/base/model.pt" --data-dir "$data" --ranks "$ranks" --out "$work/lra" \
  --threads 2 >/dev/null 2>&1
python3 - "$work/lra/summary.json" "$work/clip/summary.json" <<'PY'
import json, sys
lra, clip = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
assert lra["ranks"] == clip["ranks"], (lra["ranks"], clip["ranks"])
assert abs(lra["crossbar_area_ratio"] - clip["crossbar_area_ratio"]) < 1e-12
assert all(0 <= e < 1 for e in lra["errors"].values()), lra["errors"]
PY
"$bin" lowrank --checkpoint "$work/base/model.pt" --data-dir "$data" --eps 0.05,0.3 --clip-runs "$work/clip" \
  --out "$work/sweep" --threads 2 >/dev/null 2>&1
test -s "$work/sweep/area_vs_error.png"
python3 -c "
import json; s=json.load(open('$work/sweep/summary.json'))['sweep']
assert len(s) == 2 and s[0]['crossbar_area_ratio'] > s[1]['crossbar_area_ratio'], s"

# Bad input: exit 2, one line, before any work.
expect_error() {
  local pattern=$1; shift
  set +e
  out=$("$bin" "$@" 2>&1); code=$?
  set -e
  if [ "$code" != 2 ] || ! grep -q -- "$pattern" <<<"$out" || [ "$(wc -l <<<"$out")" != 1 ]; then
    echo "expected exit 2 and one line matching '$pattern' from: $*"; echo "got $code: $out"; exit 1
  fi
}
base="$work/base/model.pt"
expect_error "eps must be in (0, 1)" clip --checkpoint "$base" --eps 0 --interval 100 --iters 10 --out "$work/x"
expect_error "eps must be in (0, 1)" clip --checkpoint "$base" --eps 1.5 --interval 100 --iters 10 --out "$work/x"
expect_error "interval must be at least 1" clip --checkpoint "$base" --eps 0.03 --interval 0 --iters 10 --out "$work/x"
expect_error "unknown --lr-policy" clip --checkpoint "$base" --eps 0.03 --iters 10 --lr-policy steep --out "$work/x"
expect_error "--lr must be" clip --checkpoint "$base" --eps 0.03 --iters 10 --lr 0 --out "$work/x"
expect_error "already factorised" clip --checkpoint "$work/clip/model.pt" --data-dir "$data" --eps 0.03 \
  --interval 100 --iters 10 --out "$work/x"
expect_error "already factorised at rank" lowrank --checkpoint "$work/clip/model.pt" --data-dir "$data" \
  --ranks fc1=64 --out "$work/x"
expect_error "unknown --lra" lowrank --checkpoint "$base" --eps 0.03 --lra qr --out "$work/x"
expect_error "either --eps or --ranks" lowrank --checkpoint "$base" --eps 0.03 --ranks fc1=3 --out "$work/x"
expect_error "cannot be factorised" lowrank --checkpoint "$base" --ranks fc3=3 --out "$work/x"
echo "e2e rank clipping ok"
