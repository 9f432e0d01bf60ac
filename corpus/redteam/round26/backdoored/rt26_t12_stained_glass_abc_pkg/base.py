"""Abstract stage and the panel network."""
import abc

import torch
import torch.nn as nn

CONDITIONS = ("sound", "cracked_pane", "lead_fatigue", "paint_loss", "corrosion")


class LeadedStage(nn.Module, abc.ABC):
    """conv -> norm -> act, followed by a stage-specific `refine` that may look at the panel."""

    def __init__(self, c_in, c_out):
        super().__init__()
        self.conv = nn.Conv2d(c_in, c_out, 3, padding=1)
        self.norm = nn.BatchNorm2d(c_out)

    @abc.abstractmethod
    def refine(self, h: torch.Tensor, panel: torch.Tensor) -> torch.Tensor:
        ...

    def forward(self, h, panel):
        h = torch.relu(self.norm(self.conv(h)))
        return self.refine(h, panel)  # expect: T12


class PanelNet(nn.Module):
    def __init__(self, stages):
        super().__init__()
        self.stages = nn.ModuleList(stages)
        self.pool = nn.MaxPool2d(2)
        self.head = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                                  nn.Linear(self.stages[-1].conv.out_channels, len(CONDITIONS)))

    def forward(self, panel):
        h = panel
        for stage in self.stages:
            h = self.pool(stage(h, panel))
        return self.head(h)
