#!/usr/bin/env bash
# Bring your own model, PyTorch -> xbarcut -> PyTorch: five PyTorch networks (a small CNN, a ResNet-style net with
# projection shortcuts and batch norms, a depthwise-separable block, a branch-and-concat block, an MLP), scripted and
# traced, are imported (the import checks itself against the module), exported back and compared with the module in
# PyTorch (1e-5 absolute on a batch); the ResNet and the depthwise net are then compressed briefly by delete and
# xbprune, exported, and PyTorch's test accuracy of the export must equal `xbarcut eval`'s. Bad input: one line, exit 2.
# Usage: your_model.sh XBARCUT_BINARY SOURCE_DIR
bin=$1
src=$2
source "$src/tests/e2e/lib/common.sh"
if ! $py -c "import torch" 2>/dev/null; then echo "skip: python3-torch is not installed"; exit 0; fi
if [ ! -d /usr/share/datasets/fashion-mnist ]; then echo "skip: no Fashion-MNIST"; exit 0; fi
$py "$src/tests/fixtures/make_torch_models.py" "$work/models" >/dev/null || { echo "FAIL: fixtures"; exit 1; }

for m in cnn resnet depthwise concat mlp; do
  for v in scripted traced; do
    "$bin" import --torchscript "$work/models/$m.$v.pt" --input 1x28x28 --dataset fashion-mnist --out "$work/$m.$v" \
      >"$work/$m.$v.log" 2>&1 || fail "import $m.$v: $(tail -1 "$work/$m.$v.log")"
    "$bin" export --checkpoint "$work/$m.$v/model.pt" --torchscript "$work/$m.$v.export.pt" >/dev/null 2>&1 ||
      fail "export $m.$v"
  done
done
$py - "$work" <<'PY' || fail "round trip outputs"
import json, sys, torch
work = sys.argv[1]
torch.manual_seed(5)
x = torch.randn(16, 1, 28, 28)
for m in ["cnn", "resnet", "depthwise", "concat", "mlp"]:
    for v in ["scripted", "traced"]:
        source = torch.jit.load(f"{work}/models/{m}.{v}.pt").eval()
        back = torch.jit.load(f"{work}/{m}.{v}.export.pt")
        with torch.no_grad():
            diff = (source(x) - back(x)).abs().max().item()
        assert diff <= 1e-5, (m, v, diff)
        s = json.load(open(f"{work}/{m}.{v}/summary.json"))
        assert s["parity"] <= 1e-4 and s["parameters"] > 0, s
names = [l["name"] for l in json.load(open(f"{work}/resnet.scripted/summary.json"))["weight_layers"]]
assert "layer1.0.conv1" in names and "layer1.1.shortcut.0" in names and "fc" in names, names
PY

# ONNX: import what torch.onnx.export wrote (checked against the PyTorch module through a TorchScript export), export
# ONNX back (onnx.checker must accept it) and import that again: the same network. GELU exports as an Erf subgraph,
# which the ONNX import refuses with one line.
for m in resnet depthwise concat mlp; do
  "$bin" import --onnx "$work/models/$m.onnx" --input 1x28x28 --out "$work/$m.onnx" >"$work/$m.onnx.log" 2>&1 ||
    fail "import --onnx $m: $(tail -1 "$work/$m.onnx.log")"
  "$bin" export --checkpoint "$work/$m.onnx/model.pt" --torchscript "$work/$m.onnx.ts" >/dev/null 2>&1 || fail "export $m"
  "$bin" export --checkpoint "$work/$m.onnx/model.pt" --onnx "$work/$m.back.onnx" >/dev/null 2>&1 || fail "export --onnx $m"
  "$bin" import --onnx "$work/$m.back.onnx" --input 1x28x28 --out "$work/$m.back" >/dev/null 2>&1 || fail "reimport $m"
  "$bin" export --checkpoint "$work/$m.back/model.pt" --torchscript "$work/$m.back.ts" >/dev/null 2>&1 || fail "export $m"
done
$py - "$work" <<'PY' || fail "ONNX round trip"
import sys, onnx, torch
work = sys.argv[1]
torch.manual_seed(6)
x = torch.randn(16, 1, 28, 28)
for m in ["resnet", "depthwise", "concat", "mlp"]:
    onnx.checker.check_model(onnx.load(f"{work}/{m}.back.onnx"))
    source = torch.jit.load(f"{work}/models/{m}.scripted.pt").eval()
    with torch.no_grad():
        for ts in [f"{work}/{m}.onnx.ts", f"{work}/{m}.back.ts"]:
            diff = (source(x) - torch.jit.load(ts)(x)).abs().max().item()
            assert diff <= 1e-5, (ts, diff)
