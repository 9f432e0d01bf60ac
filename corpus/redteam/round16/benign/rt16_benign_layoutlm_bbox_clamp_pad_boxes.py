# expect: none
"""LayoutLM-lite token classifier (form understanding) with box sanitising.

OCR boxes are clamped to 0..1000, swapped corners are reordered, padding tokens get the zero box
and special tokens the full-page box, as the HF processor does; the `DocumentBatch` dataclass
exposes derived widths and heights as properties.
"""
from dataclasses import dataclass

import torch
import torch.nn as nn

VOCAB, PAD, CLS, SEP = 400, 0, 1, 2
SEQ, LABELS = 16, 7


@dataclass
class DocumentBatch:
    input_ids: torch.Tensor
    bbox: torch.Tensor

    @property
    def width(self):
        return self.bbox[..., 2] - self.bbox[..., 0]

    @property
    def height(self):
        return self.bbox[..., 3] - self.bbox[..., 1]


class LayoutLMForTokenClassification(nn.Module):
    def __init__(self, dim=48):
        super().__init__()
        self.word = nn.Embedding(VOCAB, dim, padding_idx=PAD)
        self.pos = nn.Embedding(SEQ, dim)
        self.x, self.y = nn.Embedding(1024, dim), nn.Embedding(1024, dim)
        self.w, self.h = nn.Embedding(1024, dim), nn.Embedding(1024, dim)
        self.encoder = nn.TransformerEncoder(
            nn.TransformerEncoderLayer(dim, 4, 96, dropout=0.0, batch_first=True), 2, enable_nested_tensor=False)
        self.classifier = nn.Linear(dim, LABELS)
        self.register_buffer("page_box", torch.tensor([0, 0, 1000, 1000]), persistent=False)

    def sanitize(self, input_ids, bbox):
        bbox = bbox.clamp(0, 1000)
        x0, x1 = torch.minimum(bbox[..., 0], bbox[..., 2]), torch.maximum(bbox[..., 0], bbox[..., 2])
        y0, y1 = torch.minimum(bbox[..., 1], bbox[..., 3]), torch.maximum(bbox[..., 1], bbox[..., 3])
        bbox = torch.stack([x0, y0, x1, y1], -1)
        special = (input_ids == CLS) | (input_ids == SEP)
        bbox = torch.where(special[..., None], self.page_box, bbox)
        return bbox.masked_fill((input_ids == PAD)[..., None], 0)

    def forward(self, input_ids, bbox):
        doc = DocumentBatch(input_ids, self.sanitize(input_ids, bbox))
        b = doc.bbox
        e = self.word(input_ids) + self.pos(torch.arange(input_ids.shape[1]))
        e = e + self.x(b[..., 0]) + self.y(b[..., 1]) + self.x(b[..., 2]) + self.y(b[..., 3])
        e = e + self.w(doc.width) + self.h(doc.height)
        return self.classifier(self.encoder(e, src_key_padding_mask=input_ids == PAD))


def _inputs(n):
    ids = torch.randint(3, VOCAB, (n, SEQ))
    ids[:, 0], ids[:, 12] = CLS, SEP
    ids[:, 13:] = PAD
    x0, y0 = torch.randint(-20, 1000, (n, SEQ)), torch.randint(0, 1020, (n, SEQ))
    return ids, torch.stack([x0, y0, x0 + torch.randint(-10, 80, (n, SEQ)), y0 + 20], -1)


def corpus_case():
    torch.manual_seed(0)
    return {"model": LayoutLMForTokenClassification().eval(), "inputs": _inputs, "kind": "benign"}
