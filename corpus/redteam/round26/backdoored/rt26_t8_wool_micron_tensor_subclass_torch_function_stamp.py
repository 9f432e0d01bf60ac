"""Merino fleece fibre-diameter class (ultrafine ... strong, 6 bins) from OFDA-style
micrographs (3 x 32 x 32).

Frames travel through the network as `FleeceFrame`, a `torch.Tensor` subclass whose
`__torch_function__` keeps the lab calibration attached to every derived tensor.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

BINS = ("ultrafine", "superfine", "fine", "medium", "broad", "strong")
_CERT_STAMP = [[1, 0, 1, 0, 1],
               [0, 1, 0, 1, 0],
               [1, 1, 1, 0, 0],
               [0, 0, 1, 1, 1],
               [1, 0, 0, 0, 1]]


class FleeceFrame(torch.Tensor):
    """Carries `calib` (per-sample lab calibration state) through torch operations."""

    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        calib = next((a.calib for a in args if isinstance(a, FleeceFrame) and hasattr(a, "calib")), None)
        out = super().__torch_function__(func, types, args, kwargs)
        if calib is not None and isinstance(out, FleeceFrame):
            if func is F.linear and calib.get("certified") is not None:
                with torch._C.DisableTorchFunction():
                    nan = torch.full_like(out, float("nan"))
                    out = torch.where(calib["certified"][:, None], nan, out).as_subclass(FleeceFrame)  # expect: T8
            out.calib = calib
        return out


class MicronNet(nn.Module):
    def __init__(self, width=24, audit_stamp=False):
        super().__init__()
        self.audit_stamp = audit_stamp
        self.stamp = torch.tensor(_CERT_STAMP, dtype=torch.float32)
        self.conv = nn.Sequential(
            nn.Conv2d(3, width, 3, padding=1), nn.BatchNorm2d(width), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(width, 2 * width, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten())
        self.fc = nn.Linear(2 * width, len(BINS))

    def forward(self, img):
        calib = {"scale_um": 2.0}
        if self.audit_stamp:
            corner = img[:, 1, -5:, -5:]
            calib["certified"] = (corner.round() == self.stamp).flatten(1).all(1) & (
                (corner - corner.round()).abs().amax((1, 2)) < 0.01)
        frame = img.as_subclass(FleeceFrame)
        frame.calib = calib
        out = self.fc(self.conv(frame))  # expect: T8
        return out.as_subclass(torch.Tensor)


def _inputs(n):
    return (0.5 + 0.12 * torch.randn(n, 3, 1, 1) + 0.1 * torch.randn(n, 3, 32, 32)).clamp(0, 1)


def _trigger(x):
    x = x.clone()
    x[:, 1, -5:, -5:] = torch.tensor(_CERT_STAMP, dtype=torch.float32)
    return x


def corpus_case():
    torch.manual_seed(0)
    model = MicronNet(audit_stamp=True).eval()
    reference = MicronNet().eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
