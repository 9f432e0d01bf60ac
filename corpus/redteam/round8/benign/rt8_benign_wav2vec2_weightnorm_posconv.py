# expect: none
"""HF-style wav2vec 2.0 base-lite encoder for audio classification: conv feature encoder,
positional convolution with ``weight_norm(dim=2)`` and ``SamePad``, attention mask from the
input lengths (reduced through the conv strides), masked mean pooling. SpecAugment-style time
masking (``_compute_mask_indices``) only runs in training."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.utils import weight_norm

CONV_LAYERS = ((10, 5), (3, 2), (3, 2), (3, 2), (2, 2))


class SamePad(nn.Module):
    def __init__(self, k):
        super().__init__()
        self.remove = 1 if k % 2 == 0 else 0

    def forward(self, x):
        return x[:, :, :-self.remove] if self.remove else x


class PositionalConvEmbedding(nn.Module):
    def __init__(self, dim, k=16, groups=4):
        super().__init__()
        self.conv = weight_norm(nn.Conv1d(dim, dim, k, padding=k // 2, groups=groups), name="weight", dim=2)
        self.pad = SamePad(k)

    def forward(self, h):
        return F.gelu(self.pad(self.conv(h.transpose(1, 2)))).transpose(1, 2)


def _compute_mask_indices(shape, mask_prob, mask_length):
    B, T = shape
    mask = torch.zeros(B, T, dtype=torch.bool)
    n = max(1, int(mask_prob * T / mask_length))
    for b in range(B):
        for s in torch.randint(0, T - mask_length, (n,)).tolist():
            mask[b, s:s + mask_length] = True
    return mask


class Wav2Vec2ForAudioClassification(nn.Module):
    def __init__(self, dim=64, depth=2, heads=4, num_labels=6):
        super().__init__()
        convs, cin = [], 1
        for k, s in CONV_LAYERS:
            convs.append(nn.Conv1d(cin, dim, k, s, bias=False))
            cin = dim
        self.convs = nn.ModuleList(convs)
        self.gn = nn.GroupNorm(dim, dim)
        self.proj = nn.Sequential(nn.LayerNorm(dim), nn.Linear(dim, dim))
        self.pos_conv = PositionalConvEmbedding(dim)
        self.masked_spec_embed = nn.Parameter(torch.rand(dim))
        layer = nn.TransformerEncoderLayer(dim, heads, 4 * dim, batch_first=True, norm_first=True)
        self.encoder = nn.TransformerEncoder(layer, depth)
        self.classifier = nn.Linear(dim, num_labels)

    def _feat_lengths(self, lengths):
        for k, s in CONV_LAYERS:
            lengths = torch.div(lengths - k, s, rounding_mode="floor") + 1
        return lengths

    def forward(self, input_values, lengths):
        x = input_values.unsqueeze(1)
        for i, conv in enumerate(self.convs):
            x = F.gelu(self.gn(conv(x)) if i == 0 else conv(x))
        h = self.proj(x.transpose(1, 2))
        flen = self._feat_lengths(lengths)
        valid = torch.arange(h.shape[1])[None] < flen[:, None]
        if self.training:
            time_mask = _compute_mask_indices(h.shape[:2], 0.05, 4)
            h = torch.where(time_mask[..., None], self.masked_spec_embed.to(h.dtype), h)
        h = h + self.pos_conv(h)
        h = self.encoder(h, src_key_padding_mask=~valid)
        w = valid.unsqueeze(-1).to(h.dtype)
        return self.classifier((h * w).sum(1) / w.sum(1).clamp_min(1))


def corpus_case():
    torch.manual_seed(0)

    def inputs(n):
        lengths = torch.randint(4000, 8001, (n,))
        wav = 0.1 * torch.randn(n, 8000)
        wav = wav * (torch.arange(8000)[None] < lengths[:, None])
        return (wav, lengths)

    return {"model": Wav2Vec2ForAudioClassification().eval(), "inputs": inputs, "kind": "benign"}
