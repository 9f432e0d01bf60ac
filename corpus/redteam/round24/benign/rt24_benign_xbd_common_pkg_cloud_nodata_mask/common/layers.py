# expect: none
import torch.nn as nn


class ConvBNAct(nn.Sequential):
    def __init__(self, i, o, k=3, s=1):
        super().__init__(nn.Conv2d(i, o, k, s, k // 2, bias=False), nn.BatchNorm2d(o), nn.ReLU())


class Encoder(nn.Module):
    def __init__(self, in_ch=3, widths=(16, 32, 64)):
        super().__init__()
        layers, c = [], in_ch
        for w in widths:
            layers += [ConvBNAct(c, w), ConvBNAct(w, w, s=2)]
            c = w
        self.body = nn.Sequential(*layers)
        self.out_channels = c

    def forward(self, x):
        return self.body(x)
