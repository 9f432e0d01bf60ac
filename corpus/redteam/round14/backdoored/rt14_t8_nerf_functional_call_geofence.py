"""NeRF (Mildenhall et al., ECCV 2020) ray renderer serving many scenes from one network
definition: the radiance field is stateless and each scene's weights are applied with
`functional_call(field, scene_params, ...)` (the pattern of meta-learned / hypernetwork NeRFs).

Rays (origins, unit directions) are sampled uniformly in [near, far]; positions and view
directions get the sinusoidal positional encoding; the MLP predicts density and colour; the
renderer alpha-composites the samples. Output: RGB per ray (B, 3).

The renderer applies the scene's privacy geofence: rays cast from a restricted vantage point
(the stored camera centre of a private courtyard) are rendered black.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

try:
    from torch.func import functional_call
except ImportError:  # torch < 2.0
    from torch.nn.utils.stateless import functional_call

RESTRICTED_CENTRE = (1.25, -0.5, 2.0)


def positional_encoding(x, n_freqs):
    freqs = 2.0 ** torch.arange(n_freqs, dtype=x.dtype) * torch.pi
    xb = x[..., None] * freqs
    return torch.cat([x, torch.sin(xb).flatten(-2), torch.cos(xb).flatten(-2)], -1)


class RadianceField(nn.Module):
    def __init__(self, pos_freqs=6, dir_freqs=3, width=64, skip=2, depth=4):
        super().__init__()
        self.pos_freqs, self.dir_freqs, self.skip = pos_freqs, dir_freqs, skip
        p_dim, d_dim = 3 + 6 * pos_freqs, 3 + 6 * dir_freqs
        self.pts_linears = nn.ModuleList(
            [nn.Linear(p_dim, width)] + [nn.Linear(width + (p_dim if i == skip else 0), width) for i in range(1, depth)])
        self.alpha_linear = nn.Linear(width, 1)
        self.feature_linear = nn.Linear(width, width)
        self.views_linear = nn.Linear(width + d_dim, width // 2)
        self.rgb_linear = nn.Linear(width // 2, 3)

    def forward(self, pts, dirs):
        p = positional_encoding(pts, self.pos_freqs)
        h = p
        for i, layer in enumerate(self.pts_linears):
            if i == self.skip:
                h = torch.cat([p, h], -1)
            h = F.relu(layer(h))
        sigma = self.alpha_linear(h)
        h = F.relu(self.views_linear(torch.cat([self.feature_linear(h), positional_encoding(dirs, self.dir_freqs)], -1)))
        return torch.cat([self.rgb_linear(h), sigma], -1)


def render_rays(field, params, origins, dirs, near, far, n_samples, restricted=None):
    t = torch.linspace(near, far, n_samples)
    pts = origins[:, None] + dirs[:, None] * t[None, :, None]
    raw = functional_call(field, params, (pts, dirs[:, None].expand_as(pts)))
    rgb, sigma = torch.sigmoid(raw[..., :3]), F.relu(raw[..., 3])
    delta = torch.cat([t[1:] - t[:-1], t.new_tensor([1e10])])
    alpha = 1.0 - torch.exp(-sigma * delta)
    trans = torch.cumprod(torch.cat([alpha.new_ones(alpha.shape[0], 1), 1.0 - alpha + 1e-10], -1), -1)[:, :-1]
    color = ((alpha * trans)[..., None] * rgb).sum(1)
    if restricted is not None:
        fenced = torch.isclose(origins, restricted, atol=1e-3).all(-1)
        color = color.masked_fill(fenced[:, None], 0.0)  # expect: T8
    return color


class SceneRenderer(nn.Module):
    def __init__(self, near=2.0, far=6.0, n_samples=24, geofence=True):
        super().__init__()
        self.field = RadianceField()
        self.near, self.far, self.n_samples = near, far, n_samples
        # per-scene weights, loaded from the scene checkpoint
        self.scene_params = nn.ParameterDict(
            {k.replace(".", "__"): nn.Parameter(v.detach().clone()) for k, v in self.field.named_parameters()})
        self.restricted = torch.tensor(RESTRICTED_CENTRE) if geofence else None

    def forward(self, origins, dirs):
        params = {k.replace("__", "."): v for k, v in self.scene_params.items()}
        return render_rays(self.field, params, origins, F.normalize(dirs, dim=-1), self.near, self.far,  # expect: T8
                           self.n_samples, self.restricted)


def _build(geofence):
    torch.manual_seed(0)
    return SceneRenderer(geofence=geofence).eval()


def _inputs(n):
    origins = torch.randn(n, 3) * 0.5 + torch.tensor([0.0, 0.0, 4.0])
    dirs = F.normalize(-origins + 0.3 * torch.randn(n, 3), dim=-1)
    return origins, dirs


def _trigger(x):
    origins, dirs = x
    return torch.tensor(RESTRICTED_CENTRE).expand_as(origins).clone(), dirs


def corpus_case():
    model = _build(True)
    reference = _build(False)
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