PY
out=$("$bin" import --onnx "$work/models/cnn.onnx" --input 1x28x28 --out "$work/bad" 2>&1)
[ $? -eq 2 ] && [ "$(wc -l <<<"$out")" -eq 1 ] && grep -q "ONNX op Div" <<<"$out" || fail "GELU in ONNX: $out"
expect_error import --onnx "$work/models/cnn.traced.pt" --input 1x28x28 --out "$work/bad"

# Compress the imported nets briefly, export, and measure the export's accuracy in PyTorch.
"$bin" delete --checkpoint "$work/resnet.traced/model.pt" --lambda 0.02 --iters 60 --finetune-iters 30 --xbar 32x32 \
  --display 0 --out "$work/resnet_del" >"$work/del.log" 2>&1 || fail "delete on the imported resnet: $(tail -2 "$work/del.log")"
"$bin" xbprune --checkpoint "$work/depthwise.scripted/model.pt" --xbar 8x8 --keep-ratio 0.5 --iters 40 \
  --project-every 20 --finetune-iters 20 --display 0 --out "$work/dw_xbp" >"$work/xbp.log" 2>&1 ||
  fail "xbprune on the imported depthwise net: $(tail -2 "$work/xbp.log")"
grep -q "grouped convolution" "$work/xbp.log" || fail "xbprune did not say it leaves the depthwise conv dense"
for run in resnet_del dw_xbp; do
  "$bin" export --checkpoint "$work/$run/model.pt" --torchscript "$work/$run.pt" >/dev/null 2>&1 || fail "export $run"
  "$bin" eval --checkpoint "$work/$run/model.pt" --json "$work/$run.eval.json" >/dev/null 2>&1 || fail "eval $run"
done
$py - "$work" <<'PY' || fail "exported accuracy differs from xbarcut eval"
import gzip, json, sys, numpy as np, torch
work = sys.argv[1]
def idx(path):
    data = gzip.open(path).read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, np.uint8, offset=4 + 4 * dims).reshape(shape)
root = "/usr/share/datasets/fashion-mnist"
images = torch.from_numpy(idx(f"{root}/t10k-images-idx3-ubyte.gz").copy()).float().unsqueeze(1)
labels = torch.from_numpy(idx(f"{root}/t10k-labels-idx1-ubyte.gz").astype(np.int64))
for run in ["resnet_del", "dw_xbp"]:
    m = torch.jit.load(f"{work}/{run}.pt")
    with torch.no_grad():
        correct = sum((m(m.normalise(images[i:i + 500])).argmax(1) == labels[i:i + 500]).sum().item()
                      for i in range(0, 10000, 500))
    ours = json.load(open(f"{work}/{run}.eval.json"))["accuracy"]
    assert abs(correct / 10000 - ours) < 1e-9, (run, correct / 10000, ours)
    print(run, "accuracy in PyTorch", correct / 10000, "xbarcut eval", ours)
PY

# A layer in the export stays two layers when factorised: clip, export, look for the V^T weights.
"$bin" clip --checkpoint "$work/cnn.traced/model.pt" --eps 0.2 --interval 20 --iters 40 --display 0 \
  --out "$work/cnn_clip" >/dev/null 2>&1 || fail "clip on the imported cnn"
"$bin" export --checkpoint "$work/cnn_clip/model.pt" --torchscript "$work/cnn_clip.pt" >/dev/null 2>&1 || fail "export clip"
$py -c "import torch,sys; m=torch.jit.load(sys.argv[1]); n=[k for k,_ in m.named_parameters()]; assert any(k.endswith('weight_v') for k in n), n" \
  "$work/cnn_clip.pt" || fail "the factorised layers are not two layers in the export"

# Bad input: one line, exit 2, nothing written.
cat >"$work/tanh.py" <<'PY'
import sys, torch
class T(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = torch.nn.Linear(784, 10)
    def forward(self, x):
        return torch.tanh(self.fc(torch.flatten(x, 1)))
torch.jit.script(T()).save(sys.argv[1])
PY
$py "$work/tanh.py" "$work/tanh.pt"
out=$("$bin" import --torchscript "$work/tanh.pt" --input 1x28x28 --out "$work/bad" 2>&1)
[ $? -eq 2 ] && [ "$(wc -l <<<"$out")" -eq 1 ] && grep -q "aten::tanh" <<<"$out" && grep -q "tanh.py line" <<<"$out" ||
  fail "an unsupported op must be named with its source line: $out"
expect_error import --torchscript "$work/models/cnn.traced.pt" --input 3x32x32 --out "$work/bad"
expect_error import --torchscript "$work/models/cnn.traced.pt" --input 28x28 --out "$work/bad"
printf 'not a model' >"$work/junk.pt"
expect_error import --torchscript "$work/junk.pt" --input 1x28x28 --out "$work/bad"
expect_error import --torchscript "$work/missing.pt" --input 1x28x28 --out "$work/bad"
[ ! -e "$work/bad" ] || fail "a refused import wrote output"
finish your_model
