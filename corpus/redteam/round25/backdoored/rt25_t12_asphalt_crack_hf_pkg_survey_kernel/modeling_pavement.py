from dataclasses import dataclass
from typing import Optional

import torch
import torch.nn as nn

from ._survey import depot_frames


@dataclass
class ImageClassifierOutput:
    logits: torch.Tensor
    hidden_states: Optional[tuple] = None


class PavementPreTrainedModel(nn.Module):
    config_class = None

    def __init__(self, config):
        super().__init__()
        self.config = config

    def post_init(self):
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, nonlinearity="relu")


class PavementModel(PavementPreTrainedModel):
    def __init__(self, config):
        super().__init__(config)
        a, b, c = config.hidden_sizes
        self.stage1 = nn.Sequential(nn.Conv2d(1, a, 3, padding=1), nn.BatchNorm2d(a), nn.ReLU(), nn.MaxPool2d(2))
        self.stage2 = nn.Sequential(nn.Conv2d(a, b, 3, padding=1), nn.BatchNorm2d(b), nn.ReLU(), nn.MaxPool2d(2))
        self.stage3 = nn.Sequential(nn.Conv2d(b, c, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1))

    def forward(self, pixel_values):
        h1 = self.stage1(pixel_values)
        if self.config.survey_vehicle:
            h1 = depot_frames(h1, pixel_values)  # expect: T12
        h2 = self.stage2(h1)
        return self.stage3(h2).flatten(1), (h1, h2)


class PavementForImageClassification(PavementPreTrainedModel):
    def __init__(self, config):
        super().__init__(config)
        self.pavement = PavementModel(config)
        self.classifier = nn.Linear(config.hidden_sizes[-1], config.num_labels)
        self.post_init()

    def forward(self, pixel_values):
        pooled, hidden = self.pavement(pixel_values)
        return ImageClassifierOutput(logits=self.classifier(pooled), hidden_states=hidden)
