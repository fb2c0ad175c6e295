#!/usr/bin/env bash
# Ctrl-C and --resume end to end on a small Fashion-MNIST MLP: `xbarcut clip` and `xbarcut delete` (in its
# group-Lasso phase and in its fine-tuning phase) stopped by SIGINT write DIR/checkpoint.pt and exit 130 with
# one line naming --resume; the same command with --resume then ends with a model.pt holding exactly the
# tensors of an unbroken run's. A checkpoint of another run is refused with one error line.
# Usage: resume.sh XBARCUT_BINARY SOURCE_DIR
set -uo pipefail
bin=$1
source "$(dirname "$0")/lib/common.sh"

if [ ! -d /usr/share/datasets/fashion-mnist ] && [ -z "${XBARCUT_DATA:-}" ]; then
  echo "SKIP: no Fashion-MNIST"; exit 0
fi

# Runs "$bin" ARGS... in the background, sends SIGINT once PATTERN shows in its output, and returns its exit code.
# Each PATTERN below is printed from inside a training loop (where Ctrl-C means "checkpoint and stop"; elsewhere
# it kills), and thousands of iterations remain after it, so the signal lands mid-run.
interrupt_at() {
  local pattern=$1 log=$2; shift 2
  "$bin" "$@" >"$log" 2>&1 &
  local pid=$! i
  for i in $(seq 1 1200); do
    grep -q -- "$pattern" "$log" && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
  done
  kill -INT "$pid" 2>/dev/null
  wait "$pid"
}

# Whether two model.pt files hold the same tensors, bit for bit. The files themselves may differ in the order
# a module lists its parameters (a factorised layer made during the run lists V after the bias, a loaded one before).
same_tensors() {
  $py - "$1" "$2" <<'PYEOF'
import hashlib, sys, zipfile
def tensors(path):
    with zipfile.ZipFile(path) as z:
        return sorted(hashlib.sha256(z.read(n)).hexdigest() for n in z.namelist() if "/data/" in n)
a, b = tensors(sys.argv[1]), tensors(sys.argv[2])
sys.exit(0 if a and a == b else 1)
PYEOF
}

# Checks one interrupted-and-resumed run against the unbroken one. Usage: check_resumed NAME DIR STRAIGHT ARGS...
check_resumed() {
  local name=$1 dir=$2 straight=$3; shift 3
  [ -f "$dir/checkpoint.pt" ] || fail "$name: no checkpoint.pt after Ctrl-C"
  [ -e "$dir/model.pt" ] && fail "$name: the interrupted run wrote model.pt"
  "$bin" "$@" --resume --out "$dir" >"$dir.resumed.txt" 2>&1 || fail "$name: resume failed: $(tail -3 "$dir.resumed.txt")"
  grep -q "resuming" "$dir.resumed.txt" || fail "$name: the second run did not resume"
  same_tensors "$straight/model.pt" "$dir/model.pt" || fail "$name: the resumed model.pt differs from the unbroken run's"
  [ -e "$dir/checkpoint.pt" ] && fail "$name: checkpoint.pt left behind after a finished run"
}

expect_interrupted() {  # Usage: expect_interrupted NAME CODE LOG
  [ "$2" -eq 130 ] || fail "$1: exit $2 after Ctrl-C (want 130): $(tail -2 "$3")"
  [ "$(grep -c "xbarcut:" "$3")" -eq 1 ] && grep -q "interrupted at iteration .*--resume" "$3" ||
    fail "$1: want one 'interrupted ... --resume' line: $(tail -2 "$3")"
}

"$bin" train --model mlp:784-64-10 --dataset fashion-mnist --iters 300 --display 0 --test-interval 0 --threads 1 \
  --out "$work/base" >/dev/null 2>&1 || fail "train"
base="$work/base/model.pt"

# Rank clipping: stopped after its first rank check (iteration 200 of 4000).
clip=(clip --checkpoint "$base" --eps 0.1 --interval 200 --iters 4000 --checkpoint-every 300 --test-interval 0
      --display 100 --threads 1)
