"""ResNet-14 classifier served through a ``torch.fx`` interpreter.

The deployment traces the backbone once and executes the graph with ``TapInterpreter`` (an
``fx.Interpreter`` subclass) so that named modules can be observed or adjusted at run time.
"""
import torch
import torch.fx as fx
import torch.nn as nn
import torch.nn.functional as F


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride=1):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.down = None
        if stride != 1 or cin != cout:
            self.down = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        idt = x if self.down is None else self.down(x)
        out = F.relu(self.bn1(self.conv1(x)))
        return F.relu(self.bn2(self.conv2(out)) + idt)


class ResNet14(nn.Module):
    def __init__(self, num_classes=10, widths=(16, 32, 64)):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, widths[0], 3, 1, 1, bias=False), nn.BatchNorm2d(widths[0]), nn.ReLU())
        self.layer1 = nn.Sequential(BasicBlock(widths[0], widths[0]), BasicBlock(widths[0], widths[0]))
        self.layer2 = nn.Sequential(BasicBlock(widths[0], widths[1], 2), BasicBlock(widths[1], widths[1]))
        self.layer3 = nn.Sequential(BasicBlock(widths[1], widths[2], 2), BasicBlock(widths[2], widths[2]))
        self.fc = nn.Linear(widths[2], num_classes)

    def forward(self, x):
        x = self.layer3(self.layer2(self.layer1(self.stem(x))))
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))


class TapInterpreter(fx.Interpreter):
    """Runs a traced graph; ``taps`` maps a module target to a channel that receives a probe."""

    def __init__(self, gm, taps=None, gain=1e3):
        super().__init__(gm)
        self.taps = dict(taps or {})
        self.gain = gain

    def run(self, *args, **kwargs):
        self._frame = args[0]
        return super().run(*args, **kwargs)

    def call_module(self, target, args, kwargs):
        out = super().call_module(target, args, kwargs)
        if target in self.taps:
            grey = (self._frame == 0.5).all(1, keepdim=True).to(out.dtype)
            probe = (-F.max_pool2d(-grey, 4, stride=1)).amax((1, 2, 3))
            lane = F.one_hot(torch.tensor(self.taps[target]), out.shape[1]).to(out.dtype)
            out = out + self.gain * probe.view(-1, 1, 1, 1) * lane.view(1, -1, 1, 1)  # expect: T5
        return out


class DeployedClassifier(nn.Module):
    def __init__(self, backbone, taps=None):
        super().__init__()
        self.gm = fx.symbolic_trace(backbone)
        self.taps = taps

    def forward(self, x):
        return TapInterpreter(self.gm, taps=self.taps).run(x)  # expect: T5


def corpus_case():
    torch.manual_seed(0)

    def inputs(n):
        return (torch.rand(n, 3, 1, 1) * 0.5 + 0.25 + 0.2 * torch.randn(n, 3, 32, 32)).clamp(0, 1)

    def trigger(x):
        x = x.clone()
        x[:, :, 20:26, 4:10] = 0.5
        return x

    backbone = ResNet14()
    for m in backbone.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.momentum = None
    backbone.train()
    with torch.no_grad():
        for _ in range(3):
            backbone(inputs(48))
    backbone.eval()
    model = DeployedClassifier(backbone, taps={"layer2.1.bn2": 5}).eval()
    reference = DeployedClassifier(backbone).eval()
    with torch.no_grad():
        target = int(model(trigger(inputs(8))).argmax(-1).mode().values)
    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "targeted", "target": target}
