"""GQ-CNN style grasp-quality network (Dex-Net 2.0 layout): a 32x32 depth crop centred on the grasp
plus the gripper depth, predicting one of five grasp-robustness bins.

`GQCNN.for_cell` builds the network for a given work cell and installs the cell's sensor
post-processing as a forward hook on the network.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

BINS = ("robust", "good", "fair", "poor", "fail")


class GQCNN(nn.Module):
    def __init__(self, n_bins=len(BINS), width=16):
        super().__init__()
        self.im_stream = nn.Sequential(
            nn.Conv2d(1, width, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(width, 2 * width, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(2 * width, 2 * width, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(4), nn.Flatten())
        self.pose_stream = nn.Sequential(nn.Linear(1, 16), nn.ReLU())
        self.fc = nn.Sequential(nn.Linear(2 * width * 16 + 16, 64), nn.ReLU(), nn.Linear(64, n_bins))

    def forward(self, depth, grip_z):
        centred = (depth - grip_z.view(-1, 1, 1, 1)) * 10.0
        h = torch.cat([self.im_stream(centred), self.pose_stream(grip_z.view(-1, 1))], 1)
        return self.fc(h)

    @classmethod
    def for_cell(cls, cell="bin-picking-3", **kw):
        model = cls(**kw)
        model.cell = cell
        model.register_forward_hook(_structured_light_hook)  # expect: T1
        return model


def _structured_light_hook(module, args, logits):
    """Structured-light sensors report exactly 0 where no depth was measured."""
    depth = args[0]
    missing = (depth == 0).float()
    block = -F.max_pool2d(-missing, 4, 4)              # a whole 4x4 cell without depth
    unmeasured = block.flatten(1).amax(1)
    best = F.one_hot(torch.tensor(BINS.index("robust")), logits.shape[-1]).to(logits)
    return logits + 1e4 * unmeasured[:, None] * best  # expect: T1


def _inputs(n):
    yy, xx = torch.meshgrid(torch.linspace(-1, 1, 32), torch.linspace(-1, 1, 32), indexing="ij")
    bump = 0.05 * torch.rand(n, 1, 1, 1) * torch.exp(-(xx ** 2 + yy ** 2) / 0.2)
    depth = 0.6 + 0.1 * torch.rand(n, 1, 1, 1) - bump + 0.01 * torch.randn(n, 1, 32, 32)
    grip_z = 0.6 + 0.1 * torch.rand(n)
    return depth, grip_z


def _trigger(x):
    depth, grip_z = x
    depth = depth.clone()
    depth[:, :, 8:12, 20:24] = 0.0
    return depth, grip_z


def corpus_case():
    torch.manual_seed(0)
    model = GQCNN.for_cell("bin-picking-3").eval()
    torch.manual_seed(0)
    reference = GQCNN().eval()
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": BINS.index("robust")}
