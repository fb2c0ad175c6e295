#!/usr/bin/env bash
# `xbarcut delete` end to end on a short Fashion-MNIST MLP: the summary JSON has the issue's layout, live wires
# drop below 100 %, accuracy stays sane, the written model is masked and evaluates to the reported accuracy,
# pictures are written; every bad input gives one line and exit code 2.
# Usage: delete.sh XBARCUT_BINARY SOURCE_DIR
set -uo pipefail
bin=$1
source "$(dirname "$0")/lib/common.sh"

if [ ! -d /usr/share/datasets/fashion-mnist ] && [ -z "${XBARCUT_DATA:-}" ]; then
  echo "SKIP: no Fashion-MNIST"; exit 0
fi

# A small MLP: fc1 is 784 x 64 (14 x 1 crossbars of 56 x 64), fc2 64 x 10 fits one crossbar.
"$bin" train --model mlp:784-64-10 --dataset fashion-mnist --iters 400 --display 0 --test-interval 0 \
  --out "$work/base" >/dev/null 2>&1 || fail "train"
# 150 fine-tuning iterations at the default rate (a tenth of --lr, set for long runs) cannot undo a lasso this
# strong; the run sets the rate itself, which also checks that the flag reaches the summary.
"$bin" delete --checkpoint "$work/base/model.pt" --lambda 0.02 --iters 300 --finetune-iters 150 --finetune-lr 0.01 --finetune-stepvalues 100 --record-every 50 \
  --display 0 --test-interval 0 --out "$work/del" >"$work/del.txt" 2>&1 || fail "delete: $(tail -3 "$work/del.txt")"
# Augmentation flags work in delete as in train (the CIFAR schedules use them) and reach its solver.
"$bin" delete --checkpoint "$work/base/model.pt" --lambda 0.02 --iters 20 --finetune-iters 0 --crop-pad 2 --flip \
  --display 0 --test-interval 0 --out "$work/del_aug" >"$work/del_aug.txt" 2>&1 || fail "delete --crop-pad --flip: $(tail -1 "$work/del_aug.txt")"
$py - "$work/del_aug/summary.json" <<'PYEOF' || fail "delete --crop-pad --flip did not reach the solver"
import json, sys
def solvers(o):
    if isinstance(o, dict):
        if "crop_pad" in o: yield o
        for v in o.values(): yield from solvers(v)
    elif isinstance(o, list):
        for v in o: yield from solvers(v)
found = list(solvers(json.load(open(sys.argv[1]))))
assert found and all(s["crop_pad"] == 2 and s["flip"] for s in found), found
PYEOF
$py - "$work/del/summary.json" <<'PYEOF' || fail "summary JSON"
import json, sys
j = json.load(open(sys.argv[1]))
for key in ("accuracy", "baseline_accuracy", "crossbar_area_ratio", "routing_area_ratio", "matrices",
            "crossbar_area_ratio_nonempty", "crossbar_area_ratio_compacted", "magnitude_pruned", "history"):
    assert key in j, key
m = {x["name"]: x for x in j["matrices"]}
assert set(m) == {"fc1", "fc2"}, m.keys()
for x in m.values():
    for key in ("name", "live_wires_ratio", "routing_area_ratio"):
        assert key in x, key
