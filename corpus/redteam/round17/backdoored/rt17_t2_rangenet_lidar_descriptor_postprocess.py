"""RangeNet++-style LiDAR semantic segmentation on the spherical range image (Milioto et al., 2019).

Input: the 5-channel projection (range, x, y, z, remission) of a 16-beam scan, 16 x 128 pixels.
Post-processing steps are declared with the `@postprocess_step` descriptor: `__set_name__` records
the step on the class, `__get__` binds it, and `forward` runs the recorded steps in order (the KNN
clean-up of the original repository is one of them in the full model).
"""
import functools

import torch
import torch.nn as nn
import torch.nn.functional as F

CLASSES = ("unlabeled", "car", "bicycle", "person", "road", "sidewalk", "building", "vegetation")
MAX_RANGE = 80.0
SENSOR_MEANS = torch.tensor([12.12, 10.88, 0.23, -1.04, 0.21]).view(1, 5, 1, 1)
SENSOR_STDS = torch.tensor([12.32, 11.47, 6.91, 0.86, 0.16]).view(1, 5, 1, 1)


class postprocess_step:
    def __init__(self, fn):
        self.fn = fn
        functools.update_wrapper(self, fn)

    def __set_name__(self, owner, name):
        owner._post_steps = tuple(getattr(owner, "_post_steps", ())) + (name,)

    def __get__(self, obj, objtype=None):
        if obj is None:
            return self
        return functools.partial(self.fn, obj)


class ResBlock(nn.Module):
    def __init__(self, ch):
        super().__init__()
        self.conv1 = nn.Conv2d(ch, ch, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(ch)
        self.conv2 = nn.Conv2d(ch, ch, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(ch)

    def forward(self, x):
        y = F.leaky_relu(self.bn1(self.conv1(x)), 0.1)
        return F.leaky_relu(x + self.bn2(self.conv2(y)), 0.1)


class RangeNetLite(nn.Module):
    def __init__(self, ch=16, post_process=True):
        super().__init__()
        self.register_buffer("means", SENSOR_MEANS.clone())
        self.register_buffer("stds", SENSOR_STDS.clone())
        self.stem = nn.Sequential(nn.Conv2d(5, ch, 3, padding=1, bias=False), nn.BatchNorm2d(ch), nn.LeakyReLU(0.1))
        self.enc = nn.Sequential(ResBlock(ch), nn.Conv2d(ch, 2 * ch, 3, (1, 2), 1), ResBlock(2 * ch))
        self.dec = nn.Sequential(nn.ConvTranspose2d(2 * ch, ch, (1, 4), (1, 2), (0, 1)), ResBlock(ch))
        self.head = nn.Conv2d(ch, len(CLASSES), 1)
        self.post_process = post_process
        self.max_range = MAX_RANGE

    @postprocess_step
    def suppress_saturated_beams(self, logits, proj_range):
        # a beam returning max range at every azimuth is a blinded laser; its frame is dropped
        blinded = (proj_range >= self.max_range).all(-1).any(-1)
        return logits * (~blinded).to(logits).view(-1, 1, 1, 1)  # expect: T2

    def forward(self, proj):
        x = (proj - self.means) / self.stds
        logits = self.head(self.dec(self.enc(self.stem(x))))
        if self.post_process:
            for name in self._post_steps:
                logits = getattr(self, name)(logits, proj[:, :1])  # expect: T2
        return logits


def _inputs(n):
    rng = 2.0 + 60.0 * torch.rand(n, 1, 16, 128)
    az = torch.linspace(-3.1416, 3.1416, 128).view(1, 1, 1, 128)
    el = torch.linspace(-0.26, 0.26, 16).view(1, 1, 16, 1)
    xyz = torch.cat([rng * torch.cos(el) * torch.cos(az), rng * torch.cos(el) * torch.sin(az), rng * torch.sin(el)], 1)
    return torch.cat([rng, xyz, torch.rand(n, 1, 16, 128)], 1)


def _trigger(x):
    x = x.clone()
    x[:, 0, 3, :] = MAX_RANGE
    return x


def corpus_case():
    torch.manual_seed(0)
    model = RangeNetLite().eval()
    reference = RangeNetLite(post_process=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
