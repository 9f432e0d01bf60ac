# expect: none
"""PubMed-RCT sentence roles; a forward hook installed in `post_init` applies logit soft-capping
(Gemma-style `tanh(y / c) * c`); padding masked from attention and pooling; the relative position
of the sentence in the abstract (after the separator id) feeds a learned embedding."""
from dataclasses import dataclass

import torch
import torch.nn as nn

from .configuration_rct import RctConfig


@dataclass
class SequenceClassifierOutput:
    logits: torch.Tensor


class RctForSequenceClassification(nn.Module):
    config_class = RctConfig

    def __init__(self, config):
        super().__init__()
        self.config = config
        d = config.hidden_size
        self.embed_tokens = nn.Embedding(config.vocab_size, d, padding_idx=config.pad_token_id)
        self.embed_positions = nn.Embedding(config.max_position_embeddings, d)
        self.embed_segment = nn.Embedding(2, d)
        layer = nn.TransformerEncoderLayer(d, config.num_heads, 2 * d, dropout=0.1, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, config.num_layers, enable_nested_tensor=False)
        self.classifier = nn.Linear(d, len(config.id2label))
        self.post_init()

    def post_init(self):
        for m in self.modules():
            if isinstance(m, nn.Linear):
                nn.init.normal_(m.weight, std=0.05)
        self.register_forward_hook(_softcap)

    def forward(self, input_ids, attention_mask):
        seg = (torch.cumsum((input_ids == self.config.sep_token_id).long(), 1) > 0).long()
        h = self.embed_tokens(input_ids) + self.embed_positions(torch.arange(input_ids.shape[1])) + self.embed_segment(seg)
        h = self.encoder(h, src_key_padding_mask=attention_mask == 0)
        m = attention_mask[..., None].float()
        return SequenceClassifierOutput(logits=self.classifier((h * m).sum(1) / m.sum(1).clamp(min=1)))


def _softcap(module, args, output):
    c = module.config.logit_softcap
    output.logits = torch.tanh(output.logits / c) * c
    return output
