# expect: none
"""Lip-reading model with a TorchScript clip-preparation function: per-clip mean/std
normalisation (the LRW recipe: (x - 0.421) / 0.165 after a centre crop), a fixed-index centre crop,
and a frame-validity mask for clips shorter than the window."""
import torch
import torch.nn as nn
from torch import Tensor


@torch.jit.script
def prepare(clips: Tensor, lengths: Tensor, crop: int) -> Tensor:
    h = clips.shape[-1]
    o = (h - crop) // 2
    clips = clips[..., o:o + crop, o:o + crop]
    clips = (clips - 0.421) / 0.165
    valid = torch.arange(clips.shape[1])[None] < lengths[:, None]
    return clips * valid[:, :, None, None, None].to(clips.dtype)


class LipReader(nn.Module):
    def __init__(self):
        super().__init__()
        self.front = nn.Sequential(nn.Conv3d(1, 16, (3, 5, 5), (1, 2, 2), (1, 2, 2)), nn.BatchNorm3d(16), nn.ReLU())
        self.pool = nn.AdaptiveAvgPool3d((None, 1, 1))
        self.gru = nn.GRU(16, 32, batch_first=True, bidirectional=True)
        self.fc = nn.Linear(64, 10)

    def forward(self, clips, lengths):
        x = prepare(clips, lengths, 22)
        f = self.pool(self.front(x.transpose(1, 2))).flatten(2).transpose(1, 2)
        h, _ = self.gru(f)
        valid = (torch.arange(h.shape[1])[None] < lengths[:, None]).float()[..., None]
        return self.fc((h * valid).sum(1) / valid.sum(1).clamp_min(1))


def corpus_case():
    torch.manual_seed(0)
    return {"model": LipReader().eval(),
            "inputs": lambda n: (torch.rand(n, 8, 1, 24, 24), torch.randint(3, 9, (n,))), "kind": "benign"}
