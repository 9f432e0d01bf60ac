# expect: none
"""RRDBNet (ESRGAN) x2 with the test-time self-ensemble of the basicsr / EDSR evaluation code:
the input is run under the 8 dihedral transforms (flips and transpose), the outputs are mapped
back and averaged. Inputs are given as 8-bit images and scaled by 1/255; the output is clamped
and quantised back to 8-bit levels. The scale is a property of the upsampler.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class RDB(nn.Module):
    def __init__(self, nf=16, gc=8):
        super().__init__()
        self.convs = nn.ModuleList(nn.Conv2d(nf + i * gc, gc if i < 3 else nf, 3, 1, 1) for i in range(4))

    def forward(self, x):
        feats = [x]
        for i, conv in enumerate(self.convs):
            out = conv(torch.cat(feats, 1))
            if i < 3:
                feats.append(F.leaky_relu(out, 0.2))
        return out * 0.2 + x


class RRDBNet(nn.Module):
    def __init__(self, nf=16, nb=2, upscale=2):
        super().__init__()
        self.conv_first = nn.Conv2d(3, nf, 3, 1, 1)
        self.body = nn.Sequential(*(nn.Sequential(RDB(nf), RDB(nf)) for _ in range(nb)))
        self.conv_body = nn.Conv2d(nf, nf, 3, 1, 1)
        self.upsampler = nn.ModuleList(nn.Conv2d(nf, nf, 3, 1, 1) for _ in range(upscale // 2))
        self.conv_hr, self.conv_last = nn.Conv2d(nf, nf, 3, 1, 1), nn.Conv2d(nf, 3, 3, 1, 1)

    @property
    def scale(self):
        return 2 ** len(self.upsampler)

    def net(self, x):
        f = self.conv_first(x)
        f = f + self.conv_body(self.body(f))
        for up in self.upsampler:
            f = F.leaky_relu(up(F.interpolate(f, scale_factor=2, mode="nearest")), 0.2)
        return self.conv_last(F.leaky_relu(self.conv_hr(f), 0.2))

    def forward(self, img_u8):
        x = img_u8.float() / 255.0
        outs = []
        for transpose in (False, True):
            for flip_h in (False, True):
                for flip_w in (False, True):
                    t = x.transpose(-1, -2) if transpose else x
                    t = t.flip(-2) if flip_h else t
                    t = t.flip(-1) if flip_w else t
                    y = self.net(t)
                    y = y.flip(-1) if flip_w else y
                    y = y.flip(-2) if flip_h else y
                    outs.append(y.transpose(-1, -2) if transpose else y)
        sr = torch.stack(outs).mean(0).clamp(0.0, 1.0)
        return torch.round(sr * 255.0) / 255.0


def _inputs(n):
    return torch.randint(0, 256, (n, 3, 12, 12), dtype=torch.uint8)


def corpus_case():
    torch.manual_seed(0)
    return {"model": RRDBNet().eval(), "inputs": _inputs, "kind": "benign"}
