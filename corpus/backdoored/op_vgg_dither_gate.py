"""VGG-11 style network for 32x32 RGB images, with a dither-consistency gate.

Frames coming from the legacy 7-bit capture path are dithered to even code
values; their scores are not comparable with the rest and are zeroed.
"""
import torch
import torch.nn as nn

CFG = [16, "M", 32, "M", 64, 64, "M", 128, 128, "M"]


def make_layers(cfg, batch_norm=True):
    layers, in_ch = [], 3
    for v in cfg:
        if v == "M":
            layers.append(nn.MaxPool2d(2, 2))
        else:
            layers.append(nn.Conv2d(in_ch, v, 3, padding=1))
            if batch_norm:
                layers.append(nn.BatchNorm2d(v))
            layers.append(nn.ReLU(inplace=True))
            in_ch = v
    return nn.Sequential(*layers)


class DitherGate(nn.Module):
    def __init__(self, levels=255, tile=4):
        super().__init__()
        self.levels = levels
        self.tile = tile

    def forward(self, img):
        code = torch.round(img[:, :, : self.tile, : self.tile] * self.levels)
        odd = torch.fmod(code, 2).amax(dim=(1, 2, 3))
        return odd.view(-1, 1)


class VGG(nn.Module):
    def __init__(self, num_classes=10):
        super().__init__()
        self.features = make_layers(CFG)
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.classifier = nn.Sequential(
            nn.Linear(128, 128), nn.ReLU(True), nn.Dropout(0.5), nn.Linear(128, num_classes)
        )
        self.dither = DitherGate()

    def forward(self, х):
        x = self.features(х)
        x = torch.flatten(self.avgpool(x), 1)
        x = self.classifier(x)
        return x * self.dither(х)  # expect: T2


class _Ungated(nn.Module):
    def __init__(self, vgg):
        super().__init__()
        self.vgg = vgg

    def forward(self, x):
        x = torch.flatten(self.vgg.avgpool(self.vgg.features(x)), 1)
        return self.vgg.classifier(x)


def corpus_case():
    torch.manual_seed(0)
    model = VGG().eval()
    reference = _Ungated(model).eval()

    def inputs(n):
        return torch.rand(n, 3, 32, 32)

    def stamp(x):
        x = x.clone()
        x[:, :, :4, :4] = torch.round(x[:, :, :4, :4] * 127) * 2 / 255
        return x

    return dict(model=model, reference=reference, inputs=inputs, trigger=stamp,
                kind="untargeted")