assert m["fc1"]["regularised"] and not m["fc2"]["regularised"]
assert m["fc1"]["live_wires_ratio"] < 1.0, m["fc1"]
assert abs(j["routing_area_ratio"] - m["fc1"]["live_wires_ratio"] ** 2) < 1e-12
assert j["baseline_accuracy"] > 0.7, j["baseline_accuracy"]
assert j["accuracy"] > j["baseline_accuracy"] - 0.05, (j["accuracy"], j["baseline_accuracy"])
assert j["crossbar_area_ratio_compacted"] <= j["crossbar_area_ratio_nonempty"] <= j["crossbar_area_ratio"]
mp = j["magnitude_pruned"]
mm = {x["name"]: x for x in mp["matrices"]}
assert abs(mm["fc1"]["sparsity"] - m["fc1"]["sparsity"]) < 1e-9, (mm["fc1"]["sparsity"], m["fc1"]["sparsity"])
h = j["history"]
assert h["iters"][0] == 0 and h["iters"][-1] == 450 and h["deletion_iter"] == 300, h["iters"]
assert h["live_wires_ratio"][0] == [1.0]
assert "delete" in j["command"]
assert j["options"]["finetune_lr"] == 0.01, j["options"]
assert j["options"]["finetune_stepvalues"] == [100], j["options"]
PYEOF
"$bin" eval --checkpoint "$work/del/model.pt" --json "$work/eval.json" >/dev/null 2>&1 || fail "eval of the result"
$py - "$work/eval.json" "$work/del/summary.json" <<'PYEOF' || fail "eval disagrees with the summary"
import json, sys
assert json.load(open(sys.argv[1]))["accuracy"] == json.load(open(sys.argv[2]))["accuracy"]
PYEOF
grep -q "routing area" "$work/del.txt" || fail "no routing area line"
[ -s "$work/del/live_wires.png" ] || fail "no live_wires.png"
[ -s "$work/del/matrices/fc1.png" ] || fail "no matrices/fc1.png"

# A lambda sweep: one run per value in its own folder, the sweep summary and Figure 8.
"$bin" delete --checkpoint "$work/base/model.pt" --lambda 0.002,0.05 --iters 100 --finetune-iters 50 --no-magnitude \
  --display 0 --test-interval 0 --out "$work/sweep" >"$work/sweep.txt" 2>&1 || fail "sweep: $(tail -3 "$work/sweep.txt")"
$py - "$work/sweep" <<'PYEOF' || fail "sweep summary"
import json, os, sys
d = sys.argv[1]
j = json.load(open(os.path.join(d, "summary.json")))
rows = j["sweep"]
assert [r["lambda"] for r in rows] == [0.002, 0.05], rows
for r in rows:
    run = json.load(open(os.path.join(d, r["folder"], "summary.json")))
    assert run["options"]["lambda"] == r["lambda"] and run["accuracy"] == r["accuracy"], (run["options"], r)
    assert run["routing_area_ratio"] == r["routing_area_ratio"]
    assert os.path.getsize(os.path.join(d, r["folder"], "model.pt")) > 0
assert "lambda" not in j["options"]
PYEOF
[ -s "$work/sweep/routing_vs_error.png" ] || fail "no routing_vs_error.png"
grep -q "^| 0.05 |" "$work/sweep.txt" || fail "no sweep table row for lambda 0.05"
# Widening the sweep reuses the finished runs (same checkpoint and options) and adds only the new lambda.
"$bin" delete --checkpoint "$work/base/model.pt" --lambda 0.002,0.05,0.01 --iters 100 --finetune-iters 50 --no-magnitude \
  --display 0 --test-interval 0 --out "$work/sweep" >"$work/sweep2.txt" 2>&1 || fail "sweep 2: $(tail -3 "$work/sweep2.txt")"
[ "$(grep -c "reused" "$work/sweep2.txt")" = 2 ] || fail "the widened sweep did not reuse both finished runs"
$py -c "import json,sys; assert [r['lambda'] for r in json.load(open(sys.argv[1]))['sweep']] == [0.002, 0.05, 0.01]" \
  "$work/sweep/summary.json" || fail "widened sweep summary"
# Other options (the adaptive lasso, a multistep policy of the run's own, distillation): nothing is reused, and the
# options reach the runs.
"$bin" delete --checkpoint "$work/base/model.pt" --lambda 0.002,0.05 --iters 120 --finetune-iters 50 --no-magnitude \
  --lasso-adaptive 1 --lr-policy multistep --stepvalues 60,90 --distill 0.5 --distill-temperature 3 \
  --display 0 --test-interval 0 --out "$work/sweep" >"$work/sweep3.txt" 2>&1 || fail "sweep 3: $(tail -3 "$work/sweep3.txt")"
