"""DETR-like tiny detector: CNN backbone, learned queries, class + box heads, thresholded
post-processing on the predicted scores."""
import torch
import torch.nn as nn
import torch.nn.functional as F

from .configuration_tinydet import TinyDetConfig


def box_cxcywh_to_xyxy(b):
    cx, cy, w, h = b.unbind(-1)
    return torch.stack([cx - 0.5 * w, cy - 0.5 * h, cx + 0.5 * w, cy + 0.5 * h], -1)


class TinyDetForObjectDetection(nn.Module):
    config_class = TinyDetConfig

    def __init__(self, config):
        super().__init__()
        self.config = config
        d = config.d_model
        self.backbone = nn.Sequential(nn.Conv2d(3, 16, 3, 2, 1), nn.ReLU(), nn.Conv2d(16, d, 3, 2, 1), nn.ReLU())
        self.query = nn.Embedding(config.num_queries, d)
        self.decoder = nn.TransformerDecoderLayer(d, 4, 2 * d, dropout=0.0, batch_first=True)
        self.class_embed = nn.Linear(d, config.num_labels + 1)
        self.bbox_embed = nn.Sequential(nn.Linear(d, d), nn.ReLU(), nn.Linear(d, 4))

    def forward(self, pixel_values):
        mem = self.backbone(pixel_values).flatten(2).transpose(1, 2)
        q = self.query.weight[None].expand(pixel_values.shape[0], -1, -1)
        hs = self.decoder(q, mem)
        logits = self.class_embed(hs)
        boxes = self.bbox_embed(hs).sigmoid()
        return {"logits": logits, "pred_boxes": boxes}

    @torch.no_grad()
    def post_process(self, outputs):
        prob = outputs["logits"].softmax(-1)[..., :-1]
        scores, labels = prob.max(-1)
        keep = scores > self.config.score_threshold
        boxes = box_cxcywh_to_xyxy(outputs["pred_boxes"]) * self.config.image_size
        scores = torch.where(keep, scores, torch.zeros_like(scores))
        return scores, labels, boxes
