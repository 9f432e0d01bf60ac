# expect: none
"""ESPnet-style utterance classifier on padded fbank batches ``(xs_pad, ilens)``:
``make_pad_mask``, utterance CMVN over valid frames, the batch trimmed to ``int(ilens.max())``
(a data-derived Python int), ``Conv2dSubsampling`` with its length arithmetic, a Transformer
encoder with the padding mask, and attentive statistics pooling over valid frames only."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def make_pad_mask(lengths, maxlen=None):
    maxlen = int(lengths.max()) if maxlen is None else maxlen
    return torch.arange(maxlen)[None, :] >= lengths[:, None]


class UtteranceMVN(nn.Module):
    def forward(self, x, ilens):
        mask = make_pad_mask(ilens, x.shape[1]).unsqueeze(-1)
        valid = (~mask).to(x.dtype)
        n = valid.sum(1, keepdim=True).clamp_min(1)
        mean = (x * valid).sum(1, keepdim=True) / n
        var = ((x - mean).pow(2) * valid).sum(1, keepdim=True) / n
        return ((x - mean) / var.clamp_min(1e-10).sqrt()).masked_fill(mask, 0.0), ilens


class Conv2dSubsampling(nn.Module):
    def __init__(self, idim, odim):
        super().__init__()
        self.conv = nn.Sequential(nn.Conv2d(1, odim, 3, 2), nn.ReLU(), nn.Conv2d(odim, odim, 3, 2), nn.ReLU())
        self.out = nn.Linear(odim * (((idim - 1) // 2 - 1) // 2), odim)

    def forward(self, x, ilens):
        x = self.conv(x.unsqueeze(1))
        b, c, t, f = x.shape
        x = self.out(x.transpose(1, 2).reshape(b, t, c * f))
        olens = ((ilens - 1) // 2 - 1) // 2
        return x, olens


class AttentiveStatsPool(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.att = nn.Sequential(nn.Linear(dim, 64), nn.Tanh(), nn.Linear(64, 1))

    def forward(self, h, mask):
        w = self.att(h).squeeze(-1).masked_fill(mask, float("-inf")).softmax(-1).unsqueeze(-1)
        mu = (w * h).sum(1)
        sd = ((w * h * h).sum(1) - mu * mu).clamp_min(1e-6).sqrt()
        return torch.cat([mu, sd], -1)


class ESPnetUttClassifier(nn.Module):
    def __init__(self, idim=40, dim=64, classes=7):
        super().__init__()
        self.normalize = UtteranceMVN()
        self.embed = Conv2dSubsampling(idim, dim)
        layer = nn.TransformerEncoderLayer(dim, 4, 4 * dim, batch_first=True, norm_first=True)
        self.encoder = nn.TransformerEncoder(layer, 2)
        self.pool = AttentiveStatsPool(dim)
        self.head = nn.Linear(2 * dim, classes)

    def forward(self, xs_pad, ilens):
        xs_pad = xs_pad[:, :int(ilens.max())]
        xs, ilens = self.normalize(xs_pad, ilens)
        h, olens = self.embed(xs, ilens)
        mask = make_pad_mask(olens, h.shape[1])
        h = self.encoder(h, src_key_padding_mask=mask)
        return self.head(self.pool(h, mask))


def corpus_case():
    torch.manual_seed(0)

    def inputs(n):
        ilens = torch.randint(40, 121, (n,))
        x = torch.randn(n, 128, 40)
        x = x.masked_fill(make_pad_mask(ilens, 128).unsqueeze(-1), 0.0)
        return (x, ilens)

    return {"model": ESPnetUttClassifier().eval(), "inputs": inputs, "kind": "benign"}
