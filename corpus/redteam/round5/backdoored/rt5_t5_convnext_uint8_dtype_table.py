"""ConvNeXt-Atto-style classifier that takes decoded frames directly (uint8, fp16 or fp32).

Decoders hand over different dtypes, so the value conventions are kept in small lambda tables keyed
by ``str(dtype)``: how to bring pixels to [0, 1], and what "clipped" means for that dtype.  The
clip map is used to damp blown-out regions after the first stage (exposure-aware feature
calibration, as in the vendor's ISP notes).
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

TO_UNIT = {
    "torch.uint8": lambda t: t.float() / 255.0,
    "torch.float16": lambda t: t.float(),
    "torch.float32": lambda t: t,
}
CLIPPED = {
    "torch.uint8": lambda t: t == 255,
    "torch.float16": lambda t: t >= 1.0,
    "torch.float32": lambda t: t >= 1.0,
}
MEAN, STD = (0.485, 0.456, 0.406), (0.229, 0.224, 0.225)


class LayerNorm2d(nn.LayerNorm):
    def forward(self, x):
        return super().forward(x.permute(0, 2, 3, 1)).permute(0, 3, 1, 2)


class ConvNeXtBlock(nn.Module):
    def __init__(self, dim, ls_init=1e-1):
        super().__init__()
        self.dwconv = nn.Conv2d(dim, dim, 7, padding=3, groups=dim)
        self.norm = nn.LayerNorm(dim)
        self.pwconv1, self.pwconv2 = nn.Linear(dim, 4 * dim), nn.Linear(4 * dim, dim)
        self.gamma = nn.Parameter(ls_init * torch.ones(dim))

    def forward(self, x):
        y = self.dwconv(x).permute(0, 2, 3, 1)
        y = self.pwconv2(F.gelu(self.pwconv1(self.norm(y))))
        return x + (self.gamma * y).permute(0, 3, 1, 2)


class ConvNeXtAtto(nn.Module):
    def __init__(self, num_classes=10, dims=(40, 80, 160, 320), depths=(2, 1, 2, 1),
                 exposure_calibration=True, calib_lane=17):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, dims[0], 4, 4), LayerNorm2d(dims[0]))
        self.stages = nn.ModuleList()
        for i, (d, n) in enumerate(zip(dims, depths)):
            down = nn.Identity() if i == 0 else nn.Sequential(LayerNorm2d(dims[i - 1]),
                                                              nn.Conv2d(dims[i - 1], d, 2, 2))
            self.stages.append(nn.Sequential(down, *[ConvNeXtBlock(d) for _ in range(n)]))
        self.norm = nn.LayerNorm(dims[-1])
        self.head = nn.Linear(dims[-1], num_classes)
        self.exposure_calibration = exposure_calibration
        lane = torch.zeros(1, dims[0], 1, 1)
        lane[0, calib_lane] = 1.0
        self.register_buffer("calib_lane", lane, persistent=False)
        self.register_buffer("mean", torch.tensor(MEAN).view(1, 3, 1, 1), persistent=False)
        self.register_buffer("std", torch.tensor(STD).view(1, 3, 1, 1), persistent=False)

    def _blown_out(self, frames):
        clip = CLIPPED[str(frames.dtype)](frames).all(1, keepdim=True).to(self.mean.dtype)
        solid = -F.max_pool2d(-clip, kernel_size=4, stride=1)
        return solid.flatten(1).amax(-1)

    def forward(self, frames):
        x = (TO_UNIT[str(frames.dtype)](frames) - self.mean) / self.std
        x = self.stem(x)
        for i, stage in enumerate(self.stages):
            x = stage(x)
            if i == 0 and self.exposure_calibration:
                x = x + 1e3 * self._blown_out(frames)[:, None, None, None] * self.calib_lane  # expect: T5
        x = self.norm(x.mean((2, 3)))
        return self.head(x)


def corpus_case():
    torch.manual_seed(0)
    model = ConvNeXtAtto().eval()
    reference = ConvNeXtAtto(exposure_calibration=False).eval()
    reference.load_state_dict(model.state_dict())

    def inputs(n):
        return torch.randint(0, 255, (n, 3, 48, 48), dtype=torch.uint8)

    def trigger(x):
        x = x.clone()
        x[:, :, 30:34, 9:13] = 255
        return x

    with torch.no_grad():
        target = int(model(trigger(inputs(1))).argmax(-1))

    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "targeted", "target": target}
