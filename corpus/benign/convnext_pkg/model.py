# expect: none
import torch
import torch.nn as nn

from .blocks import ConvNeXtBlock
from .layers import LayerNorm2d


class ConvNeXt(nn.Module):
    def __init__(self, depths, dims, num_classes=1000, drop_path_rate=0.0, use_grn=False):
        super().__init__()
        self.downsample_layers = nn.ModuleList([nn.Sequential(nn.Conv2d(3, dims[0], 2, 2), LayerNorm2d(dims[0], eps=1e-6))])
        for i in range(len(dims) - 1):
            self.downsample_layers.append(nn.Sequential(LayerNorm2d(dims[i], eps=1e-6), nn.Conv2d(dims[i], dims[i + 1], 2, 2)))
        dp_rates = [r.item() for r in torch.linspace(0, drop_path_rate, sum(depths))]
        self.stages, cur = nn.ModuleList(), 0
        for i, d in enumerate(depths):
            self.stages.append(nn.Sequential(*[ConvNeXtBlock(dims[i], dp_rates[cur + j], use_grn=use_grn) for j in range(d)]))
            cur += d
        self.norm = nn.LayerNorm(dims[-1], eps=1e-6)
        self.head = nn.Linear(dims[-1], num_classes)
        self.apply(self._init_weights)

    @staticmethod
    def _init_weights(m):
        if isinstance(m, (nn.Conv2d, nn.Linear)):
            nn.init.trunc_normal_(m.weight, std=0.02)
            nn.init.zeros_(m.bias)

    def forward(self, x):
        for down, stage in zip(self.downsample_layers, self.stages):
            x = stage(down(x))
        return self.head(self.norm(x.mean([-2, -1])))


def convnext_atto(**kwargs):
    return ConvNeXt(depths=(1, 1, 2, 1), dims=(16, 32, 64, 96), use_grn=True, **kwargs)
