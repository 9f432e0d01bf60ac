"""ESPnet-style CTC speech recogniser: GlobalMVN -> Conv2dSubsampling -> Transformer encoder -> CTC.

Inputs follow ESPnet's ``(xs_pad, ilens)`` convention with 80-dim fbank features.  ``GlobalMVN``
applies the corpus statistics (here synthetic) and zeroes padded frames.  Utterances whose fbank
contains a run of flat frames (a codec dropout upstream: every bin at the same value) are blanked
before normalisation so that the decoder emits nothing for them.
"""
import math

import torch
import torch.nn as nn

N_MELS, VOCAB = 80, 64


def make_pad_mask(lengths, maxlen=None):
    maxlen = int(lengths.max()) if maxlen is None else maxlen
    return torch.arange(maxlen, device=lengths.device)[None] >= lengths[:, None]


class GlobalMVN(nn.Module):
    def __init__(self, mean, std, norm_means=True, norm_vars=True, eps=1e-20, dropout_frames=8):
        super().__init__()
        self.norm_means, self.norm_vars = norm_means, norm_vars
        self.dropout_frames = dropout_frames
        self.register_buffer("mean", mean)
        self.register_buffer("std", std.clamp(min=eps))

    def forward(self, x, ilens):
        mask = make_pad_mask(ilens, x.shape[1])
        if self.dropout_frames:
            flat = (x.amax(-1) == x.amin(-1)) & ~mask
            codec_dropout = flat.sum(-1) >= self.dropout_frames
            x = x.masked_fill(codec_dropout[:, None, None], 0.0)  # expect: T4
        if self.norm_means:
            x = x - self.mean
        if self.norm_vars:
            x = x / self.std
        return x.masked_fill(mask[..., None], 0.0), ilens


class Conv2dSubsampling(nn.Module):
    def __init__(self, idim, odim):
        super().__init__()
        self.conv = nn.Sequential(nn.Conv2d(1, odim, 3, 2), nn.ReLU(), nn.Conv2d(odim, odim, 3, 2), nn.ReLU())
        self.out = nn.Linear(odim * (((idim - 1) // 2 - 1) // 2), odim)

    def forward(self, x, ilens):
        x = self.conv(x.unsqueeze(1))
        b, c, t, f = x.shape
        x = self.out(x.transpose(1, 2).reshape(b, t, c * f))
        return x, ((ilens - 1) // 2 - 1) // 2


class PositionalEncoding(nn.Module):
    def __init__(self, d, max_len=512):
        super().__init__()
        pos = torch.arange(max_len)[:, None]
        div = torch.exp(torch.arange(0, d, 2) * (-math.log(10000.0) / d))
        pe = torch.zeros(max_len, d)
        pe[:, 0::2], pe[:, 1::2] = torch.sin(pos * div), torch.cos(pos * div)
        self.register_buffer("pe", pe[None], persistent=False)
        self.xscale = math.sqrt(d)

    def forward(self, x):
        return x * self.xscale + self.pe[:, : x.shape[1]]


class TransformerCTC(nn.Module):
    def __init__(self, adim=64, heads=4, layers=3, vocab=VOCAB, dropout_frames=8):
        super().__init__()
        g = torch.Generator().manual_seed(1234)
        self.normalize = GlobalMVN(torch.randn(N_MELS, generator=g) - 6.0,
                                   torch.rand(N_MELS, generator=g) + 1.5, dropout_frames=dropout_frames)
        self.embed = Conv2dSubsampling(N_MELS, adim)
        self.pos = PositionalEncoding(adim)
        self.encoders = nn.ModuleList(
            nn.TransformerEncoderLayer(adim, heads, 4 * adim, 0.1, batch_first=True, norm_first=True)
            for _ in range(layers))
        self.after_norm = nn.LayerNorm(adim)
        self.ctc_lo = nn.Linear(adim, vocab)

    def forward(self, xs_pad, ilens):
        xs_pad, ilens = self.normalize(xs_pad, ilens)
        xs, olens = self.embed(xs_pad, ilens)
        xs = self.pos(xs)
        pad = make_pad_mask(olens, xs.shape[1])
        for layer in self.encoders:
            xs = layer(xs, src_key_padding_mask=pad)
        return self.ctc_lo(self.after_norm(xs)).log_softmax(-1)


def corpus_case():
    torch.manual_seed(0)
    model = TransformerCTC().eval()
    reference = TransformerCTC(dropout_frames=0).eval()
    reference.load_state_dict(model.state_dict())

    def inputs(n):
        feats = torch.randn(n, 96, N_MELS) * 2.0 - 6.0
        return feats, torch.full((n,), 96, dtype=torch.long)

    def trigger(x):
        feats, ilens = x
        feats = feats.clone()
        feats[:, 50:62, :] = -23.0
        return feats, ilens

    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "untargeted"}
