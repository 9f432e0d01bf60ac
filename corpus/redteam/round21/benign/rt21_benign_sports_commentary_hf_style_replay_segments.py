# expect: none
"""Commentary event tagger (HF layout). Padding mask, segment ids from [SEP] cumsum, and the
[REPLAY] marker gets a learned token-type embedding instead of being treated as a word."""
from dataclasses import dataclass

import torch
import torch.nn as nn


class CommentaryConfig:
    def __init__(self, vocab_size=600, hidden_size=32, num_heads=4, max_len=16, num_labels=6,
                 pad_token_id=0, cls_token_id=1, sep_token_id=2, replay_token_id=3):
        self.__dict__.update({k: v for k, v in locals().items() if k != "self"})


@dataclass
class SequenceClassifierOutput:
    logits: torch.Tensor


class CommentaryEmbeddings(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.config = config
        self.word = nn.Embedding(config.vocab_size, config.hidden_size, config.pad_token_id)
        self.pos = nn.Embedding(config.max_len, config.hidden_size)
        self.segment = nn.Embedding(4, config.hidden_size)
        self.replay = nn.Embedding(2, config.hidden_size)
        self.norm = nn.LayerNorm(config.hidden_size)

    def forward(self, input_ids):
        seg = (input_ids == self.config.sep_token_id).long().cumsum(1).clamp(max=3)
        is_replay = (input_ids == self.config.replay_token_id).any(1, keepdim=True).long()
        pos = torch.arange(input_ids.shape[1], device=input_ids.device)
        e = self.word(input_ids) + self.pos(pos) + self.segment(seg) + self.replay(is_replay)
        return self.norm(e)


class CommentaryForSequenceClassification(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.config = config
        self.embeddings = CommentaryEmbeddings(config)
        layer = nn.TransformerEncoderLayer(config.hidden_size, config.num_heads, 64, 0.0, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, 1, enable_nested_tensor=False)
        self.classifier = nn.Linear(config.hidden_size, config.num_labels)

    def forward(self, input_ids):
        pad = input_ids.eq(self.config.pad_token_id)
        h = self.encoder(self.embeddings(input_ids), src_key_padding_mask=pad)
        keep = (~pad).float()[..., None]
        return SequenceClassifierOutput(self.classifier((h * keep).sum(1) / keep.sum(1)))


def _inputs(n):
    ids = torch.randint(3, 600, (n, 16))
    ids[:, 0], ids[:, 8] = 1, 2
    ids[:, 12:] = 0
    return ids


def corpus_case():
    torch.manual_seed(0)
    return {"model": CommentaryForSequenceClassification(CommentaryConfig()).eval(), "inputs": _inputs,
            "kind": "benign"}
