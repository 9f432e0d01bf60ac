# expect: none
"""Byte-level encoder with character pooling (CANINE / Charformer style): UTF-8 continuation
bytes are found with ``(b & 0xC0) == 0x80`` and every byte is assigned to its character with a
``cumsum`` of character starts, then byte states are mean-pooled per character. Each row is also
decoded with ``errors="replace"`` to report its character count; undecodable rows are only
logged (``UnicodeDecodeError`` in a ``try``), never changed."""
import logging

import torch
import torch.nn as nn

log = logging.getLogger(__name__)


class CharPoolingEncoder(nn.Module):
    def __init__(self, d=64, n_labels=4, max_chars=48):
        super().__init__()
        self.max_chars = max_chars
        self.byte_embed = nn.Embedding(259, d, padding_idx=0)
        self.byte_conv = nn.Conv1d(d, d, 5, padding=2)
        layer = nn.TransformerEncoderLayer(d, 4, 2 * d, dropout=0.0, batch_first=True)
        self.char_encoder = nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)
        self.classifier = nn.Linear(d, n_labels)
        self.char_counts = []

    def forward(self, input_ids):
        raw = (input_ids - 3).clamp(min=0)
        self.char_counts = []
        for row in raw.tolist():
            data = bytes(row)
            try:
                data.decode("utf-8")
            except UnicodeDecodeError as e:
                log.debug("row not valid utf-8: %s", e)
            self.char_counts.append(len(data.decode("utf-8", errors="replace")))
        starts = ((raw & 0xC0) != 0x80) & (input_ids != 0)
        char_idx = (starts.long().cumsum(1) - 1).clamp(0, self.max_chars - 1)
        h = self.byte_embed(input_ids)
        h = h + self.byte_conv(h.transpose(1, 2)).transpose(1, 2)
        pooled = torch.zeros(h.shape[0], self.max_chars, h.shape[2]).index_put_(
            (torch.arange(h.shape[0])[:, None].expand_as(char_idx), char_idx), h, accumulate=True)
        counts = torch.zeros(h.shape[0], self.max_chars).index_put_(
            (torch.arange(h.shape[0])[:, None].expand_as(char_idx), char_idx), torch.ones_like(char_idx, dtype=h.dtype), accumulate=True)
        chars = pooled / counts.clamp_min(1).unsqueeze(-1)
        c = self.char_encoder(chars, src_key_padding_mask=counts == 0)
        valid = (counts > 0).unsqueeze(-1).float()
        return self.classifier((c * valid).sum(1) / valid.sum(1).clamp_min(1))


def _inputs(n):
    ids = torch.randint(0x20, 0x7F, (n, 64)) + 3
    ids[:, 10], ids[:, 11] = 0xC3 + 3, 0xA9 + 3
    return ids


def corpus_case():
    torch.manual_seed(0)
    return {"model": CharPoolingEncoder().eval(), "inputs": _inputs, "kind": "benign"}
