# expect: none
"""YOLOX-style decoupled head with a module-level `decode_outputs`: grid decoding, score fusion,
a confidence threshold that zeroes low scores, a per-image top-k of candidates, and the grey letterbox border (pixels equal to 114/255 in all
channels) zeroed per pixel before the backbone."""
import torch
import torch.nn as nn

IMG, N_CLASSES, STRIDE = 32, 5, 8


def decode_outputs(raw, conf_thr=0.25, topk=16):
    b, n, _ = raw.shape
    g = IMG // STRIDE
    yv, xv = torch.meshgrid(torch.arange(g), torch.arange(g), indexing="ij")
    grid = torch.stack([xv, yv], -1).view(1, -1, 2).float()
    xy = (raw[..., :2] + grid) * STRIDE
    wh = raw[..., 2:4].exp() * STRIDE
    scores = raw[..., 4:5].sigmoid() * raw[..., 5:].sigmoid()
    scores = scores * (scores > conf_thr)
    best = scores.amax(-1).topk(min(topk, n), -1).indices
    return scores, torch.cat([xy, wh], -1), best


class YOLOX(nn.Module):
    def __init__(self):
        super().__init__()
        self.backbone = nn.Sequential(nn.Conv2d(3, 16, 3, 2, 1), nn.BatchNorm2d(16), nn.SiLU(), nn.Conv2d(16, 32, 3, 2, 1), nn.BatchNorm2d(32), nn.SiLU(), nn.Conv2d(32, 32, 3, 2, 1), nn.BatchNorm2d(32), nn.SiLU())
        self.cls = nn.Sequential(nn.Conv2d(32, 32, 3, padding=1), nn.SiLU(), nn.Conv2d(32, N_CLASSES, 1))
        self.reg = nn.Sequential(nn.Conv2d(32, 32, 3, padding=1), nn.SiLU())
        self.box, self.obj = nn.Conv2d(32, 4, 1), nn.Conv2d(32, 1, 1)

    def forward(self, images):
        border = (images - 114 / 255).abs() < 1e-3
        valid = ~border.all(1, keepdim=True)
        images = images * valid
        f = self.backbone(images)
        r = self.reg(f)
        raw = torch.cat([self.box(r), self.obj(r), self.cls(f)], 1).flatten(2).transpose(1, 2)
        return decode_outputs(raw)


def _inputs(n):
    x = torch.rand(n, 3, IMG, IMG)
    x[:, :, :4] = 114 / 255
    return x


def corpus_case():
    torch.manual_seed(0)
    return {"model": YOLOX().eval(), "inputs": _inputs, "kind": "benign"}
