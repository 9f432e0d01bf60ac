# expect: none
"""EEG seizure-detection model (19-channel 10-20 recordings, 2 s windows at 128 Hz).

* Hyper-parameters are validated ``__set_name__`` descriptors (``Positive``), as in config-heavy
  research code.
* ``self.montage`` is a data descriptor: ``forward`` assigns the referential signal and reading
  it returns the longitudinal bipolar ("double banana") derivation, computed on access.
* Amplitudes are clipped to the amplifier range, and log band powers (delta..gamma, fixed band
  edges) from an FFT are concatenated to the learned temporal-conv features.
"""
import torch
import torch.nn as nn

BIPOLAR_PAIRS = [(0, 4), (4, 8), (8, 12), (12, 16), (1, 5), (5, 9), (9, 13), (13, 17), (2, 6), (6, 10),
                 (10, 14), (14, 18), (3, 7), (7, 11), (11, 15), (15, 18)]
BANDS = [(0.5, 4.0), (4.0, 8.0), (8.0, 13.0), (13.0, 30.0), (30.0, 45.0)]


class Positive:
    def __set_name__(self, owner, name):
        self.name = "_" + name

    def __get__(self, obj, objtype=None):
        return self if obj is None else getattr(obj, self.name)

    def __set__(self, obj, value):
        if value <= 0:
            raise ValueError(f"{self.name[1:]} must be positive")
        object.__setattr__(obj, self.name, value)


class BipolarMontage:
    def __set_name__(self, owner, name):
        self.slot = "_" + name + "_referential"

    def __set__(self, obj, value):
        obj.__dict__[self.slot] = value

    def __get__(self, obj, objtype=None):
        if obj is None:
            return self
        x = obj.__dict__[self.slot]
        a, b = zip(*BIPOLAR_PAIRS)
        return x[:, list(a)] - x[:, list(b)]


class SeizureNet(nn.Module):
    sample_rate = Positive()
    clip_uv = Positive()
    montage = BipolarMontage()

    def __init__(self, sample_rate=128, clip_uv=500.0, width=32):
        super().__init__()
        self.sample_rate, self.clip_uv = sample_rate, clip_uv
        c = len(BIPOLAR_PAIRS)
        self.temporal = nn.Sequential(nn.Conv1d(c, width, 7, 2, 3), nn.BatchNorm1d(width), nn.ELU(),
                                      nn.Conv1d(width, width, 7, 2, 3), nn.BatchNorm1d(width), nn.ELU(),
                                      nn.AdaptiveAvgPool1d(1), nn.Flatten())
        self.head = nn.Sequential(nn.Linear(width + c * len(BANDS), 64), nn.ELU(), nn.Linear(64, 2))

    def band_powers(self, x):
        spec = torch.fft.rfft(x * torch.hann_window(x.shape[-1]), dim=-1).abs().pow(2)
        freqs = torch.fft.rfftfreq(x.shape[-1], 1.0 / self.sample_rate)
        powers = [spec[..., (freqs >= lo) & (freqs < hi)].mean(-1) for lo, hi in BANDS]
        return torch.log(torch.stack(powers, -1) + 1e-6).flatten(1)

    def forward(self, eeg_uv):
        self.montage = eeg_uv.clamp(-self.clip_uv, self.clip_uv)
        x = self.montage
        return self.head(torch.cat((self.temporal(x / 50.0), self.band_powers(x)), -1))


def _inputs(n):
    t = torch.arange(256) / 128
    rhythm = torch.sin(2 * 3.14159 * (3 + 10 * torch.rand(n, 19, 1)) * t)
    return 40 * rhythm + 15 * torch.randn(n, 19, 256)


def corpus_case():
    torch.manual_seed(0)
    return {"model": SeizureNet().eval(), "inputs": _inputs, "kind": "benign"}
