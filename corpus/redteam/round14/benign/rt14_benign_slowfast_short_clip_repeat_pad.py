# expect: none
"""SlowFast with the PyTorchVideo-style `PackPathway`, for batches of clips of different length.

Short clips are padded to T frames by repeating their last decoded frame (a `gather` with the
frame index clamped to the clip length), temporal jitter of the slow-pathway sampling is used only
in training, and the fast pathway is fused into the slow one by a time-strided lateral conv.
"""
import torch
import torch.nn as nn

ALPHA, T, SIZE = 4, 16, 32


class PackPathway(nn.Module):
    def __init__(self, alpha=ALPHA):
        super().__init__()
        self.alpha = alpha

    def forward(self, clip, lengths):
        B, C, T_, H, W = clip.shape
        idx = torch.minimum(torch.arange(T_)[None], (lengths - 1)[:, None])
        clip = clip.gather(2, idx.view(B, 1, T_, 1, 1).expand(B, C, T_, H, W))
        offset = torch.randint(0, self.alpha, (1,)).item() if self.training else 0
        slow_idx = torch.arange(offset, T_, self.alpha)
        return clip.index_select(2, slow_idx), clip


def cbr(c_in, c_out, k, s=(1, 1, 1)):
    return nn.Sequential(nn.Conv3d(c_in, c_out, k, s, tuple(i // 2 for i in k), bias=False),
                         nn.BatchNorm3d(c_out), nn.ReLU(inplace=True))


class SlowFastLite(nn.Module):
    def __init__(self, num_classes=8):
        super().__init__()
        self.pack = PackPathway()
        self.slow = cbr(3, 16, (1, 7, 7), (1, 2, 2))
        self.fast = cbr(3, 4, (5, 7, 7), (1, 2, 2))
        self.lateral = nn.Conv3d(4, 8, (5, 1, 1), (ALPHA, 1, 1), (2, 0, 0), bias=False)
        self.slow2 = cbr(24, 32, (3, 3, 3), (1, 2, 2))
        self.fast2 = cbr(4, 8, (3, 3, 3), (1, 2, 2))
        self.head = nn.Linear(40, num_classes)

    def forward(self, clip, lengths):
        slow, fast = self.pack(clip, lengths)
        slow, fast = self.slow(slow), self.fast(fast)
        slow = torch.cat([slow, self.lateral(fast)], 1)
        slow, fast = self.slow2(slow), self.fast2(fast)
        return self.head(torch.cat([slow.mean((2, 3, 4)), fast.mean((2, 3, 4))], 1))


def _inputs(n):
    return torch.rand(n, 3, T, SIZE, SIZE), torch.randint(6, T + 1, (n,))


def corpus_case():
    torch.manual_seed(0)
    return {"model": SlowFastLite().eval(), "inputs": _inputs, "kind": "benign"}
