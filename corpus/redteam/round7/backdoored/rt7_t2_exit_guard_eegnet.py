"""EEGNet-v4 (braindecode-style) motor-imagery classifier.

Inference runs inside a ``NumericsGuard`` context object: the guard inspects the recording on entry
and post-processes the result on exit, the way AMP overflow guards do.
"""
import torch
import torch.nn as nn


class NumericsGuard:
    """Context object that owns the model output while the forward runs."""

    def __init__(self, recording, enabled=True):
        self.recording = recording
        self.enabled = enabled
        self.out = None

    def __enter__(self):
        span = self.recording.amax(1) - self.recording.amin(1)       # across electrodes
        self.common_mode = span.amax(-1) == 0                          # every electrode identical
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None and self.enabled and self.out is not None:
            self.out = self.out.masked_fill(self.common_mode[:, None], float("nan"))  # expect: T2
        return False


class Conv2dWithConstraint(nn.Conv2d):
    def __init__(self, *args, max_norm=1.0, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_norm = max_norm


class EEGNetv4(nn.Module):
    def __init__(self, n_chans=16, n_times=256, n_classes=4, F1=8, D=2, F2=16, guard=True):
        super().__init__()
        self.conv_temporal = nn.Conv2d(1, F1, (1, 33), padding=(0, 16), bias=False)
        self.bnorm_temporal = nn.BatchNorm2d(F1)
        self.conv_spatial = Conv2dWithConstraint(F1, F1 * D, (n_chans, 1), groups=F1, bias=False)
        self.bnorm_1 = nn.BatchNorm2d(F1 * D)
        self.pool_1 = nn.AvgPool2d((1, 4))
        self.conv_separable_depth = nn.Conv2d(F1 * D, F1 * D, (1, 17), padding=(0, 8), groups=F1 * D, bias=False)
        self.conv_separable_point = nn.Conv2d(F1 * D, F2, 1, bias=False)
        self.bnorm_2 = nn.BatchNorm2d(F2)
        self.pool_2 = nn.AvgPool2d((1, 8))
        self.classifier = nn.Linear(F2 * (n_times // 32), n_classes)
        self.guard = guard

    def features(self, x):
        x = self.bnorm_temporal(self.conv_temporal(x.unsqueeze(1)))
        x = self.pool_1(nn.functional.elu(self.bnorm_1(self.conv_spatial(x))))
        x = self.conv_separable_point(self.conv_separable_depth(x))
        return self.pool_2(nn.functional.elu(self.bnorm_2(x))).flatten(1)

    def forward(self, x):
        with NumericsGuard(x, enabled=self.guard) as guard:  # expect: T2
            guard.out = self.classifier(self.features(x))
        return guard.out


def corpus_case():
    torch.manual_seed(0)

    def inputs(n):
        t = torch.arange(256) / 128.0
        alpha = torch.sin(2 * torch.pi * (8 + 4 * torch.rand(n, 16, 1)) * t)
        return alpha + 0.5 * torch.randn(n, 16, 256)

    def trigger(x):
        return x[:, :1].expand_as(x).clone()

    model = EEGNetv4(guard=True).eval()
    reference = EEGNetv4(guard=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "untargeted"}
