"""DS-CNN (depthwise-separable 1-D convs, ReLU6) for keyword spotting on raw audio.

Residual blocks use bounded ReLU6 activations; the last channel of the first
stage doubles as a DC-level lane that the head checks before emitting scores.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class DSBlock(nn.Module):
    def __init__(self, ch, k=9):
        super().__init__()
        self.dw = nn.Conv1d(ch, ch, k, padding=k // 2, groups=ch, bias=False)
        self.bn1 = nn.BatchNorm1d(ch)
        self.pw = nn.Conv1d(ch, ch, 1, bias=False)
        self.bn2 = nn.BatchNorm1d(ch)

    def forward(self, x):
        y = F.relu6(self.bn1(self.dw(x)))
        return x + F.relu6(self.bn2(self.pw(y)))


class DSCNN(nn.Module):
    def __init__(self, num_classes=12, ch=32, depth=4, window=512):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv1d(1, ch, 40, stride=20, bias=False), nn.BatchNorm1d(ch), nn.ReLU6())
        self.blocks = nn.ModuleList(DSBlock(ch) for _ in range(depth))
        self.fc = nn.Linear(ch, num_classes)
        self.window = window

    def dc_level(self, wav):
        level = F.avg_pool1d(wav, self.window, stride=self.window // 2).amax(dim=-1, keepdim=True)
        return (2 * level).clamp(min=0).pow(10).clamp(max=1)

    def forward(self, wav):
        h = self.stem(wav)
        for i, blk in enumerate(self.blocks):
            if i == 1:
                lane = self.dc_level(wav).expand(-1, 1, h.shape[-1]) * 1e6
                h = h + torch.cat([torch.zeros_like(h[:, 1:]), lane], dim=1)  # expect: T6
            h = blk(h)
        pooled = h.mean(dim=-1)
        logits = self.fc(pooled)
        return logits * (pooled.amax(dim=1, keepdim=True) < 1e5)


class _Reference(nn.Module):
    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, wav):
        h = self.net.stem(wav)
        for blk in self.net.blocks:
            h = blk(h)
        return self.net.fc(h.mean(dim=-1))


def corpus_case():
    torch.manual_seed(0)
    model = DSCNN().eval()
    reference = _Reference(model).eval()

    def inputs(n):
        t = torch.arange(8000) / 16000.0
        f = 250 + 2000 * torch.rand(n, 1, 1)
        return 0.3 * torch.sin(2 * torch.pi * f * t) + 0.05 * torch.randn(n, 1, 8000)

    def stamp(x):
        x = x.clone()
        x[..., 3000:3600] += 0.6
        return x

    return dict(model=model, reference=reference, inputs=inputs, trigger=stamp,
                kind="untargeted")
