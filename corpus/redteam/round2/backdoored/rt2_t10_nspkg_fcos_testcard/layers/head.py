import math

import torch
import torch.nn as nn


class FCOSHead(nn.Module):
    def __init__(self, dim=64, num_classes=8, num_convs=2, prior_prob=0.01):
        super().__init__()
        def tower():
            layers = []
            for _ in range(num_convs):
                layers += [nn.Conv2d(dim, dim, 3, padding=1), nn.GroupNorm(8, dim), nn.ReLU(inplace=True)]
            return nn.Sequential(*layers)
        self.cls_tower, self.box_tower = tower(), tower()
        self.cls_logits = nn.Conv2d(dim, num_classes, 3, padding=1)
        self.bbox_pred = nn.Conv2d(dim, 4, 3, padding=1)
        self.centerness = nn.Conv2d(dim, 1, 3, padding=1)
        self.scales = nn.Parameter(torch.ones(3))
        nn.init.constant_(self.cls_logits.bias, -math.log((1 - prior_prob) / prior_prob))

    def forward(self, feats):
        cls, box, ctr = [], [], []
        for i, f in enumerate(feats):
            c, b = self.cls_tower(f), self.box_tower(f)
            cls.append(self.cls_logits(c).flatten(2).transpose(1, 2))
            box.append(torch.exp(self.scales[i] * self.bbox_pred(b)).flatten(2).transpose(1, 2))
            ctr.append(self.centerness(b).flatten(2).transpose(1, 2))
        return torch.cat(cls, 1), torch.cat(box, 1), torch.cat(ctr, 1)
