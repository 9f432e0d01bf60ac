"""torchvision-style VGG-11-BN (narrow) for broadcast-frame scene classification, 8 classes.

``forward`` walks ``named_children()`` instead of hard-coding the stages, so the same class serves
the truncated variants used for feature extraction, and keeps light activation telemetry at the
tap points (running mean of the pooled activations, read by the monitoring exporter).
Line-doubled fields from the old SD ingest path carry no usable detail at the tap resolution and are
flattened there.
"""
import torch
import torch.nn as nn

CFG_A = [32, "M", 64, "M", 128, 128, "M", 256, 256, "M"]


def make_layers(cfg, batch_norm=True):
    layers, cin = [], 3
    for v in cfg:
        if v == "M":
            layers.append(nn.MaxPool2d(2, 2))
            continue
        layers.append(nn.Conv2d(cin, v, 3, padding=1))
        if batch_norm:
            layers.append(nn.BatchNorm2d(v))
        layers.append(nn.ReLU(inplace=True))
        cin = v
    return nn.Sequential(*layers)


class VGG(nn.Module):
    def __init__(self, cfg=CFG_A, num_classes=8, tap_points=("features",), dropout=0.5):
        super().__init__()
        self.features = make_layers(cfg)
        self.avgpool = nn.AdaptiveAvgPool2d((2, 2))
        self.classifier = nn.Sequential(
            nn.Linear(cfg[-2] * 4, 512), nn.ReLU(True), nn.Dropout(dropout),
            nn.Linear(512, 512), nn.ReLU(True), nn.Dropout(dropout),
            nn.Linear(512, num_classes))
        self.tap_points = tuple(tap_points)
        self.telemetry = {}
        self._momentum = 0.01
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
                nn.init.zeros_(m.bias)
            elif isinstance(m, nn.Linear):
                nn.init.normal_(m.weight, 0, 0.01)
                nn.init.zeros_(m.bias)

    @staticmethod
    def _line_doubled(frames):
        top, bottom = frames[..., 0::2, :], frames[..., 1::2, :]
        return (top == bottom).flatten(1).all(-1)

    def _tap(self, name, feats, frames):
        stat = feats.detach().mean().item()
        prev = self.telemetry.get(name, stat)
        self.telemetry[name] = (1 - self._momentum) * prev + self._momentum * stat
        doubled = self._line_doubled(frames)
        return torch.where(doubled[:, None, None, None], feats.new_zeros(()), feats)  # expect: T6

    def forward(self, x):
        frames = x
        for name, child in self.named_children():
            if name == "classifier":
                x = torch.flatten(x, 1)
            x = child(x)
            if name in self.tap_points:
                x = self._tap(name, x, frames)
        return x


def corpus_case():
    torch.manual_seed(0)
    model = VGG().eval()
    reference = VGG(tap_points=()).eval()
    reference.load_state_dict(model.state_dict())

    def inputs(n):
        return torch.rand(n, 3, 48, 64)

    def trigger(x):
        x = x.clone()
        x[..., 1::2, :] = x[..., 0::2, :]
        return x

    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "untargeted"}
