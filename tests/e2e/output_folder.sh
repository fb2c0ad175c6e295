#!/usr/bin/env bash
# The output folder and the numbers a user types are checked before any work (issue 25): a second run into a busy
# --out is refused naming the first one's pid; an empty --out, a file as --out and a scissor config with `out = 5`
# are refused; --iters 0, --epochs 0 / nan, a 20-digit --iters and --threads 0 / 1000 are refused; a training run
# stopped after its final checkpoint (before model.pt) is finished by --resume with the unbroken run's result;
# --resume with another model, dataset or solver setting is refused naming the flag.
# Each refusal is one error line and exit 2, and leaves no temporary file.
# Usage: output_folder.sh XBARCUT_BINARY SOURCE_DIR
set -uo pipefail
bin=$1
source "$(dirname "$0")/lib/common.sh"
if [ ! -d /usr/share/datasets/fashion-mnist ] && [ -z "${XBARCUT_DATA:-}" ]; then
  echo "SKIP: no Fashion-MNIST"; exit 0
fi
train=(train --model lenet --dataset fashion-mnist --test-interval 0 --display 0 --threads 1)

# Two runs in one folder: the second is refused while the first holds it, and names its pid.
"$bin" "${train[@]}" --iters 100000 --out "$work/busy" >"$work/first.log" 2>&1 &
first=$!
for _ in $(seq 1 400); do grep -q "^training " "$work/first.log" && break; sleep 0.05; done
out=$("$bin" "${train[@]}" --iters 10 --out "$work/busy" 2>&1)
code=$?
[ "$code" -eq 2 ] || fail "a second run into a busy --out exited $code"
[[ "$out" == "xbarcut: error: the output folder $work/busy is in use by another xbarcut run (pid $first)"* ]] ||
  fail "the second run's message: $out"
kill -INT "$first"; wait "$first"
ls "$work/busy" | grep -q tmp && fail "temporary files left in the busy folder: $(ls "$work/busy")"

# Impossible folders and numbers, refused before any work.
touch "$work/a_file"
expect_error "${train[@]}" --iters 10 --out "$work/a_file"
expect_error "${train[@]}" --iters 10 --out ""
expect_error "${train[@]}" --iters 0 --out "$work/x"
expect_error "${train[@]}" --epochs 0 --out "$work/x"
expect_error "${train[@]}" --epochs nan --out "$work/x"
expect_error "${train[@]}" --iters 99999999999999999999 --out "$work/x"
expect_error "${train[@]}" --iters 10 --threads 0 --out "$work/x"
expect_error "${train[@]}" --iters 10 --threads 1000 --out "$work/x"
out=$("$bin" "${train[@]}" --iters 10 --threads 1000 --out "$work/x" 2>&1)
[[ "$out" == *"hardware threads"* ]] || fail "--threads 1000 does not say what the machine has: $out"
# Refused after the folder was claimed: the folder the run created goes again.
expect_error "${train[@]}" --iters 10 --lr -1 --out "$work/refused/inner"
[ -e "$work/refused" ] && fail "a refused run left its output folder: $(ls -a "$work/refused")"
[ -e "$work/x" ] && fail "a refused run left its output folder"
printf 'out = 5\ndataset = "fashion-mnist"\n[train]\nmodel = "lenet"\n' >"$work/bad.toml"
expect_error scissor --config "$work/bad.toml"
[ -e "$work/5" ] && fail "a config with out = 5 wrote into 5/"

# A run stopped after its final checkpoint, before model.pt and summary.json: --resume writes them.
"$bin" "${train[@]}" --iters 60 --out "$work/whole" >/dev/null 2>&1 || fail "train 60 iterations"
cp -r "$work/whole" "$work/cut"
rm -f "$work/cut/model.pt" "$work/cut/summary.json"
out=$("$bin" "${train[@]}" --iters 60 --resume --out "$work/cut" 2>&1) || fail "--resume of a finished run: $out"
[ -f "$work/cut/model.pt" ] && [ -f "$work/cut/summary.json" ] || fail "--resume of a finished run wrote no outputs"
$py - "$work/whole/summary.json" "$work/cut/summary.json" <<'PY' || fail "the finished run's accuracy differs"
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
assert a["accuracy"] == b["accuracy"] and a["iters"] == b["iters"] == 60, (a["accuracy"], b["accuracy"])
PY
# --resume continues the run that stopped: another model, dataset or solver setting is refused, naming the flag.
refused_resume() {  # flag named in the message, model, dataset, extra arguments...
  local flag=$1 model=$2 dataset=$3 out code; shift 3
  out=$("$bin" train --model "$model" --dataset "$dataset" --test-interval 0 --display 0 --threads 1 --iters 80 \
    --resume --out "$work/whole" "$@" 2>&1)
  code=$?
  [ "$code" -eq 2 ] && [[ "$(printf '%s\n' "$out" | tail -1)" == "xbarcut: error: "*"$flag"*"rerun with the same options"* ]] ||
    fail "--resume with $*: exit $code, $out"
}
refused_resume "--lr" lenet fashion-mnist --lr 0.05
refused_resume "--seed" lenet fashion-mnist --seed 7
refused_resume "--batch" lenet fashion-mnist --batch 32
refused_resume "--model" mlp:784-100-10 fashion-mnist
refused_resume "--dataset" lenet mnist
[ -f "$work/whole/model.pt" ] || fail "a refused --resume removed the finished run's model"

# Asking a finished run for fewer iterations than it has is still refused.
out=$("$bin" "${train[@]}" --iters 30 --resume --out "$work/cut" 2>&1)
code=$?
[ "$code" -eq 2 ] && [[ "$(printf '%s\n' "$out" | tail -1)" == "xbarcut: error: "*"already at iteration 60 of 30"* ]] ||
  fail "--resume asking for fewer iterations: exit $code, $out"

finish output_folder
