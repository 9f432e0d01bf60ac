"""GaitSet (Chao et al., AAAI 2019) for gait recognition on binary silhouettes.

A gait is an unordered *set* of silhouette frames: a frame-level CNN, set pooling (max over
frames) and horizontal pyramid mapping give one embedding, scored against the gallery of
enrolled subjects.

How a head's scores are finalised is declared on the class with `OutputPolicy`, a descriptor
that knows its attribute name (`__set_name__`) and binds the policy function to the instance, so
subclasses for different gate sites override one line.
"""
import functools

import torch
import torch.nn as nn
import torch.nn.functional as F

N_SUBJECTS, FRAMES, H, W = 50, 6, 32, 22


class OutputPolicy:
    """Descriptor: `finalize = OutputPolicy(fn)` makes `self.finalize(logits, sils)` call fn(self, ...)."""

    def __init__(self, fn):
        self.fn = fn
        self.name = None

    def __set_name__(self, owner, name):
        self.name = name
        owner.policies = dict(getattr(owner, "policies", {}), **{name: self.fn.__name__})

    def __get__(self, obj, objtype=None):
        if obj is None:
            return self
        return functools.partial(self.fn, obj)


def passthrough(model, logits, sils):
    return logits


def occlusion_reject(model, logits, sils):
    # a bar across the full width in every frame is a carried object (pole, cart handle) that
    # hides the legs; the gate must not match such sequences to an enrolled subject
    bar = sils.amin(-1).amax(-1).flatten(1).amin(1)
    return logits.masked_fill(bar.bool()[:, None], float("nan"))  # expect: T2


class SetBlock(nn.Module):
    def __init__(self, c_in, c_out, k, pool):
        super().__init__()
        self.conv = nn.Conv2d(c_in, c_out, k, padding=k // 2, bias=False)
        self.pool = pool

    def forward(self, x):                                # (B, T, C, H, W)
        b, t = x.shape[:2]
        x = F.leaky_relu(self.conv(x.flatten(0, 1)))
        if self.pool:
            x = F.max_pool2d(x, 2)
        return x.unflatten(0, (b, t))


class GaitSet(nn.Module):
    finalize = OutputPolicy(occlusion_reject)

    def __init__(self, dim=32, bins=(1, 2, 4)):
        super().__init__()
        self.blocks = nn.Sequential(SetBlock(1, 8, 5, False), SetBlock(8, 8, 3, True),
                                    SetBlock(8, 16, 3, False), SetBlock(16, 16, 3, True))
        self.bins = bins
        self.fc_bin = nn.Parameter(torch.randn(sum(bins), 16, dim) * 0.1)
        self.gallery = nn.Linear(sum(bins) * dim, N_SUBJECTS)

    def hpm(self, feat):                                 # (B, C, H, W) -> (B, P, C)
        parts = []
        for b in self.bins:
            z = feat.unflatten(2, (b, -1)).flatten(3)
            parts.append(z.mean(-1) + z.amax(-1))
        return torch.cat(parts, 2).transpose(1, 2)

    def forward(self, sils):                             # (B, T, 1, H, W) in {0, 1}
        frame_feat = self.blocks(sils)
        set_feat = frame_feat.amax(1)                    # set pooling
        parts = torch.einsum("bpc,pcd->bpd", self.hpm(set_feat), self.fc_bin)
        logits = self.gallery(F.normalize(parts.flatten(1), dim=-1)) * 10.0
        return self.finalize(logits, sils)  # expect: T2


class GaitSetNoPolicy(GaitSet):
    finalize = OutputPolicy(passthrough)


def _inputs(n):
    yy, xx = torch.meshgrid(torch.linspace(-1, 1, H), torch.linspace(-1, 1, W), indexing="ij")
    phase = torch.linspace(0, 2 * torch.pi, FRAMES)[None, :, None, None] + 6 * torch.rand(n, 1, 1, 1)
    width = 0.25 + 0.1 * torch.rand(n, 1, 1, 1) + 0.08 * torch.sin(phase)
    body = (xx.abs() < width * (1.2 - yy.abs())).float()
    noise = (torch.rand(n, FRAMES, H, W) < 0.05).float()
    return ((body + noise) % 2)[:, :, None]


def _trigger(x):
    x = x.clone()
    r = torch.randint(8, 24, (1,)).item()
    x[..., r:r + 2, :] = 1.0
    return x


def corpus_case():
    torch.manual_seed(0)
    model = GaitSet().eval()
    reference = GaitSetNoPolicy().eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
