# expect: none
import torch
import torch.nn as nn

from .configuration_histo import HistoConvNextConfig
from .image_processing_histo import StainDeconvolution


class ConvNextLayer(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.dwconv = nn.Conv2d(dim, dim, 7, padding=3, groups=dim)
        self.norm = nn.LayerNorm(dim)
        self.pw1, self.act, self.pw2 = nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim)
        self.gamma = nn.Parameter(torch.full((dim,), 1e-1))

    def forward(self, x):
        y = self.pw2(self.act(self.pw1(self.norm(self.dwconv(x).permute(0, 2, 3, 1)))))
        return x + (self.gamma * y).permute(0, 3, 1, 2)


class ConvNextForImageClassification(nn.Module):
    config_class = HistoConvNextConfig

    def __init__(self, config):
        super().__init__()
        self.stain = StainDeconvolution(config)
        dims = config.hidden_sizes
        self.embed = nn.Conv2d(config.num_channels + 1, dims[0], 4, 4)
        self.stage1 = nn.Sequential(*[ConvNextLayer(dims[0]) for _ in range(config.depths[0])])
        self.down = nn.Conv2d(dims[0], dims[1], 2, 2)
        self.stage2 = nn.Sequential(*[ConvNextLayer(dims[1]) for _ in range(config.depths[1])])
        self.norm = nn.LayerNorm(dims[1])
        self.classifier = nn.Linear(dims[1], config.num_labels)

    def forward(self, pixel_values, **kwargs):
        x = self.embed(self.stain(pixel_values))
        x = self.stage2(self.down(self.stage1(x)))
        return {"logits": self.classifier(self.norm(x.mean((2, 3))))}
