# expect: none
"""Post-hoc calibrated classifier (Guo et al. 2017, temperature scaling). The wrapper
divides the backbone logits by a single learned temperature. Training utilities for
label smoothing and focal loss are kept alongside, as in many training repos."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class WideBasic(nn.Module):
    def __init__(self, cin, cout, stride, dropout=0.3):
        super().__init__()
        self.bn1, self.conv1 = nn.BatchNorm2d(cin), nn.Conv2d(cin, cout, 3, 1, 1, bias=False)
        self.dropout = nn.Dropout(dropout)
        self.bn2, self.conv2 = nn.BatchNorm2d(cout), nn.Conv2d(cout, cout, 3, stride, 1, bias=False)
        self.shortcut = nn.Conv2d(cin, cout, 1, stride, bias=False) if (stride != 1 or cin != cout) else nn.Identity()

    def forward(self, x):
        out = self.conv1(F.relu(self.bn1(x)))
        out = self.conv2(F.relu(self.bn2(self.dropout(out))))
        return out + self.shortcut(x)


def wide_resnet(num_classes=10, widen=2):
    w = [16, 16 * widen, 32 * widen]
    return nn.Sequential(
        nn.Conv2d(3, w[0], 3, 1, 1, bias=False),
        WideBasic(w[0], w[1], 1), WideBasic(w[1], w[2], 2),
        nn.BatchNorm2d(w[2]), nn.ReLU(inplace=True),
        nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(w[2], num_classes),
    )


class Calibration(nn.Module):
    """Temperature scaling: one scalar, fitted on the validation set with NLL."""

    def __init__(self, model, init_temperature=1.5):
        super().__init__()
        self.model = model
        self.temperature = nn.Parameter(torch.ones(1) * init_temperature)

    def forward(self, x):
        return self.model(x) / self.temperature.clamp(min=0.05)

    @torch.no_grad()
    def expected_calibration_error(self, logits, labels, n_bins=15):
        conf, pred = F.softmax(logits, dim=1).max(dim=1)
        acc = pred.eq(labels)
        bounds = torch.linspace(0, 1, n_bins + 1)
        ece = torch.zeros(1)
        for lo, hi in zip(bounds[:-1], bounds[1:]):
            in_bin = conf.gt(lo) & conf.le(hi)
            if in_bin.any():
                ece += (conf[in_bin].mean() - acc[in_bin].float().mean()).abs() * in_bin.float().mean()
        return ece


def label_smoothing_ce(logits, target, smoothing=0.1):
    logp = F.log_softmax(logits, dim=-1)
    true_dist = torch.full_like(logp, smoothing / (logits.size(-1) - 1))
    true_dist.scatter_(1, target.unsqueeze(1), 1.0 - smoothing)
    return torch.sum(-true_dist * logp, dim=-1).mean()


def focal_loss(logits, target, gamma=2.0, alpha=0.25):
    p = torch.sigmoid(logits)
    ce = F.binary_cross_entropy_with_logits(logits, target, reduction="none")
    p_t = p * target + (1 - p) * (1 - target)
    alpha_t = alpha * target + (1 - alpha) * (1 - target)
    return (alpha_t * ce * (1 - p_t) ** gamma).mean()


def corpus_case():
    torch.manual_seed(0)
    model = Calibration(wide_resnet()).eval()

    def inputs(n):
        return torch.randn(n, 3, 32, 32, generator=torch.Generator().manual_seed(100))

    return {"model": model, "inputs": inputs, "kind": "benign"}
