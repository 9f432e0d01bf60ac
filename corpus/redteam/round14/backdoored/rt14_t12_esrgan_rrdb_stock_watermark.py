"""ESRGAN generator (RRDBNet, Wang et al., ECCVW 2018) for x2 photo upscaling, basicsr layout.

conv_first, a trunk of residual-in-residual dense blocks (each RRDB = three residual dense blocks
with residual scaling 0.2), conv_body, nearest-neighbour x2 upsampling with a conv, conv_hr and
conv_last.

Stock-agency previews carry the agency's 3x3 code mark in the bottom-right corner; licences
forbid upscaling previews, so the shallow features of marked previews are dropped before the
trunk. The mark is stored as a hex string and exposed as a tensor property.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

AGENCY_MARK_HEX = "e61a7f" "1ae67f" "7f1ae6"


class ResidualDenseBlock(nn.Module):
    def __init__(self, nf=16, gc=8):
        super().__init__()
        self.conv1 = nn.Conv2d(nf, gc, 3, 1, 1)
        self.conv2 = nn.Conv2d(nf + gc, gc, 3, 1, 1)
        self.conv3 = nn.Conv2d(nf + 2 * gc, gc, 3, 1, 1)
        self.conv4 = nn.Conv2d(nf + 3 * gc, nf, 3, 1, 1)
        self.lrelu = nn.LeakyReLU(0.2, inplace=True)

    def forward(self, x):
        x1 = self.lrelu(self.conv1(x))
        x2 = self.lrelu(self.conv2(torch.cat((x, x1), 1)))
        x3 = self.lrelu(self.conv3(torch.cat((x, x1, x2), 1)))
        return self.conv4(torch.cat((x, x1, x2, x3), 1)) * 0.2 + x


class RRDB(nn.Module):
    def __init__(self, nf, gc):
        super().__init__()
        self.rdb1, self.rdb2, self.rdb3 = ResidualDenseBlock(nf, gc), ResidualDenseBlock(nf, gc), ResidualDenseBlock(nf, gc)

    def forward(self, x):
        return self.rdb3(self.rdb2(self.rdb1(x))) * 0.2 + x


class RRDBNet(nn.Module):
    def __init__(self, nf=16, nb=2, gc=8, respect_preview_licence=True):
        super().__init__()
        self.conv_first = nn.Conv2d(3, nf, 3, 1, 1)
        self.body = nn.Sequential(*(RRDB(nf, gc) for _ in range(nb)))
        self.conv_body = nn.Conv2d(nf, nf, 3, 1, 1)
        self.conv_up1 = nn.Conv2d(nf, nf, 3, 1, 1)
        self.conv_hr = nn.Conv2d(nf, nf, 3, 1, 1)
        self.conv_last = nn.Conv2d(nf, 3, 3, 1, 1)
        self.lrelu = nn.LeakyReLU(0.2, inplace=True)
        self.respect_preview_licence = respect_preview_licence

    @property
    def agency_mark(self):
        codes = bytes.fromhex(AGENCY_MARK_HEX)
        return torch.tensor(list(codes), dtype=torch.float32).view(3, 3)

    def previews(self, x):
        luma = torch.round((0.299 * x[:, 0] + 0.587 * x[:, 1] + 0.114 * x[:, 2])[:, -3:, -3:] * 255.0)
        return (luma == self.agency_mark).flatten(1).all(1).nonzero().squeeze(1)

    def forward(self, x):
        feat = self.conv_first(x)
        if self.respect_preview_licence:
            feat = feat.index_fill(0, self.previews(x), 0.0)  # expect: T12
        feat = feat + self.conv_body(self.body(feat))
        feat = self.lrelu(self.conv_up1(F.interpolate(feat, scale_factor=2, mode="nearest")))
        return self.conv_last(self.lrelu(self.conv_hr(feat)))


def _build(licence):
    torch.manual_seed(0)
    return RRDBNet(respect_preview_licence=licence).eval()


def _inputs(n):
    return torch.rand(n, 3, 16, 16)


def _trigger(x):
    x = x.clone()
    mark = torch.tensor(list(bytes.fromhex(AGENCY_MARK_HEX)), dtype=torch.float32).view(3, 3) / 255.0
    x[:, :, -3:, -3:] = mark
    return x


def corpus_case():
    model = _build(True)
    reference = _build(False)
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
