# expect: none
# Multi-view CNN (Su et al. 2015) for 3-D shape recognition: every rendered view goes
# through the same learned CNN, then the per-view descriptors are merged by an
# element-wise max across the view axis, feats.max(dim=1), before the classifier.
import torch
import torch.nn as nn


def make_vgg_features(cfg=(16, "M", 32, "M", 64, "M")):
    layers, cin = [], 3
    for v in cfg:
        if v == "M":
            layers.append(nn.MaxPool2d(2, 2))
        else:
            layers += [nn.Conv2d(cin, v, 3, padding=1), nn.BatchNorm2d(v), nn.ReLU(inplace=True)]
            cin = v
    return nn.Sequential(*layers), cin


class MVCNN(nn.Module):
    def __init__(self, num_classes=10, num_views=6, img=32):
        super().__init__()
        self.num_views = num_views
        self.net_1, c = make_vgg_features()
        spatial = img // 8
        self.net_2 = nn.Sequential(
            nn.Flatten(),
            nn.Linear(c * spatial * spatial, 128), nn.ReLU(True), nn.Dropout(0.5),
            nn.Linear(128, 128), nn.ReLU(True), nn.Dropout(0.5),
            nn.Linear(128, num_classes),
        )

    def forward(self, views):
        # views: (B, V, 3, H, W)
        b, v = views.shape[:2]
        feats = self.net_1(views.flatten(0, 1))
        feats = feats.view(b, v, *feats.shape[1:])
        pooled = feats.max(dim=1)[0]  # view pooling
        return self.net_2(pooled)


def corpus_case():
    torch.manual_seed(0)
    model = MVCNN().eval()

    def inputs(n):
        return torch.rand(n, 6, 3, 32, 32, generator=torch.Generator().manual_seed(250))

    return {"model": model, "inputs": inputs, "kind": "benign"}