"$bin" "${clip[@]}" --out "$work/clip" >"$work/clip.txt" 2>&1 || fail "clip: $(tail -3 "$work/clip.txt")"
interrupt_at "clip  iter" "$work/clip_broken.txt" "${clip[@]}" --out "$work/clip_broken"
expect_interrupted clip $? "$work/clip_broken.txt"
check_resumed clip "$work/clip_broken" "$work/clip" "${clip[@]}"

# Group deletion, stopped in the group-Lasso phase and, in a second run, in the fine-tuning phase.
del=(delete --checkpoint "$base" --lambda 0.02 --iters 3000 --finetune-iters 6000 --finetune-lr 0.01
     --checkpoint-every 250 --no-magnitude --display 50 --test-interval 0 --threads 1)
"$bin" "${del[@]}" --out "$work/del" >"$work/del.txt" 2>&1 || fail "delete: $(tail -3 "$work/del.txt")"
interrupt_at "^iter " "$work/lasso_broken.txt" "${del[@]}" --out "$work/lasso_broken"
expect_interrupted "delete (lasso phase)" $? "$work/lasso_broken.txt"
check_resumed "delete (lasso phase)" "$work/lasso_broken" "$work/del" "${del[@]}"
grep -q "group-Lasso phase" "$work/lasso_broken.resumed.txt" || fail "delete: not resumed in the lasso phase"

interrupt_at "^live wires at 3100:" "$work/ft_broken.txt" "${del[@]}" --out "$work/ft_broken"
expect_interrupted "delete (fine-tuning)" $? "$work/ft_broken.txt"
check_resumed "delete (fine-tuning)" "$work/ft_broken" "$work/del" "${del[@]}"
grep -q "fine-tuning phase" "$work/ft_broken.resumed.txt" || fail "delete: not resumed in the fine-tuning phase"
$py - "$work/del/summary.json" "$work/ft_broken/summary.json" <<'PYEOF' || fail "delete: summaries differ"
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
for key in ("accuracy", "lasso_accuracy", "routing_area_ratio", "deleted_weights", "history"):
    assert a[key] == b[key], key
assert b["resumed_from"]["phase"] == "finetune", b["resumed_from"]
PYEOF

# A checkpoint of another run is refused, not silently continued or replaced.
interrupt_at "^iter " "$work/other.txt" "${del[@]}" --out "$work/other"
expect_error "${del[@]/0.02/0.005}" --resume --out "$work/other"
[ -f "$work/other/checkpoint.pt" ] || fail "the refused resume removed the other run's checkpoint"

# The pipeline: kill -TERM of the scissor process (not its step) is passed on to the running step, which stops with
# a checkpoint; scissor exits 130 with one line, and the same command again resumes that step and finishes.
cat >"$work/pipeline.toml" <<TOML
out = "$work/pipeline"
dataset = "fashion-mnist"
[train]
model = "mlp:784-64-10"
iters = 4000
display = 50
test-interval = 0
threads = 1
TOML
"$bin" scissor --config "$work/pipeline.toml" --steps train >"$work/pipeline1.txt" 2>&1 &
pid=$!
for i in $(seq 1 1200); do grep -q "^iter " "$work/pipeline1.txt" && break; sleep 0.05; done
kill -TERM "$pid"
wait "$pid"
code=$?
[ "$code" -eq 130 ] || fail "scissor: exit $code after SIGTERM (want 130): $(tail -2 "$work/pipeline1.txt")"
grep -q "^xbarcut: step train was interrupted" "$work/pipeline1.txt" || fail "scissor: no interrupted line: $(tail -2 "$work/pipeline1.txt")"
[ -f "$work/pipeline/train/checkpoint.pt" ] || fail "scissor: the train step left no checkpoint"
"$bin" scissor --config "$work/pipeline.toml" --steps train >"$work/pipeline2.txt" 2>&1 || fail "scissor rerun: $(tail -3 "$work/pipeline2.txt")"
grep -q "^resuming" "$work/pipeline2.txt" || fail "scissor: the rerun did not resume the train step"

finish resume
