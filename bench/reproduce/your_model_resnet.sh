#!/usr/bin/env bash
# Bring your own model on CIFAR-10: a ResNet-20-style network written in PyTorch (tests/fixtures style, 3x32x32) is
# saved as TorchScript, imported, trained by xbarcut, then compressed by crossbar-aware pruning (column grain) and by
# Group Scissor (rank clipping, then group deletion); each result is exported back to TorchScript and its test accuracy measured in PyTorch. Prints a
# Markdown table for docs/results/your_model.md. Resumable: a finished step (its summary.json) is skipped.
# Knobs: EPOCHS (training, default 15), XB_ITERS (xbprune projection iterations, default 1000), CLIP_ITERS (rank
# clipping, default 3000), DELETE_ITERS (group Lasso, default 3000), FT_ITERS (xbprune / delete fine-tuning, default
# 4000), THREADS (default 1). Smaller values give a shortened schedule: label its results as such.
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=${BIN:-./build/xbarcut}
export XBARCUT_DATA=${XBARCUT_DATA:-$(cd .. && pwd)/shared/datasets}
EPOCHS=${EPOCHS:-15}
FT_ITERS=${FT_ITERS:-4000}
XB_ITERS=${XB_ITERS:-1000}
CLIP_ITERS=${CLIP_ITERS:-3000}
DELETE_ITERS=${DELETE_ITERS:-3000}
THREADS=${THREADS:-1}
out=${OUT:-runs/your_model_resnet}
mkdir -p "$out"
# torch.jit.script reads the class sources, so the model is a file of its own.
cat >"$out/resnet20.py" <<'PY'
import sys, torch, torch.nn as nn, torch.nn.functional as F
class Block(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1, self.bn1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False), nn.BatchNorm2d(cout)
        self.conv2, self.bn2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False), nn.BatchNorm2d(cout)
        self.shortcut = nn.Sequential()
        if stride != 1 or cin != cout:
            self.shortcut = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))
    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        return F.relu(self.bn2(self.conv2(out)) + self.shortcut(x))
class ResNet20(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1, self.bn1 = nn.Conv2d(3, 16, 3, 1, 1, bias=False), nn.BatchNorm2d(16)
        blocks, cin = [], 16
        for cout, stride in [(16, 1), (16, 1), (16, 1), (32, 2), (32, 1), (32, 1), (64, 2), (64, 1), (64, 1)]:
            blocks.append(Block(cin, cout, stride))
            cin = cout
        self.layers = nn.Sequential(*blocks)
        self.fc = nn.Linear(64, 10)
    def forward(self, x):
        x = self.layers(F.relu(self.bn1(self.conv1(x))))
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))
torch.manual_seed(0)
torch.jit.script(ResNet20().eval()).save(sys.argv[1])
PY
[ -f "$out/resnet.ts" ] || /usr/bin/python3 "$out/resnet20.py" "$out/resnet.ts"
step() {  # dir, command...
  local dir=$1; shift
  [ -f "$dir/summary.json" ] || nice -n 5 "$@" >"$dir.log" 2>&1
}
step "$out/imported" $bin import --torchscript "$out/resnet.ts" --input 3x32x32 --dataset cifar10 --out "$out/imported"
step "$out/trained" $bin train --checkpoint "$out/imported/model.pt" --epochs "$EPOCHS" --batch 128 --lr 0.05 \
  --lr-policy cosine --weight-decay 5e-4 --crop-pad 4 --flip --test-interval 0 --display 200 --threads "$THREADS" \
  --checkpoint-every 1000 --resume --out "$out/trained"
step "$out/xbprune" $bin xbprune --checkpoint "$out/trained/model.pt" --grain column --keep-ratio 0.5 --xbar 32x32 \
  --iters "$XB_ITERS" --project-every 200 --finetune-iters "$FT_ITERS" --lr 0.01 --finetune-lr 0.01 --batch 128 --crop-pad 4 \
  --flip --threads "$THREADS" --out "$out/xbprune"
step "$out/clip" $bin clip --checkpoint "$out/trained/model.pt" --eps 0.03 --interval 500 --iters "$CLIP_ITERS" --lr 0.01 \
  --batch 128 --crop-pad 4 --flip --test-interval 0 --threads "$THREADS" --resume --out "$out/clip"
step "$out/delete" $bin delete --checkpoint "$out/clip/model.pt" --lambda 0.002 --lasso-step proximal \
  --iters "$DELETE_ITERS" --finetune-iters "$FT_ITERS" --lr 0.01 --finetune-lr 0.005 --batch 128 --crop-pad 4 --flip --xbar 64x64 \
  --threads "$THREADS" --display 500 --out "$out/delete"
for run in trained xbprune clip delete; do
  $bin export --checkpoint "$out/$run/model.pt" --torchscript "$out/$run.ts" >/dev/null
  $bin map --checkpoint "$out/$run/model.pt" --json "$out/$run.map.json" >/dev/null
done
/usr/bin/python3 - "$out" "$XBARCUT_DATA/cifar10" <<'PY'
import json, os, sys, numpy as np, torch
out, data = sys.argv[1], sys.argv[2]
raw = open(os.path.join(data, "test_batch.bin"), "rb").read() if os.path.exists(os.path.join(data, "test_batch.bin")) \
    else __import__("gzip").open(os.path.join(data, "test_batch.bin.gz")).read()
rec = np.frombuffer(raw, np.uint8).reshape(10000, 3073)
labels = torch.from_numpy(rec[:, 0].astype(np.int64))
images = torch.from_numpy(rec[:, 1:].reshape(10000, 3, 32, 32).copy()).float()
print("| network | xbarcut test accuracy | PyTorch test accuracy of the export | crossbars | crossbar area | "
      "routing area | command |")
print("|---|---|---|---|---|---|---|")
for run in ["trained", "xbprune", "clip", "delete"]:
    m = torch.jit.load(f"{out}/{run}.ts")
    with torch.no_grad():
        correct = sum((m(m.normalise(images[i:i + 500])).argmax(1) == labels[i:i + 500]).sum().item()
                      for i in range(0, 10000, 500))
    s = json.load(open(f"{out}/{run}/summary.json"))
    hw = json.load(open(f"{out}/{run}.map.json"))["summary"]
    print(f"| {run} | {100 * s['accuracy']:.2f} % | {correct / 100:.2f} % | {hw['nonempty_crossbars']} | "
          f"{100 * hw['crossbar_area_ratio']:.2f} % | {100 * hw['routing_area_ratio']:.2f} % | `{s['command']}` |")
PY
