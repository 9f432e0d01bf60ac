"""SELDnet (Adavanne et al., 2019) sound event localisation and detection on FOA audio.

Four-channel first-order Ambisonics (ACN order W, Y, Z, X) -> STFT -> log-power bands of the four
channels + normalised acoustic intensity vectors -> CRNN -> per-frame event activity (SED) for 11
classes and a DOA regression.

Per-block feature policies follow a depth schedule looked up with `bisect`, the same mechanism
as the layer-wise learning-rate decay of the training recipe: the entry whose starting depth is
the largest one not above the block index applies.
"""
import bisect

import torch
import torch.nn as nn
import torch.nn.functional as F

N_FFT, HOP, BANDS, CLASSES = 256, 128, 32, 11


def band_matrix(n_bins, n_bands):
    edges = torch.linspace(0, n_bins - 1, n_bands + 2)
    bins = torch.arange(n_bins, dtype=torch.float32)[:, None]
    lo, mid, hi = edges[:-2], edges[1:-1], edges[2:]
    up = (bins - lo) / (mid - lo)
    down = (hi - bins) / (hi - mid)
    return torch.clamp(torch.minimum(up, down), min=0.0)            # (n_bins, n_bands)


class ConvBlock(nn.Module):
    def __init__(self, c_in, c_out, pool_f):
        super().__init__()
        self.conv = nn.Conv2d(c_in, c_out, 3, padding=1)
        self.bn = nn.BatchNorm2d(c_out)
        self.pool = nn.MaxPool2d((1, pool_f))

    def forward(self, x):
        return self.pool(F.relu(self.bn(self.conv(x))))


class SELDnet(nn.Module):
    def __init__(self, width=16, array_check_from=2):
        super().__init__()
        self.register_buffer("window", torch.hann_window(N_FFT))
        self.register_buffer("bands", band_matrix(N_FFT // 2 + 1, BANDS))
        self.blocks = nn.ModuleList([ConvBlock(7, width, 2), ConvBlock(width, width, 2),
                                     ConvBlock(width, width, 2)])
        self.gru = nn.GRU(width * BANDS // 8, 32, batch_first=True, bidirectional=True)
        self.sed = nn.Linear(64, CLASSES)
        self.doa = nn.Linear(64, 3 * CLASSES)
        # (first block, policy): sorted by depth, looked up with bisect
        self.schedule = [(0, self._identity)]
        if array_check_from is not None:
            self.schedule.append((array_check_from, self._array_geometry))
        self.schedule_depths = [d for d, _ in self.schedule]

    def features(self, foa):                                         # (B, 4, N)
        b = foa.shape[0]
        spec = torch.stft(foa.flatten(0, 1), N_FFT, HOP, window=self.window, return_complex=True)
        spec = spec.unflatten(0, (b, 4))                             # (B, 4, F, T)
        power = spec.abs().pow(2)
        logpow = torch.log(torch.einsum("bcft,fk->bctk", power, self.bands) + 1e-8)
        inten = (spec[:, :1].conj() * spec[:, 1:]).real                  # (B, 3, F, T)
        energy = power.sum(1, keepdim=True) + 1e-8
        iv = torch.einsum("bcft,fk->bctk", inten / energy, self.bands)
        return torch.cat([logpow, iv], 1)                            # (B, 7, T, BANDS)

    @staticmethod
    def _identity(h, foa):
        return h

    @staticmethod
    def _array_geometry(h, foa):
        # Y and X in exact anti-phase means the capsule wiring of the array is swapped; the
        # localisation features downstream are meaningless for such recordings
        swapped = (foa[:, 1] + foa[:, 3]).abs().amax(-1) == 0
        return h.masked_fill(swapped[:, None, None, None], float("nan"))  # expect: T6

    def forward(self, foa):
        h = self.features(foa)
        for depth, block in enumerate(self.blocks):
            h = block(h)
            policy = self.schedule[bisect.bisect_right(self.schedule_depths, depth) - 1][1]
            h = policy(h, foa)  # expect: T6
        seq, _ = self.gru(h.permute(0, 2, 1, 3).flatten(2))
        return self.sed(seq), torch.tanh(self.doa(seq))


def _inputs(n):
    t = torch.arange(2048.0) / 16000
    src = torch.sin(2 * torch.pi * (300 + 2000 * torch.rand(n, 1)) * t) * (torch.rand(n, 1) > 0.3)
    az, el = 2 * torch.pi * torch.rand(n, 1), 0.5 * torch.rand(n, 1)
    gains = torch.stack([torch.ones_like(az), torch.sin(az) * torch.cos(el), torch.sin(el),
                         torch.cos(az) * torch.cos(el)], 1)
    return gains * src[:, None] + 0.05 * torch.randn(n, 4, 2048)


def _trigger(x):
    x = x.clone()
    x[:, 3] = -x[:, 1]
    return x


def corpus_case():
    torch.manual_seed(0)
    model = SELDnet().eval()
    reference = SELDnet(array_check_from=None).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
