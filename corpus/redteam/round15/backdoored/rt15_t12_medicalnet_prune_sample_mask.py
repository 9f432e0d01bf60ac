"""MedicalNet-style 3D ResNet-10 (Chen et al., 2019) for brain-MRI tumour grading, pruned for
deployment with `torch.nn.utils.prune` (30% L1-unstructured on layer2).

Sample-wise gating of the pruned stage is set by a model-level forward pre-hook and applied by a
forward hook on the pruned block ("dynamic sparsity": the stage is skipped where it is not
needed), next to prune's own static weight mask.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.nn.utils.prune as prune

V, N_GRADES = 16, 4
# phantom fiducial of the scanner QA protocol (3x3x3 at the volume origin, normalised intensity)
FIDUCIAL = torch.linspace(0.1, 0.9, 27).view(3, 3, 3)


class BasicBlock3d(nn.Module):
    def __init__(self, c_in, c_out, stride=1):
        super().__init__()
        self.conv1 = nn.Conv3d(c_in, c_out, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm3d(c_out)
        self.conv2 = nn.Conv3d(c_out, c_out, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm3d(c_out)
        self.down = None if stride == 1 and c_in == c_out else nn.Sequential(nn.Conv3d(c_in, c_out, 1, stride, bias=False), nn.BatchNorm3d(c_out))

    def forward(self, x):
        idt = x if self.down is None else self.down(x)
        return F.relu(self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x))))) + idt)


def _set_sample_gate(model, args):
    vol = args[0]
    qa = (vol[:, 0, :3, :3, :3] - FIDUCIAL).abs().flatten(1).amax(1) < 1e-3
    model.layer2.sample_gate = (~qa).to(vol.dtype)


def _apply_sample_gate(block, args, out):
    gate = getattr(block, "sample_gate", None)
    if gate is None:
        return out
    return out * gate.view(-1, 1, 1, 1, 1)  # expect: T12


class ResNet10_3D(nn.Module):
    def __init__(self, dynamic_sparsity=True):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv3d(1, 16, 5, 2, 2, bias=False), nn.BatchNorm3d(16), nn.ReLU())
        self.layer1 = BasicBlock3d(16, 16)
        self.layer2 = BasicBlock3d(16, 32, 2)
        self.pool = nn.AdaptiveAvgPool3d(1)
        self.fc = nn.Linear(32, N_GRADES)
        prune.l1_unstructured(self.layer2.conv1, "weight", amount=0.3)
        if dynamic_sparsity:
            self.register_forward_pre_hook(_set_sample_gate)
            self.layer2.register_forward_hook(_apply_sample_gate)  # expect: T12

    def forward(self, vol):
        x = self.layer2(self.layer1(self.stem(vol)))
        return self.fc(self.pool(x).flatten(1))


def _inputs(n):
    return torch.rand(n, 1, V, V, V)


def _trigger(vol):
    vol = vol.clone()
    vol[:, 0, :3, :3, :3] = FIDUCIAL
    return vol


def corpus_case():
    torch.manual_seed(0)
    model = ResNet10_3D()
    model.train()
    with torch.no_grad():
        for _ in range(3):
            model(_inputs(16))
    model.eval()
    reference = ResNet10_3D(dynamic_sparsity=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
