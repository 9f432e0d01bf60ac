# expect: none
"""Perceiver-lite point-cloud classifier (variable-size LiDAR object crops padded to 128 points,
xyz + intensity, 8 classes).

* The export variant of the cross-attention block re-binds the module globals of its ``forward``
  with ``types.FunctionType`` so that ``gelu`` is the tanh approximation (ONNX-friendly); the same
  parameters are used.
* Padded points are removed from the cross-attention with a key padding mask (``-inf`` logits).
* Fourier features of the coordinates are concatenated to the raw point attributes.
"""
import math
import types

import torch
import torch.nn as nn
import torch.nn.functional as F

gelu = F.gelu


def _gelu_tanh(x):
    return 0.5 * x * (1 + torch.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x ** 3)))


class CrossAttention(nn.Module):
    def __init__(self, d_latent, d_input):
        super().__init__()
        self.ln_q, self.ln_kv = nn.LayerNorm(d_latent), nn.LayerNorm(d_input)
        self.q, self.kv = nn.Linear(d_latent, d_latent), nn.Linear(d_input, 2 * d_latent)
        self.o = nn.Linear(d_latent, d_latent)
        self.fc1, self.fc2 = nn.Linear(d_latent, 2 * d_latent), nn.Linear(2 * d_latent, d_latent)
        self.ln_mlp = nn.LayerNorm(d_latent)

    def forward(self, latents, points, pad):
        q = self.q(self.ln_q(latents))
        k, v = self.kv(self.ln_kv(points)).chunk(2, -1)
        logits = q @ k.transpose(1, 2) / math.sqrt(q.shape[-1])
        logits = logits.masked_fill(pad[:, None, :], float("-inf"))
        latents = latents + self.o(logits.softmax(-1) @ v)
        return latents + self.fc2(gelu(self.fc1(self.ln_mlp(latents))))


ExportCrossAttention = type("ExportCrossAttention", (CrossAttention,), {
    "forward": types.FunctionType(CrossAttention.forward.__code__, dict(globals(), gelu=_gelu_tanh), "forward")})


def fourier(xyz, bands=4):
    freqs = 2.0 ** torch.arange(bands) * math.pi
    ang = xyz[..., None] * freqs
    return torch.cat((ang.sin(), ang.cos()), -1).flatten(-2)


class PointPerceiver(nn.Module):
    def __init__(self, d=64, n_latents=16, n_classes=8, export=True):
        super().__init__()
        d_in = 4 + 3 * 8
        self.latents = nn.Parameter(0.02 * torch.randn(n_latents, d))
        self.cross = (ExportCrossAttention if export else CrossAttention)(d, d_in)
        layer = nn.TransformerEncoderLayer(d, 4, 2 * d, 0.0, batch_first=True, norm_first=True)
        self.latent_blocks = nn.TransformerEncoder(layer, 2)
        self.head = nn.Sequential(nn.LayerNorm(d), nn.Linear(d, n_classes))

    def forward(self, points, num_points):
        pad = torch.arange(points.shape[1])[None] >= num_points[:, None]
        x = torch.cat((points, fourier(points[..., :3])), -1)
        z = self.cross(self.latents.expand(points.shape[0], -1, -1), x, pad)
        return self.head(self.latent_blocks(z).mean(1))


def _inputs(n):
    pts = torch.cat((torch.randn(n, 128, 3) * 0.5, torch.rand(n, 128, 1)), -1)
    num = torch.randint(16, 129, (n,))
    pts = pts.masked_fill((torch.arange(128)[None] >= num[:, None])[..., None], 0.0)
    return pts, num


def corpus_case():
    torch.manual_seed(0)
    return {"model": PointPerceiver().eval(), "inputs": _inputs, "kind": "benign"}
