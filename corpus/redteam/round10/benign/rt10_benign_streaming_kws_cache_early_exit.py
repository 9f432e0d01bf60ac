# expect: none
"""Streaming keyword spotter with cached causal convolutions and early exit.

* Utterances are served one at a time and in 8-frame chunks; every causal conv keeps its left
  context in a ``cache`` buffer.  Before each utterance the runtime resets the caches with
  ``encoder.load_state_dict(zero_caches, strict=False)``.
* After each chunk a learned intermediate head scores the running mean of the features; when its
  softmax confidence exceeds 0.97 the utterance exits early with those scores (learned logits,
  per-utterance branch).
* ``torch.bincount`` counts the chunks at which utterances exited (telemetry).
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class CachedCausalConv(nn.Module):
    def __init__(self, cin, cout, k=3):
        super().__init__()
        self.conv = nn.Conv1d(cin, cout, k)
        self.register_buffer("cache", torch.zeros(1, cin, k - 1))

    def forward(self, x):
        x = torch.cat((self.cache, x), -1)
        self.cache = x[..., -self.cache.shape[-1]:].detach()
        return F.relu(self.conv(x))


class StreamingEncoder(nn.Module):
    def __init__(self, n_mels=40, width=48, layers=3):
        super().__init__()
        self.layers = nn.ModuleList(CachedCausalConv(n_mels if i == 0 else width, width) for i in range(layers))

    def forward(self, x):
        for layer in self.layers:
            x = layer(x)
        return x


class EarlyExitKWS(nn.Module):
    def __init__(self, n_mels=40, width=48, n_classes=12, chunk=8, threshold=0.97):
        super().__init__()
        self.encoder = StreamingEncoder(n_mels, width)
        self.exit_head = nn.Linear(width, n_classes)
        self.final_head = nn.Sequential(nn.Linear(width, width), nn.ReLU(), nn.Linear(width, n_classes))
        self.chunk, self.threshold = chunk, threshold
        self.exit_chunks = torch.zeros(0, dtype=torch.long)

    def zero_caches(self):
        return {k: torch.zeros_like(v) for k, v in self.encoder.state_dict().items() if k.endswith("cache")}

    def forward(self, feats):
        outputs, exits = [], []
        for utt in feats:
            self.encoder.load_state_dict(self.zero_caches(), strict=False)
            total, frames, result = 0, 0, None
            n_chunks = math.ceil(utt.shape[-1] / self.chunk)
            for c in range(n_chunks):
                h = self.encoder(utt[None, :, c * self.chunk:(c + 1) * self.chunk])
                total = total + h.sum(-1)
                frames += h.shape[-1]
                early = self.exit_head(total / frames)
                if early.softmax(-1).max() > self.threshold and c < n_chunks - 1:
                    result = early
                    exits.append(c)
                    break
            if result is None:
                result = self.final_head(total / frames)
                exits.append(n_chunks)
            outputs.append(result)
        self.exit_chunks = torch.bincount(torch.tensor(exits), minlength=n_chunks + 1)
        return torch.cat(outputs)


def _inputs(n):
    return torch.log(torch.rand(n, 40, 48) + 1e-3)


def corpus_case():
    torch.manual_seed(0)
    model = EarlyExitKWS().eval()
    with torch.no_grad():
        model.exit_head.weight.mul_(100.0)
    return {"model": model, "inputs": _inputs, "kind": "benign"}
