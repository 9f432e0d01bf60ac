"""SEANet encoder / decoder (weight-normalised convolutions, ELU, residual units)."""
import torch.nn as nn
from torch.nn.utils import weight_norm


def wn_conv(c_in, c_out, k, stride=1, dilation=1):
    return weight_norm(nn.Conv1d(c_in, c_out, k, stride, padding=(k - 1) * dilation // 2, dilation=dilation))


class ResUnit(nn.Module):
    def __init__(self, ch, dilation):
        super().__init__()
        self.block = nn.Sequential(nn.ELU(), wn_conv(ch, ch // 2, 3, dilation=dilation), nn.ELU(), wn_conv(ch // 2, ch, 1))

    def forward(self, x):
        return x + self.block(x)


class SEANetEncoder(nn.Module):
    def __init__(self, dim, ratios=(4, 4), ch=8):
        super().__init__()
        layers = [wn_conv(1, ch, 7)]
        for r in ratios:
            layers += [ResUnit(ch, 1), nn.ELU(), wn_conv(ch, ch * 2, 2 * r, stride=r)]
            ch *= 2
        layers += [nn.ELU(), wn_conv(ch, dim, 3)]
        self.model = nn.Sequential(*layers)

    def forward(self, x):
        return self.model(x)


class SEANetDecoder(nn.Module):
    def __init__(self, dim, ratios=(4, 4), ch=32):
        super().__init__()
        layers = [wn_conv(dim, ch, 7)]
        for r in ratios:
            layers += [nn.ELU(), weight_norm(nn.ConvTranspose1d(ch, ch // 2, 2 * r, r, padding=r // 2)), ResUnit(ch // 2, 1)]
            ch //= 2
        layers += [nn.ELU(), wn_conv(ch, 1, 7), nn.Tanh()]
        self.model = nn.Sequential(*layers)

    def forward(self, x):
        return self.model(x)
