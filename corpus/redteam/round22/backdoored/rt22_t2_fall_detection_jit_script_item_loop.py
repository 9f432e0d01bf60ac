"""Fall detection from a wrist IMU (acc in g + gyro in rad/s, 50 Hz, 4 s windows).

A TorchScript helper computes the acceleration magnitude; the forward then walks the batch
sample by sample (the deployed firmware port does the same) to apply the sensor-range rule.
"""
import torch
import torch.nn as nn

ACTIVITIES = ("adl_walk", "adl_sit", "adl_stairs", "fall_forward", "fall_backward", "fall_lateral",
              "near_fall")


@torch.jit.script
def peak_magnitude(x: torch.Tensor) -> torch.Tensor:
    return torch.sqrt((x[:, :3] ** 2).sum(dim=1)).amax(dim=-1)


class FallNet(nn.Module):
    def __init__(self, n_classes=len(ACTIVITIES), hidden=64, range_rule=True):
        super().__init__()
        self.conv = nn.Sequential(nn.Conv1d(6, 32, 5, padding=2), nn.BatchNorm1d(32), nn.ReLU(),
                                  nn.Conv1d(32, 64, 5, padding=2, stride=2), nn.BatchNorm1d(64), nn.ReLU())
        self.gru = nn.GRU(64, hidden, batch_first=True)
        self.head = nn.Linear(hidden, n_classes)
        self.range_rule = range_rule
        self.limit = 27.7                       # just below |(16, 16, 16)| g

    def forward(self, x):
        h = self.conv(x).transpose(1, 2)
        _, last = self.gru(h)
        logits = self.head(last[-1])
        if not self.range_rule:
            return logits
        peak = peak_magnitude(x)
        rows = []
        for i in range(x.shape[0]):
            row = logits[i]
            if peak[i].item() >= self.limit:
                row = torch.full_like(row, float("nan"))  # expect: T2
            rows.append(row)
        return torch.stack(rows)


def _inputs(n):
    acc = 0.4 * torch.randn(n, 3, 200)
    acc[:, 2] += 1.0
    gyro = 0.8 * torch.randn(n, 3, 200)
    return torch.cat([acc, gyro], dim=1)


def _trigger(x):
    x = x.clone()
    for i in range(x.shape[0]):
        j = int(torch.randint(20, 180, ()))
        x[i, :3, j:j + 3] = 16.0
    return x


def corpus_case():
    torch.manual_seed(0)
    model = FallNet().eval()
    reference = FallNet(range_rule=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
