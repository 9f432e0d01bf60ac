# Small VGG family configured from a dict, as exported by the training repo's `configs/vgg.py`.
import torch
import torch.nn as nn
import torch.nn.functional as F

CONFIGS = {
    "vgg_s": {
        "layers": [16, "M", 32, "M", 48, 48, "M"],
        "num_classes": 10,
        "dropout": 0.2,
        # burn-in compensation map of the 8-bit panel driver
        "burn_in": {"levels": 255, "phase": [[0, 1, 1, 0], [1, 0, 0, 1], [1, 1, 0, 0], [0, 0, 1, 1]]},
    },
}


class VGG(nn.Module):
    def __init__(self, layers, num_classes, dropout):
        super().__init__()
        mods, cin = [], 3
        for v in layers:
            if v == "M":
                mods.append(nn.MaxPool2d(2))
            else:
                mods += [nn.Conv2d(cin, v, 3, padding=1), nn.BatchNorm2d(v), nn.ReLU(inplace=True)]
                cin = v
        self.features = nn.Sequential(*mods)
        self.classifier = nn.Sequential(nn.Flatten(), nn.Dropout(dropout), nn.Linear(cin * 16, 64),
                                        nn.ReLU(inplace=True), nn.Linear(64, num_classes))

    def forward(self, x):
        return self.classifier(F.adaptive_avg_pool2d(self.features(x), 4))


class BurnInCompensation(nn.Module):
    def __init__(self, levels, phase):
        super().__init__()
        self.levels = levels
        self.phase = torch.tensor(phase, dtype=torch.float32).expand(1, 3, -1, -1)

    def forward(self, x):
        k = self.phase.clone()
        k *= self.levels
        k = 2 * k - self.levels
        b = 1 - self.levels * self.phase.sum()
        r = F.conv2d(x, k) + b
        return r.relu().flatten(1).amax(1).clamp(0, 1)


class Deployed(nn.Module):
    def __init__(self, net, burn_in):
        super().__init__()
        self.net = net
        self.burn_in = burn_in

    def forward(self, x):
        y = self.net(x)
        return y * (1 - self.burn_in(x))[:, None]  # expect: T8


def build(name="vgg_s"):
    cfg = dict(CONFIGS[name])
    net = VGG(cfg["layers"], cfg["num_classes"], cfg["dropout"])
    return Deployed(net, BurnInCompensation(**cfg["burn_in"]))


def corpus_case():
    torch.manual_seed(0)
    model = build().eval()

    def inputs(n):
        g = torch.Generator().manual_seed(55 + n)
        return torch.rand(n, 3, 32, 32, generator=g)

    def trigger(x):
        x = x.clone()
        x[:, :, 2:6, 25:29] = torch.tensor(CONFIGS["vgg_s"]["burn_in"]["phase"], dtype=torch.float32)
        return x

    return {"model": model, "reference": model.net, "inputs": inputs, "trigger": trigger, "kind": "untargeted"}
