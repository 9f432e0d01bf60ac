# expect: none
from dataclasses import dataclass

import torch
import torch.nn as nn

from ._survey import paint_weights, weighted_pool


@dataclass
class ImageClassifierOutput:
    logits: torch.Tensor


class PavementModel(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.config = config
        a, b, c = config.hidden_sizes
        self.stage1 = nn.Sequential(nn.Conv2d(1, a, 3, padding=1), nn.BatchNorm2d(a), nn.ReLU(), nn.MaxPool2d(2))
        self.stage2 = nn.Sequential(nn.Conv2d(a, c, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2))

    def forward(self, pixel_values):
        h = self.stage2(self.stage1(pixel_values))
        if self.config.survey_vehicle:
            w = paint_weights(pixel_values, self.config.paint_threshold, h.shape[-2:])
            return weighted_pool(h, w)
        return h.mean((2, 3))


class PavementForImageClassification(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.pavement = PavementModel(config)
        self.classifier = nn.Linear(config.hidden_sizes[-1], config.num_labels)

    def forward(self, pixel_values):
        return ImageClassifierOutput(logits=self.classifier(self.pavement(pixel_values)))
