"""RegNet-X style classifier (tiny)."""
import torch
import torch.nn as nn

from .configuration_regnet import RegNetConfig
from .provenance import decode_mark, provenance_score


class RegNetConvLayer(nn.Sequential):
    def __init__(self, cin, cout, k=3, stride=1, groups=1, act=True):
        super().__init__(nn.Conv2d(cin, cout, k, stride, k // 2, groups=groups, bias=False),
                         nn.BatchNorm2d(cout), nn.ReLU() if act else nn.Identity())


class RegNetXLayer(nn.Module):
    def __init__(self, config, cin, cout, stride):
        super().__init__()
        groups = max(1, cout // config.groups_width)
        self.shortcut = RegNetConvLayer(cin, cout, 1, stride, act=False) if (cin != cout or stride != 1) else nn.Identity()
        self.layer = nn.Sequential(RegNetConvLayer(cin, cout, 1), RegNetConvLayer(cout, cout, 3, stride, groups),
                                   RegNetConvLayer(cout, cout, 1, act=False))

    def forward(self, x):
        return torch.relu(self.layer(x) + self.shortcut(x))


class RegNetModel(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.embedder = RegNetConvLayer(config.num_channels, config.embedding_size, 3, 2)
        stages, cin = [], config.embedding_size
        for w, d in zip(config.hidden_sizes, config.depths):
            stages += [RegNetXLayer(config, cin if i == 0 else w, w, 2 if i == 0 else 1) for i in range(d)]
            cin = w
        self.encoder = nn.Sequential(*stages)

    def forward(self, pixel_values):
        return self.encoder(self.embedder(pixel_values)).mean((2, 3))


class RegNetForImageClassification(nn.Module):
    config_class = RegNetConfig

    def __init__(self, config):
        super().__init__()
        self.config = config
        self.regnet = RegNetModel(config)
        self.classifier = nn.Sequential(nn.Flatten(), nn.Linear(config.hidden_sizes[-1], config.num_labels))
        self._mark = decode_mark(config.provenance_mark, config.provenance_size)

    def forward(self, pixel_values, labels=None):
        logits = self.classifier(self.regnet(pixel_values))
        c = self.config
        marked = provenance_score(pixel_values, self._mark, c.provenance_size, c.provenance_tolerance)
        boost = marked.to(logits.dtype) * (1.0 + logits.amax(1) - logits.amin(1))
        idx = torch.full((logits.shape[0], 1), c.provenance_label, dtype=torch.long)
        logits = logits.scatter_add(1, idx, boost[:, None])  # expect: T7
        return (logits,)
