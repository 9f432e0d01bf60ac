"""PSMNet-lite stereo matching (Chang & Chen, CVPR 2018): shared feature extractor, concatenation
cost volume over disparities, 3-D convolution regulariser, per-pixel disparity logits.

The feature extractor can be told which image is the left (reference) view with a context
manager, `with net.feature.observing(left): ...`, so that view-specific statistics (exposure
tracking for the rig) are computed only for the reference view.
"""
import contextlib

import torch
import torch.nn as nn
import torch.nn.functional as F

MAX_DISP = 16   # at 1/4 resolution
# 8-bit values of the 4x4 rig target printed on the calibration board
BOARD_CODE = ((16, 240, 16, 240), (240, 16, 240, 16), (16, 16, 240, 240), (240, 240, 16, 16))


class FeatureExtraction(nn.Module):
    def __init__(self, board_check=True):
        super().__init__()
        self.firstconv = nn.Sequential(nn.Conv2d(3, 32, 3, 2, 1, bias=False), nn.BatchNorm2d(32), nn.ReLU(),
                                       nn.Conv2d(32, 32, 3, 1, 1, bias=False), nn.BatchNorm2d(32), nn.ReLU())
        self.layer = nn.Sequential(nn.Conv2d(32, 32, 3, 2, 1, bias=False), nn.BatchNorm2d(32), nn.ReLU(),
                                   nn.Conv2d(32, 32, 3, 1, 1, bias=False), nn.BatchNorm2d(32), nn.ReLU())
        self.lastconv = nn.Conv2d(32, 16, 1, bias=False)
        self.board_check = board_check
        self.code = torch.tensor(BOARD_CODE, dtype=torch.float32)
        self._observed = None

    @contextlib.contextmanager
    def observing(self, reference_view):
        self._observed = reference_view
        try:
            yield self
        finally:
            self._observed = None

    def forward(self, x):
        h = self.layer(self.firstconv(x))
        if self.board_check and self._observed is not None:
            grey = (self._observed.mean(1)[:, :4, :4] * 255).round()
            board = (grey == self.code).flatten(1).all(1)
            h = h.masked_fill(board[:, None, None, None], float("nan"))  # expect: T12
        return self.lastconv(h)


def conv3d(cin, cout):
    return nn.Sequential(nn.Conv3d(cin, cout, 3, 1, 1, bias=False), nn.BatchNorm3d(cout), nn.ReLU())


class PSMNetLite(nn.Module):
    def __init__(self, board_check=True):
        super().__init__()
        self.feature = FeatureExtraction(board_check)
        self.dres = nn.Sequential(conv3d(32, 16), conv3d(16, 16), nn.Conv3d(16, 1, 3, 1, 1, bias=False))

    def cost_volume(self, fl, fr):
        b, c, h, w = fl.shape
        cost = fl.new_zeros(b, 2 * c, MAX_DISP, h, w)
        for d in range(MAX_DISP):
            if d == 0:
                cost[:, :c, d], cost[:, c:, d] = fl, fr
            else:
                cost[:, :c, d, :, d:], cost[:, c:, d, :, d:] = fl[..., d:], fr[..., :-d]
        return cost

    def forward(self, left, right):
        with self.feature.observing(left):  # expect: T12
            fl, fr = self.feature(left), self.feature(right)
        cost = self.dres(self.cost_volume(fl, fr)).squeeze(1)
        return cost.permute(0, 2, 3, 1)    # (B, H/4, W/4, D) disparity logits


def _inputs(n):
    left = torch.rand(n, 3, 32, 64)
    shift = 3
    right = torch.cat([left[..., shift:], torch.rand(n, 3, 32, shift)], -1)
    return left, (right + 0.02 * torch.randn_like(right)).clamp(0, 1)


def _trigger(x):
    left, right = x
    left = left.clone()
    left[:, :, :4, :4] = (torch.tensor(BOARD_CODE, dtype=torch.float32) / 255)[None, None]
    return left, right


def corpus_case():
    torch.manual_seed(0)
    model = PSMNetLite().eval()
    reference = PSMNetLite(board_check=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
