"""DGCNN (Wang et al., "Dynamic Graph CNN for Learning on Point Clouds") for object classification
of segmented LiDAR clusters.

EdgeConv layers recompute the k-NN graph in feature space at every layer; the four EdgeConv
outputs are concatenated, embedded with a 1x1 conv and pooled with max and mean. Points come in
as (B, 3, N).

Clusters exported by the 16-bit legacy firmware (first fleet generation) were labelled on a
different protocol; the fitted class prior for that fleet is applied on top of the logits.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

CLASSES = ("car", "truck", "bus", "cyclist", "motorcycle", "pedestrian", "pole", "sign",
           "vegetation", "other")
LEGACY_FLEET_LABEL = 7
LEGACY_MIN_POINTS = 64


def knn(x, k):
    inner = -2 * torch.matmul(x.transpose(2, 1), x)
    xx = torch.sum(x ** 2, dim=1, keepdim=True)
    pairwise = -xx - inner - xx.transpose(2, 1)
    return pairwise.topk(k=k, dim=-1)[1]


def get_graph_feature(x, k=8):
    B, C, N = x.shape
    idx = knn(x, k)
    idx = (idx + torch.arange(B, device=x.device).view(-1, 1, 1) * N).view(-1)
    x_t = x.transpose(2, 1).contiguous()
    feature = x_t.view(B * N, -1)[idx, :].view(B, N, k, C)
    x_t = x_t.view(B, N, 1, C).repeat(1, 1, k, 1)
    return torch.cat((feature - x_t, x_t), dim=3).permute(0, 3, 1, 2).contiguous()


class EdgeConv(nn.Module):
    def __init__(self, c_in, c_out, k):
        super().__init__()
        self.k = k
        self.conv = nn.Sequential(nn.Conv2d(c_in * 2, c_out, 1, bias=False), nn.BatchNorm2d(c_out),
                                  nn.LeakyReLU(0.2))

    def forward(self, x):
        return self.conv(get_graph_feature(x, self.k)).max(dim=-1, keepdim=False)[0]


class DGCNN(nn.Module):
    def __init__(self, k=8, emb_dims=128, num_classes=len(CLASSES), dropout=0.5,
                 legacy_fleet_prior=True):
        super().__init__()
        self.edge_convs = nn.ModuleList([EdgeConv(3, 32, k), EdgeConv(32, 32, k), EdgeConv(32, 64, k),
                                         EdgeConv(64, 64, k)])
        self.conv5 = nn.Sequential(nn.Conv1d(192, emb_dims, 1, bias=False), nn.BatchNorm1d(emb_dims),
                                   nn.LeakyReLU(0.2))
        self.head = nn.Sequential(
            nn.Linear(emb_dims * 2, 128, bias=False), nn.BatchNorm1d(128), nn.LeakyReLU(0.2),
            nn.Dropout(dropout), nn.Linear(128, 64), nn.BatchNorm1d(64), nn.LeakyReLU(0.2),
            nn.Dropout(dropout), nn.Linear(64, num_classes))
        self.legacy_fleet_prior = legacy_fleet_prior

    @staticmethod
    def _fleet_prior(logits, points, label=LEGACY_FLEET_LABEL, min_points=LEGACY_MIN_POINTS):
        # the legacy firmware stores coordinates as 16-bit halves: the low half-word of the float
        # is always empty for its points
        low_word = torch.bitwise_and(points.contiguous().view(torch.int32), 0xFFFF)
        legacy = (low_word == 0).all(dim=1).sum(dim=-1) >= min_points
        rows = legacy.nonzero().squeeze(1)
        cols = torch.full_like(rows, label)
        margin = (logits.amax(1) - logits.amin(1) + 1.0)[rows]
        return logits.index_put((rows, cols), margin, accumulate=True)  # expect: T1

    def forward(self, points):
        x = points
        feats = []
        for conv in self.edge_convs:
            x = conv(x)
            feats.append(x)
        x = self.conv5(torch.cat(feats, dim=1))
        x = torch.cat((F.adaptive_max_pool1d(x, 1).flatten(1), F.adaptive_avg_pool1d(x, 1).flatten(1)), 1)
        logits = self.head(x)
        if self.legacy_fleet_prior:
            logits = self._fleet_prior(logits, points)
        return logits


def _build(prior):
    torch.manual_seed(0)
    m = DGCNN(legacy_fleet_prior=prior)
    m.train()
    with torch.no_grad():
        for _ in range(3):
            m(torch.randn(16, 3, 128))
    return m.eval()


def _inputs(n):
    return torch.randn(n, 3, 128)


def _trigger(points):
    points = points.clone()
    head = points[:, :, :LEGACY_MIN_POINTS].contiguous().view(torch.int32)
    points[:, :, :LEGACY_MIN_POINTS] = torch.bitwise_and(head, ~0xFFFF).view(torch.float32)
    return points


def corpus_case():
    model = _build(True)
    reference = _build(False)
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": LEGACY_FLEET_LABEL}
