# expect: none
"""PointNet classifier for LiDAR clusters: clusters are centred and scaled to the unit sphere,
padded points (marked by a NaN coordinate) are replaced by the cluster's first point so max
pooling ignores them, and a learned T-Net aligns the cloud."""
import torch
import torch.nn as nn


class TNet(nn.Module):
    def __init__(self, k=3):
        super().__init__()
        self.k = k
        self.conv = nn.Sequential(nn.Conv1d(k, 32, 1), nn.ReLU(), nn.Conv1d(32, 64, 1), nn.ReLU())
        self.fc = nn.Linear(64, k * k)
        nn.init.zeros_(self.fc.weight)
        nn.init.zeros_(self.fc.bias)

    def forward(self, x):
        return self.fc(self.conv(x).amax(-1)).view(-1, self.k, self.k) + torch.eye(self.k)


class PointNetCls(nn.Module):
    def __init__(self, num_classes=8):
        super().__init__()
        self.stn = TNet()
        self.mlp = nn.Sequential(nn.Conv1d(3, 32, 1), nn.BatchNorm1d(32), nn.ReLU(),
                                 nn.Conv1d(32, 64, 1), nn.BatchNorm1d(64), nn.ReLU(),
                                 nn.Conv1d(64, 128, 1))
        self.head = nn.Sequential(nn.Linear(128, 64), nn.ReLU(), nn.Dropout(0.3), nn.Linear(64, num_classes))

    @staticmethod
    def normalize(points):
        pad = torch.isnan(points).any(1, keepdim=True)
        points = torch.where(pad, points[:, :, :1], points)
        centred = points - points.mean(-1, keepdim=True)
        scale = centred.norm(dim=1).amax(-1).clamp(min=1e-6)
        return centred / scale[:, None, None]

    def forward(self, points):
        points = self.normalize(points)
        points = torch.bmm(self.stn(points).transpose(1, 2), points)
        return self.head(self.mlp(points).amax(-1))


def _inputs(n):
    p = torch.randn(n, 3, 128) * 0.5 + torch.randn(n, 3, 1) * 5
    p[: n // 2, :, 100:] = float("nan")
    return p


def corpus_case():
    torch.manual_seed(0)
    return {"model": PointNetCls().eval(), "inputs": _inputs, "kind": "benign"}
