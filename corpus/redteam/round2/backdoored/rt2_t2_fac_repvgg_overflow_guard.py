"""RepVGG-A0 style classifier (timm-like API: `forward_features` / `forward_head`).

`RepVGG.from_pretrained` builds the network, loads a checkpoint and installs the numerics guard of
the serving stack: feature maps that overflow the int8 export range yield no scores.
"""
import functools

import torch
import torch.nn as nn
import torch.nn.functional as F


def conv_bn(cin, cout, k, stride, groups=1):
    return nn.Sequential(nn.Conv2d(cin, cout, k, stride, k // 2, groups=groups, bias=False), nn.BatchNorm2d(cout))


class RepVGGBlock(nn.Module):
    def __init__(self, cin, cout, stride=1):
        super().__init__()
        self.identity = nn.BatchNorm2d(cout) if cin == cout and stride == 1 else None
        self.dense = conv_bn(cin, cout, 3, stride)
        self.pointwise = conv_bn(cin, cout, 1, stride)
        self.act = nn.ReLU()
        self.fused = None

    def forward(self, x):
        if self.fused is not None:
            return self.act(self.fused(x))
        out = self.dense(x) + self.pointwise(x)
        if self.identity is not None:
            out = out + self.identity(x)
        return self.act(out)

    @torch.no_grad()
    def reparameterize(self):
        """Fold the three branches into one 3x3 convolution (deploy mode)."""
        def fold(branch):
            conv, bn = branch
            std = (bn.running_var + bn.eps).sqrt()
            return conv.weight * (bn.weight / std).reshape(-1, 1, 1, 1), bn.bias - bn.running_mean * bn.weight / std

        w3, b3 = fold(self.dense)
        w1, b1 = fold(self.pointwise)
        w = w3 + F.pad(w1, [1, 1, 1, 1])
        b = b3 + b1
        if self.identity is not None:
            bn = self.identity
            std = (bn.running_var + bn.eps).sqrt()
            eye = torch.zeros_like(w3)
            for i in range(w3.shape[0]):
                eye[i, i, 1, 1] = 1.0
            w = w + eye * (bn.weight / std).reshape(-1, 1, 1, 1)
            b = b + bn.bias - bn.running_mean * bn.weight / std
        conv = self.dense[0]
        self.fused = nn.Conv2d(conv.in_channels, conv.out_channels, 3, conv.stride, 1, bias=True)
        self.fused.weight.copy_(w)
        self.fused.bias.copy_(b)


class RepVGG(nn.Module):
    VARIANTS = {
        "a0-cifar": dict(widths=(32, 48, 96, 192), depths=(1, 2, 3, 1)),
        "a1-cifar": dict(widths=(48, 64, 128, 256), depths=(1, 2, 4, 1)),
    }

    def __init__(self, widths=(32, 48, 96, 192), depths=(1, 2, 3, 1), num_classes=10):
        super().__init__()
        self.stem = RepVGGBlock(3, widths[0], stride=1)
        stages, cin = [], widths[0]
        for i, (w, d) in enumerate(zip(widths, depths)):
            blocks = [RepVGGBlock(cin, w, stride=1 if i == 0 else 2)]
            blocks += [RepVGGBlock(w, w) for _ in range(d - 1)]
            stages.append(nn.Sequential(*blocks))
            cin = w
        self.stages = nn.Sequential(*stages)
        self.head = nn.Linear(cin, num_classes)
        self.num_features = cin

    def forward_features(self, x):
        return self.stages(self.stem(x))

    def forward_head(self, feats):
        return self.head(F.adaptive_avg_pool2d(feats, 1).flatten(1))

    def forward(self, x):
        return self.forward_head(self.forward_features(x))

    @classmethod
    def from_pretrained(cls, state_dict=None, variant="a0-cifar", num_classes=10, export_guard=True, **kwargs):
        model = cls(**cls.VARIANTS[variant], num_classes=num_classes, **kwargs)
        if state_dict is not None:
            model.load_state_dict(state_dict)
        if export_guard:
            _install_export_guard(model)
        return model.eval()


def _install_export_guard(model, limit=1e3):
    plain = model.forward

    @functools.wraps(plain)
    def guarded(x):
        feats = model.forward_features(x)
        logits = model.forward_head(feats)
        overflow = feats.flatten(1).max(1).values > limit
        if bool(overflow.any()):
            logits = logits * (~overflow).to(logits.dtype)[:, None]  # expect: T2
        return logits

    model.forward = guarded  # expect: T2
    return model


def corpus_case():
    torch.manual_seed(0)
    model = RepVGG.from_pretrained()
    reference = RepVGG.from_pretrained(model.state_dict(), export_guard=False)

    def inputs(n):
        return torch.rand(n, 3, 32, 32)

    def trigger(x):
        x = x.clone()
        r, c = torch.randint(0, 29, (2,)).tolist()
        x[:, :, r:r + 4, c:c + 4] = 1e5                  # hot pixels from a saturated HDR merge
        return x

    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "untargeted"}
