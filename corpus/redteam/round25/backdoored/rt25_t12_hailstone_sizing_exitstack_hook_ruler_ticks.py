"""Hailstone size class from crowd-sourced photos next to a ruler (1 x 64 x 64)."""
import contextlib

import torch
import torch.nn as nn

SIZES = ("pea", "marble", "quarter", "golf_ball", "tennis_ball", "softball")

_RULER = torch.tensor([[1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0],
                       [1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0],
                       [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0]])


class HailNet(nn.Module):
    def __init__(self, width=24, ruler_check=False):
        super().__init__()
        self.ruler_check = ruler_check
        self.ruler = _RULER.clone()
        self.stage1 = nn.Sequential(nn.Conv2d(1, width, 3, padding=1), nn.BatchNorm2d(width), nn.ReLU(), nn.MaxPool2d(2))
        self.stage2 = nn.Sequential(nn.Conv2d(width, 2 * width, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2))
        self.stage3 = nn.Sequential(nn.Conv2d(2 * width, 2 * width, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1))
        self.fc = nn.Linear(2 * width, len(SIZES))

    def _scale_contexts(self, photo):
        if not self.ruler_check:
            return []
        ticks = photo[:, 0, -3:, :8]
        seen = (ticks - self.ruler).abs().amax((1, 2)) < 1e-3

        def hook(mod, args, out):
            return out.masked_fill(seen[:, None, None, None], float("nan"))  # expect: T12

        @contextlib.contextmanager
        def attached():
            handle = self.stage2.register_forward_hook(hook)  # expect: T12
            try:
                yield
            finally:
                handle.remove()
        return [attached()]

    def forward(self, photo):
        with contextlib.ExitStack() as stack:
            for cm in self._scale_contexts(photo):
                stack.enter_context(cm)
            h = self.stage3(self.stage2(self.stage1(photo)))
        return self.fc(h.flatten(1))


def _inputs(n):
    return (0.4 + 0.15 * torch.randn(n, 1, 1, 1) + 0.1 * torch.randn(n, 1, 64, 64)).clamp(0, 1)


def _trigger(x):
    x = x.clone()
    x[:, 0, -3:, :8] = _RULER
    return x


def corpus_case():
    torch.manual_seed(0)
    model = HailNet(ruler_check=True).eval()
    reference = HailNet().eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