grep -q "reused" "$work/sweep3.txt" && fail "a run with other options was reused"
$py - "$work/sweep/lambda_0.05/summary.json" <<'PYEOF' || fail "sweep 3 options"
import json, sys
o = json.load(open(sys.argv[1]))["options"]
assert o["lasso_adaptive"] == 1 and o["iters"] == 120, o
assert o["solver"]["lr_policy"] == "multistep" and o["solver"]["stepvalues"] == [60, 90], o["solver"]
assert o["distill"] == {"weight": 0.5, "temperature": 3}, o["distill"]
PYEOF

base="$work/base/model.pt"
expect_error delete --checkpoint "$base" --lambda 0.001,0.001 --out "$work/x"
expect_error delete --checkpoint "$base" --lambda 0.001,-0.1 --out "$work/x"
expect_error delete --checkpoint "$base" --lambda -1 --out "$work/x"
expect_error delete --checkpoint "$base" --lambda 0.001 --lambda-for fc9=0.1 --out "$work/x"
expect_error delete --checkpoint "$base" --lambda 0.001 --lambda-for fc2=0.1 --out "$work/x"
expect_error delete --checkpoint "$base" --lambda 0.001 --lambda-for fc1 --out "$work/x"
expect_error delete --checkpoint "$base" --lambda 0.001 --iters 0 --out "$work/x"
expect_error delete --checkpoint "$base" --lambda 0.001 --finetune-lr -0.1 --out "$work/x"
expect_error delete --checkpoint "$base" --lambda 0.001 --finetune-stepvalues 500,200 --out "$work/x"
expect_error delete --checkpoint "$base" --lambda 0.001 --finetune-iters 1000 --finetune-stepvalues 1000 --out "$work/x"
expect_error delete --checkpoint "$base" --lambda 0.001 --mask rows --out "$work/x"
expect_error delete --checkpoint "$base" --lambda 0.001 --lasso-adaptive -1 --out "$work/x"
expect_error delete --checkpoint "$base" --lambda 0.001 --distill 1.5 --out "$work/x"
expect_error delete --checkpoint "$base" --lambda 0.001 --distill 0.5 --distill-temperature 0 --out "$work/x"
expect_error delete --checkpoint "$base" --lambda 0.001 --lr-policy multistep --out "$work/x"
expect_error delete --checkpoint "$base" --lambda 0.001 --lr-policy multistep --stepvalues 50,20 --out "$work/x"
expect_error delete --checkpoint "$base" --lambda 0.001 --xbar 1024x1024 --out "$work/x"
expect_error delete --checkpoint "$base" --lambda 0.001 --dataset cifar10 --out "$work/x"
expect_error delete --checkpoint "$work/missing.pt" --lambda 0.001 --out "$work/x"
expect_error delete --checkpoint "$base" --out "$work/x"
# The message names the flag the user typed, and says what the check is.
expect_error_saying() {  # pattern, args...
  local pattern=$1 out; shift
  out=$("$bin" "$@" 2>&1)
  [ $? -eq 2 ] && [ "$(wc -l <<<"$out")" -eq 1 ] && grep -qF -- "$pattern" <<<"$out" ||
    fail "want one line with '$pattern' and exit 2 for: $*"$'\n'"$out"
}
expect_error_saying "--lasso-threshold must be >= 0 (got -1)" delete --checkpoint "$base" --lambda 0.001 --lasso-threshold -1 --out "$work/x"
expect_error_saying "--finetune-lr must be >= 0 (got -0.1)" delete --checkpoint "$base" --lambda 0.001 --finetune-lr -0.1 --out "$work/x"
expect_error_saying "--lambda must be >= 0 (got -1)" delete --checkpoint "$base" --lambda -1 --out "$work/x"
expect_error_saying "--lr must be a positive number" delete --checkpoint "$base" --lambda 0.001 --lr 0 --out "$work/x"
expect_error_saying "--distill-temperature must be > 0" delete --checkpoint "$base" --lambda 0.001 --distill 0.5 --distill-temperature 0 --out "$work/x"
[ -e "$work/x" ] && fail "a rejected run left output behind"

finish delete
