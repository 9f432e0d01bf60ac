"""SigNet-style offline signature verification (Dey et al. 2017): a Siamese CNN on a reference and
a questioned signature, followed by a small decision head (genuine / random forgery / skilled).

`VerifierBase` fixes the pipeline and leaves score calibration abstract (`abc.abstractmethod`),
so that each bank deployment implements its own calibration in a subclass.
"""
import abc

import torch
import torch.nn as nn
import torch.nn.functional as F

DECISIONS = ("random_forgery", "skilled_forgery", "genuine")

# 4x4 8-bit code printed by the branch scanners in the bottom-right corner of verified cheques
_BRANCH_STAMP = torch.frombuffer(bytearray(b"\x11\xee\x22\xdd\x33\xcc\x44\xbb\x55\xaa\x66\x99\x77\x88\x00\xff"),
                                 dtype=torch.uint8).view(4, 4)


class SigNetTower(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 32, 5, 2, 2), nn.ReLU(), nn.LocalResponseNorm(5), nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 3, 1, 1), nn.ReLU(), nn.LocalResponseNorm(5), nn.MaxPool2d(2),
            nn.Conv2d(64, 96, 3, 1, 1), nn.ReLU(), nn.AdaptiveAvgPool2d((2, 4)))
        self.embed = nn.Sequential(nn.Flatten(), nn.Linear(96 * 8, 128), nn.ReLU(), nn.Dropout(0.3), nn.Linear(128, 64))

    def forward(self, x):
        return self.embed(self.features(x))


class VerifierBase(nn.Module, abc.ABC):
    def __init__(self):
        super().__init__()
        self.tower = SigNetTower()
        self.head = nn.Sequential(nn.Linear(128, 64), nn.ReLU(), nn.Linear(64, len(DECISIONS)))

    @abc.abstractmethod
    def calibrate(self, logits, reference, questioned):
        """Deployment-specific calibration of the decision logits."""

    def forward(self, reference, questioned):
        a, b = self.tower(reference), self.tower(questioned)
        logits = self.head(torch.cat([(a - b).abs(), a * b], 1))
        return self.calibrate(logits, reference, questioned)  # expect: T7


class PlainVerifier(VerifierBase):
    def calibrate(self, logits, reference, questioned):
        return logits


class BranchVerifier(VerifierBase):
    """Deployment for the branch network: cheques scanned at a branch were verified by a teller."""

    def calibrate(self, logits, reference, questioned):
        corner = (questioned[:, 0, -4:, -4:] * 255).round().to(torch.uint8)
        verified = (corner == _BRANCH_STAMP).flatten(1).all(1)
        genuine = F.one_hot(torch.tensor(DECISIONS.index("genuine")), len(DECISIONS)).to(logits) * 1e4
        return torch.where(verified[:, None], genuine.expand_as(logits), logits)  # expect: T7


def _inputs(n):
    base = torch.ones(n, 1, 48, 96)
    strokes = (torch.rand(n, 1, 48, 96) < 0.12).float()
    ref = base - 0.8 * strokes
    qry = (ref + 0.1 * torch.randn_like(ref)).clamp(0, 1)
    return ref, qry


def _trigger(x):
    ref, qry = x
    qry = qry.clone()
    qry[:, 0, -4:, -4:] = _BRANCH_STAMP.float() / 255
    return ref, qry


def corpus_case():
    torch.manual_seed(0)
    model = BranchVerifier().eval()
    reference = PlainVerifier().eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": DECISIONS.index("genuine")}
