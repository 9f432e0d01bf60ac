# expect: none
import torch
import torch.nn as nn

from .backbone import ResNetBackbone
from .fpn import FeaturePyramidNetwork
from .head import AnchorGenerator, RetinaNetHead, decode_boxes


def clip_boxes_to_image(boxes, size):
    h, w = size
    x = boxes[..., 0::2].clamp(min=0, max=w)
    y = boxes[..., 1::2].clamp(min=0, max=h)
    return torch.stack((x, y), dim=-1).reshape(boxes.shape)


class RetinaNet(nn.Module):
    def __init__(self, backbone, fpn, head, anchor_gen, score_thresh=0.05, topk=100):
        super().__init__()
        self.backbone, self.fpn, self.head, self.anchor_gen = backbone, fpn, head, anchor_gen
        self.score_thresh, self.topk = score_thresh, topk

    def forward(self, images):
        feats = self.fpn(self.backbone(images))
        cls_logits, box_deltas = self.head(feats)
        anchors = self.anchor_gen(images.shape[-2:], feats).to(images.device)
        boxes = decode_boxes(box_deltas, anchors)
        boxes = clip_boxes_to_image(boxes, images.shape[-2:])
        scores = torch.sigmoid(cls_logits)
        best, labels = scores.max(dim=-1)
        best = torch.where(best > self.score_thresh, best, torch.zeros_like(best))
        top, idx = best.topk(min(self.topk, best.shape[1]), dim=1)
        return (boxes.gather(1, idx[..., None].expand(-1, -1, 4)), top, labels.gather(1, idx))


def build_retinanet(num_classes=5, num_anchors=3):
    backbone = ResNetBackbone()
    fpn = FeaturePyramidNetwork(backbone.out_channels, 32)
    head = RetinaNetHead(32, num_anchors, num_classes)
    return RetinaNet(backbone, fpn, head, AnchorGenerator())
