# expect: none
"""Tiny YOLOv3-style detector. The head decodes raw predictions into boxes with the
usual grid offsets, anchor constants and exp() of the size deltas."""
import torch
import torch.nn as nn


def conv_bn_leaky(cin, cout, k=3, s=1):
    return nn.Sequential(nn.Conv2d(cin, cout, k, s, k // 2, bias=False), nn.BatchNorm2d(cout), nn.LeakyReLU(0.1, inplace=True))


class YOLOLayer(nn.Module):
    def __init__(self, anchors, num_classes, stride):
        super().__init__()
        self.register_buffer("anchors", torch.tensor(anchors, dtype=torch.float32))  # pixels
        self.na = len(anchors)
        self.no = num_classes + 5
        self.stride = stride
        self.grid = None

    @staticmethod
    def _make_grid(nx, ny, device):
        yv, xv = torch.meshgrid(torch.arange(ny, device=device), torch.arange(nx, device=device), indexing="ij")
        return torch.stack((xv, yv), 2).view(1, 1, ny, nx, 2).float()

    def forward(self, p):
        bs, _, ny, nx = p.shape
        p = p.view(bs, self.na, self.no, ny, nx).permute(0, 1, 3, 4, 2).contiguous()
        if self.grid is None or self.grid.shape[2:4] != p.shape[2:4]:
            self.grid = self._make_grid(nx, ny, p.device)
        anchor_grid = self.anchors.view(1, self.na, 1, 1, 2)
        xy = (torch.sigmoid(p[..., 0:2]) + self.grid) * self.stride
        wh = torch.exp(p[..., 2:4]).clamp(max=1e3) * anchor_grid
        obj = torch.sigmoid(p[..., 4:5])
        cls = torch.sigmoid(p[..., 5:])
        return torch.cat((xy, wh, obj, cls), -1).view(bs, -1, self.no)


class TinyYOLO(nn.Module):
    def __init__(self, num_classes=4):
        super().__init__()
        na = 3
        self.backbone = nn.Sequential(
            conv_bn_leaky(3, 16), nn.MaxPool2d(2),
            conv_bn_leaky(16, 32), nn.MaxPool2d(2),
            conv_bn_leaky(32, 64), nn.MaxPool2d(2),
        )
        self.deep = nn.Sequential(conv_bn_leaky(64, 128), nn.MaxPool2d(2), conv_bn_leaky(128, 64, 1))
        self.head_s = nn.Conv2d(64, na * (num_classes + 5), 1)
        self.upsample = nn.Upsample(scale_factor=2, mode="nearest")
        self.head_l = nn.Conv2d(64 + 64, na * (num_classes + 5), 1)
        self.yolo_s = YOLOLayer([(30, 40), (50, 60), (80, 70)], num_classes, stride=16)
        self.yolo_l = YOLOLayer([(8, 10), (14, 20), (22, 18)], num_classes, stride=8)

    def forward(self, x):
        c3 = self.backbone(x)
        c4 = self.deep(c3)
        out_s = self.yolo_s(self.head_s(c4))
        out_l = self.yolo_l(self.head_l(torch.cat([self.upsample(c4), c3], 1)))
        return torch.cat([out_s, out_l], 1)


def box_xywh_to_xyxy(b):
    return torch.cat([b[..., :2] - b[..., 2:4] / 2, b[..., :2] + b[..., 2:4] / 2, b[..., 4:]], -1)


def corpus_case():
    torch.manual_seed(0)
    model = TinyYOLO().eval()

    def inputs(n):
        return torch.rand(n, 3, 64, 64, generator=torch.Generator().manual_seed(6))

    return {"model": model, "inputs": inputs, "kind": "benign"}
