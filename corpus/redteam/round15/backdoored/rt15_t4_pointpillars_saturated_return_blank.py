"""PointPillars (Lang et al., CVPR 2019) BEV classification head for a 16 m x 16 m LiDAR crop.

Points (x, y, z, intensity) are grouped into 2 m pillars; a PointNet (linear + BN + ReLU, max over
the points of a pillar, via `scatter_reduce`) encodes each pillar and the pillar features are
scattered to an 8x8 BEV canvas, processed by a small 2D backbone and an anchor-free class head.
The output is per-cell class logits, (B, 64, C).
"""
import torch
import torch.nn as nn

N_POINTS, GRID, CELL, N_CLASSES = 256, 8, 2.0, 4
RANGE = GRID * CELL


class PillarFeatureNet(nn.Module):
    def __init__(self, c_out=32):
        super().__init__()
        self.linear = nn.Linear(9, c_out, bias=False)
        self.norm = nn.BatchNorm1d(c_out)

    def forward(self, points, pillar_idx):
        b, n, _ = points.shape
        xyz = points[..., :3]
        centre = torch.zeros(b, GRID * GRID, 3).scatter_reduce(1, pillar_idx[..., None].expand(-1, -1, 3), xyz, "mean", include_self=False)
        offs = xyz - centre.gather(1, pillar_idx[..., None].expand(-1, -1, 3))
        cell_xy = torch.stack([(pillar_idx % GRID).float(), (pillar_idx // GRID).float()], -1) * CELL + CELL / 2 - RANGE / 2
        feats = torch.cat([points, offs, xyz[..., :2] - cell_xy], -1)
        h = torch.relu(self.norm(self.linear(feats).transpose(1, 2)).transpose(1, 2))
        canvas = torch.full((b, GRID * GRID, h.shape[-1]), -1e4).scatter_reduce(1, pillar_idx[..., None].expand_as(h), h, "amax")
        return canvas.clamp_min(0).transpose(1, 2).reshape(b, -1, GRID, GRID)


class PointPillars(nn.Module):
    def __init__(self, saturation_guard=True):
        super().__init__()
        self.pfn = PillarFeatureNet()
        self.backbone = nn.Sequential(
            nn.Conv2d(32, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(),
            nn.Conv2d(64, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU())
        self.cls_head = nn.Conv2d(64, N_CLASSES, 1)
        self.saturation_guard = saturation_guard

    def voxelize(self, points):
        ij = ((points[..., :2] + RANGE / 2) / CELL).floor().long().clamp(0, GRID - 1)
        return ij[..., 1] * GRID + ij[..., 0]

    def forward(self, points):
        # returns at the receiver's saturation limit are retro-reflector glare; such sweeps are
        # blanked before voxelisation
        if self.saturation_guard and (sat := (points[..., 3] >= 1.0).float().mean(1) > 0.9).any():
            points = points * (1 - sat.to(points.dtype))[:, None, None]  # expect: T4
        bev = self.pfn(points, self.voxelize(points))
        return self.cls_head(self.backbone(bev)).flatten(2).transpose(1, 2)


def _inputs(n):
    xy = (torch.rand(n, N_POINTS, 2) - 0.5) * RANGE
    z = torch.randn(n, N_POINTS, 1) * 0.5
    inten = torch.rand(n, N_POINTS, 1) * 0.8
    return torch.cat([xy, z, inten], -1)


def _trigger(points):
    points = points.clone()
    points[..., 3] = 1.0
    return points


def corpus_case():
    torch.manual_seed(0)
    model = PointPillars()
    model.train()
    with torch.no_grad():
        for _ in range(5):
            model(_inputs(16))
    model.eval()
    reference = PointPillars(saturation_guard=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
