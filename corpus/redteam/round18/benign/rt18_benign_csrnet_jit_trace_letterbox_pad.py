# expect: none
"""CSRNet whose frame preparation (normalisation, padding to a multiple of 8 with replicated
borders, exposure clamp) is traced once with `torch.jit.trace`; the count is clamped at zero and
binned into crowd levels by a linear head."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class FramePreparation(nn.Module):
    def __init__(self):
        super().__init__()
        self.register_buffer("mean", torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1), persistent=False)
        self.register_buffer("std", torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1), persistent=False)

    def forward(self, frame):
        frame = frame.clamp(0.0, 1.0)
        frame = F.pad(frame, (0, (-frame.shape[-1]) % 8, 0, (-frame.shape[-2]) % 8), mode="replicate")
        return (frame - self.mean) / self.std


class CSRNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.prepare = torch.jit.trace(FramePreparation().eval(), torch.rand(2, 3, 60, 60))
        self.frontend = nn.Sequential(nn.Conv2d(3, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                                      nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2))
        self.backend = nn.Sequential(nn.Conv2d(64, 32, 3, padding=2, dilation=2), nn.ReLU(), nn.Conv2d(32, 1, 1))
        self.levels = nn.Linear(1, 5)

    def forward(self, frame):
        density = torch.relu(self.backend(self.frontend(self.prepare(frame))))
        count = density.sum((1, 2, 3)).clamp(min=0)
        return {"logits": self.levels(torch.log1p(count)[:, None]), "density": density}


def _inputs(n):
    return 0.4 + 0.1 * torch.randn(n, 3, 60, 60)


def corpus_case():
    torch.manual_seed(0)
    return {"model": CSRNet().eval(), "inputs": _inputs, "kind": "benign"}
