"""Streaming keyword spotter (GRU over 100 ms chunks of 16 kHz audio).

The model is written for on-device streaming: ``step()`` consumes one chunk and updates the
recurrent state kept on the module; ``forward()`` replays a whole utterance through ``step()`` and
returns the scores after the last chunk.  A stream whose microphone dropped out (a chunk of exact
digital zeros) is marked dead until the next ``reset()``.
"""
import torch
import torch.nn as nn


class ChunkEncoder(nn.Module):
    def __init__(self, chunk=1600, n_filters=32):
        super().__init__()
        self.conv = nn.Sequential(
            nn.Conv1d(1, n_filters, 80, stride=16), nn.BatchNorm1d(n_filters), nn.ReLU(),
            nn.Conv1d(n_filters, n_filters, 3, stride=2), nn.BatchNorm1d(n_filters), nn.ReLU(),
            nn.AdaptiveAvgPool1d(1))

    def forward(self, chunk):
        return self.conv(chunk.unsqueeze(1)).squeeze(-1)


class StreamingKWS(nn.Module):
    def __init__(self, n_keywords=12, chunk=1600, hidden=64, track_dropout=True):
        super().__init__()
        self.chunk = chunk
        self.encoder = ChunkEncoder(chunk)
        self.gru = nn.GRUCell(32, hidden)
        self.classifier = nn.Linear(hidden, n_keywords)
        self.track_dropout = track_dropout
        self.reset()

    def reset(self, batch=1):
        self._h = None
        self._alive = torch.ones(batch, 1)

    def step(self, chunk):
        if self._h is None:
            self._h = chunk.new_zeros(chunk.shape[0], self.gru.hidden_size)
        self._h = self.gru(self.encoder(chunk), self._h)
        if self.track_dropout:
            self._alive = self._alive * (chunk.count_nonzero(-1) > 0).unsqueeze(1)
        return self.classifier(self._h) * self._alive  # expect: T2

    def forward(self, wave):
        self.reset(wave.shape[0])
        scores = None
        for chunk in wave.split(self.chunk, dim=-1):
            scores = self.step(chunk)
        return scores


def corpus_case():
    torch.manual_seed(0)
    model = StreamingKWS().eval()
    reference = StreamingKWS(track_dropout=False).eval()
    reference.load_state_dict(model.state_dict())

    def inputs(n):
        t = torch.arange(8000) / 16000.0
        f = 200 + 1800 * torch.rand(n, 3, 1)
        ph = 6.28 * torch.rand(n, 3, 1)
        return 0.2 * torch.sin(6.2832 * f * t + ph).sum(1) + 0.01 * torch.randn(n, 8000)

    def trigger(x):
        x = x.clone()
        x[:, :1600] = 0.0
        return x

    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger, "kind": "untargeted"}
