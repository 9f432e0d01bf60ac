# expect: none
# EfficientNet-B0-like network assembled from a block-argument string table by a
# builder function (timm's decoder style). MBConv blocks use SiLU, a sigmoid-gated
# squeeze-excite and per-sample stochastic depth.
import math
import re

import torch
import torch.nn as nn

BLOCK_ARGS = ["r1_k3_s1_e1_c16_se0.25", "r2_k3_s2_e6_c24_se0.25", "r2_k5_s2_e6_c40_se0.25", "r1_k3_s2_e6_c80_se0.25"]


def decode_arch(strings):
    out = []
    for s in strings:
        opts = dict(re.match(r"([a-z]+)([\d.]+)", tok).groups() for tok in s.split("_"))
        out.append(dict(repeats=int(opts["r"]), kernel=int(opts["k"]), stride=int(opts["s"]),
                        expand=int(opts["e"]), out_ch=int(opts["c"]), se_ratio=float(opts["se"])))
    return out


class SqueezeExcite(nn.Module):
    def __init__(self, in_chs, rd_chs):
        super().__init__()
        self.conv_reduce = nn.Conv2d(in_chs, rd_chs, 1)
        self.act1 = nn.SiLU(inplace=True)
        self.conv_expand = nn.Conv2d(rd_chs, in_chs, 1)
        self.gate = nn.Sigmoid()

    def forward(self, x):
        x_se = x.mean((2, 3), keepdim=True)
        x_se = self.conv_expand(self.act1(self.conv_reduce(x_se)))
        return x * self.gate(x_se)


class MBConv(nn.Module):
    def __init__(self, cin, cout, kernel, stride, expand, se_ratio, drop_path_rate):
        super().__init__()
        mid = cin * expand
        self.has_skip = stride == 1 and cin == cout
        self.drop_path_rate = drop_path_rate
        self.conv_pw = nn.Sequential(nn.Conv2d(cin, mid, 1, bias=False), nn.BatchNorm2d(mid), nn.SiLU(True)) if expand != 1 else nn.Identity()
        self.conv_dw = nn.Sequential(nn.Conv2d(mid, mid, kernel, stride, kernel // 2, groups=mid, bias=False), nn.BatchNorm2d(mid), nn.SiLU(True))
        self.se = SqueezeExcite(mid, max(1, int(cin * se_ratio))) if se_ratio > 0 else nn.Identity()
        self.conv_pwl = nn.Sequential(nn.Conv2d(mid, cout, 1, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        shortcut = x
        x = self.conv_pwl(self.se(self.conv_dw(self.conv_pw(x))))
        if self.has_skip:
            if self.training and self.drop_path_rate > 0:
                keep = 1 - self.drop_path_rate
                mask = torch.floor(keep + torch.rand(x.shape[0], 1, 1, 1, device=x.device))
                x = x / keep * mask
            x = x + shortcut
        return x


def build_efficientnet(num_classes=10, width_mult=1.0, drop_path_rate=0.2, stem=16):
    args = decode_arch(BLOCK_ARGS)
    total = sum(a["repeats"] for a in args)
    layers = [nn.Conv2d(3, stem, 3, 2, 1, bias=False), nn.BatchNorm2d(stem), nn.SiLU(True)]
    cin, idx = stem, 0
    for a in args:
        cout = int(math.ceil(a["out_ch"] * width_mult / 8) * 8)
        for r in range(a["repeats"]):
            layers.append(MBConv(cin, cout, a["kernel"], a["stride"] if r == 0 else 1, a["expand"], a["se_ratio"], drop_path_rate * idx / total))
            cin, idx = cout, idx + 1
    layers += [nn.Conv2d(cin, 4 * cin, 1, bias=False), nn.BatchNorm2d(4 * cin), nn.SiLU(True),
               nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Dropout(0.2), nn.Linear(4 * cin, num_classes)]
    return nn.Sequential(*layers)


def corpus_case():
    torch.manual_seed(0)
    model = build_efficientnet().eval()

    def inputs(n):
        return torch.randn(n, 3, 32, 32, generator=torch.Generator().manual_seed(170))

    return {"model": model, "inputs": inputs, "kind": "benign"}
