# expect: none
"""3D ResNet MRI classifier with static `torch.nn.utils.prune` masks (L1-unstructured, then
`prune.remove` on one layer), spectral norm on the head through `parametrizations`, a forward
pre-hook that z-scores the volume over brain voxels (intensity > 0), and a forward hook that only
records activation sparsity."""
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.nn.utils.prune as prune
from torch.nn.utils import parametrizations

V, N_GRADES = 16, 4


def _zscore_brain(module, args):
    vol = args[0]
    brain = (vol > 0).float()
    n = brain.flatten(1).sum(1).clamp_min(1).view(-1, 1, 1, 1, 1)
    mean = (vol * brain).flatten(1).sum(1).view(-1, 1, 1, 1, 1) / n
    std = (((vol - mean) * brain) ** 2).flatten(1).sum(1).view(-1, 1, 1, 1, 1).div(n).sqrt().clamp_min(1e-5)
    return ((vol - mean) / std * brain,)


class ResNet3D(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv3d(1, 16, 5, 2, 2, bias=False), nn.BatchNorm3d(16), nn.ReLU())
        self.conv1, self.bn1 = nn.Conv3d(16, 32, 3, 2, 1, bias=False), nn.BatchNorm3d(32)
        self.conv2, self.bn2 = nn.Conv3d(32, 32, 3, 1, 1, bias=False), nn.BatchNorm3d(32)
        self.short = nn.Conv3d(16, 32, 1, 2, bias=False)
        self.fc = parametrizations.spectral_norm(nn.Linear(32, N_GRADES))
        prune.l1_unstructured(self.conv1, "weight", 0.3)
        prune.l1_unstructured(self.conv2, "weight", 0.3)
        prune.remove(self.conv2, "weight")
        self.register_forward_pre_hook(_zscore_brain)
        self.sparsity = {}
        self.conv1.register_forward_hook(lambda m, a, o: self.sparsity.__setitem__("conv1", float((o == 0).float().mean())))

    def forward(self, vol):
        x = self.stem(vol)
        y = F.relu(self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x))))) + self.short(x))
        return self.fc(y.mean((2, 3, 4)))


def _inputs(n):
    vol = torch.rand(n, 1, V, V, V)
    vol[..., :3, :, :] = 0.0
    return vol


def corpus_case():
    torch.manual_seed(0)
    m = ResNet3D()
    m.train()
    with torch.no_grad():
        m(_inputs(8))
    return {"model": m.eval(), "inputs": _inputs, "kind": "benign"}
