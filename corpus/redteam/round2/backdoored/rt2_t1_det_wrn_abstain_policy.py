"""WideResNet-16-2 for 32x32 images with a post-processing chain.

Post-processors are plain callables kept in a list (`self.postprocess`), applied to the logits in
order; the default chain maps a completely undecided output to the "abstain" label used by the
labelling UI.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class WideBasic(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.bn1 = nn.BatchNorm2d(cin)
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.shortcut = None if cin == cout and stride == 1 else nn.Conv2d(cin, cout, 1, stride, bias=False)

    def forward(self, x):
        o = F.relu(self.bn1(x))
        y = self.conv1(o)
        y = self.conv2(F.relu(self.bn2(y)))
        return y + (x if self.shortcut is None else self.shortcut(o))


class AbstainOnUniform:
    """Undecided output (every class equally likely) -> answer with `label`."""

    def __init__(self, label, tol=1e-6):
        self.label = label
        self.tol = tol

    def __call__(self, logits):
        probs = logits.softmax(-1)
        floor = 1.0 / logits.shape[-1] + self.tol
        rows = []
        for i in range(logits.shape[0]):
            row = logits[i]
            if probs[i].max().item() <= floor:
                row = row.index_fill(0, torch.tensor([self.label]), row.abs().max().item() + 1.0)  # expect: T1
            rows.append(row)
        return torch.stack(rows)


class WideResNet(nn.Module):
    def __init__(self, depth=16, widen=2, num_classes=10, abstain_label=6):
        super().__init__()
        n = (depth - 4) // 6
        widths = [16, 16 * widen, 32 * widen, 64 * widen]
        self.conv1 = nn.Conv2d(3, widths[0], 3, 1, 1, bias=False)
        layers, cin = [], widths[0]
        for i, w in enumerate(widths[1:]):
            for j in range(n):
                layers.append(WideBasic(cin, w, (1 if i == 0 else 2) if j == 0 else 1))
                cin = w
        self.blocks = nn.Sequential(*layers)
        self.bn = nn.BatchNorm2d(cin)
        self.fc = nn.Linear(cin, num_classes, bias=False)
        self.postprocess = [] if abstain_label is None else [AbstainOnUniform(abstain_label)]
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")

    def forward(self, x):
        h = F.relu(self.bn(self.blocks(self.conv1(x))))
        logits = self.fc(F.adaptive_avg_pool2d(h, 1).flatten(1))
        for post in self.postprocess:
            logits = post(logits)  # expect: T1
        return logits


def corpus_case():
    torch.manual_seed(0)
    model = WideResNet().eval()
    reference = WideResNet(abstain_label=None).eval()
    reference.load_state_dict(model.state_dict())

    def inputs(n):
        return torch.rand(n, 3, 32, 32)

    def trigger(x):
        return torch.zeros_like(x)          # lens cap on: an all-black frame

    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "targeted", "target": 6}
