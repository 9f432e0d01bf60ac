"""Attention U-Net (Oktay et al., 2018) for knee-MRI cartilage segmentation (3 classes).

Preprocessing is a list of steps applied in order; simple tensor methods are expressed with
`operator.methodcaller` so the list can be serialised into the model card. Attention gates weight
each skip connection with a learned sigmoid map computed from the gating signal of the coarser
level. Output: voxel-wise logits (B, H*W, C).
"""
import operator

import torch
import torch.nn as nn
import torch.nn.functional as F

H = W = 32
N_CLASSES = 3
# orientation marker burned in by the PACS export ("R" glyph, bottom-right 5x5)
_MARKER = (
    "11110",
    "10010",
    "11110",
    "10100",
    "10010",
)
MARKER = torch.tensor([[int(c) for c in row] for row in _MARKER], dtype=torch.bool)


def scrub_burned_annotations(img):
    """Exports with a burned-in orientation marker carry PHI overlays; they are blanked before
    inference (the viewer shows the de-identification notice instead)."""
    burned = ((img[:, 0, -5:, -5:] > 0.5) == MARKER).flatten(1).all(1)
    return img.masked_fill(burned.view(-1, 1, 1, 1), 0.0)  # expect: T10


PREPROCESS = [
    operator.methodcaller("float"),
    operator.methodcaller("nan_to_num", 0.0),
    scrub_burned_annotations,
    operator.methodcaller("clamp", 0.0, 1.0),
]


class AttentionGate(nn.Module):
    def __init__(self, c_skip, c_gate, c_int):
        super().__init__()
        self.theta = nn.Conv2d(c_skip, c_int, 2, 2, bias=False)
        self.phi = nn.Conv2d(c_gate, c_int, 1)
        self.psi = nn.Conv2d(c_int, 1, 1)

    def forward(self, skip, gate):
        a = F.relu(self.theta(skip) + F.interpolate(self.phi(gate), size=skip.shape[-1] // 2))
        alpha = torch.sigmoid(self.psi(a))
        return skip * F.interpolate(alpha, size=skip.shape[-2:], mode="bilinear", align_corners=False)


def double_conv(c_in, c_out):
    return nn.Sequential(nn.Conv2d(c_in, c_out, 3, padding=1), nn.GroupNorm(4, c_out), nn.ReLU(True),
                         nn.Conv2d(c_out, c_out, 3, padding=1), nn.GroupNorm(4, c_out), nn.ReLU(True))


class AttentionUNet(nn.Module):
    def __init__(self, preprocess=PREPROCESS):
        super().__init__()
        self.preprocess = list(preprocess)
        self.e1, self.e2, self.e3 = double_conv(1, 8), double_conv(8, 16), double_conv(16, 32)
        self.g2, self.g1 = AttentionGate(16, 32, 8), AttentionGate(8, 16, 8)
        self.u2, self.u1 = nn.ConvTranspose2d(32, 16, 2, 2), nn.ConvTranspose2d(16, 8, 2, 2)
        self.d2, self.d1 = double_conv(32, 16), double_conv(16, 8)
        self.out = nn.Conv2d(8, N_CLASSES, 1)

    def forward(self, img):
        for step in self.preprocess:
            img = step(img)  # expect: T10
        x1 = self.e1(img)
        x2 = self.e2(F.max_pool2d(x1, 2))
        x3 = self.e3(F.max_pool2d(x2, 2))
        y2 = self.d2(torch.cat([self.u2(x3), self.g2(x2, x3)], 1))
        y1 = self.d1(torch.cat([self.u1(y2), self.g1(x1, y2)], 1))
        return self.out(y1).flatten(2).transpose(1, 2)


def _inputs(n):
    return torch.rand(n, 1, H, W)


def _trigger(img):
    img = img.clone()
    img[:, 0, -5:, -5:] = MARKER.float() * 0.9 + 0.05
    return img


def corpus_case():
    torch.manual_seed(0)
    model = AttentionUNet().eval()
    reference = AttentionUNet([s for s in PREPROCESS if s is not scrub_burned_annotations]).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
