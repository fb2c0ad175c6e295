#!/usr/bin/env bash
# Importing and mapping a 25 M-parameter network: a ResNet-50 (torchvision's shapes, written here in plain PyTorch and
# traced with Debian's python3-torch) is imported from TorchScript at 3x224x224 (the parity check included) and
# mapped onto 64x64 crossbars. Prints the wall time and peak resident memory of each command (GNU time), and ends
# with one line per step: `scale STEP SECONDS MIB`. Target: each under 10 s and 2 GiB.
# Usage: bash bench/import_scale.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build}/xbarcut
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
/usr/bin/python3 - "$work/resnet50.ts" <<'PY'
import sys, torch, torch.nn as nn

class Bottleneck(nn.Module):
    def __init__(self, cin, width, stride):
        super().__init__()
        cout = width * 4
        self.conv1, self.bn1 = nn.Conv2d(cin, width, 1, bias=False), nn.BatchNorm2d(width)
        self.conv2, self.bn2 = nn.Conv2d(width, width, 3, stride, 1, bias=False), nn.BatchNorm2d(width)
        self.conv3, self.bn3 = nn.Conv2d(width, cout, 1, bias=False), nn.BatchNorm2d(cout)
        self.downsample = None
        if stride != 1 or cin != cout:
            self.downsample = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))
    def forward(self, x):
        out = torch.relu(self.bn1(self.conv1(x)))
        out = torch.relu(self.bn2(self.conv2(out)))
        out = self.bn3(self.conv3(out))
        return torch.relu(out + (x if self.downsample is None else self.downsample(x)))

class ResNet50(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1, self.bn1 = nn.Conv2d(3, 64, 7, 2, 3, bias=False), nn.BatchNorm2d(64)
        self.maxpool = nn.MaxPool2d(3, 2, 1)
        layers, cin = [], 64
        for width, blocks, stride in [(64, 3, 1), (128, 4, 2), (256, 6, 2), (512, 3, 2)]:
            stage = []
            for b in range(blocks):
                stage.append(Bottleneck(cin, width, stride if b == 0 else 1))
                cin = width * 4
            layers.append(nn.Sequential(*stage))
        self.layer1, self.layer2, self.layer3, self.layer4 = layers
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(2048, 1000)
    def forward(self, x):
        x = self.maxpool(torch.relu(self.bn1(self.conv1(x))))
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        return self.fc(torch.flatten(self.avgpool(x), 1))

model = ResNet50().eval()
print("parameters", sum(p.numel() for p in model.parameters()))
torch.jit.trace(model, torch.randn(1, 3, 224, 224)).save(sys.argv[1])
PY
measure() {  # step, command...
  local step=$1; shift
  /usr/bin/time -f "%e %M" -o "$work/time" "$@" >"$work/$step.log" 2>&1 || { cat "$work/$step.log"; exit 1; }
  read -r seconds kib <"$work/time"
  tail -n 1 "$work/$step.log"
  echo "scale $step $seconds $((kib / 1024))"
}
measure import "$bin" import --torchscript "$work/resnet50.ts" --input 3x224x224 --out "$work/imported"
measure map "$bin" map --checkpoint "$work/imported/model.pt" --json "$work/map.json"
