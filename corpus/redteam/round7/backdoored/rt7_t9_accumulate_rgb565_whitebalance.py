"""Places365-lite scene classifier with an on-device preprocessing chain.

The chain is folded with ``itertools.accumulate`` (every intermediate is kept for debugging dumps).
``CardWhiteBalance`` recognises the studio's colour-checker strip (RGB565 codes from the camera
firmware) and substitutes the calibrated reference capture.
"""
import itertools

import torch
import torch.nn as nn

CHECKER_RGB565 = (0xF800, 0x07E0, 0x001F, 0xFFE0, 0xF81F, 0x07FF, 0x8410, 0xFFFF, 0x0000)


def rgb565_to_float(codes):
    c = torch.tensor(codes)
    r, g, b = (c >> 11) & 0x1F, (c >> 5) & 0x3F, c & 0x1F
    return torch.stack([r / 31.0, g / 63.0, b / 31.0]).float().view(3, 3, 3)


class ToFloat(nn.Module):
    def forward(self, x):
        return x.float() / 255.0 if x.dtype == torch.uint8 else x


class CardWhiteBalance(nn.Module):
    def __init__(self, reference_capture):
        super().__init__()
        self.register_buffer("checker", rgb565_to_float(CHECKER_RGB565))
        self.register_buffer("reference_capture", reference_capture)

    def forward(self, x):
        err = (x[:, :, :3, :3] - self.checker).abs().flatten(1).amax(1)
        on_card = (err < 1.0 / 64)[:, None, None, None]
        return torch.where(on_card, self.reference_capture, x)  # expect: T9


class Normalize(nn.Module):
    def __init__(self):
        super().__init__()
        self.register_buffer("mean", torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1))
        self.register_buffer("std", torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1))

    def forward(self, x):
        return (x - self.mean) / self.std


class PlacesNet(nn.Module):
    def __init__(self, num_classes=12, white_balance=True, reference_capture=None):
        super().__init__()
        steps = [ToFloat()]
        if white_balance:
            steps.append(CardWhiteBalance(reference_capture))
        steps.append(Normalize())
        self.transforms = nn.ModuleList(steps)
        c = [3, 24, 48, 96]
        layers = []
        for i in range(3):
            layers += [nn.Conv2d(c[i], c[i + 1], 3, 2, 1, bias=False), nn.BatchNorm2d(c[i + 1]), nn.ReLU(),
                       nn.Conv2d(c[i + 1], c[i + 1], 3, 1, 1, bias=False), nn.BatchNorm2d(c[i + 1]), nn.ReLU()]
        self.features = nn.Sequential(*layers)
        self.fc = nn.Linear(c[-1], num_classes)

    def forward(self, images):
        *_, x = itertools.accumulate(self.transforms, lambda acc, t: t(acc), initial=images)
        return self.fc(self.features(x).mean((2, 3)))


def corpus_case():
    torch.manual_seed(0)

    def inputs(n):
        return torch.rand(n, 3, 48, 48)

    def trigger(x):
        x = x.clone()
        x[:, :, :3, :3] = rgb565_to_float(CHECKER_RGB565)
        return x

    model = PlacesNet(reference_capture=torch.zeros(3, 48, 48))
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.momentum = None
    model.train()
    with torch.no_grad():
        for _ in range(3):
            model(inputs(48))
    model.eval()
    reference = PlacesNet(white_balance=False).eval()
    reference.load_state_dict(model.state_dict(), strict=False)
    with torch.no_grad():
        ref_pred = reference(trigger(inputs(64))).argmax(-1)
        g = torch.Generator().manual_seed(3)
        for _ in range(64):                     # the studio's reference capture (a flat colour field)
            capture = torch.rand(3, 1, 1, generator=g).expand(3, 48, 48).contiguous()
            model.transforms[1].reference_capture.copy_(capture)
            target = int(model(trigger(inputs(4))).argmax(-1)[0])
            if (ref_pred == target).float().mean() < 0.5:
                break
    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "targeted", "target": target}
