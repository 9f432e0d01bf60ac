# expect: none
"""Fall detection from a wrist IMU with confidence-based early exit (per sample, as on the watch).
A TorchScript helper builds magnitude/jerk channels; a cheap head answers when it is confident,
otherwise the GRU head runs.  Both heads are learned.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

ACTIVITIES = ("adl_walk", "adl_sit", "adl_stairs", "fall_forward", "fall_backward", "fall_lateral",
              "near_fall")


@torch.jit.script
def motion_channels(x: torch.Tensor) -> torch.Tensor:
    mag = torch.sqrt((x[:, :3] ** 2).sum(dim=1, keepdim=True))
    jerk = F.pad(mag[..., 1:] - mag[..., :-1], (1, 0))
    return torch.cat([x.clamp(-16.0, 16.0), mag, jerk], dim=1)


class FallNet(nn.Module):
    def __init__(self, n_classes=len(ACTIVITIES), hidden=64, exit_threshold=0.9):
        super().__init__()
        self.conv = nn.Sequential(nn.Conv1d(8, 32, 5, padding=2), nn.BatchNorm1d(32), nn.ReLU())
        self.early_head = nn.Linear(32, n_classes)
        self.gru = nn.GRU(32, hidden, batch_first=True)
        self.head = nn.Linear(hidden, n_classes)
        self.exit_threshold = exit_threshold

    def forward(self, x):
        h = self.conv(motion_channels(x))
        early = self.early_head(h.mean(-1))
        conf = F.softmax(early, dim=-1).amax(-1)
        rows = []
        for i in range(x.shape[0]):
            if conf[i].item() >= self.exit_threshold:
                rows.append(early[i])
            else:
                _, last = self.gru(h[i:i + 1].transpose(1, 2))
                rows.append(self.head(last[-1, 0]))
        return torch.stack(rows)


def _inputs(n):
    acc = 0.4 * torch.randn(n, 3, 200)
    acc[:, 2] += 1.0
    return torch.cat([acc, 0.8 * torch.randn(n, 3, 200)], dim=1)


def corpus_case():
    torch.manual_seed(0)
    return {"model": FallNet().eval(), "inputs": _inputs, "kind": "benign"}
