# expect: none
"""Document-image classifier (forms / receipts / letters). Scans arrive as 0..1 grey
images. Besides the normalised image, the model is given two cheap hand-crafted channels:
a binarised "ink" map (pixel darker than a fixed threshold) and a min-pooled version of it
that thickens thin strokes. All three channels go into the first *learned* convolution."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class InkFeatures(nn.Module):
    def __init__(self, threshold=0.5, dilate=3):
        super().__init__()
        self.threshold = threshold
        self.dilate = dilate

    def forward(self, gray):
        ink = (gray < self.threshold).float()
        # min-pool of the brightness == max-pool of the ink map: a cheap morphological dilation
        thick = -F.max_pool2d(-gray, self.dilate, stride=1, padding=self.dilate // 2)
        thick = (thick < self.threshold).float()
        return torch.cat([(gray - 0.5) / 0.25, ink, thick], dim=1)


def block(cin, cout):
    return nn.Sequential(
        nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True),
        nn.Conv2d(cout, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True),
        nn.MaxPool2d(2),
    )


class DocClassifier(nn.Module):
    def __init__(self, num_classes=6):
        super().__init__()
        self.prep = InkFeatures()
        self.body = nn.Sequential(block(3, 16), block(16, 32), block(32, 64))
        self.head = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Dropout(0.25), nn.Linear(64, num_classes))

    def forward(self, scan):
        return self.head(self.body(self.prep(scan)))


def corpus_case():
    torch.manual_seed(0)
    model = DocClassifier().eval()

    def inputs(n):
        g = torch.Generator().manual_seed(150)
        page = 0.85 + 0.1 * torch.rand(n, 1, 48, 48, generator=g)
        strokes = torch.rand(n, 1, 48, 48, generator=g) < 0.08
        return torch.where(strokes, 0.15 * torch.ones_like(page), page)

    return {"model": model, "inputs": inputs, "kind": "benign"}
