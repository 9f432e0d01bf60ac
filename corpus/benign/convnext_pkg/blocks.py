# expect: none
import torch
import torch.nn as nn

from .layers import GRN, StochasticDepth


class ConvNeXtBlock(nn.Module):
    def __init__(self, dim, drop_path=0.0, layer_scale_init=1e-6, use_grn=False):
        super().__init__()
        self.dwconv = nn.Conv2d(dim, dim, kernel_size=7, padding=3, groups=dim)
        self.norm = nn.LayerNorm(dim, eps=1e-6)
        self.pwconv1 = nn.Linear(dim, 4 * dim)
        self.act = nn.GELU()
        self.grn = GRN(4 * dim) if use_grn else nn.Identity()
        self.pwconv2 = nn.Linear(4 * dim, dim)
        self.gamma = nn.Parameter(layer_scale_init * torch.ones(dim)) if layer_scale_init > 0 else None
        self.drop_path = StochasticDepth(drop_path)

    def forward(self, x):
        shortcut = x
        x = self.dwconv(x).permute(0, 2, 3, 1)  # NCHW -> NHWC
        x = self.pwconv2(self.grn(self.act(self.pwconv1(self.norm(x)))))
        if self.gamma is not None:
            x = self.gamma * x
        return shortcut + self.drop_path(x.permute(0, 3, 1, 2))
