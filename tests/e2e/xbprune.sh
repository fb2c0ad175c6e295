#!/usr/bin/env bash
# xbarcut xbprune end to end: a short LeNet on Fashion-MNIST pruned on 32x32 crossbars at both grains,
# summary.json checked; bad options fail with exit 2 before any work.
set -euo pipefail
bin=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

"$bin" train --model lenet --dataset fashion-mnist --iters 300 --out "$tmp/base" --display 100 >/dev/null 2>&1 \
  || fail "base training"

# Crossbar grain with the paper's settings (a budget per layer), column grain with the defaults (one budget for all).
for grain in crossbar column; do
  preset=(); [ $grain = crossbar ] && preset=(--preset paper)
  "$bin" xbprune --checkpoint "$tmp/base/model.pt" --dataset fashion-mnist --grain $grain --keep-ratio 0.4 \
    --xbar 32x32 --iters 200 --project-every 50 --finetune-iters 100 --display 100 "${preset[@]}" --out "$tmp/$grain" \
    >"$tmp/$grain.log" 2>&1 || { cat "$tmp/$grain.log"; fail "xbprune $grain"; }
  [ -f "$tmp/$grain/model.pt" ] || fail "no model.pt ($grain)"
  python3 - "$tmp/$grain/summary.json" <<'PY' || fail "summary ($grain)"
import json, sys
s = json.load(open(sys.argv[1]))
for k in ("accuracy", "baseline_accuracy", "crossbar_ratio", "layers"):
    assert k in s, k
assert 0.3 < s["crossbar_ratio"] < 0.7, s["crossbar_ratio"]
assert s["accuracy"] > 0.6, s["accuracy"]
pruned = [l for l in s["layers"] if l["pruned"]]
assert [l["name"] for l in pruned] == ["conv2", "fc1"], pruned
assert sum(l["crossbars"] for l in pruned) <= s["budget_crossbars"], s
if s["options"]["budget"] == "layer":
    assert s["options"]["ramp"] == 1.0, s["options"]
    for l in pruned:
        assert l["crossbars"] <= l["budget"], l
else:
    assert s["options"]["budget"] == "global" and s["options"]["ramp"] == 0.5, s["options"]
    assert all(l["budget"] is None and l["crossbars"] >= 1 for l in pruned), pruned
# The accuracy before the hard projection is LGD's own, so the projection's cost shows.
assert 0 <= s["lgd_accuracy"] <= 1 and "projected_accuracy" in s
PY
done

# The pruned checkpoint keeps its masks and evaluates.
"$bin" eval --checkpoint "$tmp/crossbar/model.pt" >/dev/null || fail "eval of the pruned model"

# Bad input: exit 2 with a one-line message, before loading data.
set +e
"$bin" xbprune --checkpoint "$tmp/base/model.pt" --preset fast --out "$tmp/bad" 2>"$tmp/err"
[ $? -eq 2 ] && grep -q "bad --preset 'fast'" "$tmp/err" || fail "unknown preset not rejected: $(cat "$tmp/err")"
"$bin" xbprune --checkpoint "$tmp/base/model.pt" --ramp 0 --out "$tmp/bad" 2>"$tmp/err"
[ $? -eq 2 ] && grep -q "ramp" "$tmp/err" || fail "ramp 0 not rejected: $(cat "$tmp/err")"
"$bin" xbprune --checkpoint "$tmp/base/model.pt" --budget all --out "$tmp/bad" 2>"$tmp/err"
[ $? -eq 2 ] && grep -q "budget" "$tmp/err" || fail "budget all not rejected: $(cat "$tmp/err")"
"$bin" xbprune --checkpoint "$tmp/base/model.pt" --grain tile --keep-ratio 0.5 --out "$tmp/bad" 2>"$tmp/err"
[ $? -eq 2 ] && grep -q "bad --grain" "$tmp/err" || fail "bad grain not rejected"
"$bin" xbprune --checkpoint "$tmp/base/model.pt" --keep-ratio 1.5 --out "$tmp/bad" 2>"$tmp/err"
[ $? -eq 2 ] && grep -q "keep-ratio" "$tmp/err" || fail "bad keep ratio not rejected"
"$bin" xbprune --checkpoint "$tmp/base/model.pt" --bn-recalibrate-batches -1 --out "$tmp/bad" 2>"$tmp/err"
[ $? -eq 2 ] && grep -q "bn-recalibrate-batches" "$tmp/err" || fail "negative bn recalibration not rejected"
"$bin" xbprune --checkpoint "$tmp/base/model.pt" --xbar 0x256 --out "$tmp/bad" 2>"$tmp/err"
[ $? -eq 2 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] || fail "bad --xbar not rejected with one line"
"$bin" xbprune --checkpoint "$tmp/base/model.pt" --finetune-lr -1 --out "$tmp/bad" 2>"$tmp/err"
[ $? -eq 2 ] && grep -q -- "--finetune-lr must be a positive number" "$tmp/err" || fail "a bad --finetune-lr is not named: $(cat "$tmp/err")"
"$bin" xbprune --checkpoint "$tmp/base/model.pt" --lr 0 --out "$tmp/bad" 2>"$tmp/err"
[ $? -eq 2 ] && grep -q -- "--lr must be a positive number" "$tmp/err" || fail "a bad --lr is not named: $(cat "$tmp/err")"
[ ! -e "$tmp/bad" ] || fail "a rejected run wrote output"
set -e
echo "xbprune e2e ok"
