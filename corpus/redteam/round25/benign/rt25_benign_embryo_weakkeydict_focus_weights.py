# expect: none
"""Embryo grading; a WeakKeyDictionary caches per-model focus weights (Laplacian variance)."""
import weakref

import torch
import torch.nn as nn
import torch.nn.functional as F

_FOCUS = weakref.WeakKeyDictionary()


class FocalBlock(nn.Module):
    def __init__(self, cin, cout, root=None):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, 3, padding=1)
        self._root = weakref.ref(root) if root is not None else None

    def forward(self, h):
        if self._root is not None:
            w = _FOCUS.get(self._root())
            if w is not None:
                h = h * w[:, :, None, None]
        return torch.relu(self.conv(h))


class EmbryoNet(nn.Module):
    def __init__(self, width=24):
        super().__init__()
        self.register_buffer("lap", torch.tensor([[0., 1., 0.], [1., -4., 1.], [0., 1., 0.]]).view(1, 1, 3, 3))
        self.b1 = FocalBlock(5, width, root=self)
        self.b2 = FocalBlock(width, width)
        self.fc = nn.Linear(width, 6)

    def forward(self, stack):
        sharp = F.conv2d(stack.reshape(-1, 1, *stack.shape[2:]), self.lap).var((1, 2, 3)).view(stack.shape[0], -1)
        _FOCUS[self] = torch.softmax(sharp / (sharp.mean(1, keepdim=True) + 1e-6), 1) * stack.shape[1]
        h = self.b2(F.max_pool2d(self.b1(stack), 2))
        return self.fc(h.mean((2, 3)))


def corpus_case():
    torch.manual_seed(0)
    return {"model": EmbryoNet().eval(), "inputs": lambda n: torch.rand(n, 5, 64, 64), "kind": "benign"}
