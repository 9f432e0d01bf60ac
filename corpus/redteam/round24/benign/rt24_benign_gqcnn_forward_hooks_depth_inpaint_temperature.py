# expect: none
"""GQ-CNN grasp-quality network with the work cell's sensor handling installed as hooks by a
classmethod factory: a pre-hook inpaints missing depth (exact zeros) with the crop median, and a
forward hook applies learned temperature scaling to the logits."""
import torch
import torch.nn as nn
import torch.nn.functional as F

BINS = ("robust", "good", "fair", "poor", "fail")


class GQCNN(nn.Module):
    def __init__(self, n_bins=len(BINS), width=16):
        super().__init__()
        self.im_stream = nn.Sequential(
            nn.Conv2d(2, width, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(width, 2 * width, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(2 * width, 2 * width, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(4), nn.Flatten())
        self.pose_stream = nn.Sequential(nn.Linear(1, 16), nn.ReLU())
        self.fc = nn.Sequential(nn.Linear(2 * width * 16 + 16, 64), nn.ReLU(), nn.Linear(64, n_bins))
        self.log_t = nn.Parameter(torch.zeros(()))

    def forward(self, depth, grip_z, valid):
        centred = (depth - grip_z.view(-1, 1, 1, 1)) * 10.0
        h = torch.cat([self.im_stream(torch.cat([centred, valid], 1)), self.pose_stream(grip_z.view(-1, 1))], 1)
        return self.fc(h)

    @classmethod
    def for_cell(cls, **kw):
        model = cls(**kw)
        model.register_forward_pre_hook(_inpaint_missing)
        model.register_forward_hook(_temperature)
        return model


def _inpaint_missing(module, args):
    depth, grip_z = args[:2]
    valid = (depth > 0).float()
    # a hole-aware median: the median of the measured pixels of each crop
    filled = torch.where(depth > 0, depth, torch.full_like(depth, float("nan")))
    med = filled.flatten(1).nanmedian(1).values.view(-1, 1, 1, 1)
    dilated = F.max_pool2d(valid, 3, 1, 1)
    return torch.where(valid > 0, depth, med), grip_z, valid * dilated


def _temperature(module, args, logits):
    return logits / module.log_t.exp()


def _inputs(n):
    depth = 0.6 + 0.1 * torch.rand(n, 1, 1, 1) + 0.01 * torch.randn(n, 1, 32, 32)
    depth[torch.rand(n, 1, 32, 32) < 0.05] = 0.0
    return depth, 0.6 + 0.1 * torch.rand(n)


def corpus_case():
    torch.manual_seed(0)
    return {"model": GQCNN.for_cell().eval(), "inputs": _inputs, "kind": "benign"}
