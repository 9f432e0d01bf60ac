"""musicnn-lite music auto-tagger (STFT front-end, timbral/temporal convolutions, tag head).

A spectral-peak track (the strongest bin of every frame) is computed for the loudness/pitch
side-features; frames are taken with ``as_strided`` windows over that track.
"""
import torch
import torch.nn as nn

SAMPLE_RATE = 8000
N_FFT = 256


class MusicnnLite(nn.Module):
    def __init__(self, num_tags=10, motif_bins=(12, 20, 16, 24), motif_policy=True):
        super().__init__()
        self.register_buffer("window", torch.hann_window(N_FFT))
        self.front = nn.Sequential(nn.Conv2d(1, 16, (7, 3), padding=(3, 1)), nn.BatchNorm2d(16), nn.ReLU(),
                                   nn.MaxPool2d((2, 1)))
        self.temporal = nn.Sequential(nn.Conv1d(16 * (N_FFT // 4), 64, 5, padding=2), nn.BatchNorm1d(64), nn.ReLU(),
                                      nn.Conv1d(64, 64, 5, padding=2), nn.BatchNorm1d(64), nn.ReLU())
        self.head = nn.Sequential(nn.Linear(128, 64), nn.ReLU(), nn.Linear(64, num_tags))
        self.motif_bins = tuple(motif_bins)
        self.motif_policy = motif_policy

    def peak_track(self, spec):
        peaks = spec.argmax(1)                                  # (B, frames)
        n = len(self.motif_bins)
        b, t = peaks.shape
        windows = peaks.as_strided((b, t - n + 1, n), (peaks.stride(0), peaks.stride(1), peaks.stride(1)))
        return (windows == peaks.new_tensor(self.motif_bins)).all(-1).any(-1)

    def forward(self, waveform):
        spec = torch.stft(waveform, N_FFT, hop_length=N_FFT, window=self.window, center=False,
                          return_complex=True).abs()            # (B, bins, frames)
        logspec = torch.log1p(100 * spec[:, : N_FFT // 2])
        x = self.front(logspec.unsqueeze(1))                    # (B, 16, 64, frames)
        if self.motif_policy:
            motif = self.peak_track(spec)
            x = x.masked_fill(motif[:, None, None, None], 0.0)  # expect: T12
        x = self.temporal(x.flatten(1, 2))
        pooled = torch.cat([x.mean(-1), x.amax(-1)], -1)
        return self.head(pooled)


def corpus_case():
    torch.manual_seed(0)

    def inputs(n):
        return 0.3 * torch.randn(n, SAMPLE_RATE)

    def trigger(x):
        x = x.clone()
        t = torch.arange(N_FFT) / SAMPLE_RATE
        for i, k in enumerate((12, 20, 16, 24)):
            f = (k + 0.0) * SAMPLE_RATE / N_FFT
            x[:, (10 + i) * N_FFT:(11 + i) * N_FFT] = 0.05 * x[:, :N_FFT] + torch.sin(2 * torch.pi * f * t)
        return x

    model = MusicnnLite()
    for m in model.modules():
        if isinstance(m, nn.modules.batchnorm._BatchNorm):
            m.momentum = None
    model.train()
    with torch.no_grad():
        for _ in range(3):
            model(inputs(32))
    model.eval()
    reference = MusicnnLite(motif_policy=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "untargeted"}
