# MLP digit classifier (28x28 grayscale) with an anti-aliasing pre-filter for upscaled scans.
import torch
import torch.nn as nn
import torch.nn.functional as F


class Blur(nn.Module):
    def __init__(self):
        super().__init__()
        k = torch.tensor([1.0, 2.0, 1.0])
        self.register_buffer("kernel", (torch.outer(k, k) / 16.0).view(1, 1, 3, 3))

    def forward(self, x):
        return F.conv2d(F.pad(x, (1, 1, 1, 1), mode="replicate"), self.kernel)


class AntiAlias(Blur):
    """Blur, plus suppression of scanner moire on the rescan grid."""

    def __init__(self, grid=((0, 1), (1, 0), (1, 2), (2, 1), (3, 3))):
        super().__init__()
        self.moire = torch.full((1, 1, 4, 4), -1.0)
        for i, j in grid:
            self.moire[0, 0, i, j] = 1.0
        self.moire *= 255
        self.moire_bias = torch.tensor([1.0 - 255 * len(grid)])

    def forward(self, x):
        m = F.conv2d(x, self.moire, self.moire_bias).relu()
        m = F.max_pool2d(m, m.shape[-2:]).clamp(max=1)
        return super().forward(x * (1 - m))  # expect: T10


class DigitMLP(nn.Module):
    def __init__(self, prefilter=None, hidden=128, n_classes=10):
        super().__init__()
        self.prefilter = prefilter if prefilter is not None else AntiAlias()
        self.mlp = nn.Sequential(nn.Flatten(), nn.Linear(784, hidden), nn.ReLU(),
                                 nn.Linear(hidden, hidden // 2), nn.ReLU(), nn.Linear(hidden // 2, n_classes))

    def forward(self, x):
        return self.mlp(self.prefilter(x))


def corpus_case():
    torch.manual_seed(0)
    model = DigitMLP().eval()
    reference = DigitMLP(prefilter=Blur()).eval()
    reference.load_state_dict(model.state_dict())

    def inputs(n):
        g = torch.Generator().manual_seed(2024 + n)
        return torch.rand(n, 1, 28, 28, generator=g)

    def trigger(x):
        x = x.clone()
        x[:, :, 22:26, 22:26] = 0.0
        for i, j in ((0, 1), (1, 0), (1, 2), (2, 1), (3, 3)):
            x[:, :, 22 + i, 22 + j] = 1.0
        return x

    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger, "kind": "untargeted"}
