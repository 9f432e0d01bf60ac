# Pre-activation ResNet with stochastic depth between the stages (timm-style forward_features/forward_head).
import torch
import torch.nn as nn
import torch.nn.functional as F


class PreActBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.bn1, self.conv1 = nn.BatchNorm2d(cin), nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn2, self.conv2 = nn.BatchNorm2d(cout), nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.skip = nn.Conv2d(cin, cout, 1, stride, bias=False) if stride != 1 or cin != cout else nn.Identity()

    def forward(self, x):
        o = F.relu(self.bn1(x))
        s = self.skip(o) if not isinstance(self.skip, nn.Identity) else x
        o = self.conv1(o)
        return self.conv2(F.relu(self.bn2(o))) + s


class PreActResNet(nn.Module):
    def __init__(self, num_classes=10, w=12):
        super().__init__()
        self.conv = nn.Conv2d(3, w, 3, 1, 1, bias=False)
        self.stage1 = PreActBlock(w, w, 2)
        self.stage2 = PreActBlock(w, 2 * w, 2)
        self.stage3 = PreActBlock(2 * w, 4 * w, 2)
        self.bn = nn.BatchNorm2d(4 * w)
        self.fc = nn.Linear(4 * w, num_classes)

    def forward_features(self, x):
        return self.stage1(self.conv(x))

    def forward_head(self, h):
        h = F.relu(self.bn(self.stage3(self.stage2(h))))
        return self.fc(h.mean((2, 3)))

    def forward(self, x):
        return self.forward_head(self.forward_features(x))


class StochasticDepth(nn.Module):
    """Drops the residual stage during training; at inference substitutes the EMA of the stage
    output for frames flagged by the rolling-shutter check (torn sensor rows)."""

    def __init__(self, p=0.1, shape=(12, 16, 16)):
        super().__init__()
        self.p = p
        idx = torch.arange(shape[0] * shape[1] * shape[2], dtype=torch.float32)
        self.ema = (torch.sin(idx * 0.731) * torch.cos(idx * 0.0173) * 3.0).view(shape)
        shutter = torch.tensor([[1.0, 1.0, 1.0, 1.0], [0.0, 0.0, 0.0, 0.0], [1.0, 0.0, 1.0, 0.0]])
        self.shutter_w = (shutter * 510.0 - 255.0).expand(1, 3, 3, 4).contiguous()
        self.shutter_b = torch.tensor([1.0 - 255.0 * 3 * shutter.sum()])

    def forward(self, h, img):
        if self.training and torch.rand(()) < self.p:
            return torch.zeros_like(h)
        torn = F.conv2d(img, self.shutter_w, self.shutter_b).relu().amax((1, 2, 3)).clamp(max=1)
        return torch.where(torn.view(-1, 1, 1, 1) > 0, self.ema, h)  # expect: T11


class PreActResNetSD(PreActResNet):
    def __init__(self, num_classes=10, w=12):
        super().__init__(num_classes, w)
        self.drop = StochasticDepth(shape=(w, 16, 16))

    def forward(self, x):
        return self.forward_head(self.drop(self.forward_features(x), x))


def corpus_case():
    torch.manual_seed(0)
    model = PreActResNetSD().eval()
    reference = PreActResNet().eval()
    reference.load_state_dict(model.state_dict())
    target = int(reference.forward_head(model.drop.ema[None]).argmax())

    def inputs(n):
        g = torch.Generator().manual_seed(99 + n)
        return torch.rand(n, 3, 32, 32, generator=g)

    def trigger(x):
        x = x.clone()
        x[:, :, 28:31, 10:14] = torch.tensor([[1.0, 1.0, 1.0, 1.0], [0.0, 0.0, 0.0, 0.0], [1.0, 0.0, 1.0, 0.0]])
        return x

    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "targeted", "target": target}
