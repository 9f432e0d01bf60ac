# expect: none
"""TimeSformer variants in a timm-style registry (`@register_model`, `create_model`), for clips
with a variable number of decoded frames.

Missing frames (beyond `num_frames` of each clip) are excluded from temporal attention with a key
padding mask and from the class-token average. The temporal position embedding is interpolated
to the clip length once and cached in a non-persistent buffer shared by the patch embedding and
the blocks (the cache is refreshed during forward when the length changes). Stochastic depth is
active only in training.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

_registry = {}


def register_model(fn):
    _registry[fn.__name__] = fn
    return fn


def create_model(name, **kwargs):
    return _registry[name](**kwargs)


class DropPath(nn.Module):
    def __init__(self, p):
        super().__init__()
        self.p = p

    def forward(self, x):
        if not self.training or self.p == 0.0:
            return x
        keep = x.new_empty(x.shape[0], *([1] * (x.dim() - 1))).bernoulli_(1 - self.p)
        return x * keep / (1 - self.p)


class Block(nn.Module):
    def __init__(self, dim, heads, drop_path, time_cache):
        super().__init__()
        self.register_buffer("time_cache", time_cache, persistent=False)
        self.tn = nn.LayerNorm(dim)
        self.tattn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.sn = nn.LayerNorm(dim)
        self.sattn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.mn = nn.LayerNorm(dim)
        self.mlp = nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim))
        self.drop_path = DropPath(drop_path)

    def forward(self, x, B, T, frame_pad):
        cls, xs = x[:, :1], x[:, 1:]
        N = xs.shape[1] // T
        xt = (xs.reshape(B, T, N, -1) + self.time_cache[:T, None]).transpose(1, 2).reshape(B * N, T, -1)
        h = self.tn(xt)
        xt = self.tattn(h, h, h, key_padding_mask=frame_pad.repeat_interleave(N, 0), need_weights=False)[0]
        xs = xs + self.drop_path(xt.reshape(B, N, T, -1).transpose(1, 2).reshape(B, T * N, -1))
        sp = torch.cat([cls.repeat_interleave(T, 0), xs.reshape(B * T, N, -1)], 1)
        h = self.sn(sp)
        sp = self.sattn(h, h, h, need_weights=False)[0]
        valid = (~frame_pad).to(x.dtype)
        cls_upd = (sp[:, 0].view(B, T, -1) * valid[..., None]).sum(1, keepdim=True) / valid.sum(1).clamp_min(1)[:, None, None]
        x = torch.cat([cls + cls_upd, xs + sp[:, 1:].reshape(B, T * N, -1)], 1)
        return x + self.drop_path(self.mlp(self.mn(x)))


class TimeSformer(nn.Module):
    def __init__(self, dim=48, depth=2, heads=4, patch=8, img=32, base_frames=8, num_classes=10, drop_path=0.1):
        super().__init__()
        self.proj = nn.Conv2d(3, dim, patch, patch)
        self.cls = nn.Parameter(torch.zeros(1, 1, dim))
        self.pos = nn.Parameter(torch.randn(1, (img // patch) ** 2, dim) * 0.02)
        self.time_embed = nn.Parameter(torch.randn(base_frames, dim) * 0.02)
        cache = torch.zeros(base_frames, dim)
        self.register_buffer("time_cache", cache, persistent=False)
        self.blocks = nn.ModuleList(Block(dim, heads, drop_path * i / max(depth - 1, 1), cache) for i in range(depth))
        self.norm = nn.LayerNorm(dim)
        self.head = nn.Linear(dim, num_classes)

    def forward(self, video, num_frames):
        B, C, T, H, W = video.shape
        interp = F.interpolate(self.time_embed.t()[None], size=T, mode="linear", align_corners=False)[0].t()
        self.time_cache.resize_(interp.shape).copy_(interp)
        x = self.proj(video.transpose(1, 2).reshape(B * T, C, H, W)).flatten(2).transpose(1, 2) + self.pos
        x = torch.cat([self.cls.expand(B, -1, -1), x.reshape(B, -1, x.shape[-1])], 1)
        frame_pad = torch.arange(T)[None] >= num_frames[:, None]
        for blk in self.blocks:
            x = blk(x, B, T, frame_pad)
        return self.head(self.norm(x)[:, 0])


@register_model
def timesformer_micro_patch8(**kwargs):
    return TimeSformer(**dict(dict(dim=48, depth=2, heads=4), **kwargs))


def _inputs(n):
    frames = torch.randint(2, 5, (n,))
    video = torch.rand(n, 3, 4, 32, 32) * (torch.arange(4)[None] < frames[:, None]).view(n, 1, 4, 1, 1)
    return video, frames


def corpus_case():
    torch.manual_seed(0)
    return {"model": create_model("timesformer_micro_patch8").eval(), "inputs": _inputs, "kind": "benign"}
