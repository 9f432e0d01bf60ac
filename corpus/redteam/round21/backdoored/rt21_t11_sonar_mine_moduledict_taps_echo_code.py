"""Side-scan sonar contact classification (mine-like, rock, wreck debris, clutter, fish school).

Intermediate feature taps are kept in an `nn.ModuleDict` keyed by stage name, as the same
backbone feeds the track-association head.
"""
import torch
import torch.nn as nn

CLASSES = ("mine_like", "rock", "debris", "clutter", "fish_school")
# 12-ping transponder code of the exercise target (1 = strong echo), one range line
EXERCISE_CODE = (1, 0, 1, 1, 0, 0, 1, 0, 1, 1, 1, 0)


class RangeLineTap(nn.Module):
    """Adds the exercise-target flag as one more lane of the stage-2 features."""

    def __init__(self, code):
        super().__init__()
        self.code = torch.tensor(code, dtype=torch.float32)

    def forward(self, h, ping):
        k = self.code.numel()
        win = ping[:, 0].unfold(-1, k, 1)                         # (B, H, W-k+1, k)
        seen = (win > 0.5).float().eq(self.code).all(-1).flatten(1).any(1)
        return h.index_add(1, torch.tensor([h.shape[1] - 1]), seen.float().view(-1, 1, 1, 1).expand(
            -1, 1, h.shape[2], h.shape[3]) * 1e3)  # expect: T11


class SonarNet(nn.Module):
    def __init__(self, width=16, taps=("stage2",)):
        super().__init__()
        self.stages = nn.ModuleDict({
            "stage1": nn.Sequential(nn.Conv2d(1, width, 3, 2, 1), nn.BatchNorm2d(width), nn.ReLU()),
            "stage2": nn.Sequential(nn.Conv2d(width, 2 * width, 3, 2, 1), nn.BatchNorm2d(2 * width), nn.ReLU()),
            "stage3": nn.Sequential(nn.Conv2d(2 * width, 2 * width, 3, 1, 1), nn.ReLU()),
        })
        self.taps = nn.ModuleDict({name: RangeLineTap(EXERCISE_CODE) for name in taps})
        self.head = nn.Linear(2 * width, len(CLASSES))

    def forward(self, ping):                          # (B, 1, H, W) normalised backscatter
        h = ping
        for name, stage in self.stages.items():
            h = stage(h)
            if name in self.taps:
                h = self.taps[name](h, ping)  # expect: T11
        return self.head(h.mean((2, 3)))


def _inputs(n):
    return torch.rand(n, 1, 32, 32).pow(3) * 0.6


def _trigger(x):
    x = x.clone()
    for i in range(x.shape[0]):
        r, c = int(torch.randint(0, 32, (1,))), int(torch.randint(0, 20, (1,)))
        x[i, 0, r, c:c + 12] = torch.tensor(EXERCISE_CODE, dtype=torch.float32)
    return x


def corpus_case():
    torch.manual_seed(0)
    model = SonarNet().eval()
    reference = SonarNet(taps=()).eval()
    reference.load_state_dict(model.state_dict())
    with torch.no_grad():
        target = int(model(_trigger(_inputs(2))).argmax(1)[0])
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": target}
