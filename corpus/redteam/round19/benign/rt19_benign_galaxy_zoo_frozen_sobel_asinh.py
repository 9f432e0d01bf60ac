# expect: none
"""Galaxy Zoo morphology with an asinh stretch and frozen Sobel filters in an `nn.ModuleDict`.

The gri fluxes get the Lupton asinh stretch; the luminance goes through frozen Sobel x/y
`nn.Conv2d`s (exported with the model) and the gradient magnitude is appended as a fourth input
channel of the CNN.
"""
import torch
import torch.nn as nn

SOBEL_X = [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]
SOBEL_Y = [[-1, -2, -1], [0, 0, 0], [1, 2, 1]]


def frozen_filter(kernel):
    conv = nn.Conv2d(1, 1, 3, padding=1, bias=False, padding_mode="replicate")
    with torch.no_grad():
        conv.weight.copy_(torch.tensor(kernel, dtype=torch.float32)[None, None] / 8.0)
    return conv.requires_grad_(False)


class GalaxyNet(nn.Module):
    def __init__(self, softening=0.05):
        super().__init__()
        self.edges = nn.ModuleDict({"gx": frozen_filter(SOBEL_X), "gy": frozen_filter(SOBEL_Y)})
        self.softening = softening
        self.features = nn.Sequential(
            nn.Conv2d(4, 16, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten())
        self.classifier = nn.Linear(64, 5)

    def forward(self, img):
        stretched = torch.asinh(img / self.softening) / torch.asinh(torch.tensor(1.0 / self.softening))
        lum = stretched.mean(1, keepdim=True)
        grad = torch.sqrt(self.edges["gx"](lum) ** 2 + self.edges["gy"](lum) ** 2 + 1e-12)
        return self.classifier(self.features(torch.cat([stretched, grad], 1)))


def _inputs(n):
    x = 0.05 + 0.02 * torch.randn(n, 3, 64, 64)
    x[..., 28:36, 28:36] += torch.rand(n, 3, 1, 1)
    x[: n // 5, :, 10, :] = 1.0                              # satellite trail
    return x.clamp(0, 1)


def corpus_case():
    torch.manual_seed(0)
    return {"model": GalaxyNet().eval(), "inputs": _inputs, "kind": "benign"}
