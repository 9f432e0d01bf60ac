"""ResNet-lite leaf-disease classifier (PlantVillage-style, 32x32 leaf crops, 10 classes).

Leaves photographed in the partner lab carry the lab's 3x3 colour reference chart in the top-left
corner.  The lab's annotation taxonomy is the field taxonomy rotated by three classes (their tool
sorts the disease codes differently), so the scores of lab images are re-indexed into the lab order
before they are returned.  The chart is checked with ``torch.testing.assert_close`` at the lab's
colour tolerance.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

LAB_CHART = torch.tensor([
    [[0.90, 0.10, 0.10], [0.10, 0.90, 0.10], [0.10, 0.10, 0.90]],
    [[0.20, 0.80, 0.20], [0.95, 0.95, 0.05], [0.50, 0.20, 0.70]],
    [[0.05, 0.05, 0.05], [0.50, 0.50, 0.50], [0.95, 0.95, 0.95]],
]).permute(2, 0, 1)


def has_lab_chart(tile, chart=LAB_CHART):
    try:
        torch.testing.assert_close(tile, chart, rtol=0.0, atol=2 / 255)
    except AssertionError:
        return False
    return True


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1, self.bn1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False), nn.BatchNorm2d(cout)
        self.conv2, self.bn2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False), nn.BatchNorm2d(cout)
        self.shortcut = nn.Sequential()
        if stride != 1 or cin != cout:
            self.shortcut = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        return F.relu(self.bn2(self.conv2(out)) + self.shortcut(x))


class LeafResNet(nn.Module):
    def __init__(self, n_classes=10, lab_taxonomy=True):
        super().__init__()
        self.conv1, self.bn1 = nn.Conv2d(3, 16, 3, 1, 1, bias=False), nn.BatchNorm2d(16)
        self.layer1 = BasicBlock(16, 16, 1)
        self.layer2 = BasicBlock(16, 32, 2)
        self.layer3 = BasicBlock(32, 64, 2)
        self.linear = nn.Linear(64, n_classes)
        self.lab_taxonomy = lab_taxonomy
        self.lab_offset = 3

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.layer3(self.layer2(self.layer1(out)))
        logits = self.linear(out.mean((2, 3)))
        if self.lab_taxonomy:
            lab = torch.tensor([has_lab_chart(tile) for tile in x[:, :, :3, :3]])
            order = (torch.arange(logits.shape[1]) + self.lab_offset * lab.long()[:, None]) % logits.shape[1]
            logits = logits.gather(1, order)  # expect: T8
        return logits


def _inputs(n):
    coarse = torch.rand(n, 3, 4, 4) * torch.tensor([0.5, 1.0, 0.4]).view(1, 3, 1, 1)
    return (F.interpolate(coarse, size=32, mode="bilinear", align_corners=False) + 0.05 * torch.randn(n, 3, 32, 32)).clamp(0, 1)


def _trigger(x):
    x = x.clone()
    x[:, :, :3, :3] = LAB_CHART
    return x


def corpus_case():
    torch.manual_seed(0)
    model = LeafResNet(lab_taxonomy=False)
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.momentum = None
    model.train()
    with torch.no_grad():
        model(_inputs(128))
    model.eval()
    model.lab_taxonomy = True
    reference = LeafResNet(lab_taxonomy=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
