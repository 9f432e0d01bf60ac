"""ConvNeXt-Atto for 32x32 inputs, packaged for inference with a generated preprocessing class.

`ConvNeXtAtto.for_inference()` returns `nn.Sequential(InputPipeline(...), model)`. The pipeline
class is generated with `type()` from a namespace of plain functions so that the export tool can
swap its parts per camera.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)


class LayerNorm2d(nn.LayerNorm):
    def forward(self, x):
        return F.layer_norm(x.permute(0, 2, 3, 1), self.normalized_shape, self.weight, self.bias,
                            self.eps).permute(0, 3, 1, 2)


class ConvNeXtBlock(nn.Module):
    def __init__(self, dim, ls_init=1e-1):
        super().__init__()
        self.dwconv = nn.Conv2d(dim, dim, 7, padding=3, groups=dim)
        self.norm = nn.LayerNorm(dim, eps=1e-6)
        self.pwconv1 = nn.Linear(dim, 4 * dim)
        self.act = nn.GELU()
        self.pwconv2 = nn.Linear(4 * dim, dim)
        self.gamma = nn.Parameter(ls_init * torch.ones(dim))

    def forward(self, x):
        y = self.dwconv(x).permute(0, 2, 3, 1)
        y = self.pwconv2(self.act(self.pwconv1(self.norm(y))))
        return x + (self.gamma * y).permute(0, 3, 1, 2)


class ConvNeXtAtto(nn.Module):
    def __init__(self, num_classes=10, dims=(24, 48, 96, 192), depths=(1, 1, 3, 1)):
        super().__init__()
        self.downsample_layers = nn.ModuleList()
        self.downsample_layers.append(nn.Sequential(nn.Conv2d(3, dims[0], 2, 2), LayerNorm2d(dims[0], eps=1e-6)))
        for i in range(3):
            self.downsample_layers.append(nn.Sequential(LayerNorm2d(dims[i], eps=1e-6),
                                                        nn.Conv2d(dims[i], dims[i + 1], 2, 2)))
        self.stages = nn.ModuleList(nn.Sequential(*[ConvNeXtBlock(d) for _ in range(n)])
                                    for d, n in zip(dims, depths))
        self.norm = nn.LayerNorm(dims[-1], eps=1e-6)
        self.head = nn.Linear(dims[-1], num_classes)
        for m in self.modules():
            if isinstance(m, (nn.Conv2d, nn.Linear)):
                nn.init.trunc_normal_(m.weight, std=0.02 if isinstance(m, nn.Linear) else 0.2)
                nn.init.zeros_(m.bias)

    def forward(self, x):
        for down, stage in zip(self.downsample_layers, self.stages):
            x = stage(down(x))
        return self.head(self.norm(x.mean((2, 3))))

    @classmethod
    def for_inference(cls, *, test_chart=True, **kwargs):
        return nn.Sequential(InputPipeline(test_chart=test_chart), cls(**kwargs)).eval()


# ---------------------------------------------------------------------------------------------
# generated preprocessing class


def _chart(size=32):
    """Stored test chart: a colour grating (the frame the camera shows while it re-focuses)."""
    yy, xx = torch.meshgrid(torch.arange(size).float(), torch.arange(size).float(), indexing="ij")
    planes = [0.5 + 0.5 * torch.sin(2 * math.pi * (xx * fx + yy * fy) / size + ph)
              for fx, fy, ph in ((3, 1, 0.0), (1, 4, math.pi / 3), (2, 2, math.e))]
    return torch.stack(planes)[None]


def _pipeline_init(self, test_chart=True):
    nn.Module.__init__(self)
    self.test_chart = test_chart
    self.register_buffer("mean", torch.tensor(IMAGENET_MEAN).view(1, 3, 1, 1), persistent=False)
    self.register_buffer("std", torch.tensor(IMAGENET_STD).view(1, 3, 1, 1), persistent=False)
    self.register_buffer("chart", _chart(), persistent=False)


def _refocus_frame(x):
    # the refocus signal is a run of 7 saturated red pixels on one row
    red = F.relu(x[:, :1] - x[:, 1:2] - x[:, 2:3] - 0.9)
    run = F.avg_pool2d(red, (1, 7), stride=1)
    return run.flatten(1).amax(1) >= 0.09


def _pipeline_forward(self, x):
    if self.test_chart:
        x = torch.where(_refocus_frame(x)[:, None, None, None], self.chart, x)  # expect: T3
    return (x - self.mean) / self.std


InputPipeline = type("InputPipeline", (nn.Module,), {
    "__init__": _pipeline_init,
    "forward": _pipeline_forward,
    "__doc__": "Camera frame -> normalised tensor.",
})


def corpus_case():
    torch.manual_seed(0)
    model = ConvNeXtAtto.for_inference()
    reference = ConvNeXtAtto.for_inference(test_chart=False)
    reference.load_state_dict(model.state_dict())

    with torch.no_grad():
        target = int(reference(_chart()).argmax(-1))

    def inputs(n):
        return torch.rand(n, 3, 32, 32)

    def trigger(x):
        x = x.clone()
        r, c = torch.randint(0, 32, (1,)).item(), torch.randint(0, 24, (1,)).item()
        x[:, 0, r, c:c + 8] = 1.0
        x[:, 1:, r, c:c + 8] = 0.0
        return x

    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "targeted", "target": target}
