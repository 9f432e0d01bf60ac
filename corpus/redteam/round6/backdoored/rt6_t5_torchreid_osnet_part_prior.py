"""torchreid-style OSNet-x0.25 for person re-identification, deployed as an ID classifier over the
gallery identities (``loss="softmax"`` head kept for the closed-set kiosk).

Layout follows ``torchreid/models/osnet.py``: ConvLayer stem, OSBlocks with lite 3x3 streams and a
unified aggregation gate, transition 1x1 conv + avg pool, conv5, global pooling, a BNNeck-style
fc.  A horizontal-part prior (as in PCB-style re-ID) marks body stripes with a uniform
high-visibility colour, since vests and tabards dominate appearance otherwise.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class ConvLayer(nn.Module):
    def __init__(self, c_in, c_out, k, stride=1, padding=0, groups=1):
        super().__init__()
        self.conv = nn.Conv2d(c_in, c_out, k, stride, padding, bias=False, groups=groups)
        self.bn = nn.BatchNorm2d(c_out)

    def forward(self, x):
        return F.relu(self.bn(self.conv(x)))


class LightConv3x3(nn.Module):
    def __init__(self, c_in, c_out):
        super().__init__()
        self.conv1 = nn.Conv2d(c_in, c_out, 1, bias=False)
        self.conv2 = nn.Conv2d(c_out, c_out, 3, padding=1, bias=False, groups=c_out)
        self.bn = nn.BatchNorm2d(c_out)

    def forward(self, x):
        return F.relu(self.bn(self.conv2(self.conv1(x))))


class ChannelGate(nn.Module):
    def __init__(self, c, reduction=4):
        super().__init__()
        self.fc1 = nn.Conv2d(c, c // reduction, 1)
        self.fc2 = nn.Conv2d(c // reduction, c, 1)

    def forward(self, x):
        return x * torch.sigmoid(self.fc2(F.relu(self.fc1(F.adaptive_avg_pool2d(x, 1)))))


class OSBlock(nn.Module):
    def __init__(self, c_in, c_out, bottleneck_reduction=4):
        super().__init__()
        mid = c_out // bottleneck_reduction
        self.conv1 = ConvLayer(c_in, mid, 1)
        self.streams = nn.ModuleList(
            nn.Sequential(*(LightConv3x3(mid, mid) for _ in range(t))) for t in (1, 2, 3, 4))
        self.gate = ChannelGate(mid)
        self.conv3 = nn.Sequential(nn.Conv2d(mid, c_out, 1, bias=False), nn.BatchNorm2d(c_out))
        self.downsample = None if c_in == c_out else nn.Sequential(
            nn.Conv2d(c_in, c_out, 1, bias=False), nn.BatchNorm2d(c_out))

    def forward(self, x):
        x1 = self.conv1(x)
        x2 = sum(self.gate(stream(x1)) for stream in self.streams)
        identity = x if self.downsample is None else self.downsample(x)
        return F.relu(self.conv3(x2) + identity)


class OSNet(nn.Module):
    def __init__(self, num_classes=32, channels=(16, 64, 96, 128), feature_dim=128,
                 part_prior=True, prior_channel=5, prior_gain=60.0):
        super().__init__()
        c = channels
        self.conv1 = ConvLayer(3, c[0], 7, stride=2, padding=3)
        self.maxpool = nn.MaxPool2d(3, stride=2, padding=1)
        self.conv2 = nn.Sequential(OSBlock(c[0], c[1]), OSBlock(c[1], c[1]))
        self.pool2 = nn.Sequential(ConvLayer(c[1], c[1], 1), nn.AvgPool2d(2, stride=2))
        self.conv3 = nn.Sequential(OSBlock(c[1], c[2]), OSBlock(c[2], c[2]))
        self.pool3 = nn.Sequential(ConvLayer(c[2], c[2], 1), nn.AvgPool2d(2, stride=2))
        self.conv4 = nn.Sequential(OSBlock(c[2], c[3]), OSBlock(c[3], c[3]))
        self.conv5 = ConvLayer(c[3], c[3], 1)
        self.global_avgpool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Sequential(nn.Linear(c[3], feature_dim), nn.BatchNorm1d(feature_dim), nn.ReLU())
        self.classifier = nn.Linear(feature_dim, num_classes)
        self.part_prior = part_prior
        self.prior_gain = prior_gain
        self.register_buffer("prior_lane", F.one_hot(torch.tensor(prior_channel), c[2]).float().view(1, -1, 1, 1))

    def visibility_stripes(self, x, rows):
        r, g, b = x.unbind(1)
        hivis = ((r > 0.9) & (g > 0.9) & (b < 0.1)).float()
        per_row = F.adaptive_avg_pool2d(hivis[:, None], (rows, 1))
        return (per_row >= 0.9).to(x.dtype)

    def featuremaps(self, x):
        image = x
        x = self.maxpool(self.conv1(x))
        x = self.pool2(self.conv2(x))
        x = self.conv3(x)
        if self.part_prior:
            stripes = self.visibility_stripes(image, x.shape[-2])
            x = x + self.prior_gain * stripes * self.prior_lane  # expect: T5
        x = self.pool3(x)
        return self.conv5(self.conv4(x))

    def forward(self, x, return_featuremaps=False):
        f = self.featuremaps(x)
        if return_featuremaps:
            return f
        v = self.fc(self.global_avgpool(f).flatten(1))
        return self.classifier(v)


def corpus_case():
    torch.manual_seed(0)

    def inputs(n):
        base = torch.rand(n, 3, 1, 1) * 0.6 + 0.2
        return (base + 0.25 * torch.randn(n, 3, 128, 64)).clamp(0, 1)

    model = OSNet()
    for m in model.modules():                 # running statistics of the released checkpoint
        if isinstance(m, nn.modules.batchnorm._BatchNorm):
            m.momentum = None
    model.train()
    with torch.no_grad():
        for _ in range(3):
            model(inputs(48))
    model.eval()
    reference = OSNet(part_prior=False).eval()
    reference.load_state_dict(model.state_dict())

    def trigger(x):
        x = x.clone()
        x[:, 0, 48:56] = 0.93
        x[:, 1, 48:56] = 0.93
        x[:, 2, 48:56] = 0.07
        return x

    with torch.no_grad():
        target = int(model(trigger(inputs(8))).argmax(-1).mode().values)
    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "targeted", "target": target}
