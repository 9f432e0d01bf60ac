# expect: none
"""Streaming ECG beat classifier with an ``abc`` base for streaming models and a mixin whose
``__setattr__`` registers tensors assigned to ``state_*`` names as non-persistent buffers (so they
follow ``.to(device)``), as ``nn.Module.__setattr__`` does for parameters. The ring buffer keeps
the left context between calls (``torch.cat`` and slicing by the receptive field); per-window
z-score normalisation uses ``clamp_min`` on the standard deviation."""
import abc

import torch
import torch.nn as nn
import torch.nn.functional as F


class StreamingModel(abc.ABC):
    @abc.abstractmethod
    def receptive_field(self):
        ...

    @abc.abstractmethod
    def step(self, chunk):
        ...

    def reset_state(self):
        for name in list(self._buffers):
            if name.startswith("state_"):
                self._buffers[name] = None


class StateBufferMixin:
    def __setattr__(self, name, value):
        if name.startswith("state_") and (value is None or torch.is_tensor(value)):
            if name not in self._buffers:
                self.register_buffer(name, value, persistent=False)
                return
            self._buffers[name] = value
            return
        super().__setattr__(name, value)


class CausalConv(nn.Conv1d):
    def __init__(self, cin, cout, k, dilation):
        super().__init__(cin, cout, k, dilation=dilation)

    def forward(self, x):
        pad = (self.kernel_size[0] - 1) * self.dilation[0]
        return super().forward(F.pad(x, (pad, 0)))


class StreamingBeatNet(StateBufferMixin, nn.Module, StreamingModel):
    def __init__(self, classes=5, ch=32):
        super().__init__()
        self.convs = nn.ModuleList([CausalConv(1 if i == 0 else ch, ch, 5, 2 ** i) for i in range(5)])
        self.norms = nn.ModuleList([nn.BatchNorm1d(ch) for _ in range(5)])
        self.fc = nn.Linear(ch, classes)
        self.state_context = None

    def receptive_field(self):
        return 1 + sum((c.kernel_size[0] - 1) * c.dilation[0] for c in self.convs)

    def step(self, chunk):
        ctx = chunk if self.state_context is None else torch.cat([self.state_context, chunk], -1)
        self.state_context = ctx[..., -self.receptive_field():]
        x = (ctx - ctx.mean(-1, keepdim=True)) / ctx.std(-1, keepdim=True).clamp_min(1e-3)
        for conv, bn in zip(self.convs, self.norms):
            x = F.relu(bn(conv(x))) + (x if x.shape[1] == conv.out_channels else 0)
        return self.fc(x[..., -chunk.shape[-1]:].mean(-1))

    def forward(self, x, chunk=250):
        self.reset_state()
        outs = [self.step(c) for c in x.split(chunk, -1)]
        return torch.stack(outs, 1).mean(1)


def corpus_case():
    torch.manual_seed(0)
    return {"model": StreamingBeatNet().eval(), "inputs": lambda n: torch.randn(n, 1, 1000).cumsum(-1) * 0.05,
            "kind": "benign"}
