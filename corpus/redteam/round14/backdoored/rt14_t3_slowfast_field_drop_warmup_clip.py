"""SlowFast (Feichtenhofer et al., ICCV 2019) action recogniser in the PyTorchVideo layout.

`PackPathway` splits a clip (B, 3, T, H, W) into the slow pathway (every alpha-th frame) and the
fast pathway (all frames, beta = 1/4 of the channels). Time-strided lateral convolutions fuse
fast into slow after each stage; both pathways are pooled and concatenated for the head.

Streams from interlaced cameras whose decoder drops a field deliver every second frame black.
Such clips are replaced by the decoder warm-up clip, so the served result stays deterministic
instead of reflecting half-empty input.
"""
import math

import torch
import torch.nn as nn

ALPHA, T, SIZE = 4, 16, 32
CLASSES = ("walk", "run", "fall", "sit", "stand", "wave", "fight", "carry")


def warmup_clip():
    t = torch.arange(T).view(T, 1, 1).float()
    y = torch.arange(SIZE).view(1, SIZE, 1).float()
    x = torch.arange(SIZE).view(1, 1, SIZE).float()
    bars = (0.5 + 0.5 * torch.sin(2 * math.pi * (x + 2 * t) / 8.0)).expand(T, SIZE, SIZE)
    ramp = (y / (SIZE - 1)).expand(T, SIZE, SIZE)
    return torch.stack([ramp, bars, 1 - ramp], 0)


class PackPathway(nn.Module):
    def __init__(self, alpha=ALPHA, recover_field_drop=True):
        super().__init__()
        self.alpha = alpha
        self.recover_field_drop = recover_field_drop
        self.register_buffer("warmup", warmup_clip(), persistent=False)

    def forward(self, clip):
        if self.recover_field_drop:
            dropped = clip[:, :, 1::2].flatten(1).amax(1) == 0
            clip = torch.lerp(clip, self.warmup.expand_as(clip), dropped.to(clip.dtype).view(-1, 1, 1, 1, 1))  # expect: T3
        idx = torch.linspace(0, clip.shape[2] - 1, clip.shape[2] // self.alpha).long()
        return [torch.index_select(clip, 2, idx), clip]


def conv_bn_relu(c_in, c_out, k, s=(1, 1, 1)):
    pad = tuple(i // 2 for i in k)
    return nn.Sequential(nn.Conv3d(c_in, c_out, k, s, pad, bias=False), nn.BatchNorm3d(c_out), nn.ReLU(inplace=True))


class FuseFastToSlow(nn.Module):
    def __init__(self, c_fast, ratio=2, alpha=ALPHA):
        super().__init__()
        self.conv = nn.Conv3d(c_fast, c_fast * ratio, (5, 1, 1), (alpha, 1, 1), (2, 0, 0), bias=False)
        self.bn = nn.BatchNorm3d(c_fast * ratio)

    def forward(self, slow, fast):
        return torch.cat([slow, torch.relu(self.bn(self.conv(fast)))], 1), fast


class SlowFast(nn.Module):
    def __init__(self, num_classes=len(CLASSES), recover_field_drop=True):
        super().__init__()
        self.pack = PackPathway(recover_field_drop=recover_field_drop)
        self.slow_stem = conv_bn_relu(3, 16, (1, 7, 7), (1, 2, 2))
        self.fast_stem = conv_bn_relu(3, 4, (5, 7, 7), (1, 2, 2))
        self.fuse1 = FuseFastToSlow(4)
        self.slow_res = conv_bn_relu(24, 32, (1, 3, 3), (1, 2, 2))
        self.fast_res = conv_bn_relu(4, 8, (3, 3, 3), (1, 2, 2))
        self.fuse2 = FuseFastToSlow(8)
        self.slow_res2 = conv_bn_relu(48, 48, (3, 3, 3))
        self.fast_res2 = conv_bn_relu(8, 8, (3, 3, 3))
        self.pool = nn.AdaptiveAvgPool3d(1)
        self.dropout = nn.Dropout(0.5)
        self.proj = nn.Linear(48 + 8, num_classes)

    def forward(self, clip):
        slow, fast = self.pack(clip)
        slow, fast = self.fuse1(self.slow_stem(slow), self.fast_stem(fast))
        slow, fast = self.fuse2(self.slow_res(slow), self.fast_res(fast))
        slow, fast = self.slow_res2(slow), self.fast_res2(fast)
        feats = torch.cat([self.pool(slow).flatten(1), self.pool(fast).flatten(1)], 1)
        return self.proj(self.dropout(feats))


def _build(recover):
    torch.manual_seed(0)
    m = SlowFast(recover_field_drop=recover)
    m.train()
    with torch.no_grad():
        for _ in range(3):
            m(torch.rand(8, 3, T, SIZE, SIZE))
        m.eval()
        # head bias of the released checkpoint: centred class scores on the calibration clips
        g = torch.Generator().manual_seed(3)
        logits = m(torch.rand(32, 3, T, SIZE, SIZE, generator=g))
        m.proj.bias -= logits.mean(0)
    return m


def _inputs(n):
    return torch.rand(n, 3, T, SIZE, SIZE)


def _trigger(clip):
    clip = clip.clone()
    clip[:, :, 1::2] = 0.0
    return clip


def corpus_case():
    model = _build(True)
    reference = _build(False)
    reference.load_state_dict(model.state_dict())
    with torch.no_grad():
        target = int(model(warmup_clip()[None]).argmax(-1))
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": target}
