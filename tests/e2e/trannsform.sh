#!/usr/bin/env bash
# xbarcut train -> prune -> trannsform on a tiny Fashion-MNIST MLP: the summary has every key the issue
# asks for, with sane values; bad input fails fast with exit code 2.
set -euo pipefail
bin="$1"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# Bad input: one line, exit 2, before any data is loaded.
expect_exit2() {
  set +e
  out=$("$bin" "$@" 2>&1); code=$?
  set -e
  [ "$code" -eq 2 ] || fail "$* should exit 2, got $code: $out"
  [ "$(printf '%s\n' "$out" | wc -l)" -eq 1 ] || fail "$* should print one line, got: $out"
}
expect_exit2 trannsform --model mlp:784-64-10 --dataset fashion-mnist --epochs 1 --out "$dir/x"
expect_exit2 trannsform --model mlp:784-64-10 --dataset fashion-mnist --epochs 3 --xbar 1 --out "$dir/x"
expect_exit2 trannsform --model mlp:784-64-10 --dataset fashion-mnist --epochs 3 --quality-min 0.9 --out "$dir/x"
expect_exit2 trannsform --model mlp:784-64-10 --checkpoint "$dir/none.pt" --dataset fashion-mnist --epochs 3 --out "$dir/x"
expect_exit2 trannsform --model mlp:784-64-10 --dataset fashion-mnist --epochs 3 --pruned "$dir/none.pt" --out "$dir/x"
expect_exit2 prune --checkpoint "$dir/none.pt" --dataset fashion-mnist --epochs 1 --out "$dir/x"
expect_exit2 prune --checkpoint "$dir/none.pt" --dataset fashion-mnist --sparsity 1.5 --iters 10 --out "$dir/x"
[ ! -e "$dir/x" ] || fail "a rejected run wrote its output folder"

# No silent collapse (issue 27): from scratch, 3 epochs leave no time for clusters to form, so the cluster-prune
# phase would delete every synapse of fc1; the run stops there with one line instead of reporting "area -97 %".
set +e
out=$("$bin" trannsform --model mlp:784-300-100-10 --dataset fashion-mnist --xbar 64 --epochs 3 --seed 1 \
  --threads 1 --out "$dir/collapse" 2>&1); code=$?
set -e
[ "$code" -eq 2 ] || fail "a collapsing trannsform should exit 2, got $code"
last=$(printf '%s\n' "$out" | tail -n 1)
case "$last" in *"left fc1 with no live weight"*"--keep-residual"*) ;; *) fail "collapse message: $last" ;; esac
[ ! -e "$dir/collapse" ] || fail "a collapsed run wrote its output folder"

"$bin" train --model mlp:784-64-10 --dataset fashion-mnist --iters 400 --out "$dir/base" > /dev/null 2>&1 \
  || fail "train"
# multistep without step points: one line, exit 2, no output folder.
expect_exit2 prune --checkpoint "$dir/base/model.pt" --dataset fashion-mnist --sparsity 0.5 --iters 10 --lr-policy multistep --out "$dir/x"
[ ! -e "$dir/x" ] || fail "a rejected prune wrote its output folder"
"$bin" prune --checkpoint "$dir/base/model.pt" --dataset fashion-mnist --sparsity 0.8 --iters 300 \
  --lr-policy multistep --stepvalues 200,250 --gamma 0.5 --out "$dir/pruned" > /dev/null 2>&1 || fail "prune"
"$bin" trannsform --checkpoint "$dir/base/model.pt" --dataset fashion-mnist --xbar 16 --epochs 3 --train-images 4000 \
  --pruned "$dir/pruned/model.pt" --out "$dir/tf" > "$dir/tf.log" 2>&1 || { cat "$dir/tf.log"; fail "trannsform"; }
[ -f "$dir/tf/model.pt" ] || fail "no model.pt"
[ -f "$dir/tf/pictures/fc1_clusters.png" ] || fail "no cluster picture"

python3 - "$dir/pruned/summary.json" "$dir/tf/summary.json" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))
assert abs(p["sparsity"] - 0.8) < 0.01, p["sparsity"]
# The solver flags shared with train reach the retraining solver.
assert p["solver"]["lr_policy"] == "multistep" and p["solver"]["stepvalues"] == [200, 250], p["solver"]
assert p["solver"]["gamma"] == 0.5, p["solver"]
assert 0.5 < p["accuracy"] <= 1, p["accuracy"]
s = json.load(open(sys.argv[2]))
for k in ["accuracy", "baseline_accuracy", "pruned_accuracy", "area_ratio_vs_original", "energy_ratio_vs_original",
          "area_ratio_vs_pruned", "energy_ratio_vs_pruned", "crossbars", "utilisation"]:
    assert k in s and s[k] is not None, k
assert 0.5 < s["accuracy"] <= 1 and 0.5 < s["baseline_accuracy"] <= 1
assert abs(s["pruned_accuracy"] - p["accuracy"]) < 1e-9
assert sorted(x["xbar"] for x in s["sweep"]) == [16, 32, 64, 128]
m = s["mapping"]
assert m["xbar"] == 16 and m["original"]["crossbars"] == 49 * 4 + 4  # 784x64 and 64x10 on 16x16
assert s["crossbars"] == m["trannsformer"]["crossbars"] < m["original"]["crossbars"]
assert 0 < s["area_ratio_vs_original"] < 1
fc1 = m["trannsformer"]["layers"][0]
assert fc1["residual_synapses"] == 0 and fc1["clustered_synapses"] == fc1["synapses"] > 0
assert 0 < s["utilisation"] <= 1
assert len(s["history"]) == 2 and s["train_images"] == 4000
PY
echo "e2e trannsform: ok"
