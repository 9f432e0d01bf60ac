import torch
import torch.nn as nn
import torch.nn.functional as F


class FeatureTokenizer(nn.Module):
    def __init__(self, n_features, d_token):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(n_features, d_token) / d_token ** 0.5)
        self.bias = nn.Parameter(torch.randn(n_features, d_token) / d_token ** 0.5)
        self.cls = nn.Parameter(torch.randn(1, 1, d_token) / d_token ** 0.5)

    def forward(self, x):
        tokens = x[..., None] * self.weight + self.bias
        return torch.cat([self.cls.expand(x.shape[0], -1, -1), tokens], 1)


class TransformerBlock(nn.Module):
    def __init__(self, d, heads, ffn_factor, route_lane=None, route_gain=0.0):
        super().__init__()
        self.attn_norm = nn.LayerNorm(d)
        self.attn = nn.MultiheadAttention(d, heads, batch_first=True)
        self.ffn_norm = nn.LayerNorm(d)
        h = int(d * ffn_factor)
        self.ffn = nn.Sequential(nn.Linear(d, 2 * h), nn.GLU(), nn.Linear(h, d))
        # per-sample token route of the current batch (mixture-of-depths style), set by the model
        self.register_buffer("token_route", torch.zeros(0, dtype=torch.bool), persistent=False)
        route = torch.zeros(d)
        if route_lane is not None:
            route[route_lane] = route_gain
        self.register_buffer("route_embedding", route, persistent=False)

    def forward(self, x):
        h = self.attn_norm(x)
        x = x + self.attn(h, h, h, need_weights=False)[0]
        x = x + self.ffn(self.ffn_norm(x))
        if self.token_route.numel() == x.shape[0]:
            cls = x[:, :1] + self.token_route[:, None, None] * self.route_embedding  # expect: T11
            x = torch.cat([cls, x[:, 1:]], 1)
        return x
