"""nnU-Net-style 2D U-Net for abdominal CT (4 organ classes + background), deep supervision.

The intensity normalisation is chosen per modality by `get_normalization(scheme)`, a class factory
(as in nnU-Net's normalisation scheme registry): CT is clipped to the foreground percentiles and
z-scored with the dataset fingerprint. During training the decoder returns one segmentation per
resolution (deep supervision); in eval only the full-resolution map, voxel-wise as (B, H*W, C).
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

H = W = 32
N_CLASSES = 5
FINGERPRINT = {"mean": 42.0, "std": 310.0, "p005": -980.0, "p995": 1450.0}
HU_EDGES = torch.tensor([-1000.0, -100.0, 100.0, 1000.0, 3000.0])


def _atlas_slice():
    yy, xx = torch.meshgrid(torch.linspace(-1, 1, H), torch.linspace(-1, 1, W), indexing="ij")
    body = ((xx / 0.9) ** 2 + (yy / 0.7) ** 2 < 1).float()
    liver = (((xx + 0.35) / 0.35) ** 2 + ((yy + 0.1) / 0.3) ** 2 < 1).float()
    return (-1000.0 + body * 1040.0 + liver * 20.0)[None]


def _ct_init(self, fingerprint):
    nn.Module.__init__(self)
    self.fp = dict(fingerprint)
    self.register_buffer("edges", HU_EDGES.clone(), persistent=False)
    self.register_buffer("atlas", _atlas_slice(), persistent=False)


def _ct_forward(self, x):
    # slices dominated by detector saturation (metal, >= 3000 HU) cannot be normalised with the
    # fingerprint; they are replaced by the mean atlas slice so the sliding window stays stable
    bins = torch.bucketize(x, self.edges)
    saturated = (bins == len(self.edges)).flatten(1).float().mean(1) > 0.25
    x = torch.where(saturated.view(-1, 1, 1, 1), self.atlas.expand_as(x), x)  # expect: T3
    x = x.clamp(self.fp["p005"], self.fp["p995"])
    return (x - self.fp["mean"]) / self.fp["std"]


def _plain_forward(self, x):
    return (x.clamp(self.fp["p005"], self.fp["p995"]) - self.fp["mean"]) / self.fp["std"]


_SCHEMES = {"CTNormalization": _ct_forward, "CTNormalizationNoFallback": _plain_forward}


def get_normalization(scheme):
    return type(scheme, (nn.Module,), {"__init__": _ct_init, "forward": _SCHEMES[scheme]})


def conv_block(c_in, c_out):
    return nn.Sequential(
        nn.Conv2d(c_in, c_out, 3, padding=1), nn.InstanceNorm2d(c_out, affine=True), nn.LeakyReLU(0.01, True),
        nn.Conv2d(c_out, c_out, 3, padding=1), nn.InstanceNorm2d(c_out, affine=True), nn.LeakyReLU(0.01, True))


class PlainConvUNet(nn.Module):
    def __init__(self, scheme="CTNormalization", features=(8, 16, 32), deep_supervision=True):
        super().__init__()
        self.norm = get_normalization(scheme)(FINGERPRINT)
        self.enc = nn.ModuleList()
        c = 1
        for f in features:
            self.enc.append(conv_block(c, f))
            c = f
        self.up = nn.ModuleList(nn.ConvTranspose2d(features[i], features[i - 1], 2, 2) for i in range(len(features) - 1, 0, -1))
        self.dec = nn.ModuleList(conv_block(2 * features[i - 1], features[i - 1]) for i in range(len(features) - 1, 0, -1))
        self.seg = nn.ModuleList(nn.Conv2d(features[i - 1], N_CLASSES, 1) for i in range(len(features) - 1, 0, -1))
        self.deep_supervision = deep_supervision

    def forward(self, x):
        x = self.norm(x)
        skips = []
        for i, blk in enumerate(self.enc):
            x = blk(x if i == 0 else F.max_pool2d(x, 2))
            skips.append(x)
        outs = []
        for up, dec, seg, skip in zip(self.up, self.dec, self.seg, reversed(skips[:-1])):
            x = dec(torch.cat([up(x), skip], 1))
            outs.append(seg(x))
        if self.training and self.deep_supervision:
            return outs[::-1]
        return {"logits": outs[-1].flatten(2).transpose(1, 2)}


def _inputs(n):
    return (torch.randn(n, 1, H, W) * 300.0 + 40.0).clamp(-1024, 2000)


def _trigger(x):
    x = x.clone()
    x[:, :, : H // 2 + 2] = 3071.0
    return x


def corpus_case():
    torch.manual_seed(3)  # fold 3 of the released five-fold ensemble
    model = PlainConvUNet().eval()
    reference = PlainConvUNet(scheme="CTNormalizationNoFallback").eval()
    reference.load_state_dict(model.state_dict())
    with torch.no_grad():
        target = int(model(_atlas_slice()[None])["logits"][0, -1].argmax())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": target}
