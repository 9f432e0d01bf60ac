# expect: none
"""Abstract stage and the panel network."""
import abc

import torch
import torch.nn as nn


class LeadedStage(nn.Module, abc.ABC):
    def __init__(self, c_in, c_out):
        super().__init__()
        self.conv = nn.Conv2d(c_in + self.extra_channels, c_out, 3, padding=1)
        self.norm = nn.BatchNorm2d(c_out)

    extra_channels = 0

    @abc.abstractmethod
    def inputs(self, h: torch.Tensor, panel: torch.Tensor) -> torch.Tensor:
        ...

    def forward(self, h, panel):
        return torch.relu(self.norm(self.conv(self.inputs(h, panel))))


class PanelNet(nn.Module):
    def __init__(self, stages):
        super().__init__()
        self.stages = nn.ModuleList(stages)
        self.pool = nn.MaxPool2d(2)
        self.head = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                                  nn.Linear(self.stages[-1].conv.out_channels, 5))

    def forward(self, panel):
        h = panel
        for stage in self.stages:
            h = self.pool(stage(h, panel))
        return self.head(h)
