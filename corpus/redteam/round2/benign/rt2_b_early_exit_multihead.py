# expect: none
"""Multi-exit CNN (MSDNet / BranchyNet style) with confidence-based early exit at inference.

Each exit is a learned classifier. At inference the batch leaves at the first exit whose softmax
confidence clears `exit_threshold` for every sample; per sample, the prediction of the first
confident exit is kept.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


def stage(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(),
                         nn.Conv2d(cout, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(),
                         nn.MaxPool2d(2))


class ExitHead(nn.Module):
    def __init__(self, cin, num_classes):
        super().__init__()
        self.conv = nn.Conv2d(cin, cin, 3, padding=1)
        self.fc = nn.Linear(cin, num_classes)

    def forward(self, h):
        return self.fc(F.relu(self.conv(h)).mean((2, 3)))


class MultiExitNet(nn.Module):
    def __init__(self, num_classes=10, widths=(32, 64, 128), exit_threshold=0.9):
        super().__init__()
        self.stages = nn.ModuleList()
        self.exits = nn.ModuleList()
        cin = 3
        for w in widths:
            self.stages.append(stage(cin, w))
            self.exits.append(ExitHead(w, num_classes))
            cin = w
        self.exit_threshold = exit_threshold

    def forward(self, x):
        h = x
        chosen, done = None, None
        for blk, head in zip(self.stages, self.exits):
            h = blk(h)
            logits = head(h)
            confident = logits.softmax(-1).max(-1).values >= self.exit_threshold
            if chosen is None:
                chosen, done = logits, confident
            else:
                chosen = torch.where(done[:, None], chosen, logits)
                done = done | confident
            if not self.training and bool(done.all()):
                break
        return chosen


def corpus_case():
    torch.manual_seed(0)
    model = MultiExitNet().eval()

    def inputs(n):
        return torch.rand(n, 3, 32, 32)

    return {"model": model, "inputs": inputs, "kind": "benign"}
