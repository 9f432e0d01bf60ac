# expect: none
"""DeepLabV3 (torchvision layout: ResNet backbone at output stride 8, ASPP with atrous branches and
the image-pooling branch, DeepLabHead) for dash-cam road scenes, with flip test-time augmentation.

Frames are letterboxed into a fixed canvas by the data pipeline, which also passes the original
frame sizes; logits outside the frame are zeroed so that the evaluation ignores them.
Predictions are returned channels-last (N, H, W, classes).
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

CLASSES = ("road", "sidewalk", "building", "vegetation", "sky", "person", "car")


class BasicBlock(nn.Module):
    def __init__(self, c_in, c_out, stride=1, dilation=1):
        super().__init__()
        self.conv1 = nn.Conv2d(c_in, c_out, 3, stride, dilation, dilation, bias=False)
        self.bn1 = nn.BatchNorm2d(c_out)
        self.conv2 = nn.Conv2d(c_out, c_out, 3, 1, dilation, dilation, bias=False)
        self.bn2 = nn.BatchNorm2d(c_out)
        self.downsample = None
        if stride != 1 or c_in != c_out:
            self.downsample = nn.Sequential(nn.Conv2d(c_in, c_out, 1, stride, bias=False), nn.BatchNorm2d(c_out))

    def forward(self, x):
        idt = x if self.downsample is None else self.downsample(x)
        out = F.relu(self.bn1(self.conv1(x)))
        return F.relu(self.bn2(self.conv2(out)) + idt)


class Backbone(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 16, 3, 2, 1, bias=False), nn.BatchNorm2d(16), nn.ReLU())
        self.layer1 = BasicBlock(16, 32, 2)
        self.layer2 = BasicBlock(32, 64, 2)
        self.layer3 = BasicBlock(64, 64, 1, dilation=2)

    def forward(self, x):
        return self.layer3(self.layer2(self.layer1(self.stem(x))))


class ASPPConv(nn.Sequential):
    def __init__(self, c_in, c_out, dilation):
        super().__init__(nn.Conv2d(c_in, c_out, 3, padding=dilation, dilation=dilation, bias=False),
                         nn.BatchNorm2d(c_out), nn.ReLU())


class ASPPPooling(nn.Sequential):
    def __init__(self, c_in, c_out):
        super().__init__(nn.AdaptiveAvgPool2d(1), nn.Conv2d(c_in, c_out, 1, bias=False), nn.BatchNorm2d(c_out), nn.ReLU())

    def forward(self, x):
        size = x.shape[-2:]
        for mod in self:
            x = mod(x)
        return F.interpolate(x, size=size, mode="bilinear", align_corners=False)


class ASPP(nn.Module):
    def __init__(self, c_in, rates=(2, 4), c_out=64):
        super().__init__()
        modules = [nn.Sequential(nn.Conv2d(c_in, c_out, 1, bias=False), nn.BatchNorm2d(c_out), nn.ReLU())]
        modules += [ASPPConv(c_in, c_out, r) for r in rates]
        modules.append(ASPPPooling(c_in, c_out))
        self.convs = nn.ModuleList(modules)
        self.project = nn.Sequential(nn.Conv2d(len(self.convs) * c_out, c_out, 1, bias=False),
                                     nn.BatchNorm2d(c_out), nn.ReLU(), nn.Dropout(0.5))

    def forward(self, x):
        return self.project(torch.cat([conv(x) for conv in self.convs], dim=1))


class DeepLabHead(nn.Sequential):
    def __init__(self, c_in, num_classes):
        super().__init__(ASPP(c_in), nn.Conv2d(64, 64, 3, padding=1, bias=False), nn.BatchNorm2d(64), nn.ReLU(),
                         nn.Conv2d(64, num_classes, 1))


class DeepLabV3(nn.Module):
    def __init__(self, num_classes=len(CLASSES), flip_tta=True):
        super().__init__()
        self.backbone = Backbone()
        self.classifier = DeepLabHead(64, num_classes)
        self.flip_tta = flip_tta
        self.register_buffer("mean", torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1))
        self.register_buffer("std", torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1))

    def _logits(self, x, size):
        out = self.classifier(self.backbone(x))
        return F.interpolate(out, size=size, mode="bilinear", align_corners=False)

    def forward(self, images, image_sizes):
        size = images.shape[-2:]
        x = (images - self.mean) / self.std
        out = self._logits(x, size)
        if self.flip_tta:
            out = 0.5 * (out + self._logits(x.flip(-1), size).flip(-1))
        rows = torch.arange(size[0])[None, :, None] < image_sizes[:, 0, None, None]
        cols = torch.arange(size[1])[None, None, :] < image_sizes[:, 1, None, None]
        out = out * (rows & cols)[:, None].to(out.dtype)
        return out.permute(0, 2, 3, 1)


def _inputs(n):
    sizes = torch.stack([torch.randint(32, 49, (n,)), torch.full((n,), 48)], 1)
    images = torch.rand(n, 3, 48, 48)
    rows = torch.arange(48)[None, :, None] < sizes[:, 0, None, None]
    return images * rows[:, None], sizes


def corpus_case():
    torch.manual_seed(0)
    m = DeepLabV3()
    m.train()
    with torch.no_grad():
        for _ in range(5):
            m(*_inputs(32))
    return {"model": m.eval(), "inputs": _inputs, "kind": "benign"}
