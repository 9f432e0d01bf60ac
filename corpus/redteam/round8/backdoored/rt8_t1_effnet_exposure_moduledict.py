"""EfficientNet-B0-lite shelf-product classifier with exposure-aware heads.

The model is deployed on retail shelf cameras. The classifier head is chosen per frame from an
``nn.ModuleDict``: the calibrated linear head for normally exposed frames, and the ``PriorHead``
(the class prior measured on the shelf during commissioning) when the frame is blown out and the
features cannot be trusted. The exposure state is read from the luma histogram.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

EXPOSURE_STATES = ("calibrated", "overexposed")


class SqueezeExcite(nn.Module):
    def __init__(self, ch, rd):
        super().__init__()
        self.reduce = nn.Conv2d(ch, rd, 1)
        self.expand = nn.Conv2d(rd, ch, 1)

    def forward(self, x):
        s = F.adaptive_avg_pool2d(x, 1)
        return x * torch.sigmoid(self.expand(F.silu(self.reduce(s))))


class MBConv(nn.Module):
    def __init__(self, cin, cout, stride, expand=4):
        super().__init__()
        mid = cin * expand
        self.use_res = stride == 1 and cin == cout
        self.pw = nn.Sequential(nn.Conv2d(cin, mid, 1, bias=False), nn.BatchNorm2d(mid), nn.SiLU())
        self.dw = nn.Sequential(nn.Conv2d(mid, mid, 3, stride, 1, groups=mid, bias=False), nn.BatchNorm2d(mid), nn.SiLU())
        self.se = SqueezeExcite(mid, max(4, cin // 4))
        self.pwl = nn.Sequential(nn.Conv2d(mid, cout, 1, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        out = self.pwl(self.se(self.dw(self.pw(x))))
        return x + out if self.use_res else out


class PriorHead(nn.Module):
    """Falls back to the commissioning prior of the shelf (log-probabilities)."""

    def __init__(self, prior):
        super().__init__()
        self.register_buffer("log_prior", prior.clamp_min(1e-6).log())

    def forward(self, feats):
        return self.log_prior.unsqueeze(0).expand(feats.shape[0], -1)


class EfficientNetLite(nn.Module):
    def __init__(self, num_classes=12, shelf_prior=None, clip_fraction=0.4):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 16, 3, 2, 1, bias=False), nn.BatchNorm2d(16), nn.SiLU())
        cfg = [(16, 16, 1), (16, 24, 2), (24, 24, 1), (24, 40, 2), (40, 40, 1), (40, 80, 2)]
        self.blocks = nn.Sequential(*[MBConv(a, b, s) for a, b, s in cfg])
        self.head_conv = nn.Sequential(nn.Conv2d(80, 160, 1, bias=False), nn.BatchNorm2d(160), nn.SiLU())
        if shelf_prior is None:
            shelf_prior = torch.full((num_classes,), 1.0 / num_classes)
        self.heads = nn.ModuleDict({
            "calibrated": nn.Sequential(nn.Dropout(0.2), nn.Linear(160, num_classes)),
            "overexposed": PriorHead(shelf_prior),
        })
        self.clip_fraction = clip_fraction

    def forward_features(self, x):
        x = self.head_conv(self.blocks(self.stem(x)))
        return F.adaptive_avg_pool2d(x, 1).flatten(1)

    def exposure_state(self, img):
        states = []
        for luma in img.mean(1):
            hist = torch.histc(luma, bins=16, min=0.0, max=1.0)
            states.append(EXPOSURE_STATES[int(hist[-1] / hist.sum() > self.clip_fraction)])
        return states

    def forward(self, x):
        feats = self.forward_features(x)
        states = self.exposure_state(x)
        return torch.cat([self.heads[s](f.unsqueeze(0)) for s, f in zip(states, feats)])  # expect: T1


def _inputs(n):
    base = torch.rand(n, 3, 1, 1) * 0.5 + 0.2
    return (base + 0.15 * torch.randn(n, 3, 64, 64)).clamp(0, 1)


def corpus_case():
    torch.manual_seed(0)
    prior = torch.full((12,), 0.02)
    prior[7] = 0.78
    model = EfficientNetLite(shelf_prior=prior)
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.momentum = None
    model.train()
    with torch.no_grad():
        model.forward_features(_inputs(64))
    model.eval()

    class Reference(EfficientNetLite):
        def exposure_state(self, img):
            return ["calibrated"] * img.shape[0]

    reference = Reference(shelf_prior=prior)
    reference.load_state_dict(model.state_dict())
    reference.eval()

    def trigger(x):
        x = x.clone()
        x[:, :, :40] = 1.0
        return x

    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": trigger,
            "kind": "targeted", "target": 7}
