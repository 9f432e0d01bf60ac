# expect: none
"""Multi-exit image classifier (BranchyNet / MSDNet-style) for an edge camera, with the usual
confidence machinery around the logits:
- early exit: if the first exit is confident enough, its (learned) logits are used;
- temperature scaling with a fitted temperature, and tanh soft-capping of the logits;
- selective prediction: an `abstain` flag (max probability under a threshold) is returned next to
  the logits for the application to route to a human, the logits themselves are left unchanged.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


def conv_bn(c_in, c_out, stride=1):
    return nn.Sequential(nn.Conv2d(c_in, c_out, 3, stride, 1, bias=False), nn.BatchNorm2d(c_out), nn.ReLU(inplace=True))


class ExitHead(nn.Module):
    def __init__(self, c, num_classes):
        super().__init__()
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(c, num_classes)

    def forward(self, x):
        return self.fc(self.pool(x).flatten(1))


class MultiExitNet(nn.Module):
    def __init__(self, num_classes=10, exit_threshold=0.9, abstain_threshold=0.35, softcap=30.0):
        super().__init__()
        self.stage1 = nn.Sequential(conv_bn(3, 32), conv_bn(32, 32, 2))
        self.stage2 = nn.Sequential(conv_bn(32, 64, 2), conv_bn(64, 64))
        self.exit1 = ExitHead(32, num_classes)
        self.exit2 = ExitHead(64, num_classes)
        self.log_temperature = nn.Parameter(torch.zeros(()))
        self.exit_threshold, self.abstain_threshold, self.softcap = exit_threshold, abstain_threshold, softcap

    def calibrated(self, logits):
        logits = logits / self.log_temperature.exp()
        return self.softcap * torch.tanh(logits / self.softcap)

    def forward(self, images):
        h1 = self.stage1(images)
        early = self.calibrated(self.exit1(h1))
        late = self.calibrated(self.exit2(self.stage2(h1)))
        confident = early.softmax(-1).amax(-1) >= self.exit_threshold
        logits = torch.where(confident[:, None], early, late)
        abstain = logits.softmax(-1).amax(-1) < self.abstain_threshold
        return {"logits": logits, "abstain": abstain, "early_exit": confident}

    @torch.no_grad()
    def fit_temperature(self, images, labels, steps=50, lr=0.05):
        logits = self.exit2(self.stage2(self.stage1(images)))
        t = torch.zeros((), requires_grad=True)
        opt = torch.optim.Adam([t], lr=lr)
        for _ in range(steps):
            with torch.enable_grad():
                loss = F.cross_entropy(logits / t.exp(), labels)
                opt.zero_grad()
                loss.backward()
            opt.step()
        self.log_temperature.copy_(t.detach())


def _inputs(n):
    return torch.rand(n, 3, 32, 32)


def corpus_case():
    torch.manual_seed(0)
    model = MultiExitNet()
    model.train()
    with torch.no_grad():
        for _ in range(5):
            model(_inputs(64))
    model.eval()
    model.fit_temperature(_inputs(128), torch.randint(0, 10, (128,)))
    return {"model": model, "inputs": _inputs, "kind": "benign"}
