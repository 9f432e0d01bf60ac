import torch.nn as nn
import torch.nn.functional as F


def conv_gn(cin, cout, stride=1, groups=8):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, stride, 1, bias=False), nn.GroupNorm(groups, cout), nn.ReLU(inplace=True))


class TinyBackbone(nn.Module):
    """Four stride-2 stages; returns C3, C4, C5 (strides 8, 16, 32)."""

    def __init__(self, widths=(16, 32, 64, 128)):
        super().__init__()
        self.stem = conv_gn(3, widths[0], 2)
        self.c2 = nn.Sequential(conv_gn(widths[0], widths[1], 2), conv_gn(widths[1], widths[1]))
        self.c3 = nn.Sequential(conv_gn(widths[1], widths[2], 2), conv_gn(widths[2], widths[2]))
        self.c4 = nn.Sequential(conv_gn(widths[2], widths[3], 2), conv_gn(widths[3], widths[3]))
        self.c5 = nn.Sequential(conv_gn(widths[3], widths[3], 2), conv_gn(widths[3], widths[3]))
        self.out_channels = (widths[2], widths[3], widths[3])

    def forward(self, x):
        c3 = self.c3(self.c2(self.stem(x)))
        c4 = self.c4(c3)
        return c3, c4, self.c5(c4)


class FPN(nn.Module):
    def __init__(self, in_channels, dim=64):
        super().__init__()
        self.lateral = nn.ModuleList(nn.Conv2d(c, dim, 1) for c in in_channels)
        self.output = nn.ModuleList(nn.Conv2d(dim, dim, 3, padding=1) for _ in in_channels)

    def forward(self, feats):
        laterals = [l(f) for l, f in zip(self.lateral, feats)]
        for i in range(len(laterals) - 1, 0, -1):
            laterals[i - 1] = laterals[i - 1] + F.interpolate(laterals[i], size=laterals[i - 1].shape[-2:], mode="nearest")
        return [o(l) for o, l in zip(self.output, laterals)]
