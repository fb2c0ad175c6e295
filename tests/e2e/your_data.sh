#!/usr/bin/env bash
# Bring your own data: the same 3,000 Fashion-MNIST test images written as an image folder (PNG and BMP), a
# compressed .npz (uint8) and .npy files (float32 in [0, 1], NCHW) train LeNet to exactly the accuracy the built-in
# IDX reader gives on the same images (same seed, normalisation given as the built-in 1/256), which checks every
# pixel and label end to end; the image folder is decoded once (the second run reads the cache); eval of a checkpoint
# needs no flags again; --resize feeds a 32x32 network. Bad input: one error line, exit 2.
# Usage: your_data.sh XBARCUT_BINARY SOURCE_DIR
bin=$1
src=$2
source "$src/tests/e2e/lib/common.sh"
if ! $py -c "import numpy, PIL" 2>/dev/null; then echo "skip: python3-numpy or python3-pil is not installed"; exit 0; fi
fmnist=/usr/share/datasets/fashion-mnist
if [ ! -d $fmnist ]; then echo "skip: no Fashion-MNIST (dataset-fashion-mnist)"; exit 0; fi
$py "$src/tests/fixtures/make_your_data.py" $fmnist "$work/d" 2500 500 || { echo "FAIL: fixtures"; exit 1; }
export XBARCUT_CACHE=$work/cache

# x = p / 256 exactly as the built-in reader: mean 0, std 256/255 (0..1 units).
same="--mean 0 --std 1.003921568627451"
run() {  # name, dataset flags...
  local name=$1; shift
  "$bin" train --model lenet "$@" --iters 300 --test-interval 0 --threads 2 --out "$work/$name" \
    >"$work/$name.log" 2>&1 || fail "train $name: $(tail -1 "$work/$name.log")"
  $py -c "import json; print(json.load(open('$work/$name/summary.json'))['accuracy'])" 2>/dev/null
}
idx=$(run idx --dataset mnist --data-dir "$work/d/idx")
images=$(run images --dataset "images:$work/d/images" $same)
npz=$(run npz --dataset "npz:$work/d/arrays.npz" $same)
npy=$(run npy --dataset "npy:$work/d/npy" $same)
echo "accuracy: idx $idx, images $images, npz $npz, npy $npy"
[ -n "$idx" ] && [ "$idx" = "$images" ] || fail "image folder accuracy $images differs from the IDX reader's $idx"
[ -n "$idx" ] && [ "$idx" = "$npz" ] || fail "npz accuracy $npz differs from the IDX reader's $idx"
[ -n "$idx" ] && [ "$idx" = "$npy" ] || fail "npy accuracy $npy differs from the IDX reader's $idx"
# 300 iterations of batch 64 on 2,500 images: LeNet reaches about 0.75 on this test split.
$py -c "import sys; sys.exit(0 if float('$images') >= 0.65 else 1)" || fail "accuracy $images below 0.65"
grep -q "^cached " "$work/images.log" || fail "the first run did not build the cache"

# Per-channel normalisation from the training set (the default for your data) also trains.
auto=$(run auto --dataset "images:$work/d/images")
grep -q "^cached " "$work/auto.log" && fail "the second run over the folder decoded it again"
$py -c "import sys; sys.exit(0 if float('$auto') >= 0.65 else 1)" || fail "default normalisation: accuracy $auto"

# The checkpoint records the data: eval needs no --dataset, and gives the training run's accuracy.
out=$("$bin" eval --checkpoint "$work/images/model.pt" 2>"$work/eval.err")
[[ "$out" == "test accuracy "* ]] || fail "eval of the image-folder checkpoint: $out $(cat "$work/eval.err")"
grep -q "^cached " "$work/eval.err" && fail "eval decoded the folder again instead of reading the training run's cache"
$py - "$work" "$out" <<'PY' || fail "eval accuracy differs from training's"
import json, sys
s = json.load(open(f"{sys.argv[1]}/images/summary.json"))
assert abs(float(sys.argv[2].split()[2]) - s["accuracy"]) < 1e-9, (sys.argv[2], s["accuracy"])
assert s["dataset"].startswith("images:/") and "mean=0&std=" in s["dataset"], s["dataset"]
PY

# --resize: a 32x32 LeNet from 28x28 images.
"$bin" train --model lenet --dataset "images:$work/d/images" --resize 32x32 --iters 20 --test-interval 0 \
  --out "$work/resized" >"$work/resized.log" 2>&1 || fail "train --resize: $(tail -1 "$work/resized.log")"
$py -c "import json; s = json.load(open('$work/resized/summary.json')); assert 'resize=32x32' in s['dataset']" ||
  fail "--resize is not recorded with the dataset"
# The 28x28 network evaluated on the folder resized to 32x32 is refused, naming both shapes.
expect_data_error eval --checkpoint "$work/images/model.pt" --dataset "images:$work/d/images" --resize 32x32

# Bad input.
bad=$work/bad
mkdir -p "$bad/train/a" "$bad/train/b" "$bad/test/a"
cp "$(ls "$work/d/images/train/0/"*.png | head -1)" "$bad/train/a/"
cp "$(ls "$work/d/images/train/1/"*.png | head -1)" "$bad/train/b/"
cp "$work/d/images/test/0/"*.png "$bad/test/a/"
mkdir -p "$bad/test/c"; cp "$work/d/images/test/0/"*.png "$bad/test/c/"
expect_data_error train --model lenet --dataset "images:$bad" --iters 1 --out "$work/x"  # class c only in test
rm -rf "$bad/test/c"; mkdir -p "$bad/train/empty"
expect_data_error train --model lenet --dataset "images:$bad" --iters 1 --out "$work/x"  # empty class folder
rm -rf "$bad/train/empty"; printf 'not a png' >"$bad/train/a/broken.png"
expect_data_error train --model lenet --dataset "images:$bad" --iters 1 --out "$work/x"  # corrupt image
"$bin" train --model lenet --dataset "images:$bad" --bad-images skip --iters 1 --test-interval 0 --out "$work/skip" \
  >"$work/skip.log" 2>&1 || fail "--bad-images skip: $(tail -1 "$work/skip.log")"
grep -q "broken.png" "$work/skip.log" || fail "--bad-images skip does not name the skipped file"
rm "$bad/train/a/broken.png"
$py -c "from PIL import Image; Image.new('L', (30, 30)).save('$bad/train/a/big.png')"
expect_data_error train --model lenet --dataset "images:$bad" --iters 1 --out "$work/x"  # mixed sizes
expect_data_error train --model lenet --dataset "images:$work/nowhere" --iters 1 --out "$work/x"
$py -c "import numpy as np; np.savez('$work/bad.npz', x_train=np.zeros((4, 28, 28), np.uint8), y_train=np.zeros(4, np.float32), x_test=np.zeros((2, 28, 28), np.uint8), y_test=np.zeros(2, np.int64))"
expect_data_error train --model lenet --dataset "npz:$work/bad.npz" --iters 1 --out "$work/x"  # float labels
expect_error train --model lenet --resize 32x32 --iters 1 --out "$work/x"  # --resize without --dataset
expect_error train --model lenet --dataset mnist --crop 20 --iters 1 --out "$work/x"  # options on a built-in
expect_error train --model lenet --dataset "images:$work/d/images" --resize 0x3 --iters 1 --out "$work/x"
expect_error train --model lenet --dataset "images:$work/d/images" --channels 2 --iters 1 --out "$work/x"
expect_error train --model lenet --dataset "npz:$work/d/arrays.npz" --layout hwc --iters 1 --out "$work/x"
finish your_data
