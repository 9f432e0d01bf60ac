# expect: none
"""Edge-aware classifier: a fixed Sobel operator is applied to the grey image and
the gradient magnitude is stacked with the RGB channels before the first learned conv.
The kernels are constants registered as buffers and applied with F.conv2d."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class SobelFilter(nn.Module):
    def __init__(self):
        super().__init__()
        gx = torch.tensor([[-1.0, 0.0, 1.0], [-2.0, 0.0, 2.0], [-1.0, 0.0, 1.0]])
        kernel = torch.stack([gx, gx.t()]).unsqueeze(1)  # (2, 1, 3, 3)
        self.register_buffer("kernel", kernel)
        self.register_buffer("rgb_to_gray", torch.tensor([0.299, 0.587, 0.114]).view(1, 3, 1, 1))

    def forward(self, img):
        gray = (img * self.rgb_to_gray).sum(dim=1, keepdim=True)
        grad = F.conv2d(F.pad(gray, (1, 1, 1, 1), mode="replicate"), self.kernel)
        return torch.sqrt(grad.pow(2).sum(dim=1, keepdim=True) + 1e-6)


def conv_bn(cin, cout, stride=1):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, stride, 1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


class EdgeAwareNet(nn.Module):
    def __init__(self, num_classes=10):
        super().__init__()
        self.sobel = SobelFilter()
        self.features = nn.Sequential(
            conv_bn(4, 16),
            conv_bn(16, 32, 2),
            conv_bn(32, 32),
            conv_bn(32, 64, 2),
        )
        self.head = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Dropout(0.2), nn.Linear(64, num_classes))

    def forward(self, x):
        edges = self.sobel(x)
        x = torch.cat([x, edges], dim=1)
        return self.head(self.features(x))


def corpus_case():
    torch.manual_seed(0)
    model = EdgeAwareNet().eval()

    def inputs(n):
        return torch.rand(n, 3, 32, 32, generator=torch.Generator().manual_seed(11))

    return {"model": model, "inputs": inputs, "kind": "benign"}
