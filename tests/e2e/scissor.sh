#!/usr/bin/env bash
# `xbarcut scissor` end to end on a tiny Fashion-MNIST LeNet run: every step runs, the report names each
# step's command, a rerun skips finished steps, and bad configs fail with one line and exit code 2.
# Usage: scissor.sh XBARCUT_BINARY SOURCE_DIR
set -uo pipefail
bin=$1
src=$2
source "$(dirname "$0")/lib/common.sh"

for cfg in "$src"/configs/*.toml; do  # shipped configs parse and name known steps
  "$bin" scissor --config "$cfg" --steps nosuchstep >/dev/null 2>"$work/err"
  grep -q "bad --steps" "$work/err" || fail "shipped config $cfg: $(cat "$work/err")"
done

printf 'out = "%s/run"\ndataset = "fashion-mnist"\n[trian]\niters = 5\n' "$work" >"$work/typo.toml"
expect_error scissor --config "$work/typo.toml"
expect_error scissor --config "$work/missing.toml"
printf 'dataset = "fashion-mnist"\nxbar = "0x0"\n[train]\nmodel = "lenet"\n' >"$work/xbar.toml"
expect_error scissor --config "$work/xbar.toml" --out "$work/run0"
[ ! -e "$work/run0/train" ] || fail "a bad crossbar size must fail before any training"
printf 'dataset = "fashion-mnist"\n[train]\nmodel = "lenet"\n[delete]\nlambda = "0.001,0.002"\n' >"$work/sweep.toml"
expect_error scissor --config "$work/sweep.toml" --out "$work/run1"
[ ! -e "$work/run1/train" ] || fail "a lambda sweep in the pipeline must fail before any training"

if [ ! -d /usr/share/datasets/fashion-mnist ] && [ -z "${XBARCUT_DATA:-}" ]; then
  echo "skip: no Fashion-MNIST"
  exit $((failures > 0))
fi

steps=train
commands=$("$bin" --help)
if grep -q '^  clip ' <<<"$commands" && grep -q '^  delete ' <<<"$commands"; then steps=train,clip,delete; fi
cat >"$work/tiny.toml" <<TOML
out = "$work/run"
dataset = "fashion-mnist"
[train]
model = "lenet"
iters = 150
test-interval = 0
[clip]
eps = 0.1
interval = 50
iters = 100
[delete]
lambda = 0.01
iters = 60
finetune-iters = 40
TOML
"$bin" scissor --config "$work/tiny.toml" --steps "$steps" >"$work/out1.txt" 2>&1 || fail "scissor run: $(tail -3 "$work/out1.txt")"
grep -q "crossbar area" "$work/out1.txt" || fail "the run does not end with the hardware table"
$py - "$work/run" "$steps" <<'PY' || fail "scissor report"
import json, os, sys
run, steps = sys.argv[1], sys.argv[2].split(",")
j = json.load(open(os.path.join(run, "report.json")))
for s in steps:
    summary = j["steps"][s]["summary"]
    assert summary is not None, s
    assert summary["command"].split()[1] == s, summary["command"]
    assert 0.0 <= summary["accuracy"] <= 1.0
assert j["accuracy"] == j["steps"][steps[-1]]["summary"]["accuracy"]
assert j["baseline_accuracy"] == j["steps"]["train"]["summary"]["accuracy"]
assert j["steps"]["train"]["summary"]["accuracy"] > 0.5, "150 LeNet iterations learn Fashion-MNIST"
md = open(os.path.join(run, "report.md")).read()
assert "| train |" in md and "Hardware of the final network" in md
assert j["pictures"] and all(os.path.exists(os.path.join(run, p)) for p in j["pictures"])
if "clip" in steps:
    # Every layer but the classifier ends factorised, below full rank (one rank check of a short run).
    clipped = {k: r for k, r in j["ranks"].items() if r["rank"] > 0}
    assert clipped and all(r["rank"] < r["full_rank"] for r in clipped.values()), j["ranks"]
    # The report costs the final network as the last step did.
    last = j["steps"][steps[-1]]["summary"]
    assert abs(j["hardware"]["summary"]["crossbar_area_ratio"] - last["crossbar_area_ratio"]) < 1e-9
PY
"$bin" scissor --config "$work/tiny.toml" --steps "$steps" >"$work/out2.txt" 2>&1 || fail "rerun"
[ "$(grep -c 'already done' "$work/out2.txt")" -eq "$(echo "$steps" | tr ',' '\n' | wc -l)" ] ||
  fail "a rerun with the same arguments must skip every step: $(cat "$work/out2.txt")"

finish scissor
