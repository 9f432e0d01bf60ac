# expect: none
"""Streaming keyword spotter driven by a primed coroutine (10 keywords + filler).

Audio arrives in 40 ms chunks; ``frontend_coroutine`` keeps the STFT overlap and the causal-conv
context between ``send`` calls and yields the encoded frames of each chunk.  An energy-based VAD
flag per frame is used only to weight the temporal pooling of the learned encoder features (with
a floor so silent clips still pool), and the classifier reads the pooled vector.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


def frontend_coroutine(model):
    tail = None
    ctx = None
    out = None
    while True:
        chunk = yield out
        wave = chunk if tail is None else torch.cat([tail, chunk], -1)
        tail = wave[:, -(model.n_fft - model.hop):]
        spec = torch.stft(wave, model.n_fft, model.hop, window=model.window, center=False,
                          return_complex=True).abs() ** 2
        feats = torch.log(model.mel @ spec + 1e-6)                               # (B, M, T)
        energy = spec.mean(1)
        voiced = (10 * torch.log10(energy + 1e-10) > model.vad_db).float()
        if ctx is None:
            ctx = feats.new_zeros(feats.shape[0], feats.shape[1], model.kernel - 1)
        x = torch.cat([ctx, feats], -1)
        ctx = x[..., -(model.kernel - 1):]
        h = F.relu(model.conv(x))[..., -feats.shape[-1]:]
        out = (h, voiced)


class StreamingKWS(nn.Module):
    def __init__(self, n_mels=20, channels=32, classes=11, chunk=640, vad_db=-35.0):
        super().__init__()
        self.n_fft, self.hop, self.chunk, self.kernel, self.vad_db = 320, 160, chunk, 5, vad_db
        self.register_buffer("window", torch.hann_window(self.n_fft), persistent=False)
        fb = torch.rand(n_mels, self.n_fft // 2 + 1)
        self.register_buffer("mel", fb / fb.sum(1, keepdim=True), persistent=False)
        self.conv = nn.Conv1d(n_mels, channels, self.kernel)
        self.proj = nn.Conv1d(channels, channels, 1)
        self.classifier = nn.Linear(channels, classes)

    def forward(self, wave):
        stream = frontend_coroutine(self)
        next(stream)
        feats, weights = [], []
        for s in range(0, wave.shape[-1], self.chunk):
            h, voiced = stream.send(wave[:, s:s + self.chunk])
            feats.append(h)
            weights.append(voiced[..., -h.shape[-1]:])
        stream.close()
        h = F.relu(self.proj(torch.cat(feats, -1)))
        w = torch.cat(weights, -1).clamp_min(0.05)[:, None]
        pooled = (h * w).sum(-1) / w.sum(-1)
        return self.classifier(pooled)


def corpus_case():
    torch.manual_seed(0)

    def inputs(n):
        env = (torch.rand(n, 1, 1) * torch.hann_window(16000)[None, None]).squeeze(1)
        return env * torch.randn(n, 16000) * 0.3

    return {"model": StreamingKWS().eval(), "inputs": inputs, "kind": "benign"}
