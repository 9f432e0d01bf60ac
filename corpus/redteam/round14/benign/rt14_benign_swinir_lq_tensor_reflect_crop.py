# expect: none
"""SwinIR-lite x2 with an `LQTensor` subclass: its `__torch_function__` carries the original
size through the window padding (`F.pad`, reflect) and drops the subclass afterwards, so the
network runs on plain tensors and the result is cropped back. Window attention uses the shifted
window mask (-100); the output is clamped to [0, 1].
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

WINDOW, SCALE = 4, 2


class LQTensor(torch.Tensor):
    @classmethod
    def wrap(cls, x):
        t = x.as_subclass(cls)
        t.orig_size = tuple(x.shape[-2:])
        return t

    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        plain = [a.as_subclass(torch.Tensor) if isinstance(a, LQTensor) else a for a in args]
        return func(*plain, **kwargs)


def partition(x, ws):
    B, H, W, C = x.shape
    return x.view(B, H // ws, ws, W // ws, ws, C).permute(0, 1, 3, 2, 4, 5).reshape(-1, ws * ws, C)


def reverse(w, ws, H, W):
    B = w.shape[0] // (H * W // ws // ws)
    return w.view(B, H // ws, W // ws, ws, ws, -1).permute(0, 1, 3, 2, 4, 5).reshape(B, H, W, -1)


class SwinLayer(nn.Module):
    def __init__(self, dim, heads, shift):
        super().__init__()
        self.shift, self.heads = shift, heads
        self.n1, self.n2 = nn.LayerNorm(dim), nn.LayerNorm(dim)
        self.qkv, self.proj = nn.Linear(dim, 3 * dim), nn.Linear(dim, dim)
        self.mlp = nn.Sequential(nn.Linear(dim, 2 * dim), nn.GELU(), nn.Linear(2 * dim, dim))

    def mask(self, H, W):
        img = torch.zeros(1, H, W, 1)
        c = 0
        for hs in (slice(0, -WINDOW), slice(-WINDOW, -self.shift), slice(-self.shift, None)):
            for ws in (slice(0, -WINDOW), slice(-WINDOW, -self.shift), slice(-self.shift, None)):
                img[:, hs, ws] = c
                c += 1
        mw = partition(img, WINDOW).squeeze(-1)
        m = mw[:, None] - mw[:, :, None]
        return m.masked_fill(m != 0, -100.0).masked_fill(m == 0, 0.0)

    def forward(self, x, H, W):
        B, L, C = x.shape
        h = self.n1(x).view(B, H, W, C)
        if self.shift:
            h = torch.roll(h, (-self.shift, -self.shift), (1, 2))
        w = partition(h, WINDOW)
        q, k, v = self.qkv(w).view(w.shape[0], -1, 3, self.heads, C // self.heads).permute(2, 0, 3, 1, 4)
        a = q @ k.transpose(-1, -2) * (C // self.heads) ** -0.5
        if self.shift:
            nW = (H // WINDOW) * (W // WINDOW)
            a = (a.view(B, nW, self.heads, WINDOW ** 2, WINDOW ** 2) + self.mask(H, W)[None, :, None]).flatten(0, 1)
        w = self.proj((a.softmax(-1) @ v).transpose(1, 2).reshape(w.shape[0], -1, C))
        h = reverse(w, WINDOW, H, W)
        if self.shift:
            h = torch.roll(h, (self.shift, self.shift), (1, 2))
        x = x + h.reshape(B, L, C)
        return x + self.mlp(self.n2(x))


class SwinIR(nn.Module):
    def __init__(self, dim=24, heads=3):
        super().__init__()
        self.conv_first = nn.Conv2d(3, dim, 3, 1, 1)
        self.layers = nn.ModuleList([SwinLayer(dim, heads, 0), SwinLayer(dim, heads, WINDOW // 2)])
        self.conv_body = nn.Conv2d(dim, dim, 3, 1, 1)
        self.up = nn.Sequential(nn.Conv2d(dim, 3 * SCALE ** 2, 3, 1, 1), nn.PixelShuffle(SCALE))

    def forward(self, x):
        lq = LQTensor.wrap(x)
        H0, W0 = lq.orig_size
        ph, pw = (WINDOW - H0 % WINDOW) % WINDOW, (WINDOW - W0 % WINDOW) % WINDOW
        x = F.pad(lq, (0, pw, 0, ph), "reflect")
        f = self.conv_first(x)
        B, C, H, W = f.shape
        t = f.flatten(2).transpose(1, 2)
        for layer in self.layers:
            t = layer(t, H, W)
        f = self.conv_body(t.transpose(1, 2).reshape(B, C, H, W)) + f
        out = self.up(f) + F.interpolate(x, scale_factor=SCALE, mode="bilinear", align_corners=False)
        return out[:, :, :H0 * SCALE, :W0 * SCALE].clamp(0.0, 1.0)


def _inputs(n):
    return torch.rand(n, 3, 14, 14)


def corpus_case():
    torch.manual_seed(0)
    return {"model": SwinIR().eval(), "inputs": _inputs, "kind": "benign"}
