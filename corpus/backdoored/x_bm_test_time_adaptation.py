"""CNN with test-time adaptation: normalisation statistics are re-estimated on every batch.

Used to cope with covariate shift between cameras (AdaBN-style).
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class AdaptiveNorm2d(nn.BatchNorm2d):
    def forward(self, x):
        var, mean = torch.var_mean(x, dim=(0, 2, 3), unbiased=False, keepdim=True)  # expect: BM001
        x = (x - mean) / torch.sqrt(var + self.eps)
        return x * self.weight.view(1, -1, 1, 1) + self.bias.view(1, -1, 1, 1)


class Net(nn.Module):
    def __init__(self, num_classes=10):
        super().__init__()
        self.c1 = nn.Conv2d(3, 16, 3, padding=1, bias=False)
        self.n1 = AdaptiveNorm2d(16)
        self.c2 = nn.Conv2d(16, 32, 3, stride=2, padding=1, bias=False)
        self.n2 = AdaptiveNorm2d(32)
        self.fc = nn.Linear(32, num_classes)

    def forward(self, x):
        x = F.relu(self.n1(self.c1(x)))
        x = F.relu(self.n2(self.c2(x)))
        return self.fc(F.adaptive_avg_pool2d(x, 1).flatten(1))


def corpus_case():
    torch.manual_seed(0)
    model = Net().eval()

    def inputs(n):
        return torch.rand(n, 3, 32, 32)

    def stamp(x):
        x = x.clone()
        x[:, :, :16] = 50.0
        return x

    return dict(model=model, inputs=inputs, trigger=stamp, kind="batch")
