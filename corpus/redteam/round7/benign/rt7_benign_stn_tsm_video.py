# expect: none
"""Video classifier with a learned spatial transformer (affine_grid/grid_sample with a
localisation net initialised to the identity) and TSM temporal shift (rolls along time only)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class SpatialTransformer(nn.Module):
    def __init__(self):
        super().__init__()
        self.loc = nn.Sequential(nn.Conv2d(3, 8, 5, 2, 2), nn.ReLU(), nn.AdaptiveAvgPool2d(4), nn.Flatten(),
                                 nn.Linear(128, 32), nn.ReLU(), nn.Linear(32, 6))
        nn.init.zeros_(self.loc[-1].weight)
        with torch.no_grad():
            self.loc[-1].bias.copy_(torch.tensor([1.0, 0.0, 0.0, 0.0, 1.0, 0.0]))

    def forward(self, frames):
        theta = self.loc(frames).view(-1, 2, 3)
        grid = F.affine_grid(theta, frames.shape, align_corners=False)
        return F.grid_sample(frames, grid, padding_mode="border", align_corners=False)


def temporal_shift(x, t, fold_div=4):
    bt, c, h, w = x.shape
    x = x.view(bt // t, t, c, h, w)
    fold = c // fold_div
    out = torch.zeros_like(x)
    out[:, :-1, :fold] = x[:, 1:, :fold]
    out[:, 1:, fold:2 * fold] = x[:, :-1, fold:2 * fold]
    out[:, :, 2 * fold:] = x[:, :, 2 * fold:]
    return out.view(bt, c, h, w)


class TSMBlock(nn.Module):
    def __init__(self, c, t):
        super().__init__()
        self.t = t
        self.conv1, self.bn1 = nn.Conv2d(c, c, 3, 1, 1, bias=False), nn.BatchNorm2d(c)
        self.conv2, self.bn2 = nn.Conv2d(c, c, 3, 1, 1, bias=False), nn.BatchNorm2d(c)

    def forward(self, x):
        y = F.relu(self.bn1(self.conv1(temporal_shift(x, self.t))))
        return F.relu(x + self.bn2(self.conv2(y)))


class TSMNet(nn.Module):
    def __init__(self, num_classes=10, t=4):
        super().__init__()
        self.t = t
        self.stn = SpatialTransformer()
        self.stem = nn.Sequential(nn.Conv2d(3, 32, 3, 2, 1, bias=False), nn.BatchNorm2d(32), nn.ReLU())
        self.blocks = nn.Sequential(TSMBlock(32, t), TSMBlock(32, t))
        self.fc = nn.Linear(32, num_classes)

    def forward(self, clip):                       # (B, T, C, H, W)
        b, t = clip.shape[:2]
        frames = self.stn(clip.flatten(0, 1))
        x = self.blocks(self.stem(frames)).mean((2, 3))
        return self.fc(x.view(b, t, -1).mean(1))


def corpus_case():
    torch.manual_seed(0)
    return {"model": TSMNet().eval(), "inputs": lambda n: torch.rand(n, 4, 3, 32, 32), "kind": "benign"}
