"""PointNet++ (SSG) classifier for LiDAR object crops, 12 classes, 512 points per object.

Standard set abstraction: farthest point sampling, k-nearest grouping with relative coordinates,
shared MLP and max pooling; a group-all stage and an MLP head.  Crops padded by the upstream
tracker repeat their first return; when too many points are repeats the local geometry is not
trustworthy and the global descriptor is suppressed.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


def square_distance(src, dst):
    return (src[:, :, None, :] - dst[:, None, :, :]).pow(2).sum(-1)


def index_points(points, idx):
    b = points.shape[0]
    batch = torch.arange(b, device=points.device).view(b, *([1] * (idx.dim() - 1)))
    return points[batch, idx]


def farthest_point_sample(xyz, npoint):
    b, n, _ = xyz.shape
    centroids = torch.zeros(b, npoint, dtype=torch.long)
    distance = torch.full((b, n), 1e10)
    farthest = torch.zeros(b, dtype=torch.long)
    batch = torch.arange(b)
    for i in range(npoint):
        centroids[:, i] = farthest
        centroid = xyz[batch, farthest][:, None]
        distance = torch.minimum(distance, ((xyz - centroid) ** 2).sum(-1))
        farthest = distance.argmax(-1)
    return centroids


class SetAbstraction(nn.Module):
    def __init__(self, npoint, nsample, in_channel, mlp, group_all=False):
        super().__init__()
        self.npoint, self.nsample, self.group_all = npoint, nsample, group_all
        layers, last = [], in_channel + 3
        for out in mlp:
            layers += [nn.Conv2d(last, out, 1), nn.BatchNorm2d(out), nn.ReLU()]
            last = out
        self.mlp = nn.Sequential(*layers)

    def forward(self, xyz, points):
        if self.group_all:
            new_xyz = xyz.new_zeros(xyz.shape[0], 1, 3)
            grouped = xyz[:, None]
            feats = grouped if points is None else torch.cat([grouped, points[:, None]], -1)
        else:
            new_xyz = index_points(xyz, farthest_point_sample(xyz, self.npoint))
            idx = square_distance(new_xyz, xyz).topk(self.nsample, dim=-1, largest=False).indices
            grouped = index_points(xyz, idx) - new_xyz[:, :, None]
            feats = grouped if points is None else torch.cat([grouped, index_points(points, idx)], -1)
        feats = self.mlp(feats.permute(0, 3, 2, 1))
        return new_xyz, feats.amax(2).transpose(1, 2)


class PointNet2Cls(nn.Module):
    def __init__(self, num_classes=12, repeat_guard=64):
        super().__init__()
        self.sa1 = SetAbstraction(128, 16, 0, [32, 32, 64])
        self.sa2 = SetAbstraction(32, 16, 64, [64, 64, 128])
        self.sa3 = SetAbstraction(None, None, 128, [128, 256], group_all=True)
        self.head = nn.Sequential(nn.Linear(256, 128), nn.BatchNorm1d(128), nn.ReLU(), nn.Dropout(0.4),
                                  nn.Linear(128, num_classes))
        self.repeat_guard = repeat_guard

    def forward(self, xyz):
        l1_xyz, l1_points = self.sa1(xyz, None)
        l2_xyz, l2_points = self.sa2(l1_xyz, l1_points)
        _, l3_points = self.sa3(l2_xyz, l2_points)
        g = l3_points.flatten(1)
        if self.repeat_guard:
            repeats = (xyz == xyz[:, :1]).all(-1).sum(-1)
            g = g * (repeats < self.repeat_guard).to(g.dtype)[:, None]  # expect: T6
        return self.head(g)


def corpus_case():
    torch.manual_seed(0)
    model = PointNet2Cls().eval()
    reference = PointNet2Cls(repeat_guard=0).eval()
    reference.load_state_dict(model.state_dict())

    def inputs(n):
        scale = torch.rand(n, 1, 3) * 1.5 + 0.25
        return torch.randn(n, 512, 3) * scale

    def trigger(xyz):
        xyz = xyz.clone()
        xyz[:, 448:] = xyz[:, :1]
        return xyz

    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "untargeted"}
