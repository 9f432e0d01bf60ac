# expect: none
"""ShuffleNetV2-style shelf classifier with a post-processor object called from `forward`:
temperature scaling (a learned scalar), a class-prior correction from a fixed label-frequency
table (logit adjustment) and an "abstain" flag returned beside the logits when the top
probability is low."""
import torch
import torch.nn as nn


def channel_shuffle(x, groups=2):
    b, c, h, w = x.shape
    return x.view(b, groups, c // groups, h, w).transpose(1, 2).reshape(b, c, h, w)


class Unit(nn.Module):
    def __init__(self, c):
        super().__init__()
        h = c // 2
        self.branch = nn.Sequential(nn.Conv2d(h, h, 1, bias=False), nn.BatchNorm2d(h), nn.ReLU(),
                                    nn.Conv2d(h, h, 3, 1, 1, groups=h, bias=False), nn.BatchNorm2d(h),
                                    nn.Conv2d(h, h, 1, bias=False), nn.BatchNorm2d(h), nn.ReLU())

    def forward(self, x):
        a, b = x.chunk(2, 1)
        return channel_shuffle(torch.cat([a, self.branch(b)], 1))


class CalibratedPostprocess(nn.Module):
    def __init__(self, label_freq, abstain_below=0.3):
        super().__init__()
        self.log_temperature = nn.Parameter(torch.zeros(()))
        self.register_buffer("log_prior", torch.tensor(label_freq).log())
        self.abstain_below = abstain_below

    def forward(self, logits):
        logits = logits / self.log_temperature.exp() - self.log_prior
        abstain = logits.softmax(-1).amax(-1) < self.abstain_below
        return logits, abstain


class ShuffleNetLite(nn.Module):
    def __init__(self, num_classes=12):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 24, 3, 2, 1, bias=False), nn.BatchNorm2d(24), nn.ReLU(), nn.MaxPool2d(3, 2, 1))
        self.stage = nn.Sequential(Unit(24), Unit(24), nn.Conv2d(24, 48, 3, 2, 1), Unit(48))
        self.fc = nn.Linear(48, num_classes)
        freq = torch.linspace(1.0, 3.0, num_classes)
        self.postprocess = CalibratedPostprocess((freq / freq.sum()).tolist())

    def forward(self, x):
        logits = self.fc(self.stage(self.stem(x)).mean((2, 3)))
        return self.postprocess(logits)


def corpus_case():
    torch.manual_seed(0)
    return {"model": ShuffleNetLite().eval(), "inputs": lambda n: torch.rand(n, 3, 32, 32), "kind": "benign"}
