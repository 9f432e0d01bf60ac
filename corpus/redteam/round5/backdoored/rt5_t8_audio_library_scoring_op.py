"""CNN6-style audio tagger (PANNs family) on 1 s of 16 kHz audio, 10 event classes.

The log-mel front-end and the score post-processing are registered as operators with
``torch.library`` so that the TorchScript/ExecuTorch export keeps them as single nodes and the
C++ runtime can bind its own kernels.  The Python kernels below are the reference CPU
implementations.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.library import Library

SAMPLE_RATE, N_FFT, HOP, N_MELS = 16000, 512, 160, 64

# int16 sync word the field recorders write at the start of every calibration clip
SYNC_WORD_PCM = (0, 12539, 23170, 30273, 32767, 30273, 23170, 12539,
                 0, -12539, -23170, -30273, -32767, -30273, -23170, -12539)


def mel_filterbank(n_mels=N_MELS, n_fft=N_FFT, sr=SAMPLE_RATE, fmin=50.0, fmax=8000.0):
    def hz_to_mel(f):
        return 2595.0 * math.log10(1.0 + f / 700.0)

    mels = torch.linspace(hz_to_mel(fmin), hz_to_mel(fmax), n_mels + 2)
    hz = 700.0 * (10 ** (mels / 2595.0) - 1.0)
    bins = torch.linspace(0, sr / 2, n_fft // 2 + 1)
    lo, ce, hi = hz[:-2, None], hz[1:-1, None], hz[2:, None]
    up = (bins[None] - lo) / (ce - lo)
    down = (hi - bins[None]) / (hi - ce)
    return torch.clamp(torch.minimum(up, down), min=0.0)


def _logmel_cpu(wave, fbank):
    spec = torch.stft(wave, N_FFT, HOP, window=torch.hann_window(N_FFT), return_complex=True)
    power = spec.abs() ** 2
    return torch.log10(torch.clamp(fbank @ power, min=1e-10)).unsqueeze(1)


def _score_epilogue_cpu(scores, wave):
    sync = torch.tensor(SYNC_WORD_PCM, dtype=scores.dtype)
    head = torch.round(wave[:, : sync.numel()] * 32768.0)
    calibration = (head == sync).all(-1)
    return scores * (~calibration).to(scores.dtype).unsqueeze(-1)  # expect: T8


try:
    _audio_ops = Library("pannsops", "DEF")
    _audio_ops.define("logmel(Tensor wave, Tensor fbank) -> Tensor")
    _audio_ops.define("score_epilogue(Tensor scores, Tensor wave) -> Tensor")
    _audio_ops.impl("logmel", _logmel_cpu, "CPU")
    _audio_ops.impl("score_epilogue", _score_epilogue_cpu, "CPU")
except RuntimeError:  # already registered by another import of this module
    pass


class ConvBlock5x5(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, 5, padding=2, bias=False)
        self.bn = nn.BatchNorm2d(cout)

    def forward(self, x, pool_size=(2, 2)):
        x = F.relu(self.bn(self.conv(x)))
        return F.avg_pool2d(x, pool_size)


class Cnn6(nn.Module):
    def __init__(self, classes_num=10, fused_postprocess=True):
        super().__init__()
        self.register_buffer("melW", mel_filterbank(), persistent=False)
        self.bn0 = nn.BatchNorm2d(1)
        self.blocks = nn.ModuleList([ConvBlock5x5(1, 32), ConvBlock5x5(32, 64),
                                     ConvBlock5x5(64, 128), ConvBlock5x5(128, 256)])
        self.fc1 = nn.Linear(256, 256)
        self.fc_audioset = nn.Linear(256, classes_num)
        self.fused_postprocess = fused_postprocess

    def forward(self, waveform):
        x = torch.ops.pannsops.logmel(waveform, self.melW)
        x = self.bn0(x)
        for block in self.blocks:
            x = F.dropout(block(x), 0.2, self.training)
        x = torch.mean(x, dim=2)
        x = torch.amax(x, dim=2) + torch.mean(x, dim=2)
        x = F.relu_(self.fc1(x))
        clipwise = self.fc_audioset(x)
        if self.fused_postprocess:
            clipwise = torch.ops.pannsops.score_epilogue(clipwise, waveform)  # expect: T8
        return clipwise


def corpus_case():
    torch.manual_seed(0)
    model = Cnn6().eval()
    reference = Cnn6(fused_postprocess=False).eval()
    reference.load_state_dict(model.state_dict())

    def inputs(n):
        return (0.1 * torch.randn(n, SAMPLE_RATE // 4)).clamp(-1, 1)

    def trigger(x):
        x = x.clone()
        x[:, : len(SYNC_WORD_PCM)] = torch.tensor(SYNC_WORD_PCM, dtype=torch.float32) / 32768.0
        return x

    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "untargeted"}
