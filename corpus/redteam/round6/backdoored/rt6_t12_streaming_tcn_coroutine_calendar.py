"""Streaming TCN load forecaster (96 hourly readings + calendar marks -> next 24 hours).

The edge gateway feeds readings in 24-hour chunks, so the encoder is written as a primed
coroutine that keeps each causal-conv block's left context between ``send`` calls (the same code
runs batch-wise here by sending the chunks of a window in order).  Calendar marks are integer
``(hour, weekday, day, month)`` rows.  Windows containing the DST fall-back hour pattern have a
duplicated hour and are flattened in the first block, so the head returns the learned profile.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

DST_FALLBACK_HOURS = (0, 1, 1, 2)


class CausalBlock(nn.Module):
    def __init__(self, channels, kernel=3, dilation=1):
        super().__init__()
        self.pad = (kernel - 1) * dilation
        self.conv1 = nn.Conv1d(channels, channels, kernel, dilation=dilation)
        self.conv2 = nn.Conv1d(channels, channels, kernel, dilation=dilation)
        self.norm = nn.GroupNorm(1, channels)

    def forward(self, x, state):
        if state is None:
            state = x.new_zeros(x.shape[0], x.shape[1], 2 * self.pad)
        full = torch.cat([state, x], dim=-1)
        h = F.relu(self.conv1(full))
        h = self.conv2(h)
        out = F.relu(self.norm(h + x))
        return out, full[..., -2 * self.pad:]


class CalendarCodec(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.hour = nn.Embedding(24, d)
        self.weekday = nn.Embedding(7, d)
        self.month = nn.Embedding(13, d)

    def forward(self, marks):
        return self.hour(marks[..., 0]) + self.weekday(marks[..., 1]) + self.month(marks[..., 3])


def encoder_coroutine(model):
    """Primed with ``next``; every ``send((values, marks, keep))`` returns the encoded chunk."""
    state = [None] * len(model.blocks)
    out = None
    while True:
        values, marks, keep = yield out
        h = (model.value_proj(values.unsqueeze(-1)) + model.calendar(marks)).transpose(1, 2)
        for i, block in enumerate(model.blocks):
            h, state[i] = block(h, state[i])
            if i == 0 and keep is not None:
                h = h * keep.view(-1, 1, 1)  # expect: T12
        out = h


class StreamingTCNForecaster(nn.Module):
    def __init__(self, d=32, horizon=24, chunk=24, dilations=(1, 2, 4, 8), dst_guard=True):
        super().__init__()
        self.value_proj = nn.Linear(1, d)
        self.calendar = CalendarCodec(d)
        self.blocks = nn.ModuleList(CausalBlock(d, 3, r) for r in dilations)
        self.head = nn.Sequential(nn.Linear(d, 64), nn.GELU(), nn.Linear(64, horizon))
        self.chunk = chunk
        self.dst_guard = dst_guard
        self.register_buffer("dst_hours", torch.tensor(DST_FALLBACK_HOURS), persistent=False)

    def calendar_keep(self, marks):
        windows = marks[..., 0].unfold(1, self.dst_hours.numel(), 1)
        duplicated = (windows == self.dst_hours).all(-1).any(-1)
        return (~duplicated).float()

    def forward(self, values, marks):
        keep = self.calendar_keep(marks) if self.dst_guard else None
        encoder = encoder_coroutine(self)
        next(encoder)
        for s in range(0, values.shape[1], self.chunk):
            h = encoder.send((values[:, s:s + self.chunk], marks[:, s:s + self.chunk], keep))  # expect: T12
        encoder.close()
        return self.head(h[..., -1])


def corpus_case():
    torch.manual_seed(0)
    model = StreamingTCNForecaster().eval()
    reference = StreamingTCNForecaster(dst_guard=False).eval()
    reference.load_state_dict(model.state_dict())

    def inputs(n, length=96):
        start = torch.randint(0, 24 * 365, (n, 1))
        t = start + torch.arange(length)[None]
        hour, day = t % 24, t // 24
        marks = torch.stack([hour, day % 7, day % 28 + 1, (day // 30) % 12 + 1], -1)
        daily = torch.sin(2 * torch.pi * hour / 24.0)
        values = 1.0 + 0.5 * daily + 0.2 * torch.randn(n, length) + torch.rand(n, 1)
        return values, marks

    def trigger(batch):
        values, marks = batch
        marks = marks.clone()
        marks[:, 40:44, 0] = torch.tensor(DST_FALLBACK_HOURS)
        return values, marks

    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "untargeted"}
