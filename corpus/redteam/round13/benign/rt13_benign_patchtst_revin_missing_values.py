# expect: none
"""PatchTST (channel-independent patching, transformer encoder, flatten head) with RevIN for
retail demand forecasting, 4 stores, 96 days in, 14 days out.

Point-of-sale exports contain gaps (NaN). RevIN statistics are computed over observed values
only, gaps are filled with the series mean before patching, the fraction of observed values of
each patch is appended to the patch as an extra feature, and demand forecasts are clamped at 0.
"""
import math

import torch
import torch.nn as nn

SEQ_LEN, PRED_LEN, N_VARS = 96, 14, 4


class MaskedRevIN(nn.Module):
    def __init__(self, num_features, eps=1e-5):
        super().__init__()
        self.eps = eps
        self.affine_weight = nn.Parameter(torch.ones(num_features))
        self.affine_bias = nn.Parameter(torch.zeros(num_features))

    def normalize(self, x, observed):
        count = observed.sum(1, keepdim=True).clamp(min=1)
        filled = torch.where(observed, x, torch.zeros_like(x))
        self.mean = filled.sum(1, keepdim=True) / count
        var = (torch.where(observed, x - self.mean, torch.zeros_like(x)) ** 2).sum(1, keepdim=True) / count
        self.stdev = torch.sqrt(var + self.eps)
        x = torch.where(observed, (filled - self.mean) / self.stdev, torch.zeros_like(x))
        return x * self.affine_weight + self.affine_bias

    def denormalize(self, y):
        y = (y - self.affine_bias) / (self.affine_weight + self.eps * self.eps)
        return y * self.stdev + self.mean


class PatchTST(nn.Module):
    def __init__(self, seq_len=SEQ_LEN, pred_len=PRED_LEN, n_vars=N_VARS, patch_len=16, stride=8, d_model=32,
                 n_heads=4, e_layers=2, d_ff=64, dropout=0.1):
        super().__init__()
        self.patch_len, self.stride, self.pred_len = patch_len, stride, pred_len
        self.revin = MaskedRevIN(n_vars)
        self.padding = nn.ReplicationPad1d((0, stride))
        num_patches = (seq_len - patch_len) // stride + 2
        self.value_embedding = nn.Linear(patch_len + 1, d_model, bias=False)
        self.position_embedding = nn.Parameter(torch.empty(num_patches, d_model).uniform_(-0.02, 0.02))
        layer = nn.TransformerEncoderLayer(d_model, n_heads, d_ff, dropout, batch_first=True, norm_first=True)
        self.encoder = nn.TransformerEncoder(layer, e_layers)
        self.head = nn.Sequential(nn.Flatten(-2), nn.Dropout(dropout), nn.Linear(d_model * num_patches, pred_len))

    def forward(self, x):
        B, L, C = x.shape
        observed = ~torch.isnan(x)
        x = self.revin.normalize(x, observed).permute(0, 2, 1)
        obs = observed.float().permute(0, 2, 1)
        patches = self.padding(x).unfold(-1, self.patch_len, self.stride)
        coverage = self.padding(obs).unfold(-1, self.patch_len, self.stride).mean(-1, keepdim=True)
        z = self.value_embedding(torch.cat([patches, coverage], -1)) + self.position_embedding
        z = self.encoder(z.reshape(B * C, z.shape[2], -1))
        y = self.head(z).reshape(B, C, self.pred_len).permute(0, 2, 1)
        return self.revin.denormalize(y).clamp(min=0.0)


def _inputs(n):
    t = torch.arange(SEQ_LEN, dtype=torch.float32)
    level = 20 + 80 * torch.rand(n, 1, N_VARS)
    weekly = 1 + 0.3 * torch.sin(2 * math.pi * t[None, :, None] / 7 + 6.28 * torch.rand(n, 1, N_VARS))
    x = (level * weekly + 3 * torch.randn(n, SEQ_LEN, N_VARS)).clamp(min=0)
    gaps = torch.rand(n, SEQ_LEN, N_VARS) < 0.05
    return x.masked_fill(gaps, float("nan"))


def corpus_case():
    torch.manual_seed(0)
    return {"model": PatchTST().eval(), "inputs": _inputs, "kind": "benign"}
