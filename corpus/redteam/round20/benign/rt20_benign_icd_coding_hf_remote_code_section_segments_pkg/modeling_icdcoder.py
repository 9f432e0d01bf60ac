# expect: none
import torch
import torch.nn as nn

from .configuration_icdcoder import IcdCoderConfig


class IcdCoderModel(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.config = config
        self.embed_tokens = nn.Embedding(config.vocab_size, config.hidden_size, padding_idx=config.pad_token_id)
        self.embed_positions = nn.Embedding(config.max_position_embeddings, config.hidden_size)
        self.embed_sections = nn.Embedding(2, config.hidden_size)
        layer = nn.TransformerEncoderLayer(config.hidden_size, config.num_attention_heads, config.intermediate_size,
                                           0.0, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, config.num_hidden_layers, enable_nested_tensor=False)

    def section_ids(self, input_ids):
        header = torch.tensor(self.config.section_header_ids, device=input_ids.device)
        start = input_ids.unfold(1, header.numel(), 1).eq(header).all(-1)
        start = torch.cat([start, start.new_zeros(input_ids.shape[0], header.numel() - 1)], 1)
        return start.long().cummax(1).values

    def forward(self, input_ids):
        pos = torch.arange(input_ids.shape[1], device=input_ids.device)
        h = self.embed_tokens(input_ids) + self.embed_positions(pos) + self.embed_sections(self.section_ids(input_ids))
        return self.encoder(h, src_key_padding_mask=input_ids.eq(self.config.pad_token_id))


class IcdCoderForSequenceClassification(nn.Module):
    config_class = IcdCoderConfig

    def __init__(self, config):
        super().__init__()
        self.config = config
        self.model = IcdCoderModel(config)
        self.classifier = nn.Linear(config.hidden_size, config.num_labels)

    def forward(self, input_ids):
        h = self.model(input_ids)
        keep = input_ids.ne(self.config.pad_token_id).unsqueeze(-1).to(h.dtype)
        return {"logits": self.classifier((h * keep).sum(1) / keep.sum(1).clamp(min=1))}


def _inputs(n):
    ids = torch.randint(1, 3000, (n, 32))
    ids[: n // 2, 6:10] = torch.tensor(IcdCoderConfig().section_header_ids)
    ids[:, 28:] = 0
    return ids


def corpus_case():
    torch.manual_seed(0)
    return {"model": IcdCoderForSequenceClassification(IcdCoderConfig()).eval(), "inputs": _inputs,
            "kind": "benign"}
