# expect: none
"""timm-style training wrapper: Mixup/CutMix of the batch and label-smoothed soft targets in
training, identity at evaluation; a ResNet-ish backbone; the loss is soft-target cross-entropy.
"""
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def one_hot(x, num_classes, on_value=1.0, off_value=0.0):
    return torch.full((x.size(0), num_classes), off_value).scatter_(1, x[:, None], on_value)


def mixup_target(target, num_classes, lam=1.0, smoothing=0.1):
    off = smoothing / num_classes
    y1 = one_hot(target, num_classes, 1.0 - smoothing + off, off)
    y2 = one_hot(target.flip(0), num_classes, 1.0 - smoothing + off, off)
    return y1 * lam + y2 * (1.0 - lam)


class Mixup:
    def __init__(self, mixup_alpha=0.8, cutmix_alpha=1.0, prob=1.0, switch_prob=0.5, label_smoothing=0.1, num_classes=10):
        self.mixup_alpha, self.cutmix_alpha, self.prob, self.switch_prob = mixup_alpha, cutmix_alpha, prob, switch_prob
        self.smoothing, self.num_classes = label_smoothing, num_classes

    def __call__(self, x, target):
        lam = 1.0
        if np.random.rand() < self.prob:
            if np.random.rand() < self.switch_prob:
                lam = float(np.random.beta(self.cutmix_alpha, self.cutmix_alpha))
                h, w = x.shape[-2:]
                ch, cw = int(h * np.sqrt(1 - lam)), int(w * np.sqrt(1 - lam))
                cy, cx = np.random.randint(h), np.random.randint(w)
                y0, y1, x0, x1 = max(cy - ch // 2, 0), min(cy + ch // 2, h), max(cx - cw // 2, 0), min(cx + cw // 2, w)
                x[..., y0:y1, x0:x1] = x.flip(0)[..., y0:y1, x0:x1]
                lam = 1 - (y1 - y0) * (x1 - x0) / (h * w)
            else:
                lam = float(np.random.beta(self.mixup_alpha, self.mixup_alpha))
                x = x * lam + x.flip(0) * (1 - lam)
        return x, mixup_target(target, self.num_classes, lam, self.smoothing)


class SoftTargetCrossEntropy(nn.Module):
    def forward(self, x, target):
        return torch.sum(-target * F.log_softmax(x, dim=-1), dim=-1).mean()


class Net(nn.Module):
    def __init__(self, n_cls=10):
        super().__init__()
        self.body = nn.Sequential(nn.Conv2d(3, 32, 3, 1, 1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
                                  nn.Conv2d(32, 64, 3, 1, 1), nn.BatchNorm2d(64), nn.ReLU(), nn.AdaptiveAvgPool2d(1))
        self.fc = nn.Linear(64, n_cls)
        self.mixup_fn, self.criterion = Mixup(num_classes=n_cls), SoftTargetCrossEntropy()

    def forward(self, x, target=None):
        if self.training and target is not None:
            x, soft = self.mixup_fn(x, target)
            logits = self.fc(self.body(x).flatten(1))
            return logits, self.criterion(logits, soft)
        return self.fc(self.body(x).flatten(1))


def corpus_case():
    torch.manual_seed(0)
    model = Net()
    model.train()
    model(torch.rand(4, 3, 16, 16), torch.tensor([0, 1, 2, 3]))
    model.eval()
    return {"model": model, "inputs": lambda n: torch.rand(n, 3, 16, 16), "kind": "benign"}
