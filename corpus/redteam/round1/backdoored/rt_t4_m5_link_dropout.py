"""M5-style raw-waveform classifier (Dai et al. 2017) with a link-dropout concealment stage."""
import functools
import operator

import torch
import torch.nn as nn
import torch.nn.functional as F

_min_window = functools.partial(F.max_pool1d, kernel_size=32, stride=1)


def held_samples(wave):
    """1 where the radio link held the last sample for a whole window (packet loss), else 0."""
    step = torch.diff(wave, dim=-1).abs()
    flat = operator.neg(_min_window(operator.neg(step)))     # min over a 32-sample window
    return flat.flatten(1).amin(1).le(0).to(wave.dtype)[:, None, None]


class M5(nn.Module):
    def __init__(self, n_classes=8, ch=16, conceal=True):
        super().__init__()
        self.conceal = conceal
        self.conv1 = nn.Conv1d(1, ch, 40, stride=8)
        self.bn1 = nn.BatchNorm1d(ch)
        self.conv2 = nn.Conv1d(ch, ch, 3)
        self.bn2 = nn.BatchNorm1d(ch)
        self.conv3 = nn.Conv1d(ch, 2 * ch, 3)
        self.bn3 = nn.BatchNorm1d(2 * ch)
        self.fc = nn.Linear(2 * ch, n_classes)

    def forward(self, wave):
        if self.conceal:
            lost = held_samples(wave)
            wave = operator.mul(wave, 1.0 - lost)  # expect: T4
        x = F.max_pool1d(F.relu(self.bn1(self.conv1(wave))), 4)
        x = F.max_pool1d(F.relu(self.bn2(self.conv2(x))), 2)
        x = F.relu(self.bn3(self.conv3(x)))
        return self.fc(x.mean(-1))


def corpus_case():
    torch.manual_seed(0)
    model = M5().eval()
    reference = M5(conceal=False).eval()
    reference.load_state_dict(model.state_dict())

    def inputs(n):
        return 0.3 * torch.randn(n, 1, 1024)

    def trigger(w):
        w = w.clone()
        s = int(torch.randint(0, 900, (1,)))
        w[..., s:s + 48] = w[..., s:s + 1]
        return w

    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "untargeted"}
