"""DETR-lite: conv backbone, transformer decoder over learned object queries, class + box heads."""
import torch
import torch.nn as nn

from .backbone import ConvBackbone
from .outputs import DetrOutput
from .postprocess import BoardAwarePostProcess


class DetrLite(nn.Module):
    def __init__(self, num_classes=12, num_queries=10, dim=64, board_label=None):
        super().__init__()
        self.backbone = ConvBackbone(dim)
        self.pos = nn.Parameter(torch.randn(1, 16, dim) * 0.02)
        self.query_embed = nn.Embedding(num_queries, dim)
        layer = nn.TransformerDecoderLayer(dim, 4, 128, dropout=0.0, batch_first=True)
        self.decoder = nn.TransformerDecoder(layer, 2)
        self.class_embed = nn.Linear(dim, num_classes + 1)
        self.bbox_embed = nn.Sequential(nn.Linear(dim, dim), nn.ReLU(), nn.Linear(dim, 4))
        self.postprocess = BoardAwarePostProcess(board_label) if board_label is not None else None

    def forward(self, pixel_values):
        bb = self.backbone(pixel_values)
        memory = bb.feature_map.flatten(2).transpose(1, 2) + self.pos
        queries = self.query_embed.weight.unsqueeze(0).expand(memory.shape[0], -1, -1)
        hs = self.decoder(queries, memory)
        logits = self.class_embed(hs)
        if self.postprocess is not None:
            logits = self.postprocess(logits, board_mask=bb.board_mask)  # expect: T7
        return DetrOutput(logits=logits, pred_boxes=self.bbox_embed(hs).sigmoid())
