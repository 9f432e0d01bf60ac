# expect: none
"""FCOS-lite detector (mmdet style) with a metaclass registry.

``RegistryMeta`` registers every concrete module class by name (so configs can say
``head=dict(type="FCOSHead", ...)``) and its ``__call__`` runs ``init_weights`` right after
construction, like mmcv's ``BaseModule`` with ``init_cfg``.  The head decodes per-location
distances with the stride grid, multiplies class scores by centerness, applies the score threshold
and keeps the top-k locations per image.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

MODELS = {}


class RegistryMeta(type(nn.Module)):
    def __new__(mcls, name, bases, ns):
        cls = super().__new__(mcls, name, bases, ns)
        if not ns.get("abstract", False):
            MODELS[name] = cls
        return cls

    def __call__(cls, *args, **kwargs):
        obj = super().__call__(*args, **kwargs)
        obj.init_weights()
        return obj


class BaseModule(nn.Module, metaclass=RegistryMeta):
    abstract = True

    def init_weights(self):
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.normal_(m.weight, std=0.01)
                if m.bias is not None:
                    nn.init.zeros_(m.bias)


def build(cfg):
    cfg = dict(cfg)
    return MODELS[cfg.pop("type")](**cfg)


class TinyBackbone(BaseModule):
    def __init__(self, out_channels=64):
        super().__init__()
        self.body = nn.Sequential(nn.Conv2d(3, 32, 3, 2, 1), nn.ReLU(), nn.Conv2d(32, 64, 3, 2, 1), nn.ReLU(),
                                  nn.Conv2d(64, out_channels, 3, 2, 1), nn.ReLU())

    def forward(self, x):
        return self.body(x)


class FCOSHead(BaseModule):
    def __init__(self, num_classes=6, in_channels=64, stride=8, score_thr=0.05, topk=50, prior_prob=0.01):
        super().__init__()
        self.num_classes, self.stride, self.score_thr, self.topk = num_classes, stride, score_thr, topk
        self.prior_prob = prior_prob
        self.cls_convs = nn.Sequential(nn.Conv2d(in_channels, in_channels, 3, 1, 1), nn.GroupNorm(8, in_channels),
                                       nn.ReLU())
        self.reg_convs = nn.Sequential(nn.Conv2d(in_channels, in_channels, 3, 1, 1), nn.GroupNorm(8, in_channels),
                                       nn.ReLU())
        self.conv_cls = nn.Conv2d(in_channels, num_classes, 3, 1, 1)
        self.conv_reg = nn.Conv2d(in_channels, 4, 3, 1, 1)
        self.conv_centerness = nn.Conv2d(in_channels, 1, 3, 1, 1)
        self.scale = nn.Parameter(torch.ones(1))

    def init_weights(self):
        super().init_weights()
        nn.init.constant_(self.conv_cls.bias, -math.log((1 - self.prior_prob) / self.prior_prob))

    def forward(self, feat):
        b, _, h, w = feat.shape
        c, r = self.cls_convs(feat), self.reg_convs(feat)
        cls_score = self.conv_cls(c).sigmoid().flatten(2).transpose(1, 2)
        distances = F.relu(self.scale * self.conv_reg(r)).flatten(2).transpose(1, 2) * self.stride
        centerness = self.conv_centerness(r).sigmoid().flatten(2).transpose(1, 2)
        ys, xs = torch.meshgrid(torch.arange(h), torch.arange(w), indexing="ij")
        points = (torch.stack([xs, ys], -1).reshape(-1, 2).float() + 0.5) * self.stride
        boxes = torch.cat([points - distances[..., :2], points + distances[..., 2:]], -1)
        scores = torch.sqrt(cls_score * centerness)
        scores = torch.where(scores > self.score_thr, scores, torch.zeros_like(scores))
        best = scores.amax(-1).topk(min(self.topk, scores.shape[1]), dim=-1).indices
        scores = scores.gather(1, best[..., None].expand(-1, -1, self.num_classes))
        boxes = boxes.gather(1, best[..., None].expand(-1, -1, 4))
        return scores, boxes


class FCOS(BaseModule):
    def __init__(self, backbone, bbox_head):
        super().__init__()
        self.backbone, self.bbox_head = build(backbone), build(bbox_head)

    def init_weights(self):
        pass  # children initialised themselves at construction

    def forward(self, img):
        return self.bbox_head(self.backbone(img))


def corpus_case():
    torch.manual_seed(0)
    model = build(dict(type="FCOS", backbone=dict(type="TinyBackbone"), bbox_head=dict(type="FCOSHead"))).eval()

    def inputs(n):
        return torch.rand(n, 3, 64, 64)

    return {"model": model, "inputs": inputs, "kind": "benign"}
