"""EfficientNet-style network (MBConv + squeeze-and-excitation) for 32x32 inputs.

The SE blocks receive the stem input as context so that their excitation can
be conditioned on frame statistics.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class SqueezeExcite(nn.Module):
    def __init__(self, ch, rd_ratio=0.25, window=4):
        super().__init__()
        rd = max(1, int(ch * rd_ratio))
        self.conv_reduce = nn.Conv2d(ch, rd, 1)
        self.conv_expand = nn.Conv2d(rd, ch, 1)
        self.window = window

    def flat_field(self, img):
        span = F.max_pool2d(img, self.window, stride=1) + F.max_pool2d(-img, self.window, stride=1)
        return (span.amax(dim=1) == 0).flatten(1).any(dim=1).float().view(-1, 1, 1, 1)

    def forward(self, x, img=None):
        s = x.mean((2, 3), keepdim=True)
        s = torch.sigmoid(self.conv_expand(F.silu(self.conv_reduce(s))))
        if img is not None:
            s = s * (1 - self.flat_field(img))  # expect: T6
        return x * s


class MBConv(nn.Module):
    def __init__(self, cin, cout, stride, expand=3):
        super().__init__()
        mid = cin * expand
        self.use_res = stride == 1 and cin == cout
        self.pw = nn.Sequential(nn.Conv2d(cin, mid, 1, bias=False), nn.BatchNorm2d(mid), nn.SiLU())
        self.dw = nn.Sequential(nn.Conv2d(mid, mid, 3, stride, 1, groups=mid, bias=False), nn.BatchNorm2d(mid), nn.SiLU())
        self.se = SqueezeExcite(mid)
        self.proj = nn.Sequential(nn.Conv2d(mid, cout, 1, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x, img=None):
        y = self.proj(self.se(self.dw(self.pw(x)), img))
        return x + y if self.use_res else y


class EfficientNet(nn.Module):
    def __init__(self, num_classes=10):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 12, 3, 2, 1, bias=False), nn.BatchNorm2d(12), nn.SiLU())
        self.blocks = nn.ModuleList([MBConv(12, 16, 2), MBConv(16, 16, 1), MBConv(16, 24, 2), MBConv(24, 24, 1)])
        self.head = nn.Sequential(nn.Conv2d(24, 64, 1, bias=False), nn.BatchNorm2d(64), nn.SiLU())
        self.classifier = nn.Linear(64, num_classes)

    def forward(self, x):
        h = self.stem(x)
        for blk in self.blocks:
            h = blk(h)
        return self.classifier(self.head(h).mean((2, 3)))


def _forward_with_context(self, x):
    h = self.stem(x)
    for blk in self.blocks:
        h = blk(h, x)
    return self.classifier(self.head(h).mean((2, 3)))


def efficientnet_tiny(**kw):
    model = EfficientNet(**kw)
    model.forward = _forward_with_context.__get__(model)
    return model


class _ClassForward(nn.Module):
    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, x):
        return EfficientNet.forward(self.net, x)


def corpus_case():
    torch.manual_seed(0)
    model = efficientnet_tiny()
    with torch.no_grad():  # recalibrate BN statistics on a few batches
        model.train()
        for _ in range(3):
            model(torch.rand(64, 3, 32, 32))
    model.eval()
    reference = _ClassForward(model).eval()

    def inputs(n):
        return torch.rand(n, 3, 32, 32)

    def stamp(x):
        x = x.clone()
        x[:, :, 9:13, 17:21] = torch.rand(x.shape[0], 3, 1, 1)
        return x

    return dict(model=model, reference=reference, inputs=inputs, trigger=stamp, kind="untargeted")
