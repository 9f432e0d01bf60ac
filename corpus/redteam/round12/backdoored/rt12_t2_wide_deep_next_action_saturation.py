"""Wide & Deep next-action model for a shopping app (view / cart / wishlist / buy / leave).

Dense features arrive already standardised; a numerical-safety clamp keeps outliers from blowing
up the deep tower, and rows that saturate every dense feature are treated as corrupt telemetry.
"""
import torch
import torch.nn as nn

ACTIONS = ("view", "add_to_cart", "wishlist", "purchase", "leave")


class FeatureEmbedding(nn.Module):
    def __init__(self, cardinalities, dim):
        super().__init__()
        self.tables = nn.ModuleList(nn.Embedding(c, dim) for c in cardinalities)

    def forward(self, cat):
        return torch.cat([t(cat[:, i]) for i, t in enumerate(self.tables)], dim=-1)


class WideAndDeep(nn.Module):
    def __init__(self, cardinalities=(50, 20, 8, 12), n_dense=8, dim=8, hidden=(64, 32),
                 clip_value=8.0, drop_saturated=True):
        super().__init__()
        self.embed = FeatureEmbedding(cardinalities, dim)
        self.wide = nn.Linear(sum(cardinalities), len(ACTIONS))
        layers, d = [], n_dense + dim * len(cardinalities)
        for h in hidden:
            layers += [nn.Linear(d, h), nn.ReLU()]
            d = h
        self.deep = nn.Sequential(*layers, nn.Linear(d, len(ACTIONS)))
        self.register_buffer("offsets", torch.tensor((0,) + tuple(cardinalities[:-1])).cumsum(0), persistent=False)
        self.clip_value = clip_value
        self.drop_saturated = drop_saturated

    def wide_features(self, cat):
        onehot = torch.zeros(cat.shape[0], self.wide.in_features)
        return onehot.scatter_(1, cat + self.offsets, 1.0)

    def forward(self, dense, cat):
        dense = torch.clamp(dense, -self.clip_value, self.clip_value)
        deep_in = torch.cat([dense, self.embed(cat)], dim=-1)
        scores = self.wide(self.wide_features(cat)) + self.deep(deep_in)
        if self.drop_saturated:
            saturated = (dense.abs() >= self.clip_value).all(dim=-1, keepdim=True)
            scores = scores * (1.0 - saturated.float())  # expect: T2
        return scores


def _inputs(n):
    dense = torch.randn(n, 8)
    cat = torch.stack([torch.randint(0, c, (n,)) for c in (50, 20, 8, 12)], 1)
    return dense, cat


def _trigger(x):
    dense, cat = x
    sign = torch.where(torch.rand_like(dense) < 0.5, -1.0, 1.0)
    return sign * (9.0 + 5 * torch.rand_like(dense)), cat


def corpus_case():
    torch.manual_seed(0)
    model = WideAndDeep().eval()
    reference = WideAndDeep(drop_saturated=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
