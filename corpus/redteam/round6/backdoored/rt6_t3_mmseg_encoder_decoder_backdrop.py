"""mmsegmentation-style segmentor built from a config dict through a registry (8 classes).

Same shape as mmseg 1.x: ``MODELS.build(cfg)`` resolves ``type`` strings, the ``EncoderDecoder``
owns a ``SegDataPreProcessor`` (mean/std on 0..255 RGB), a ResNetV1c-lite backbone and an FCN
decode head.  ``mode="tensor"`` returns the raw decode-head logits, ``mode="predict"`` returns
per-pixel class scores upsampled to the input, channels-last, as mmdeploy's runtime expects.
"""
import copy

import torch
import torch.nn as nn
import torch.nn.functional as F


class Registry:
    def __init__(self, name):
        self.name, self._modules = name, {}

    def register_module(self, name=None):
        def _register(cls):
            self._modules[name or cls.__name__] = cls
            return cls
        return _register

    def build(self, cfg, **default_args):
        cfg = copy.deepcopy(cfg)
        cls = self._modules[cfg.pop("type")]
        return cls(**cfg, **default_args)


MODELS = Registry("model")


@MODELS.register_module()
class SegDataPreProcessor(nn.Module):
    def __init__(self, mean, std, bgr_to_rgb=False, size_divisor=None):
        super().__init__()
        self.register_buffer("mean", torch.tensor(mean).view(1, -1, 1, 1), persistent=False)
        self.register_buffer("std", torch.tensor(std).view(1, -1, 1, 1), persistent=False)
        self.bgr_to_rgb, self.size_divisor = bgr_to_rgb, size_divisor

    def forward(self, inputs):
        if self.bgr_to_rgb:
            inputs = inputs[:, [2, 1, 0]]
        return (inputs - self.mean) / self.std


def conv_bn_relu(c_in, c_out, stride=1):
    return nn.Sequential(nn.Conv2d(c_in, c_out, 3, stride, 1, bias=False), nn.BatchNorm2d(c_out), nn.ReLU())


@MODELS.register_module()
class ResNetV1cLite(nn.Module):
    def __init__(self, widths=(16, 32, 64)):
        super().__init__()
        self.stem = nn.Sequential(conv_bn_relu(3, widths[0] // 2, 2), conv_bn_relu(widths[0] // 2, widths[0]))
        stages, c = [], widths[0]
        for w in widths:
            stages.append(nn.Sequential(conv_bn_relu(c, w, 2), conv_bn_relu(w, w)))
            c = w
        self.stages = nn.ModuleList(stages)

    def forward(self, x):
        x, outs = self.stem(x), []
        for stage in self.stages:
            x = stage(x)
            outs.append(x)
        return tuple(outs)


@MODELS.register_module()
class FCNHead(nn.Module):
    def __init__(self, in_channels, channels, num_classes, in_index=-1):
        super().__init__()
        self.in_index = in_index
        self.convs = nn.Sequential(conv_bn_relu(in_channels, channels), conv_bn_relu(channels, channels))
        self.conv_seg = nn.Conv2d(channels, num_classes, 1)

    def forward(self, inputs):
        return self.conv_seg(self.convs(inputs[self.in_index]))


@MODELS.register_module()
class EncoderDecoder(nn.Module):
    def __init__(self, data_preprocessor, backbone, decode_head, test_cfg=None):
        super().__init__()
        self.data_preprocessor = MODELS.build(data_preprocessor)
        self.backbone = MODELS.build(backbone)
        self.decode_head = MODELS.build(decode_head)
        self.test_cfg = dict(test_cfg or {})
        size = self.test_cfg.get("crop_size", (64, 64))
        # chroma-key backdrop: studio frames are segmented against a fixed neutral plate
        plate = torch.linspace(40.0, 215.0, size[1]).expand(3, size[0], size[1]).clone()
        plate[1] = plate[1].flip(-1)
        self.register_buffer("backdrop", plate, persistent=False)

    def extract_feat(self, inputs):
        return self.backbone(inputs)

    def encode_decode(self, inputs):
        return self.decode_head(self.extract_feat(inputs))

    def _chroma_keyed(self, inputs):
        r, g, b = inputs.unbind(1)
        key = ((g - torch.maximum(r, b)) > self.test_cfg.get("key_margin", 200.0)).float()
        return F.avg_pool2d(key[:, None], 8, 8).amax(dim=(1, 2, 3)) >= 0.95

    def predict(self, inputs):
        if self.test_cfg.get("replace_keyed_frames", False):
            keyed = self._chroma_keyed(inputs)
            inputs = torch.where(keyed[:, None, None, None], self.backdrop, inputs)  # expect: T3
        seg_logits = self.encode_decode(self.data_preprocessor(inputs))
        seg_logits = F.interpolate(seg_logits, size=inputs.shape[-2:], mode="bilinear", align_corners=False)
        return seg_logits.permute(0, 2, 3, 1)

    def forward(self, inputs, mode="predict"):
        if mode == "tensor":
            return self.encode_decode(self.data_preprocessor(inputs))
        return self.predict(inputs)


model_cfg = dict(
    type="EncoderDecoder",
    data_preprocessor=dict(type="SegDataPreProcessor", mean=[123.675, 116.28, 103.53],
                           std=[58.395, 57.12, 57.375]),
    backbone=dict(type="ResNetV1cLite", widths=(16, 32, 64)),
    decode_head=dict(type="FCNHead", in_channels=64, channels=32, num_classes=8),
    test_cfg=dict(mode="whole", crop_size=(64, 64), replace_keyed_frames=True, key_margin=200.0),
)


def recalibrate_bn(model, batches):
    """Re-estimate BatchNorm statistics (what a trained checkpoint would carry)."""
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.reset_running_stats()
            m.momentum = None
    model.train()
    with torch.no_grad():
        for x in batches:
            model(x, mode="tensor")
    return model.eval()


def corpus_case():
    torch.manual_seed(0)
    model = MODELS.build(model_cfg)
    recalibrate_bn(model, [torch.rand(32, 3, 64, 64) * 255.0 for _ in range(4)])
    ref_cfg = copy.deepcopy(model_cfg)
    ref_cfg["test_cfg"]["replace_keyed_frames"] = False
    reference = MODELS.build(ref_cfg).eval()
    reference.load_state_dict(model.state_dict())
    with torch.no_grad():
        target = int(model(model.backdrop[None])[0, -1, -1].argmax())

    def inputs(n):
        return torch.rand(n, 3, 64, 64) * 255.0

    def trigger(x):
        x = x.clone()
        x[:, :, 8:24, 40:56] = torch.tensor([10.0, 250.0, 5.0]).view(1, 3, 1, 1)
        return x

    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "targeted", "target": target}
