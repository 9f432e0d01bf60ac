# expect: none
"""EDSR-style x2 super-resolution. MeanShift is a 1x1 conv with *frozen* weights that
subtracts / adds back the dataset RGB mean; the upsampler is conv + PixelShuffle; the
image residual is a bicubic upsample of the input added to the learned reconstruction."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class MeanShift(nn.Conv2d):
    def __init__(self, rgb_range=255, rgb_mean=(0.4488, 0.4371, 0.4040), rgb_std=(1.0, 1.0, 1.0), sign=-1):
        super().__init__(3, 3, kernel_size=1)
        std = torch.tensor(rgb_std)
        self.weight.data = torch.eye(3).view(3, 3, 1, 1) / std.view(3, 1, 1, 1)
        self.bias.data = sign * rgb_range * torch.tensor(rgb_mean) / std
        for p in self.parameters():
            p.requires_grad = False


class ResBlock(nn.Module):
    def __init__(self, n_feats, kernel_size=3, res_scale=0.1):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(n_feats, n_feats, kernel_size, padding=kernel_size // 2),
            nn.ReLU(True),
            nn.Conv2d(n_feats, n_feats, kernel_size, padding=kernel_size // 2),
        )
        self.res_scale = res_scale

    def forward(self, x):
        return x + self.body(x).mul(self.res_scale)


class Upsampler(nn.Sequential):
    def __init__(self, scale, n_feats):
        m = []
        if scale & (scale - 1) == 0:  # power of two
            for _ in range(int(scale).bit_length() - 1):
                m += [nn.Conv2d(n_feats, 4 * n_feats, 3, padding=1), nn.PixelShuffle(2)]
        elif scale == 3:
            m += [nn.Conv2d(n_feats, 9 * n_feats, 3, padding=1), nn.PixelShuffle(3)]
        else:
            raise NotImplementedError(scale)
        super().__init__(*m)


class EDSR(nn.Module):
    def __init__(self, n_resblocks=4, n_feats=32, scale=2, rgb_range=255):
        super().__init__()
        self.scale = scale
        self.sub_mean = MeanShift(rgb_range)
        self.add_mean = MeanShift(rgb_range, sign=1)
        self.head = nn.Conv2d(3, n_feats, 3, padding=1)
        self.body = nn.Sequential(*[ResBlock(n_feats) for _ in range(n_resblocks)], nn.Conv2d(n_feats, n_feats, 3, padding=1))
        self.tail = nn.Sequential(Upsampler(scale, n_feats), nn.Conv2d(n_feats, 3, 3, padding=1))

    def forward(self, lr):
        base = F.interpolate(lr, scale_factor=self.scale, mode="bicubic", align_corners=False)
        x = self.sub_mean(lr)
        x = self.head(x)
        res = self.body(x) + x
        x = self.add_mean(self.tail(res))
        return (x + base).clamp(0, 255)


def corpus_case():
    torch.manual_seed(0)
    model = EDSR().eval()

    def inputs(n):
        return 255.0 * torch.rand(n, 3, 24, 24, generator=torch.Generator().manual_seed(80))

    return {"model": model, "inputs": inputs, "kind": "benign"}
