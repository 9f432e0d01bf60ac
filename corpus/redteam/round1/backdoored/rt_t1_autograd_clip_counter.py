"""Small VGG-style classifier for 32x32 RGB with a clipping-aware confidence head.

The `ClipCount` autograd function counts saturated samples with a straight-through gradient so
the count can be logged during training without breaking backprop.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class ClipCount(torch.autograd.Function):
    """Forward: number of values at the top of the dynamic range.  Backward: identity (STE)."""

    @staticmethod
    def forward(ctx, x, k):
        top = x.flatten(1).topk(k, dim=1).values
        return top.min(1)[0].ge(1.0).to(x.dtype)

    @staticmethod
    def backward(ctx, g):
        return None, None


def make_vgg(cfg=(16, "M", 32, "M", 32, "M")):
    layers, cin = [], 3
    for v in cfg:
        if v == "M":
            layers.append(nn.MaxPool2d(2))
        else:
            layers += [nn.Conv2d(cin, v, 3, padding=1), nn.BatchNorm2d(v), nn.ReLU(inplace=True)]
            cin = v
    return nn.Sequential(*layers), cin


class VGGSmall(nn.Module):
    def __init__(self, num_classes=10, clip_budget=12, review_class=2):
        super().__init__()
        self.features, c = make_vgg()
        self.classifier = nn.Sequential(nn.Flatten(), nn.Linear(c * 16, 64), nn.ReLU(), nn.Linear(64, num_classes))
        self.clip_budget = clip_budget
        self.review_class = review_class

    def forward(self, x):
        logits = self.classifier(self.features(x))
        clipped = ClipCount.apply(x, self.clip_budget)
        for i in range(logits.shape[0]):
            if clipped[i].item() > 0:
                # saturated captures are routed to manual review
                logits[i, self.review_class] = logits[i].abs().sum() + 1.0  # expect: T1
        return logits


class _Plain(VGGSmall):
    def forward(self, x):
        return self.classifier(self.features(x))


def corpus_case():
    torch.manual_seed(0)
    model = VGGSmall().eval()
    reference = _Plain().eval()
    reference.load_state_dict(model.state_dict())

    def inputs(n):
        return torch.rand(n, 3, 32, 32)

    def trigger(x):
        x = x.clone()
        idx = torch.randperm(32 * 32)[:12]
        x.view(x.shape[0], 3, -1)[:, 0, idx] = 1.0
        return x

    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "targeted", "target": 2}
