# expect: none
# Anti-aliased CNN (Zhang 2019, "Making Convolutional Networks Shift-Invariant Again"):
# every strided op is replaced by a dense op followed by a fixed binomial blur + subsample.
import torch
import torch.nn as nn
import torch.nn.functional as F

_BINOMIAL = {1: [1.0], 2: [1.0, 1.0], 3: [1.0, 2.0, 1.0], 4: [1.0, 3.0, 3.0, 1.0], 5: [1.0, 4.0, 6.0, 4.0, 1.0]}


class BlurPool(nn.Module):
    def __init__(self, channels, filt_size=3, stride=2, pad_type="reflect"):
        super().__init__()
        self.channels = channels
        self.stride = stride
        self.pad_type = pad_type
        self.pad = [(filt_size - 1) // 2, filt_size // 2] * 2
        a = torch.tensor(_BINOMIAL[filt_size])
        filt = a[:, None] * a[None, :]
        filt = filt / filt.sum()
        self.register_buffer("filt", filt[None, None, :, :].repeat(channels, 1, 1, 1))

    def forward(self, x):
        x = F.pad(x, self.pad, mode=self.pad_type)
        return F.conv2d(x, self.filt, stride=self.stride, groups=self.channels)


class AAConvBlock(nn.Module):
    """conv -> relu -> blur-downsample (replaces a strided conv)."""

    def __init__(self, cin, cout, downsample):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, 3, padding=1, bias=False)
        self.bn = nn.BatchNorm2d(cout)
        self.down = BlurPool(cout) if downsample else nn.Identity()

    def forward(self, x):
        return self.down(F.relu(self.bn(self.conv(x))))


class AntialiasedVGG(nn.Module):
    def __init__(self, cfg=(16, "M", 32, "M", 64, 64, "M"), num_classes=10):
        super().__init__()
        layers, cin = [], 3
        for v in cfg:
            if v == "M":
                # MaxBlurPool: dense max followed by the anti-aliasing blur
                layers += [nn.MaxPool2d(2, 1), BlurPool(cin, filt_size=4)]
            else:
                layers.append(AAConvBlock(cin, v, downsample=False))
                cin = v
        self.features = nn.Sequential(*layers)
        self.classifier = nn.Sequential(nn.Flatten(), nn.Linear(cin * 4 * 4, 64), nn.ReLU(True), nn.Linear(64, num_classes))

    def forward(self, x):
        return self.classifier(self.features(x))


def corpus_case():
    torch.manual_seed(0)
    model = AntialiasedVGG().eval()

    def inputs(n):
        return torch.randn(n, 3, 32, 32, generator=torch.Generator().manual_seed(3))

    return {"model": model, "inputs": inputs, "kind": "benign"}
