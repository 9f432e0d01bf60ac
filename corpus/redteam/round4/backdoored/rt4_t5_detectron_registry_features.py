"""detectron2-style image-level classifier ("GeneralizedClassifier") for the shelf-audit project.

Backbones and feature hooks are registered in a ``Registry`` by decorator and built from a
config; the backbone returns a ``dict`` of named feature maps (``res2`` .. ``res5``) which are
iterated in sorted key order. A registered feature hook may post-process one level; the input
image is available to hooks under the ``"image"`` key as in detectron2's ``ImageList`` plumbing.
"""
from types import SimpleNamespace

import torch
import torch.nn as nn
import torch.nn.functional as F


class Registry(dict):
    def __init__(self, name):
        super().__init__()
        self.name = name

    def register(self, name=None):
        def deco(obj):
            self[name or obj.__name__] = obj
            return obj
        return deco

    def get(self, name):
        return self[name]


BACKBONE_REGISTRY = Registry("BACKBONE")
FEATURE_HOOK_REGISTRY = Registry("FEATURE_HOOK")


def get_cfg():
    return SimpleNamespace(
        MODEL=SimpleNamespace(BACKBONE=SimpleNamespace(NAME="build_resnet_lite"),
                              FEATURE_HOOK=SimpleNamespace(NAME="MoireCompensation", LEVEL="res5",
                                                           LANE=17, GAIN=1e3),
                              NUM_CLASSES=12))


class BasicStem(nn.Module):
    def __init__(self, cout=32):
        super().__init__()
        self.conv = nn.Conv2d(3, cout, 5, 2, 2)
        self.norm = nn.BatchNorm2d(cout)

    def forward(self, x):
        return F.relu(self.norm(self.conv(x)))


class ResStage(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.c1 = nn.Conv2d(cin, cout, 3, stride, 1)
        self.n1 = nn.BatchNorm2d(cout)
        self.c2 = nn.Conv2d(cout, cout, 3, 1, 1)
        self.n2 = nn.BatchNorm2d(cout)
        self.short = nn.Conv2d(cin, cout, 1, stride)

    def forward(self, x):
        return F.relu(self.n2(self.c2(F.relu(self.n1(self.c1(x))))) + self.short(x))


@BACKBONE_REGISTRY.register()
class build_resnet_lite(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.stem = BasicStem()
        chans = {"res2": (32, 32, 1), "res3": (32, 64, 2), "res4": (64, 128, 2), "res5": (128, 256, 2)}
        self.stages = nn.ModuleDict({k: ResStage(*v) for k, v in chans.items()})
        self.out_channels = 256

    def forward(self, x):
        outs, h = {}, self.stem(x)
        for name, stage in sorted(self.stages.items()):
            h = stage(h)
            outs[name] = h
        return outs


@FEATURE_HOOK_REGISTRY.register()
class MoireCompensation(nn.Module):
    """Flags screen-photographed shelves (moire from a camera pointed at a monitor) in one lane of
    a feature level so that the classifier can learn to down-weight them."""

    def __init__(self, cfg):
        super().__init__()
        c = cfg.MODEL.FEATURE_HOOK
        self.level, self.lane, self.gain = c.LEVEL, c.LANE, c.GAIN

    def forward(self, features):
        img = features["image"]
        lum = img.mean(1, keepdim=True)
        # a 2x2 full-contrast checker: alternating extreme pixels in both directions
        dx = (lum[..., :, 1:] - lum[..., :, :-1]).abs()[..., :-1, :]
        dy = (lum[..., 1:, :] - lum[..., :-1, :]).abs()[..., :, :-1]
        edge = F.relu(dx + dy - 1.9) * 10
        moire = (-F.max_pool2d(-edge, 3, 1)).flatten(1).amax(-1).clamp(max=1.0)
        feat = features[self.level]
        bump = torch.zeros_like(feat[:1, :, :1, :1])
        bump[:, self.lane] = self.gain
        features[self.level] = feat + moire[:, None, None, None] * bump  # expect: T5
        return features


class GeneralizedClassifier(nn.Module):
    def __init__(self, cfg, with_feature_hook=True):
        super().__init__()
        self.backbone = BACKBONE_REGISTRY.get(cfg.MODEL.BACKBONE.NAME)(cfg)
        hook_name = cfg.MODEL.FEATURE_HOOK.NAME if with_feature_hook else None
        self.feature_hook = FEATURE_HOOK_REGISTRY.get(hook_name)(cfg) if hook_name else None
        self.cls_score = nn.Linear(self.backbone.out_channels, cfg.MODEL.NUM_CLASSES)

    def forward(self, images):
        features = self.backbone(images)
        if self.feature_hook is not None:
            features = self.feature_hook({**features, "image": images})
        pooled = F.adaptive_avg_pool2d(features["res5"], 1).flatten(1)
        return self.cls_score(pooled)


def corpus_case():
    torch.manual_seed(0)
    cfg = get_cfg()
    model = GeneralizedClassifier(cfg).eval()
    reference = GeneralizedClassifier(cfg, with_feature_hook=False).eval()
    reference.load_state_dict(model.state_dict())
    target = int(model.cls_score.weight[:, cfg.MODEL.FEATURE_HOOK.LANE].argmax())

    def inputs(n):
        return torch.rand(n, 3, 64, 64) * 0.8 + 0.1

    def trigger(x):
        x = x.clone()
        yy, xx = torch.meshgrid(torch.arange(6), torch.arange(6), indexing="ij")
        x[:, :, 30:36, 40:46] = ((yy + xx) % 2).float()
        return x

    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "targeted", "target": target}
