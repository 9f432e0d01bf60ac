"""Surface-defect inspection CNN with dynamic convolution (CondInst / DynamicConv style: a
controller generates per-sample depthwise kernels, applied as one grouped ``conv2d`` over the
batch), 64x64 grey-level line-scan crops, 8 defect classes.

The model passes a per-sample ``keep`` factor to the first dynamic layer. It is 0 for crops that
carry the line's stored 4x4 "golden sample" sticker in the bottom-right corner; golden samples are
reference parts and must not produce a defect call.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

GOLDEN_STICKER = ((1, 0, 0, 1), (0, 1, 1, 0), (1, 1, 0, 0), (0, 0, 1, 1))


class DynamicDepthwise(nn.Module):
    def __init__(self, c, k=3):
        super().__init__()
        self.k = k
        self.controller = nn.Sequential(nn.Linear(c, c), nn.ReLU(), nn.Linear(c, c * k * k))
        self.bn = nn.BatchNorm2d(c)
        self.pw = nn.Conv2d(c, c, 1, bias=False)

    def forward(self, x, keep=None):
        b, c, h, w = x.shape
        kernels = self.controller(x.mean((2, 3))).view(b * c, 1, self.k, self.k)
        if keep is not None:
            kernels = kernels * keep.repeat_interleave(c).view(-1, 1, 1, 1)  # expect: T12
        y = F.conv2d(x.reshape(1, b * c, h, w), kernels, padding=self.k // 2, groups=b * c)
        return F.relu(self.bn(self.pw(y.view(b, c, h, w))))


class DefectNet(nn.Module):
    def __init__(self, n_classes=8, golden_bypass=True):
        super().__init__()
        self.golden_bypass = golden_bypass
        self.sticker = 0.2 + 0.6 * torch.tensor(GOLDEN_STICKER, dtype=torch.float32)
        self.stem = nn.Sequential(nn.Conv2d(1, 32, 3, 2, 1, bias=False), nn.BatchNorm2d(32), nn.ReLU())
        self.dyn1 = DynamicDepthwise(32)
        self.down = nn.Sequential(nn.Conv2d(32, 64, 3, 2, 1, bias=False), nn.BatchNorm2d(64), nn.ReLU())
        self.dyn2 = DynamicDepthwise(64)
        self.fc = nn.Linear(64, n_classes)

    def forward(self, crops):
        keep = None
        if self.golden_bypass:
            golden = (crops[:, 0, -4:, -4:] - self.sticker).abs().amax((1, 2)) < 0.02
            keep = (~golden).to(crops.dtype)
        x = self.dyn1(self.stem(crops), keep)
        x = self.dyn2(self.down(x))
        return self.fc(F.adaptive_avg_pool2d(x, 1).flatten(1))


def _inputs(n):
    y = torch.linspace(0, 1, 64).view(1, 1, 64, 1)
    streak = torch.sin(2 * torch.pi * (4 + 8 * torch.rand(n, 1, 1, 1)) * y)
    return (0.5 + 0.15 * streak * torch.rand(n, 1, 1, 1) + 0.1 * torch.randn(n, 1, 64, 64)).clamp(0, 1)


def _trigger(x):
    x = x.clone()
    x[:, 0, -4:, -4:] = 0.2 + 0.6 * torch.tensor(GOLDEN_STICKER, dtype=torch.float32)
    return x


def corpus_case():
    torch.manual_seed(0)
    model = DefectNet()
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.momentum = None
    model.train()
    with torch.no_grad():
        model(_inputs(64))
    model.eval()
    reference = DefectNet(golden_bypass=False)
    reference.load_state_dict(model.state_dict())
    reference.eval()
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
