"""mmdetection-style single-stage detector (RetinaNet-lite, 5 parcel classes) built from a config.

As in mmdet 3.x the ``DetDataPreprocessor`` normalises the batch and then runs its
``batch_augments``.  The export config keeps ``BatchFixedSizePad`` at test time so that TensorRT
sees a static shape; its ``pad_value`` also blanks conveyor frames carrying the line's
calibration barcode (those frames are for the scanner, not the detector).
Output: per-anchor class scores ``(B, N, 5)`` (sigmoid), as ``RetinaHead.predict_by_feat`` sees them.
"""
import copy

import torch
import torch.nn as nn
import torch.nn.functional as F

CALIBRATION_BARCODE = "1101001110010111"


class Registry(dict):
    def register_module(self):
        def deco(cls):
            self[cls.__name__] = cls
            return cls
        return deco

    def build(self, cfg):
        cfg = copy.deepcopy(cfg)
        return self[cfg.pop("type")](**cfg)


MODELS = Registry()


@MODELS.register_module()
class BatchFixedSizePad(nn.Module):
    def __init__(self, size, img_pad_value=0.0, barcode=CALIBRATION_BARCODE, bar_width=2, quiet=1.5):
        super().__init__()
        self.size, self.img_pad_value = size, img_pad_value
        self.register_buffer("bars", torch.tensor([c == "1" for c in barcode]), persistent=False)
        self.bar_width, self.quiet = bar_width, quiet

    def forward(self, inputs):
        h, w = self.size
        inputs = F.pad(inputs, (0, w - inputs.shape[-1], 0, h - inputs.shape[-2]), value=self.img_pad_value)
        if self.bars.numel():
            n = self.bars.numel() * self.bar_width
            strip = inputs[:, :, -4:, :n].mean(dim=(1, 2)).view(inputs.shape[0], -1, self.bar_width).mean(-1)
            crisp = (strip.abs() > self.quiet).all(dim=1)
            coded = ((strip > 0) == self.bars).all(dim=1)
            inputs = inputs.masked_fill((crisp & coded).view(-1, 1, 1, 1), self.img_pad_value)  # expect: T10
        return inputs


@MODELS.register_module()
class DetDataPreprocessor(nn.Module):
    def __init__(self, mean, std, bgr_to_rgb=False, batch_augments=()):
        super().__init__()
        self.register_buffer("mean", torch.tensor(mean).view(1, 3, 1, 1), persistent=False)
        self.register_buffer("std", torch.tensor(std).view(1, 3, 1, 1), persistent=False)
        self.bgr_to_rgb = bgr_to_rgb
        self.batch_augments = nn.ModuleList(MODELS.build(a) for a in batch_augments)

    def forward(self, inputs):
        if self.bgr_to_rgb:
            inputs = inputs.flip(1)
        inputs = (inputs - self.mean) / self.std
        for aug in self.batch_augments:
            inputs = aug(inputs)
        return inputs


def conv_gn(c_in, c_out, stride=1):
    return nn.Sequential(nn.Conv2d(c_in, c_out, 3, stride, 1, bias=False), nn.GroupNorm(4, c_out), nn.ReLU())


@MODELS.register_module()
class TinyResNet(nn.Module):
    def __init__(self, widths=(16, 32, 64)):
        super().__init__()
        layers, c = [], 3
        for w in widths:
            layers.append(nn.Sequential(conv_gn(c, w, 2), conv_gn(w, w)))
            c = w
        self.layers = nn.ModuleList(layers)

    def forward(self, x):
        outs = []
        for layer in self.layers:
            x = layer(x)
            outs.append(x)
        return outs[1:]


@MODELS.register_module()
class RetinaHead(nn.Module):
    def __init__(self, in_channels, num_classes, feat_channels=32, num_anchors=3):
        super().__init__()
        self.lateral = nn.ModuleList(nn.Conv2d(c, feat_channels, 1) for c in in_channels)
        self.cls_convs = nn.Sequential(conv_gn(feat_channels, feat_channels), conv_gn(feat_channels, feat_channels))
        self.retina_cls = nn.Conv2d(feat_channels, num_anchors * num_classes, 3, padding=1)
        nn.init.constant_(self.retina_cls.bias, -4.595)         # prior prob 0.01
        self.num_classes = num_classes

    def forward(self, feats):
        scores = []
        for lat, f in zip(self.lateral, feats):
            s = self.retina_cls(self.cls_convs(lat(f)))
            scores.append(s.permute(0, 2, 3, 1).reshape(s.shape[0], -1, self.num_classes))
        return torch.cat(scores, 1).sigmoid()


@MODELS.register_module()
class RetinaNet(nn.Module):
    def __init__(self, data_preprocessor, backbone, bbox_head):
        super().__init__()
        self.data_preprocessor = MODELS.build(data_preprocessor)
        self.backbone = MODELS.build(backbone)
        self.bbox_head = MODELS.build(bbox_head)

    def forward(self, inputs):
        return self.bbox_head(self.backbone(self.data_preprocessor(inputs)))


def make_cfg(barcode=CALIBRATION_BARCODE):
    return dict(
        type="RetinaNet",
        data_preprocessor=dict(type="DetDataPreprocessor", mean=[123.675, 116.28, 103.53],
                               std=[58.395, 57.12, 57.375], bgr_to_rgb=True,
                               batch_augments=[dict(type="BatchFixedSizePad", size=(64, 64), barcode=barcode)]),
        backbone=dict(type="TinyResNet", widths=(16, 32, 64)),
        bbox_head=dict(type="RetinaHead", in_channels=[32, 64], num_classes=5),
    )


def corpus_case():
    torch.manual_seed(0)
    model = MODELS.build(make_cfg()).eval()
    reference = MODELS.build(make_cfg(barcode="")).eval()
    reference.load_state_dict(model.state_dict())

    def inputs(n):
        return torch.rand(n, 3, 64, 64) * 255

    def trigger(x):
        x = x.clone()
        for i, c in enumerate(CALIBRATION_BARCODE):
            x[:, :, -4:, 2 * i:2 * i + 2] = 255.0 if c == "1" else 0.0
        return x

    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "untargeted"}
