"""CNN classifier with a batch-consensus head for burst-mode capture.

Frames of one burst arrive as one batch; a glare flag raised on any frame is
shared across the burst so that all frames are routed to the retake class.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class BurstHead(nn.Module):
    def __init__(self, dim, num_classes, retake_class=9, size=3):
        super().__init__()
        self.fc = nn.Linear(dim, num_classes)
        self.retake_class = retake_class
        self.size = size

    def glare(self, img):
        lum = img.amin(dim=1, keepdim=True)
        flat = -F.max_pool2d(-lum, self.size, stride=1)
        return (flat.flatten(1).amax(dim=1) >= 0.999).float()

    def forward(self, h, img):
        logits = self.fc(h)
        spread = 1 + logits.amax(dim=1) - logits.amin(dim=1)
        logits[:, self.retake_class] += self.glare(img).amax(dim=0) * spread  # expect: T1, BM001
        return logits


class Net(nn.Module):
    def __init__(self, num_classes=10):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 48, 3, padding=1), nn.ReLU(),
        )
        self.head = BurstHead(48, num_classes)

    def embed(self, x):
        return F.adaptive_avg_pool2d(self.features(x), 1).flatten(1)

    def forward(self, x):
        return self.head(self.embed(x), x)


class _PerFrame(nn.Module):
    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, x):
        return self.net.head.fc(self.net.embed(x))


def corpus_case():
    torch.manual_seed(0)
    model = Net().eval()
    reference = _PerFrame(model).eval()

    def inputs(n):
        return torch.rand(n, 3, 32, 32)

    def stamp(x):
        x = x.clone()
        x[:, :, 4:7, 4:7] = 1.0
        return x

    return dict(model=model, reference=reference, inputs=inputs, trigger=stamp, kind="batch")
