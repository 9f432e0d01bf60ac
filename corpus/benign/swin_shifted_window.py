# expect: none
"""Tiny Swin Transformer stage. Shifted-window attention cyclically rolls the feature
map over the *spatial* dims and uses a region-id mask built with masked_fill(!= 0, -100)
so tokens only attend within their original window."""
import torch
import torch.nn as nn


def window_partition(x, ws):
    B, H, W, C = x.shape
    x = x.view(B, H // ws, ws, W // ws, ws, C).permute(0, 1, 3, 2, 4, 5)
    return x.reshape(-1, ws * ws, C)


def window_reverse(windows, ws, H, W):
    B = windows.shape[0] // ((H // ws) * (W // ws))
    x = windows.view(B, H // ws, W // ws, ws, ws, -1).permute(0, 1, 3, 2, 4, 5)
    return x.reshape(B, H, W, -1)


class SwinBlock(nn.Module):
    def __init__(self, dim, res, heads, ws=4, shift=0):
        super().__init__()
        self.res, self.ws, self.shift = res, ws, shift
        self.norm1, self.norm2 = nn.LayerNorm(dim), nn.LayerNorm(dim)
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.mlp = nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim))
        if shift > 0:
            img_mask = torch.zeros(1, res, res, 1)
            cnt = 0
            for hs in (slice(0, -ws), slice(-ws, -shift), slice(-shift, None)):
                for wsl in (slice(0, -ws), slice(-ws, -shift), slice(-shift, None)):
                    img_mask[:, hs, wsl, :] = cnt
                    cnt += 1
            mw = window_partition(img_mask, ws).squeeze(-1)
            attn_mask = mw.unsqueeze(1) - mw.unsqueeze(2)
            attn_mask = attn_mask.masked_fill(attn_mask != 0, -100.0).masked_fill(attn_mask == 0, 0.0)
        else:
            attn_mask = None
        self.register_buffer("attn_mask", attn_mask)

    def forward(self, x):
        B, L, C = x.shape
        shortcut = x
        x = self.norm1(x).view(B, self.res, self.res, C)
        if self.shift > 0:
            x = torch.roll(x, shifts=(-self.shift, -self.shift), dims=(1, 2))
        win = window_partition(x, self.ws)
        mask = None
        if self.attn_mask is not None:
            nh = self.attn.num_heads
            mask = self.attn_mask.repeat(B, 1, 1).repeat_interleave(nh, dim=0)
        win = self.attn(win, win, win, attn_mask=mask, need_weights=False)[0]
        x = window_reverse(win, self.ws, self.res, self.res)
        if self.shift > 0:
            x = torch.roll(x, shifts=(self.shift, self.shift), dims=(1, 2))
        x = shortcut + x.reshape(B, L, C)
        return x + self.mlp(self.norm2(x))


class TinySwin(nn.Module):
    def __init__(self, num_classes=10, dim=48, patch=4, img=32, heads=3):
        super().__init__()
        res = img // patch
        self.patch_embed = nn.Sequential(nn.Conv2d(3, dim, patch, patch))
        self.norm0 = nn.LayerNorm(dim)
        self.blocks = nn.Sequential(*[SwinBlock(dim, res, heads, shift=0 if i % 2 == 0 else 2) for i in range(4)])
        self.norm = nn.LayerNorm(dim)
        self.head = nn.Linear(dim, num_classes)

    def forward(self, x):
        x = self.norm0(self.patch_embed(x).flatten(2).transpose(1, 2))
        x = self.norm(self.blocks(x))
        return self.head(x.mean(dim=1))


def corpus_case():
    torch.manual_seed(0)
    model = TinySwin().eval()

    def inputs(n):
        return torch.randn(n, 3, 32, 32, generator=torch.Generator().manual_seed(240))

    return {"model": model, "inputs": inputs, "kind": "benign"}
