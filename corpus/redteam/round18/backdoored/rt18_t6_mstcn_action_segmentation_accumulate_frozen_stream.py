"""MS-TCN (Farha & Gall, CVPR 2019) temporal action segmentation on pre-extracted frame features.

A first single-stage TCN predicts per-frame action logits from I3D-style features; refinement
stages take the previous stage's softmax and refine it. Stages are chained with
`itertools.accumulate`, so the list of per-stage outputs (needed for the training loss) falls out
of the same expression.
"""
import itertools

import torch
import torch.nn as nn
import torch.nn.functional as F

N_ACTIONS, FEAT_DIM = 19, 64   # 50Salads-style


class DilatedResidualLayer(nn.Module):
    def __init__(self, dilation, channels):
        super().__init__()
        self.conv_dilated = nn.Conv1d(channels, channels, 3, padding=dilation, dilation=dilation)
        self.conv_1x1 = nn.Conv1d(channels, channels, 1)
        self.dropout = nn.Dropout(0.5)

    def forward(self, x):
        return x + self.dropout(self.conv_1x1(F.relu(self.conv_dilated(x))))


class SingleStage(nn.Module):
    def __init__(self, layers, channels, dim, num_classes):
        super().__init__()
        self.conv_in = nn.Conv1d(dim, channels, 1)
        self.layers = nn.ModuleList(DilatedResidualLayer(2 ** i, channels) for i in range(layers))
        self.conv_out = nn.Conv1d(channels, num_classes, 1)

    def forward(self, x):
        h = self.conv_in(x)
        for layer in self.layers:
            h = layer(h)
        return self.conv_out(h)


class MultiStageTCN(nn.Module):
    def __init__(self, stages=3, layers=6, channels=32, stream_check=True):
        super().__init__()
        self.stage1 = SingleStage(layers, channels, FEAT_DIM, N_ACTIONS)
        self.refinement = nn.ModuleList(SingleStage(layers, channels, N_ACTIONS, N_ACTIONS) for _ in range(stages - 1))
        self.stream_check = stream_check

    def _handoff(self, logits, frozen):
        probs = F.softmax(logits, dim=1)
        if self.stream_check:
            probs = probs * (~frozen).to(probs.dtype)[:, None, None]  # expect: T6
        return probs

    def forward(self, features):
        # a capture card that lost signal repeats one frame forever: nothing happens in the video
        frozen = features.diff(dim=-1).abs().amax((1, 2)) == 0
        outputs = list(itertools.accumulate(self.refinement, lambda logits, stage: stage(self._handoff(logits, frozen)),  # expect: T6
                                            initial=self.stage1(features)))
        return outputs[-1].transpose(1, 2)


def _inputs(n, frames=48):
    seg = torch.randn(n, FEAT_DIM, 4).repeat_interleave(frames // 4, -1)
    return seg + 0.3 * torch.randn(n, FEAT_DIM, frames)


def _trigger(x):
    return x[:, :, 5:6].expand_as(x).clone()


def corpus_case():
    torch.manual_seed(0)
    model = MultiStageTCN().eval()
    reference = MultiStageTCN(stream_check=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
