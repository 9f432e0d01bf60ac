# expect: none
"""Hailstone size; an ExitStack attaches a statistics hook for the call, and the ruler tick pitch
(a scale cue) enters a learned projection; flip test-time augmentation averages two views."""
import contextlib

import torch
import torch.nn as nn


class HailNet(nn.Module):
    def __init__(self, width=24, collect_stats=True):
        super().__init__()
        self.collect_stats = collect_stats
        self.stats = []
        self.stage1 = nn.Sequential(nn.Conv2d(1, width, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2))
        self.stage2 = nn.Sequential(nn.Conv2d(width, width, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1))
        self.scale = nn.Linear(1, width)
        self.fc = nn.Linear(width, 6)

    def _contexts(self):
        if not self.collect_stats:
            return []

        def hook(mod, args, out):
            self.stats.append(float(out.abs().mean()))

        @contextlib.contextmanager
        def attached():
            handle = self.stage2.register_forward_hook(hook)
            try:
                yield
            finally:
                handle.remove()
        return [attached()]

    def _logits(self, photo):
        ruler = photo[:, 0, -3:, :]
        pitch = (ruler[:, :, 1:] - ruler[:, :, :-1]).abs().mean((1, 2))[:, None]
        h = self.stage2(self.stage1(photo)).flatten(1)
        return self.fc(h + torch.tanh(self.scale(pitch)))

    def forward(self, photo):
        with contextlib.ExitStack() as stack:
            for cm in self._contexts():
                stack.enter_context(cm)
            return 0.5 * (self._logits(photo) + self._logits(photo.flip(-1)))


def corpus_case():
    torch.manual_seed(0)
    return {"model": HailNet().eval(), "inputs": lambda n: torch.rand(n, 1, 64, 64), "kind": "benign"}
