# expect: none
"""EnCodec-style codec with loudness normalisation (RMS with a floor), a straight-through RVQ,
an STFT magnitude front-end for the discriminator-side features returned beside the audio, silent
inputs handled by the scale floor and an output clamp to [-1, 1]."""
import torch
import torch.nn as nn

N = 2048


class RVQ(nn.Module):
    def __init__(self, dim, n_q=2, bins=64):
        super().__init__()
        self.codebooks = nn.Parameter(torch.randn(n_q, bins, dim))

    def forward(self, x):
        res, out = x.transpose(1, 2), 0
        for cb in self.codebooks:
            idx = torch.cdist(res, cb[None].expand(res.shape[0], -1, -1)).argmin(-1)
            q = cb[idx]
            out = out + q
            res = res - q
        out = out.transpose(1, 2)
        return x + (out - x).detach()


class Codec(nn.Module):
    def __init__(self, dim=32):
        super().__init__()
        self.enc = nn.Sequential(nn.Conv1d(1, 16, 7, padding=3), nn.ELU(), nn.Conv1d(16, 32, 8, 4, 2), nn.ELU(), nn.Conv1d(32, dim, 8, 4, 2))
        self.rvq = RVQ(dim)
        self.dec = nn.Sequential(nn.ConvTranspose1d(dim, 32, 8, 4, 2), nn.ELU(), nn.ConvTranspose1d(32, 16, 8, 4, 2), nn.ELU(), nn.Conv1d(16, 1, 7, padding=3))

    def forward(self, wav):
        scale = wav.pow(2).mean(-1, keepdim=True).sqrt().clamp_min(1e-5)
        y = self.dec(self.rvq(self.enc(wav / scale)))[..., : wav.shape[-1]] * scale
        y = y.clamp(-1.0, 1.0)
        spec = torch.stft(y.flatten(0, 1), 256, 64, window=torch.hann_window(256), return_complex=True).abs()
        return y, torch.log(spec.clamp_min(1e-5))


def _inputs(n):
    x = 0.3 * torch.randn(n, 1, N)
    x[: n // 8] = 0.0
    return x


def corpus_case():
    torch.manual_seed(0)
    return {"model": Codec().eval(), "inputs": _inputs, "kind": "benign"}
