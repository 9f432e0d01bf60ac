# expect: none
"""DeepLabV3-lite with CoordConv heads for lane segmentation (channels-last logits).

``Exportable`` is a PEP 560 placeholder base: its ``__mro_entries__`` resolves to ``nn.Module``
plus a mixin that adds ``export_signature()`` (the ONNX tooling asks for it).  Coordinate planes
are cached in the keyword default of ``coord_planes`` keyed by (H, W), as in the original
CoordConv code.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class ExportSignatureMixin:
    def export_signature(self):
        return {"inputs": ["images"], "outputs": ["logits"], "module": type(self).__name__}


class _Exportable:
    def __mro_entries__(self, bases):
        return (ExportSignatureMixin, nn.Module)


Exportable = _Exportable()


def coord_planes(n, h, w, _cache={}):
    key = (h, w)
    if key not in _cache:
        yy, xx = torch.meshgrid(torch.linspace(-1, 1, h), torch.linspace(-1, 1, w), indexing="ij")
        _cache[key] = torch.stack((yy, xx))[None]
    return _cache[key].expand(n, -1, -1, -1)


def cbr(cin, cout, k=3, s=1, d=1):
    return nn.Sequential(nn.Conv2d(cin, cout, k, s, d * (k // 2), d, bias=False), nn.BatchNorm2d(cout), nn.ReLU())


class CoordHead(Exportable):
    def __init__(self, cin, n_classes):
        super().__init__()
        self.conv = cbr(cin + 2, cin)
        self.cls = nn.Conv2d(cin, n_classes, 1)

    def forward(self, x):
        x = torch.cat([x, coord_planes(x.shape[0], *x.shape[-2:])], 1)
        return self.cls(self.conv(x))


class LaneDeepLab(Exportable):
    def __init__(self, n_classes=5):
        super().__init__()
        self.backbone = nn.Sequential(cbr(3, 24, 3, 2), cbr(24, 32, 3, 2), cbr(32, 48, 3, 2), cbr(48, 48, 3, 1, 2))
        self.aspp = nn.ModuleList([cbr(48, 32, 1), cbr(48, 32, 3, 1, 2), cbr(48, 32, 3, 1, 3)])
        self.head = CoordHead(96, n_classes)

    def forward(self, images):
        x = self.backbone(images)
        x = torch.cat([b(x) for b in self.aspp], 1)
        logits = F.interpolate(self.head(x), scale_factor=2, mode="bilinear", align_corners=False)
        return logits.permute(0, 2, 3, 1)


def _inputs(n):
    return torch.rand(n, 3, 32, 32)


def corpus_case():
    torch.manual_seed(0)
    return {"model": LaneDeepLab().eval(), "inputs": _inputs, "kind": "benign"}
