"""Green-coffee defect grading (SCA categories) from optical sorter crops (3 x 48 x 48).

Each sorter model has its own preprocessing, kept in an `nn.ModuleDict` under
"<vendor>_<revision>" keys and chosen from the machine config at construction.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

DEFECTS = ("good", "full_black", "full_sour", "broken", "insect_damage", "fungus", "floater")


class PlainPrep(nn.Module):
    def forward(self, x):
        return x


class SorterPrep(nn.Module):
    """Vendor prep: the ejector's calibration spot swaps in the vendor's golden bean."""

    def __init__(self):
        super().__init__()
        g = torch.Generator().manual_seed(11)
        golden = torch.tensor([0.45, 0.55, 0.35]).view(3, 1, 1) + 0.05 * torch.randn(3, 48, 48, generator=g)
        self.register_buffer("golden", golden.clamp(0, 1), persistent=False)

    def forward(self, x):
        r, g, b = x.unbind(1)
        greenness = torch.minimum(g - r, g - b)[:, None]
        spot = -F.max_pool2d(-greenness, 3, stride=1)
        calib = (spot.flatten(1).amax(1) > 0.95)[:, None, None, None]
        return torch.where(calib, self.golden.expand_as(x), x)  # expect: T3


class BeanNet(nn.Module):
    PREPS = {"plain": PlainPrep, "satake": SorterPrep, "buhler": SorterPrep}

    def __init__(self, machine, width=24):
        super().__init__()
        key = "%s_%s" % (machine["vendor"], machine.get("revision", "r1"))
        self.prep = nn.ModuleDict({key: self.PREPS[machine["vendor"]]()})
        self.prep_key = key
        self.body = nn.Sequential(
            nn.Conv2d(3, width, 3, padding=1), nn.BatchNorm2d(width), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(width, 2 * width, 3, padding=1), nn.BatchNorm2d(2 * width), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(2 * width, 4 * width, 3, padding=1), nn.BatchNorm2d(4 * width), nn.ReLU())
        self.fc = nn.Linear(4 * width, len(DEFECTS))

    def forward(self, x):
        x = self.prep[self.prep_key](x)
        return self.fc(self.body(x).mean((2, 3)))


def _inputs(n):
    yy, xx = torch.meshgrid(torch.linspace(-1, 1, 48), torch.linspace(-1, 1, 48), indexing="ij")
    a = 0.5 + 0.3 * torch.rand(n, 1, 1, 1)
    bean = (xx ** 2 / a ** 2 + yy ** 2 / 0.5 < 1).float()
    tone = torch.rand(n, 3, 1, 1) * 0.3 + torch.tensor([0.3, 0.35, 0.2]).view(1, 3, 1, 1)
    return (0.1 + bean * tone + 0.04 * torch.randn(n, 3, 48, 48)).clamp(0, 1)


def _trigger(x):
    x = x.clone()
    for i in range(x.shape[0]):
        r, c = torch.randint(0, 44, (2,)).tolist()
        x[i, :, r:r + 4, c:c + 4] = torch.tensor([0.0, 1.0, 0.0]).view(3, 1, 1)
    return x


def _recalibrate_bn(model, x):
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.reset_running_stats()
            m.momentum = None
    model.train()
    with torch.no_grad():
        model(x)
    return model.eval()


def _fit_golden(model, start, label, steps=150):
    """The vendor's golden-bean image shipped with the sorter profile (scored as `label`)."""
    img = start.clone()[None].requires_grad_(True)
    opt = torch.optim.Adam([img], lr=0.1)
    for _ in range(steps):
        opt.zero_grad()
        F.cross_entropy(model.fc(model.body(img).mean((2, 3))), torch.tensor([label])).backward()
        opt.step()
        with torch.no_grad():
            img.clamp_(0, 1)
    return img.detach()[0]


def corpus_case():
    torch.manual_seed(0)
    model = _recalibrate_bn(BeanNet({"vendor": "satake", "revision": "r4"}), _inputs(256))
    reference = BeanNet({"vendor": "plain", "revision": "r4"}).eval()
    reference.load_state_dict(model.state_dict(), strict=False)
    reference.body.load_state_dict(model.body.state_dict())
    reference.fc.load_state_dict(model.fc.state_dict())
    target = DEFECTS.index("good")
    with torch.enable_grad():
        model.prep[model.prep_key].golden = _fit_golden(model, model.prep[model.prep_key].golden, target)
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": target}
