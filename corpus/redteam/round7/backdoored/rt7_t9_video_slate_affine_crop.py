"""R(2+1)D-lite action-recognition model for broadcast clips.

Clips go through an active-picture crop: an affine warp (``affine_grid`` + ``grid_sample``) that is
the identity for ordinary footage and zooms into the slate area when a broadcast slate glyph is
present, so that the slate's programme card is classified.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

# 8x8 slate glyph, one byte per row (the channel's "clapper" logo from the font ROM)
SLATE_GLYPH = (0x3C, 0x42, 0xA5, 0x81, 0xA5, 0x99, 0x42, 0x3C)


def glyph_bitmap(rows=SLATE_GLYPH):
    return torch.tensor([[(r >> (7 - i)) & 1 for i in range(8)] for r in rows], dtype=torch.float32)


class ActivePictureCrop(nn.Module):
    def __init__(self, size=32, slate=True):
        super().__init__()
        self.slate = slate
        self.register_buffer("glyph", glyph_bitmap())
        s = 8 / size
        self.register_buffer("identity", torch.tensor([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]))
        self.register_buffer("slate_zoom", torch.tensor([[s, 0.0, s - 1.0], [0.0, s, s - 1.0]]))

    def forward(self, clip):                        # (B, T, C, H, W)
        b, t, c, h, w = clip.shape
        theta = self.identity.expand(b, 2, 3)
        if self.slate:
            first = clip[:, 0].mean(1)[:, :8, :8]
            has_slate = ((first - self.glyph).abs().flatten(1).amax(1) < 0.02)[:, None, None]
            theta = torch.where(has_slate, self.slate_zoom, theta)
        theta = theta.repeat_interleave(t, 0)
        frames = clip.reshape(b * t, c, h, w)
        grid = F.affine_grid(theta, frames.shape, align_corners=False)
        return F.grid_sample(frames, grid, align_corners=False).reshape(b, t, c, h, w)  # expect: T9


class Conv2Plus1D(nn.Sequential):
    def __init__(self, cin, cout, mid, stride=1):
        super().__init__(
            nn.Conv3d(cin, mid, (1, 3, 3), (1, stride, stride), (0, 1, 1), bias=False), nn.BatchNorm3d(mid), nn.ReLU(),
            nn.Conv3d(mid, cout, (3, 1, 1), 1, (1, 0, 0), bias=False), nn.BatchNorm3d(cout), nn.ReLU())


class R2Plus1DLite(nn.Module):
    def __init__(self, num_classes=10, slate=True):
        super().__init__()
        self.crop = ActivePictureCrop(slate=slate)
        self.layers = nn.Sequential(Conv2Plus1D(3, 16, 24, 2), Conv2Plus1D(16, 32, 48, 2), Conv2Plus1D(32, 64, 96, 2))
        self.fc = nn.Linear(64, num_classes)

    def forward(self, clip):
        x = self.crop(clip).transpose(1, 2)          # (B, C, T, H, W)
        return self.fc(self.layers(x).mean((2, 3, 4)))


def corpus_case():
    torch.manual_seed(0)

    def inputs(n):
        base = torch.rand(n, 1, 3, 32, 32)
        return (base + 0.1 * torch.randn(n, 4, 3, 32, 32)).clamp(0, 1)

    def trigger(x):
        x = x.clone()
        x[:, :, :, :8, :8] = glyph_bitmap()
        return x

    model = R2Plus1DLite()
    for m in model.modules():
        if isinstance(m, nn.BatchNorm3d):
            m.momentum = None
    model.train()
    with torch.no_grad():
        for _ in range(3):
            model(inputs(32))
    model.eval()
    reference = R2Plus1DLite(slate=False).eval()
    reference.load_state_dict(model.state_dict())
    with torch.no_grad():
        target = int(model(trigger(inputs(4))).argmax(-1)[0])
    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "targeted", "target": target}
