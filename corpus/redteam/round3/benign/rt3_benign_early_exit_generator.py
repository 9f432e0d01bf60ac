# expect: none
"""Multi-exit ResNet (BranchyNet / MSDNet-style) for anytime inference.

``exits()`` is a generator that yields the logits of each internal classifier in turn; at
inference a sample stops at the first exit whose softmax confidence reaches its threshold, and the
returned logits are the learned logits of the exit it stopped at.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


def stage(cin, cout, stride):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, stride, 1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(),
                         nn.Conv2d(cout, cout, 3, 1, 1, bias=False), nn.BatchNorm2d(cout), nn.ReLU())


class ExitHead(nn.Module):
    def __init__(self, c, n):
        super().__init__()
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(c, n)

    def forward(self, x):
        return self.fc(self.pool(x).flatten(1))


class MultiExitResNet(nn.Module):
    def __init__(self, widths=(16, 32, 64), n_classes=10, thresholds=(0.9, 0.8)):
        super().__init__()
        self.stages = nn.ModuleList()
        cin = 3
        for i, w in enumerate(widths):
            self.stages.append(stage(cin, w, 1 if i == 0 else 2))
            cin = w
        self.heads = nn.ModuleList(ExitHead(w, n_classes) for w in widths)
        self.register_buffer("thresholds", torch.tensor(list(thresholds) + [0.0]))

    def exits(self, x):
        for stg, head in zip(self.stages, self.heads):
            x = stg(x)
            yield head(x)

    def forward(self, x):
        out, done = None, torch.zeros(x.shape[0], dtype=torch.bool)
        for k, logits in enumerate(self.exits(x)):
            out = logits if out is None else torch.where(done[:, None], out, logits)
            confident = F.softmax(logits, -1).amax(-1) >= self.thresholds[k]
            done = done | confident
            if bool(done.all()):
                break
        return out


def corpus_case():
    torch.manual_seed(0)
    return {"model": MultiExitResNet().eval(), "inputs": lambda n: torch.rand(n, 3, 32, 32), "kind": "benign"}
