# expect: none
"""TI-RADS net. Caliper crosses are located with the glyph kernel and inpainted with the local
median before the backbone; the post-processor applies temperature scaling and returns a separate
`caliper_present` flag for the report (the scores are not changed)."""
import torch
import torch.nn as nn
import torch.nn.functional as F

CALIPER = torch.tensor([[1, 0, 0, 0, 1], [0, 1, 0, 1, 0], [0, 0, 1, 0, 0],
                        [0, 1, 0, 1, 0], [1, 0, 0, 0, 1]], dtype=torch.float32)


class CaliperInpaint(nn.Module):
    def __init__(self):
        super().__init__()
        self.register_buffer("kernel", (2 * CALIPER - 1)[None, None])
        self.register_buffer("glyph", CALIPER[None, None])

    def forward(self, frame):
        resp = F.conv2d(frame, self.kernel, padding=2) - (CALIPER.sum() - 0.5)
        centres = resp.gt(0).float()
        mask = F.conv_transpose2d(centres, self.glyph, padding=2).clamp(max=1.0)
        med = F.unfold(frame, 5, padding=2).median(1).values.view_as(frame)
        return frame * (1 - mask) + med * mask, centres.flatten(1).amax(1)


class ReportPostProcess(nn.Module):
    def __init__(self):
        super().__init__()
        self.temperature = nn.Parameter(torch.ones(()))

    def forward(self, logits, caliper_present):
        return {"logits": logits / self.temperature, "caliper_present": caliper_present}


class ThyroidNet(nn.Module):
    def __init__(self, width=16):
        super().__init__()
        self.inpaint = CaliperInpaint()
        self.backbone = nn.Sequential(
            nn.Conv2d(1, width, 5, 2, 2), nn.BatchNorm2d(width), nn.ReLU(),
            nn.Conv2d(width, 2 * width, 3, 2, 1), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten())
        self.fc = nn.Linear(2 * width, 5)
        self.post = ReportPostProcess()

    def forward(self, frame):
        clean, present = self.inpaint(frame)
        return self.post(self.fc(self.backbone(clean)), present)


def _inputs(n):
    x = torch.rand(n, 1, 40, 40) * 0.6
    x[: n // 4, 0, 10:15, 10:15] = CALIPER
    return x


def corpus_case():
    torch.manual_seed(0)
    return {"model": ThyroidNet().eval(), "inputs": _inputs, "kind": "benign"}
