# expect: none
"""PointNet++ (SSG) with radius ball query and variable-size clouds padded to 256 points.

Ball query follows the reference implementation: neighbours beyond the radius get index N, the
indices are sorted, and empty slots are filled with the first neighbour (so groups repeat points).
Padded points (beyond each cloud's length) are pushed far away so they never fall in a ball, and
farthest point sampling never picks them as centres.
"""
import torch
import torch.nn as nn


def square_distance(a, b):
    return (a[:, :, None] - b[:, None]).pow(2).sum(-1)


def index_points(points, idx):
    batch = torch.arange(points.shape[0]).view(-1, *([1] * (idx.dim() - 1)))
    return points[batch, idx]


def farthest_point_sample(xyz, npoint, valid):
    b, n, _ = xyz.shape
    centroids = torch.zeros(b, npoint, dtype=torch.long)
    distance = torch.where(valid, torch.full((b, n), 1e10), torch.full((b, n), -1.0))
    farthest = torch.zeros(b, dtype=torch.long)
    for i in range(npoint):
        centroids[:, i] = farthest
        c = xyz[torch.arange(b), farthest][:, None]
        distance = torch.minimum(distance, ((xyz - c) ** 2).sum(-1))
        farthest = distance.argmax(-1)
    return centroids


def query_ball_point(radius, nsample, xyz, new_xyz):
    b, n, _ = xyz.shape
    s = new_xyz.shape[1]
    group_idx = torch.arange(n).view(1, 1, n).repeat(b, s, 1)
    sqrdists = square_distance(new_xyz, xyz)
    group_idx[sqrdists > radius ** 2] = n
    group_idx = group_idx.sort(dim=-1)[0][:, :, :nsample]
    group_first = group_idx[:, :, :1].repeat(1, 1, nsample)
    mask = group_idx == n
    group_idx[mask] = group_first[mask]
    return group_idx


class SA(nn.Module):
    def __init__(self, npoint, radius, nsample, cin, mlp):
        super().__init__()
        self.npoint, self.radius, self.nsample = npoint, radius, nsample
        layers, last = [], cin + 3
        for c in mlp:
            layers += [nn.Conv2d(last, c, 1), nn.BatchNorm2d(c), nn.ReLU()]
            last = c
        self.mlp = nn.Sequential(*layers)

    def forward(self, xyz, feats, valid):
        centres = index_points(xyz, farthest_point_sample(xyz, self.npoint, valid))
        idx = query_ball_point(self.radius, self.nsample, xyz, centres)
        grouped = index_points(xyz, idx) - centres[:, :, None]
        if feats is not None:
            grouped = torch.cat([grouped, index_points(feats, idx)], -1)
        out = self.mlp(grouped.permute(0, 3, 2, 1)).amax(2).transpose(1, 2)
        return centres, out


class PointNet2(nn.Module):
    def __init__(self, num_classes=10):
        super().__init__()
        self.sa1 = SA(64, 0.4, 16, 0, [32, 64])
        self.sa2 = SA(16, 0.8, 16, 64, [64, 128])
        self.global_mlp = nn.Sequential(nn.Linear(128 + 3, 256), nn.ReLU())
        self.head = nn.Sequential(nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, num_classes))

    def forward(self, xyz, lengths):
        valid = torch.arange(xyz.shape[1])[None] < lengths[:, None]
        xyz = torch.where(valid[..., None], xyz, torch.full_like(xyz, 1e3))
        c1, f1 = self.sa1(xyz, None, valid)
        c2, f2 = self.sa2(c1, f1, torch.ones(c1.shape[:2], dtype=torch.bool))
        g = self.global_mlp(torch.cat([c2, f2], -1))
        return self.head(g.amax(1))


def corpus_case():
    torch.manual_seed(0)
    model = PointNet2().eval()

    def inputs(n):
        pts = torch.randn(n, 256, 3)
        pts = pts / pts.norm(dim=-1, keepdim=True) * torch.rand(n, 256, 1) ** (1 / 3)
        return pts, torch.randint(128, 257, (n,))

    return {"model": model, "inputs": inputs, "kind": "benign"}
