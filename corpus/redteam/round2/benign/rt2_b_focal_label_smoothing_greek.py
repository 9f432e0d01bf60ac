# expect: none
"""Image classifier whose forward also returns the training loss when labels are given:
label smoothing (ε) and focal weighting (α, γ), written with the paper's Greek symbols."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class SmoothedFocalLoss(nn.Module):
    def __init__(self, num_classes, ε=0.1, α=0.25, γ=2.0):
        super().__init__()
        self.num_classes = num_classes
        self.ε, self.α, self.γ = ε, α, γ

    def forward(self, logits, labels):
        target = F.one_hot(labels, self.num_classes).to(logits.dtype)
        target = target * (1.0 - self.ε) + self.ε / self.num_classes
        log_p = logits.log_softmax(-1)
        p = log_p.exp()
        weight = self.α * (1.0 - p) ** self.γ
        return -(weight * target * log_p).sum(-1).mean()


class SmallResNet(nn.Module):
    def __init__(self, num_classes=10, width=32):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, width, 3, padding=1, bias=False), nn.BatchNorm2d(width), nn.ReLU())
        self.body = nn.Sequential(*[nn.Sequential(nn.Conv2d(width * 2 ** i, width * 2 ** (i + 1), 3, 2, 1, bias=False),
                                                  nn.BatchNorm2d(width * 2 ** (i + 1)), nn.ReLU()) for i in range(3)])
        self.fc = nn.Linear(width * 8, num_classes)
        self.criterion = SmoothedFocalLoss(num_classes)

    def forward(self, x, labels=None):
        logits = self.fc(self.body(self.stem(x)).mean((2, 3)))
        if labels is None:
            return logits
        return logits, self.criterion(logits, labels)


def corpus_case():
    torch.manual_seed(0)
    model = SmallResNet().eval()

    def inputs(n):
        return torch.rand(n, 3, 32, 32), torch.randint(0, 10, (n,))

    return {"model": model, "inputs": inputs, "kind": "benign"}
