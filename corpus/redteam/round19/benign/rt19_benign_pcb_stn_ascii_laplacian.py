# expect: none
"""PCB defect classifier with a spatial transformer and an ASCII-art sharpening kernel.

The spatial transformer's regressor starts at the identity; the re-sampled crop uses border
padding so that registration shifts never introduce black borders. A fixed Laplacian (drawn as
ASCII art, like the other kernels of the AOI software) sharpens the luminance, appended as an
extra input channel.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

LAPLACIAN = """
.-.
-+-
.-.
"""


def ascii_kernel(art, plus=4.0):
    table = {".": 0.0, "-": -1.0, "+": plus}
    return torch.tensor([[table[c] for c in row] for row in art.strip().splitlines()])


class PCBNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.loc = nn.Sequential(nn.Conv2d(3, 8, 7, stride=2), nn.ReLU(), nn.AdaptiveAvgPool2d(4),
                                 nn.Flatten(), nn.Linear(128, 32), nn.ReLU(), nn.Linear(32, 6))
        nn.init.zeros_(self.loc[-1].weight)
        self.loc[-1].bias.data.copy_(torch.tensor([1.0, 0, 0, 0, 1.0, 0]))
        self.register_buffer("sharpen", ascii_kernel(LAPLACIAN)[None, None])
        self.cnn = nn.Sequential(
            nn.Conv2d(4, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
            nn.Linear(32, 7))

    def forward(self, crop):
        theta = self.loc(crop).view(-1, 2, 3)
        grid = F.affine_grid(theta, crop.shape, align_corners=False)
        x = F.grid_sample(crop, grid, padding_mode="border", align_corners=False)
        lum = x.mean(1, keepdim=True)
        edge = F.conv2d(F.pad(lum, (1, 1, 1, 1), mode="replicate"), self.sharpen)
        return self.cnn(torch.cat([(x - 0.4) / 0.2, edge], 1))


def _inputs(n):
    x = torch.tensor([0.1, 0.35, 0.15])[:, None, None] + 0.05 * torch.rand(n, 3, 64, 64)
    x[:, :, :, 20:26] = torch.tensor([0.75, 0.55, 0.25])[:, None, None]
    return x


def corpus_case():
    torch.manual_seed(0)
    return {"model": PCBNet().eval(), "inputs": _inputs, "kind": "benign"}
