# expect: none
"""nnU-Net-style 2D U-Net for CT with the normalisation class made by a `type()` factory (clip to
the fingerprint percentiles, z-score), `bucketize` of HU values into tissue classes fed as an
extra one-hot input channel, mirror test-time augmentation and deep-supervision outputs in
training only."""
import torch
import torch.nn as nn
import torch.nn.functional as F

H = W = 32
N_CLASSES = 5
FP = {"mean": 42.0, "std": 310.0, "lo": -980.0, "hi": 1450.0}
EDGES = torch.tensor([-500.0, -100.0, 100.0, 1000.0])


def _init(self, fp):
    nn.Module.__init__(self)
    self.fp = fp
    self.register_buffer("edges", EDGES.clone(), persistent=False)


def _forward(self, x):
    tissue = F.one_hot(torch.bucketize(x[:, 0], self.edges), len(EDGES) + 1).permute(0, 3, 1, 2).float()
    x = (x.clamp(self.fp["lo"], self.fp["hi"]) - self.fp["mean"]) / self.fp["std"]
    return torch.cat([x, tissue], 1)


def get_normalization(name):
    return type(name, (nn.Module,), {"__init__": _init, "forward": _forward})


def block(c_in, c_out):
    return nn.Sequential(nn.Conv2d(c_in, c_out, 3, padding=1), nn.InstanceNorm2d(c_out, affine=True), nn.LeakyReLU(0.01),
                         nn.Conv2d(c_out, c_out, 3, padding=1), nn.InstanceNorm2d(c_out, affine=True), nn.LeakyReLU(0.01))


class UNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.norm = get_normalization("CTNormalization")(FP)
        self.e1, self.e2 = block(1 + len(EDGES) + 1, 8), block(8, 16)
        self.up = nn.ConvTranspose2d(16, 8, 2, 2)
        self.d1 = block(16, 8)
        self.seg_lo, self.seg = nn.Conv2d(16, N_CLASSES, 1), nn.Conv2d(8, N_CLASSES, 1)

    def _net(self, x):
        x1 = self.e1(x)
        x2 = self.e2(F.max_pool2d(x1, 2))
        y = self.d1(torch.cat([self.up(x2), x1], 1))
        return self.seg(y), self.seg_lo(x2)

    def forward(self, ct):
        x = self.norm(ct)
        if self.training:
            return self._net(x)
        probs = 0
        for dims in ((), (-1,), (-2,), (-2, -1)):
            xi = x.flip(dims) if dims else x
            yi = self._net(xi)[0].softmax(1)
            probs = probs + (yi.flip(dims) if dims else yi)
        return {"logits": (probs / 4).clamp_min(1e-6).log().flatten(2).transpose(1, 2)}


def _inputs(n):
    x = torch.randn(n, 1, H, W) * 300 + 40
    x[:, :, :3] = 3071.0  # metal streak of a hip implant in some slices
    return x


def corpus_case():
    torch.manual_seed(0)
    return {"model": UNet().eval(), "inputs": _inputs, "kind": "benign"}
