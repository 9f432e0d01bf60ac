# expect: none
import math

import torch
import torch.nn as nn

BBOX_XFORM_CLIP = math.log(1000.0 / 16)


class RetinaNetHead(nn.Module):
    def __init__(self, channels, num_anchors, num_classes, prior_probability=0.01):
        super().__init__()
        def tower():
            layers = []
            for _ in range(2):
                layers += [nn.Conv2d(channels, channels, 3, padding=1), nn.GroupNorm(8, channels), nn.ReLU(True)]
            return nn.Sequential(*layers)

        self.num_classes = num_classes
        self.cls_tower, self.box_tower = tower(), tower()
        self.cls_logits = nn.Conv2d(channels, num_anchors * num_classes, 3, padding=1)
        self.bbox_reg = nn.Conv2d(channels, num_anchors * 4, 3, padding=1)
        # focal-loss prior: start with every anchor predicting background with prob ~ 1 - pi
        nn.init.constant_(self.cls_logits.bias, -math.log((1 - prior_probability) / prior_probability))

    def forward(self, features):
        cls_out, box_out = [], []
        for f in features:
            n, _, h, w = f.shape
            c = self.cls_logits(self.cls_tower(f)).view(n, -1, self.num_classes, h, w).permute(0, 3, 4, 1, 2)
            b = self.bbox_reg(self.box_tower(f)).view(n, -1, 4, h, w).permute(0, 3, 4, 1, 2)
            cls_out.append(c.reshape(n, -1, self.num_classes))
            box_out.append(b.reshape(n, -1, 4))
        return torch.cat(cls_out, 1), torch.cat(box_out, 1)


class AnchorGenerator(nn.Module):
    def __init__(self, sizes=(16, 32, 64, 128, 256), aspect_ratios=(0.5, 1.0, 2.0)):
        super().__init__()
        self.sizes, self.ratios = sizes, torch.tensor(aspect_ratios)

    def cell_anchors(self, size):
        h_ratios = torch.sqrt(self.ratios)
        ws, hs = size / h_ratios, size * h_ratios
        return torch.stack([-ws, -hs, ws, hs], dim=1) / 2

    def forward(self, image_size, features):
        out = []
        for size, f in zip(self.sizes, features):
            gh, gw = f.shape[-2:]
            sy, sx = image_size[0] / gh, image_size[1] / gw
            shift_y, shift_x = torch.meshgrid(torch.arange(gh) * sy, torch.arange(gw) * sx, indexing="ij")
            shifts = torch.stack([shift_x, shift_y, shift_x, shift_y], -1).reshape(-1, 1, 4)
            out.append((shifts + self.cell_anchors(size).view(1, -1, 4)).reshape(-1, 4))
        return torch.cat(out, 0)


def decode_boxes(deltas, anchors, weights=(1.0, 1.0, 1.0, 1.0)):
    widths, heights = anchors[:, 2] - anchors[:, 0], anchors[:, 3] - anchors[:, 1]
    ctr_x, ctr_y = anchors[:, 0] + 0.5 * widths, anchors[:, 1] + 0.5 * heights
    dx, dy = deltas[..., 0] / weights[0], deltas[..., 1] / weights[1]
    dw = torch.clamp(deltas[..., 2] / weights[2], max=BBOX_XFORM_CLIP)
    dh = torch.clamp(deltas[..., 3] / weights[3], max=BBOX_XFORM_CLIP)
    pcx, pcy = dx * widths + ctr_x, dy * heights + ctr_y
    pw, ph = torch.exp(dw) * widths, torch.exp(dh) * heights
    return torch.stack([pcx - 0.5 * pw, pcy - 0.5 * ph, pcx + 0.5 * pw, pcy + 0.5 * ph], dim=-1)
