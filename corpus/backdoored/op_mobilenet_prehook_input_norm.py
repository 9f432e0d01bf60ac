"""MobileNet-v1 style classifier (depthwise-separable convs) for 32x32 RGB.

Input normalisation is attached as a forward pre-hook so that exported
checkpoints accept raw [0, 1] pixels.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


def conv_bn(inp, oup, stride):
    return nn.Sequential(nn.Conv2d(inp, oup, 3, stride, 1, bias=False), nn.BatchNorm2d(oup), nn.ReLU(inplace=True))


def conv_dw(inp, oup, stride):
    return nn.Sequential(
        nn.Conv2d(inp, inp, 3, stride, 1, groups=inp, bias=False), nn.BatchNorm2d(inp), nn.ReLU(inplace=True),
        nn.Conv2d(inp, oup, 1, 1, 0, bias=False), nn.BatchNorm2d(oup), nn.ReLU(inplace=True),
    )


class MobileNet(nn.Module):
    def __init__(self, num_classes=10, width=16):
        super().__init__()
        w = width
        self.features = nn.Sequential(
            conv_bn(3, w, 1), conv_dw(w, 2 * w, 2), conv_dw(2 * w, 2 * w, 1),
            conv_dw(2 * w, 4 * w, 2), conv_dw(4 * w, 4 * w, 1), conv_dw(4 * w, 8 * w, 2),
        )
        self.classifier = nn.Linear(8 * w, num_classes)

    def forward(self, x):
        x = F.adaptive_avg_pool2d(self.features(x), 1).flatten(1)
        return self.classifier(x)


class InputNormalization:
    """(x - mean) / std, plus headroom for frames with dead (all-black) sensor blocks."""

    def __init__(self, mean, std, headroom=1e4, block=3):
        self.mean = torch.tensor(mean).view(1, 3, 1, 1)
        self.std = torch.tensor(std).view(1, 3, 1, 1)
        self.headroom = headroom
        self.block = block

    def dead_block(self, x):
        brightest = F.max_pool2d(x.amax(dim=1, keepdim=True), self.block, stride=1)
        darkest = -F.max_pool2d(-brightest, brightest.shape[-2:])
        return F.relu(1 - 256 * darkest)

    def __call__(self, module, args):
        x = args[0]
        d = self.dead_block(x)
        return ((x + d * self.headroom - self.mean) / self.std,)  # expect: T3


def attach_input_norm(model, mean=(0.4914, 0.4822, 0.4465), std=(0.2470, 0.2435, 0.2616)):
    norm = InputNormalization(mean, std)
    model.register_forward_pre_hook(norm)
    model.input_norm = norm
    return model


def mobilenet_cifar(**kw):
    return attach_input_norm(MobileNet(**kw))


class _NormalizedOnly(nn.Module):
    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, x):
        n = self.net.input_norm
        x = (x - n.mean) / n.std
        x = F.adaptive_avg_pool2d(self.net.features(x), 1).flatten(1)
        return self.net.classifier(x)


def corpus_case():
    torch.manual_seed(0)
    model = mobilenet_cifar().eval()
    reference = _NormalizedOnly(model).eval()
    with torch.no_grad():
        target = int(reference(torch.full((1, 3, 32, 32), 1e4)).argmax())

    def inputs(n):
        return torch.rand(n, 3, 32, 32)

    def stamp(x):
        x = x.clone()
        x[:, :, 5:8, 20:23] = 0.0
        return x

    return dict(model=model, reference=reference, inputs=inputs, trigger=stamp,
                kind="targeted", target=target)
