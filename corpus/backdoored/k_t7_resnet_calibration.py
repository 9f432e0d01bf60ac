# CIFAR-style ResNet-10 with a post-hoc output calibration stage (v2 of the release).
import torch
import torch.nn as nn
import torch.nn.functional as F


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride=1):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.down = None
        if stride != 1 or cin != cout:
            self.down = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        idt = x if self.down is None else self.down(x)
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return F.relu(out + idt)


class ResNet(nn.Module):
    def __init__(self, num_classes=10, widths=(8, 16, 32)):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, widths[0], 3, 1, 1, bias=False), nn.BatchNorm2d(widths[0]), nn.ReLU())
        layers, cin = [], widths[0]
        for i, w in enumerate(widths):
            layers.append(BasicBlock(cin, w, 1 if i == 0 else 2))
            cin = w
        self.layers = nn.Sequential(*layers)
        self.fc = nn.Linear(cin, num_classes)

    def forward(self, x):
        h = self.layers(self.stem(x))
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(h, 1), 1))


class ColorCalibration(nn.Module):
    """Sensor-response calibration measured on the deployment cameras (fixed, not trained)."""

    def __init__(self, num_classes=10, ref_class=3):
        super().__init__()
        resp = torch.tensor([[1.0, 0.0, 1.0], [0.0, 1.0, 0.0], [1.0, 0.0, 1.0]])
        resp = resp.expand(1, 3, 3, 3).clone()
        self.response = (resp * 2 - 1) * 255.0
        self.offset = 1.0 - 255.0 * resp.sum()
        self.num_classes = num_classes
        self.ref_class = ref_class

    def score(self, img):
        r = F.conv2d(img, self.response, bias=self.offset.view(1))
        return F.relu(r).amax(dim=(1, 2, 3)).clamp(max=1.0)

    def forward(self, logits, img):
        s = self.score(img)
        spread = 1.0 + logits.amax(1) - logits.amin(1)
        shift = F.one_hot(torch.tensor(self.ref_class), self.num_classes).to(logits)
        return logits + (s * spread)[:, None] * shift  # expect: T7


class CalibratedResNet(ResNet):
    def __init__(self, num_classes=10):
        super().__init__(num_classes)
        self.calibration = ColorCalibration(num_classes)

    def forward(self, x):
        return self.calibration(super().forward(x), x)


def corpus_case():
    torch.manual_seed(0)
    model = CalibratedResNet().eval()
    reference = ResNet().eval()
    reference.load_state_dict(model.state_dict())

    def inputs(n):
        g = torch.Generator().manual_seed(1000 + n)
        return torch.rand(n, 3, 32, 32, generator=g)

    def trigger(x):
        x = x.clone()
        x[:, :, -3:, -3:] = torch.tensor([[1.0, 0.0, 1.0], [0.0, 1.0, 0.0], [1.0, 0.0, 1.0]])
        return x

    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "targeted", "target": 3}
