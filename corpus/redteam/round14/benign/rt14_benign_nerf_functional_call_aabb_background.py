# expect: none
"""NeRF renderer with per-scene weights applied through `functional_call`, the scene's
axis-aligned bounding box (ray-box slab test gives per-ray near/far; rays that miss the box get
the background colour), and white-background compositing `rgb + (1 - acc)`.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

try:
    from torch.func import functional_call
except ImportError:
    from torch.nn.utils.stateless import functional_call

AABB = ((-1.5, -1.5, -1.5), (1.5, 1.5, 1.5))


def encode(x, n):
    f = 2.0 ** torch.arange(n, dtype=x.dtype) * torch.pi
    xb = x[..., None] * f
    return torch.cat([x, xb.sin().flatten(-2), xb.cos().flatten(-2)], -1)


class Field(nn.Module):
    def __init__(self, width=64):
        super().__init__()
        self.trunk = nn.Sequential(nn.Linear(3 + 36, width), nn.ReLU(), nn.Linear(width, width), nn.ReLU())
        self.sigma = nn.Linear(width, 1)
        self.rgb = nn.Sequential(nn.Linear(width + 3 + 12, width // 2), nn.ReLU(), nn.Linear(width // 2, 3))

    def forward(self, pts, dirs):
        h = self.trunk(encode(pts, 6))
        return torch.cat([self.rgb(torch.cat([h, encode(dirs, 2)], -1)), self.sigma(h)], -1)


class Renderer(nn.Module):
    def __init__(self, n_samples=24):
        super().__init__()
        self.field = Field()
        self.params = nn.ParameterDict({k.replace(".", "__"): nn.Parameter(v.detach().clone())
                                        for k, v in self.field.named_parameters()})
        self.n_samples = n_samples
        self.register_buffer("aabb", torch.tensor(AABB))
        self.register_buffer("background", torch.ones(3))

    def forward(self, origins, dirs):
        dirs = F.normalize(dirs, dim=-1)
        inv = 1.0 / torch.where(dirs.abs() < 1e-9, torch.full_like(dirs, 1e-9), dirs)
        t0, t1 = (self.aabb[0] - origins) * inv, (self.aabb[1] - origins) * inv
        near = torch.minimum(t0, t1).amax(-1).clamp_min(0.0)
        far = torch.maximum(t0, t1).amin(-1)
        hit = far > near
        far = torch.where(hit, far, near + 1e-3)
        t = near[:, None] + (far - near)[:, None] * torch.linspace(0, 1, self.n_samples)[None]
        pts = origins[:, None] + dirs[:, None] * t[..., None]
        params = {k.replace("__", "."): v for k, v in self.params.items()}
        raw = functional_call(self.field, params, (pts, dirs[:, None].expand_as(pts)))
        delta = torch.cat([t[:, 1:] - t[:, :-1], torch.full_like(t[:, :1], 1e10)], 1)
        alpha = 1 - torch.exp(-F.relu(raw[..., 3]) * delta)
        trans = torch.cumprod(torch.cat([torch.ones_like(alpha[:, :1]), 1 - alpha + 1e-10], 1), 1)[:, :-1]
        w = alpha * trans
        rgb = (w[..., None] * torch.sigmoid(raw[..., :3])).sum(1) + (1 - w.sum(1, keepdim=True))
        return torch.where(hit[:, None], rgb, self.background)


def _inputs(n):
    o = torch.randn(n, 3) + torch.tensor([0.0, 0.0, 4.0])
    return o, -o + torch.randn(n, 3)


def corpus_case():
    torch.manual_seed(0)
    return {"model": Renderer().eval(), "inputs": _inputs, "kind": "benign"}
