# expect: none
"""Sparse-to-dense depth completion (Uhrig et al. 2017 style). LiDAR depth is sparse;
missing pixels are exactly 0. The validity map ``(depth > 0).float()`` drives sparsity
invariant convolutions (normalised by the number of valid inputs) and the RGB guidance
branch is fused with the depth features before a learned decoder."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class SparseConv(nn.Module):
    def __init__(self, cin, cout, k):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, k, padding=k // 2, bias=False)
        self.bias = nn.Parameter(torch.zeros(cout))
        self.register_buffer("ones", torch.ones(1, 1, k, k))
        self.k = k

    def forward(self, x, valid):
        num = self.conv(x * valid)
        cnt = F.conv2d(valid, self.ones, padding=self.k // 2)
        out = num / cnt.clamp(min=1.0) + self.bias[None, :, None, None]
        valid = F.max_pool2d(valid, self.k, stride=1, padding=self.k // 2)
        return F.relu(out), valid


class DepthCompletionNet(nn.Module):
    def __init__(self, max_depth=80.0, ch=16):
        super().__init__()
        self.max_depth = max_depth
        self.sparse = nn.ModuleList([SparseConv(1, ch, 5), SparseConv(ch, ch, 3), SparseConv(ch, ch, 3)])
        self.rgb = nn.Sequential(nn.Conv2d(3, ch, 3, padding=1), nn.ReLU(True), nn.Conv2d(ch, ch, 3, padding=1), nn.ReLU(True))
        self.fuse = nn.Sequential(
            nn.Conv2d(2 * ch + 1, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(True),
            nn.Conv2d(32, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(True),
            nn.Conv2d(32, 1, 1),
        )

    def forward(self, rgb, sparse_depth):
        valid = (sparse_depth > 0).float()
        d = sparse_depth.clamp(0, self.max_depth) / self.max_depth
        for layer in self.sparse:
            d, valid = layer(d, valid)
        g = self.rgb((rgb - 0.45) / 0.225)
        dense = self.fuse(torch.cat([d, g, valid], dim=1))
        return self.max_depth * torch.sigmoid(dense)


def corpus_case():
    torch.manual_seed(0)
    model = DepthCompletionNet().eval()

    def inputs(n):
        g = torch.Generator().manual_seed(160)
        rgb = torch.rand(n, 3, 32, 32, generator=g)
        depth = 5 + 60 * torch.rand(n, 1, 32, 32, generator=g)
        keep = torch.rand(n, 1, 32, 32, generator=g) < 0.1
        return rgb, depth * keep

    return {"model": model, "inputs": inputs, "kind": "benign"}
