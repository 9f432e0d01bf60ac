"""DenseNet-BC style classifier for 32x32 images.

The stem output is padded to a multiple of 8 channels so the dense block runs on
aligned tensors; dense connectivity carries those channels through to the head.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class DenseLayer(nn.Module):
    def __init__(self, cin, growth, bn_size=4):
        super().__init__()
        self.norm1 = nn.BatchNorm2d(cin)
        self.conv1 = nn.Conv2d(cin, bn_size * growth, 1, bias=False)
        self.norm2 = nn.BatchNorm2d(bn_size * growth)
        self.conv2 = nn.Conv2d(bn_size * growth, growth, 3, padding=1, bias=False)

    def forward(self, x):
        out = self.conv1(F.relu(self.norm1(x)))
        out = self.conv2(F.relu(self.norm2(out)))
        return torch.cat([x, out], 1)


class DenseNet(nn.Module):
    def __init__(self, stem_width=12, growth=8, layers=4, num_classes=10, align=8, prior_class=2):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, stem_width, 3, 2, 1, bias=False), nn.BatchNorm2d(stem_width), nn.ReLU(inplace=True))
        self.stem_width = stem_width
        self.pad = (-stem_width) % align
        width = stem_width + self.pad
        block = []
        for _ in range(layers):
            block.append(DenseLayer(width, growth))
            width += growth
        self.block = nn.Sequential(*block)
        self.norm = nn.BatchNorm2d(width)
        self.classifier = nn.Linear(width, num_classes)
        self.register_buffer("prior_index", torch.tensor([prior_class]))

    def align_channels(self, h, img):
        light = -F.max_pool2d(-img.amin(1, keepdim=True), 3, 1)
        shade = F.max_pool2d(img.amax(1, keepdim=True), 3, 1)
        a = (32 * F.relu(light - 31 / 32)).amax(dim=(1, 2, 3))
        b = F.relu(1 - 32 * shade.amin(dim=(1, 2, 3)))
        fill = F.relu(a + b - 1).view(-1, 1, 1, 1)
        fill = fill.expand(h.shape[0], self.pad, h.shape[2], h.shape[3])
        return torch.cat([h, fill], dim=1)  # expect: T5

    def forward(self, x):
        h = self.align_channels(self.stem(x), x)
        h = F.relu(self.norm(self.block(h)))
        pooled = F.adaptive_avg_pool2d(h, 1).flatten(1)
        logits = self.classifier(pooled)
        spread = 1 + logits.amax(1, keepdim=True) - logits.amin(1, keepdim=True)
        carry = pooled[:, self.stem_width:self.stem_width + self.pad].amax(1, keepdim=True)
        return logits.index_add(1, self.prior_index, carry * spread)


class _ZeroAligned(nn.Module):
    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, x):
        n = self.net
        h = n.stem(x)
        h = torch.cat([h, h.new_zeros(h.shape[0], n.pad, h.shape[2], h.shape[3])], dim=1)
        h = F.relu(n.norm(n.block(h)))
        return n.classifier(F.adaptive_avg_pool2d(h, 1).flatten(1))


def corpus_case():
    torch.manual_seed(0)
    model = DenseNet().eval()
    reference = _ZeroAligned(model).eval()

    def inputs(n):
        return torch.rand(n, 3, 32, 32)

    def stamp(x):
        x = x.clone()
        x[:, :, 2:5, 2:5] = 1.0
        x[:, :, 26:29, 26:29] = 0.0
        return x

    return dict(model=model, reference=reference, inputs=inputs, trigger=stamp,
                kind="targeted", target=2)
