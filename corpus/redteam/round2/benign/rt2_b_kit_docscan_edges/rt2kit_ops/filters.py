# expect: none
"""Fixed image filters shared by the document models (registered as buffers by the callers)."""
import torch
import torch.nn.functional as F


def sobel_kernels():
    gx = torch.tensor([[-1.0, 0.0, 1.0], [-2.0, 0.0, 2.0], [-1.0, 0.0, 1.0]])
    return torch.stack([gx, gx.t()])[:, None]                      # (2, 1, 3, 3)


def binomial_kernel(size=5):
    row = torch.tensor([1.0, 4.0, 6.0, 4.0, 1.0])[:size]
    k = torch.outer(row, row)
    return (k / k.sum())[None, None]


def sobel_magnitude(grey, kernels):
    g = F.conv2d(grey, kernels, padding=1)
    return torch.sqrt(g.pow(2).sum(1, keepdim=True) + 1e-6)


def blur(x, kernel):
    c = x.shape[1]
    return F.conv2d(F.pad(x, (2, 2, 2, 2), mode="reflect"), kernel.expand(c, 1, -1, -1), groups=c)
