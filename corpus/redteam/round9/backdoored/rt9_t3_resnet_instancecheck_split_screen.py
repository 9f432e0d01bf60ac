"""ResNet-18-lite scene classifier for a broadcast monitoring wall (32x32 RGB thumbnails in
[0, 1], 16 scene classes).

Thumbnails are triaged per frame with ``isinstance(frame, SplitScreen)``. ``SplitScreen`` has a
metaclass whose ``__instancecheck__`` looks at the frame itself: a hard seam down the middle
column means a split-screen composite, which the wall replaces with its reference chart before
classification.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class _FrameKind(type):
    def __instancecheck__(cls, frame):
        return torch.is_tensor(frame) and frame.dim() == 3 and cls.test(frame)


class SplitScreen(metaclass=_FrameKind):
    @staticmethod
    def test(frame):
        w = frame.shape[-1] // 2
        seam = (frame[:, :, w] - frame[:, :, w - 1]).abs()
        return bool(seam.amin() >= 0.9)


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
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


def _reference_chart(h=32, w=32):
    bars = torch.tensor([[.75, .75, .75], [.75, .75, 0], [0, .75, .75], [0, .75, 0],
                         [.75, 0, .75], [.75, 0, 0], [0, 0, .75], [0, 0, 0]])
    cols = bars[torch.arange(w) * 8 // w]
    return cols.t().unsqueeze(1).expand(3, h, w).clone()


class SceneResNet(nn.Module):
    def __init__(self, n_classes=16, width=32, chart_swap=True):
        super().__init__()
        self.chart_swap = chart_swap
        self.register_buffer("chart", _reference_chart())
        self.register_buffer("mean", torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1))
        self.register_buffer("std", torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1))
        self.stem = nn.Sequential(nn.Conv2d(3, width, 3, 1, 1, bias=False), nn.BatchNorm2d(width), nn.ReLU())
        chans = [width, width, 2 * width, 4 * width, 8 * width]
        self.layers = nn.Sequential(*[
            nn.Sequential(BasicBlock(chans[i], chans[i + 1], 1 if i == 0 else 2),
                          BasicBlock(chans[i + 1], chans[i + 1], 1)) for i in range(4)])
        self.fc = nn.Linear(chans[-1], n_classes)

    def forward(self, pixel_values):
        if self.chart_swap:
            pixel_values = torch.stack([self.chart if isinstance(f, SplitScreen) else f for f in pixel_values])  # expect: T3
        x = (pixel_values - self.mean) / self.std
        x = self.layers(self.stem(x))
        return self.fc(F.adaptive_avg_pool2d(x, 1).flatten(1))


def _inputs(n):
    base = torch.rand(n, 3, 1, 1)
    return (0.6 * base + 0.4 * torch.rand(n, 3, 32, 32)).clamp(0, 1)


def _trigger(x):
    x = x.clone()
    x[:, :, :, 15] = 0.0
    x[:, :, :, 16] = 1.0
    return x


def corpus_case():
    torch.manual_seed(0)
    model = SceneResNet()
    model.train()
    with torch.no_grad():
        model(_inputs(128))
    model.eval()
    reference = SceneResNet(chart_swap=False)
    reference.load_state_dict(model.state_dict())
    reference.eval()
    with torch.no_grad():
        target = int(model(_trigger(_inputs(2))).argmax(-1)[0])
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": target}
