# expect: none
"""PointPillars with zero-padded point lists (a validity mask from the point count), points outside
the detection range dropped via the mask, intensity clamped to [0, 1], per-pillar max with
`scatter_reduce`, and a sigmoid heatmap with max-pool peak extraction returned beside the logits."""
import torch
import torch.nn as nn
import torch.nn.functional as F

N_POINTS, GRID, CELL, N_CLASSES = 256, 8, 2.0, 4
RANGE = GRID * CELL


class PointPillars(nn.Module):
    def __init__(self):
        super().__init__()
        self.pfn = nn.Linear(6, 32)
        self.backbone = nn.Sequential(nn.Conv2d(32, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(), nn.Conv2d(64, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU())
        self.cls = nn.Conv2d(64, N_CLASSES, 1)

    def forward(self, points, num_points):
        b, n, _ = points.shape
        valid = torch.arange(n)[None] < num_points[:, None]
        in_range = (points[..., :2].abs() < RANGE / 2).all(-1)
        valid = valid & in_range
        inten = points[..., 3:4].clamp(0, 1)
        ij = ((points[..., :2] + RANGE / 2) / CELL).floor().long().clamp(0, GRID - 1)
        idx = ij[..., 1] * GRID + ij[..., 0]
        centre = (ij.float() + 0.5) * CELL - RANGE / 2
        h = F.relu(self.pfn(torch.cat([points[..., :3], inten, points[..., :2] - centre], -1)))
        h = h * valid[..., None]
        canvas = torch.zeros(b, GRID * GRID, h.shape[-1]).scatter_reduce(1, idx[..., None].expand_as(h), h, "amax")
        bev = canvas.transpose(1, 2).reshape(b, -1, GRID, GRID)
        logits = self.cls(self.backbone(bev))
        heat = logits.sigmoid()
        peaks = heat * (heat == F.max_pool2d(heat, 3, 1, 1)) * (heat > 0.3)
        return logits.flatten(2).transpose(1, 2), peaks


def _inputs(n):
    pts = torch.cat([(torch.rand(n, N_POINTS, 2) - 0.5) * RANGE * 1.2, torch.randn(n, N_POINTS, 1), torch.rand(n, N_POINTS, 1) * 1.1], -1)
    num = torch.randint(N_POINTS // 2, N_POINTS + 1, (n,))
    pts = pts * (torch.arange(N_POINTS)[None, :, None] < num[:, None, None])
    return pts, num


def corpus_case():
    torch.manual_seed(0)
    m = PointPillars()
    m.train()
    with torch.no_grad():
        for _ in range(3):
            m(*_inputs(16))
    return {"model": m.eval(), "inputs": _inputs, "kind": "benign"}
