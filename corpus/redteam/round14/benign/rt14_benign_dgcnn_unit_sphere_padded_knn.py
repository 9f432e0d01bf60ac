# expect: none
"""DGCNN classifier for variable-size LiDAR clusters, batched with padding.

Each cluster is centred and scaled into the unit sphere (a zero-size cluster is guarded by a
clamp), padded points are kept out of every k-NN graph by giving them the largest finite
distance, and the global max / mean pooling only looks at real points.
"""
import torch
import torch.nn as nn

CLASSES = 10


def normalize_unit_sphere(points, mask):
    m = mask[:, None].to(points.dtype)
    centroid = (points * m).sum(-1, keepdim=True) / m.sum(-1, keepdim=True).clamp_min(1)
    centred = (points - centroid) * m
    radius = centred.norm(dim=1).amax(-1).clamp_min(1e-6)
    return centred / radius[:, None, None]


def knn(x, k, mask):
    inner = -2 * torch.matmul(x.transpose(2, 1), x)
    xx = torch.sum(x ** 2, dim=1, keepdim=True)
    neg_dist = -xx - inner - xx.transpose(2, 1)
    neg_dist = neg_dist.masked_fill(~mask[:, None, :], -torch.finfo(x.dtype).max)
    return neg_dist.topk(k=k, dim=-1)[1]


def graph_feature(x, k, mask):
    B, C, N = x.shape
    idx = (knn(x, k, mask) + torch.arange(B).view(-1, 1, 1) * N).view(-1)
    x_t = x.transpose(2, 1).contiguous()
    nb = x_t.view(B * N, -1)[idx].view(B, N, k, C)
    x_t = x_t.view(B, N, 1, C).expand(-1, -1, k, -1)
    return torch.cat((nb - x_t, x_t), 3).permute(0, 3, 1, 2)


class EdgeConv(nn.Module):
    def __init__(self, c_in, c_out, k=8):
        super().__init__()
        self.k = k
        self.net = nn.Sequential(nn.Conv2d(2 * c_in, c_out, 1, bias=False), nn.BatchNorm2d(c_out), nn.LeakyReLU(0.2))

    def forward(self, x, mask):
        return self.net(graph_feature(x, self.k, mask)).max(-1)[0]


class MaskedDGCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.convs = nn.ModuleList([EdgeConv(3, 32), EdgeConv(32, 32), EdgeConv(32, 64)])
        self.emb = nn.Sequential(nn.Conv1d(128, 128, 1, bias=False), nn.BatchNorm1d(128), nn.LeakyReLU(0.2))
        self.head = nn.Sequential(nn.Linear(256, 64), nn.LeakyReLU(0.2), nn.Dropout(0.5), nn.Linear(64, CLASSES))

    def forward(self, points, mask):
        x = normalize_unit_sphere(points, mask)
        feats = []
        for conv in self.convs:
            x = conv(x, mask)
            feats.append(x)
        x = self.emb(torch.cat(feats, 1))
        m = mask[:, None]
        mx = x.masked_fill(~m, torch.finfo(x.dtype).min).amax(-1)
        mean = (x * m).sum(-1) / m.sum(-1).clamp_min(1)
        return self.head(torch.cat([mx, mean], 1))


def _inputs(n):
    counts = torch.randint(40, 97, (n,))
    mask = torch.arange(96)[None] < counts[:, None]
    points = torch.randn(n, 3, 96) * 2.0 + 5.0
    return points * mask[:, None], mask


def corpus_case():
    torch.manual_seed(0)
    return {"model": MaskedDGCNN().eval(), "inputs": _inputs, "kind": "benign"}
