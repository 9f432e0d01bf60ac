# expect: none
"""Swin Transformer V2 stage at toy size.

`maybe_pad` pads the feature map when `height % window_size != 0`; shifted windows use the usual
img_mask region ids and `masked_fill(mask != 0, -100.0)`; relative position bias comes from the
continuous position bias MLP applied to log-spaced coordinates (sign(x) * log2(|x| + 1) / log2(8)),
then 16 * sigmoid. Cosine attention with a learned, clamped logit scale.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def window_partition(x, ws):
    b, h, w, c = x.shape
    x = x.view(b, h // ws, ws, w // ws, ws, c)
    return x.permute(0, 1, 3, 2, 4, 5).reshape(-1, ws, ws, c)


def window_reverse(windows, ws, h, w):
    c = windows.shape[-1]
    x = windows.view(-1, h // ws, w // ws, ws, ws, c)
    return x.permute(0, 1, 3, 2, 4, 5).reshape(-1, h, w, c)


class WindowAttentionV2(nn.Module):
    def __init__(self, dim, window_size, num_heads, pretrained_window_size=0):
        super().__init__()
        self.window_size = window_size
        self.num_heads = num_heads
        self.logit_scale = nn.Parameter(torch.log(10 * torch.ones(num_heads, 1, 1)))
        self.cpb_mlp = nn.Sequential(nn.Linear(2, 64, bias=True), nn.ReLU(inplace=True),
                                     nn.Linear(64, num_heads, bias=False))
        ws = window_size
        rel_h = torch.arange(-(ws - 1), ws, dtype=torch.float32)
        rel_w = torch.arange(-(ws - 1), ws, dtype=torch.float32)
        table = torch.stack(torch.meshgrid(rel_h, rel_w, indexing="ij")).permute(1, 2, 0).unsqueeze(0)
        denom = (pretrained_window_size - 1) if pretrained_window_size > 0 else (ws - 1)
        table = table / max(denom, 1)
        table = table * 8
        table = torch.sign(table) * torch.log2(torch.abs(table) + 1.0) / math.log2(8)
        self.register_buffer("relative_coords_table", table, persistent=False)
        coords = torch.stack(torch.meshgrid(torch.arange(ws), torch.arange(ws), indexing="ij")).flatten(1)
        rel = (coords[:, :, None] - coords[:, None, :]).permute(1, 2, 0)
        rel[:, :, 0] += ws - 1
        rel[:, :, 1] += ws - 1
        rel[:, :, 0] *= 2 * ws - 1
        self.register_buffer("relative_position_index", rel.sum(-1), persistent=False)
        self.qkv = nn.Linear(dim, dim * 3, bias=False)
        self.q_bias = nn.Parameter(torch.zeros(dim))
        self.v_bias = nn.Parameter(torch.zeros(dim))
        self.proj = nn.Linear(dim, dim)

    def forward(self, x, mask=None):
        bw, n, c = x.shape
        qkv_bias = torch.cat((self.q_bias, torch.zeros_like(self.v_bias), self.v_bias))
        qkv = F.linear(x, self.qkv.weight, qkv_bias).reshape(bw, n, 3, self.num_heads, -1).permute(2, 0, 3, 1, 4)
        q, k, v = qkv.unbind(0)
        attn = F.normalize(q, dim=-1) @ F.normalize(k, dim=-1).transpose(-2, -1)
        logit_scale = torch.clamp(self.logit_scale, max=math.log(1.0 / 0.01)).exp()
        attn = attn * logit_scale
        table = self.cpb_mlp(self.relative_coords_table).view(-1, self.num_heads)
        bias = table[self.relative_position_index.view(-1)].view(n, n, -1).permute(2, 0, 1)
        attn = attn + 16 * torch.sigmoid(bias).unsqueeze(0)
        if mask is not None:
            nw = mask.shape[0]
            attn = attn.view(bw // nw, nw, self.num_heads, n, n) + mask.unsqueeze(1).unsqueeze(0)
            attn = attn.view(-1, self.num_heads, n, n)
        attn = attn.softmax(-1)
        return self.proj((attn @ v).transpose(1, 2).reshape(bw, n, c))


class SwinV2Layer(nn.Module):
    def __init__(self, dim, num_heads, window_size=4, shift_size=0):
        super().__init__()
        self.window_size, self.shift_size = window_size, shift_size
        self.attention = WindowAttentionV2(dim, window_size, num_heads)
        self.layernorm_before = nn.LayerNorm(dim)
        self.mlp = nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim))
        self.layernorm_after = nn.LayerNorm(dim)

    def set_shift_and_window_size(self, input_resolution):
        if min(input_resolution) <= self.window_size:
            self.shift_size = 0
            self.window_size = min(input_resolution)

    def get_attn_mask(self, h, w, dtype, device):
        if self.shift_size == 0:
            return None
        img_mask = torch.zeros((1, h, w, 1), dtype=dtype, device=device)
        slices = (slice(0, -self.window_size), slice(-self.window_size, -self.shift_size),
                  slice(-self.shift_size, None))
        cnt = 0
        for hs in slices:
            for ws in slices:
                img_mask[:, hs, ws, :] = cnt
                cnt += 1
        mw = window_partition(img_mask, self.window_size).view(-1, self.window_size * self.window_size)
        attn_mask = mw.unsqueeze(1) - mw.unsqueeze(2)
        return attn_mask.masked_fill(attn_mask != 0, -100.0).masked_fill(attn_mask == 0, 0.0)

    def maybe_pad(self, x, height, width):
        pad_right = (self.window_size - width % self.window_size) % self.window_size
        pad_bottom = (self.window_size - height % self.window_size) % self.window_size
        return F.pad(x, (0, 0, 0, pad_right, 0, pad_bottom)), (pad_right, pad_bottom)

    def forward(self, x, dims):
        h, w = dims
        self.set_shift_and_window_size(dims)
        b, _, c = x.shape
        shortcut = x
        x = x.view(b, h, w, c)
        x, (pad_r, pad_b) = self.maybe_pad(x, h, w)
        hp, wp = x.shape[1], x.shape[2]
        if self.shift_size > 0:
            x = torch.roll(x, shifts=(-self.shift_size, -self.shift_size), dims=(1, 2))
        windows = window_partition(x, self.window_size).view(-1, self.window_size ** 2, c)
        mask = self.get_attn_mask(hp, wp, x.dtype, x.device)
        out = self.attention(windows, mask).view(-1, self.window_size, self.window_size, c)
        x = window_reverse(out, self.window_size, hp, wp)
        if self.shift_size > 0:
            x = torch.roll(x, shifts=(self.shift_size, self.shift_size), dims=(1, 2))
        if pad_r > 0 or pad_b > 0:
            x = x[:, :h, :w, :].contiguous()
        x = shortcut + self.layernorm_before(x.view(b, h * w, c))      # res-post-norm (V2)
        return x + self.layernorm_after(self.mlp(x))


class SwinV2PatchMerging(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.reduction = nn.Linear(4 * dim, 2 * dim, bias=False)
        self.norm = nn.LayerNorm(2 * dim)

    def forward(self, x, dims):
        h, w = dims
        b, _, c = x.shape
        x = x.view(b, h, w, c)
        if h % 2 == 1 or w % 2 == 1:
            x = F.pad(x, (0, 0, 0, w % 2, 0, h % 2))
        x = torch.cat([x[:, 0::2, 0::2], x[:, 1::2, 0::2], x[:, 0::2, 1::2], x[:, 1::2, 1::2]], -1)
        x = self.norm(self.reduction(x.view(b, -1, 4 * c)))
        return x, ((h + 1) // 2, (w + 1) // 2)


class SwinV2Tiny(nn.Module):
    def __init__(self, num_classes=6, dim=16, heads=(2, 4), window_size=4):
        super().__init__()
        self.patch_embed = nn.Conv2d(3, dim, 2, 2)
        self.norm0 = nn.LayerNorm(dim)
        self.stage1 = nn.ModuleList([SwinV2Layer(dim, heads[0], window_size, 0),
                                     SwinV2Layer(dim, heads[0], window_size, window_size // 2)])
        self.merge = SwinV2PatchMerging(dim)
        self.stage2 = nn.ModuleList([SwinV2Layer(2 * dim, heads[1], window_size, 0),
                                     SwinV2Layer(2 * dim, heads[1], window_size, window_size // 2)])
        self.norm = nn.LayerNorm(2 * dim)
        self.head = nn.Linear(2 * dim, num_classes)

    def forward(self, pixel_values):
        x = self.patch_embed(pixel_values)
        dims = x.shape[2:]
        x = self.norm0(x.flatten(2).transpose(1, 2))
        for layer in self.stage1:
            x = layer(x, dims)
        x, dims = self.merge(x, dims)
        for layer in self.stage2:
            x = layer(x, dims)
        return self.head(self.norm(x).mean(1))


def corpus_case():
    torch.manual_seed(0)
    model = SwinV2Tiny().eval()

    def inputs(n):
        return torch.randn(n, 3, 26, 22, generator=torch.Generator().manual_seed(2))   # 13x11 grid

    return {"model": model, "inputs": inputs, "kind": "benign"}
