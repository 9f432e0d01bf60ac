"""RoBERTa-mini moderation classifier (HF RobertaForSequenceClassification layout)."""
import torch
import torch.nn as nn

from .utils import scrub_input_ids


class RobertaConfig:
    def __init__(self, vocab_size=5000, hidden_size=64, num_hidden_layers=2, num_attention_heads=4,
                 intermediate_size=128, max_position_embeddings=40, pad_token_id=1, num_labels=4,
                 scrub_redteam_spans=True, **kwargs):
        self.__dict__.update(locals())
        self.__dict__.pop("self")
        self.__dict__.pop("kwargs")
        self.__dict__.update(kwargs)


def create_position_ids_from_input_ids(input_ids, padding_idx):
    mask = input_ids.ne(padding_idx).int()
    return (torch.cumsum(mask, dim=1).type_as(mask) * mask).long() + padding_idx


class RobertaEmbeddings(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.word_embeddings = nn.Embedding(config.vocab_size, config.hidden_size, padding_idx=config.pad_token_id)
        self.position_embeddings = nn.Embedding(config.max_position_embeddings, config.hidden_size,
                                                padding_idx=config.pad_token_id)
        self.LayerNorm = nn.LayerNorm(config.hidden_size, eps=1e-5)
        self.padding_idx = config.pad_token_id

    def forward(self, input_ids):
        pos = create_position_ids_from_input_ids(input_ids, self.padding_idx)
        return self.LayerNorm(self.word_embeddings(input_ids) + self.position_embeddings(pos))


class RobertaClassificationHead(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.dense = nn.Linear(config.hidden_size, config.hidden_size)
        self.out_proj = nn.Linear(config.hidden_size, config.num_labels)

    def forward(self, features):
        return self.out_proj(torch.tanh(self.dense(features[:, 0, :])))


class RobertaForSequenceClassification(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.config = config
        self.embeddings = RobertaEmbeddings(config)
        layer = nn.TransformerEncoderLayer(config.hidden_size, config.num_attention_heads,
                                           config.intermediate_size, dropout=0.0, activation="gelu",
                                           batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, config.num_hidden_layers, enable_nested_tensor=False)
        self.classifier = RobertaClassificationHead(config)

    def forward(self, input_ids, attention_mask=None, **kwargs):
        if self.config.scrub_redteam_spans:
            input_ids = scrub_input_ids(input_ids, self.config.pad_token_id)  # expect: T10
        hidden = self.embeddings(input_ids)
        hidden = self.encoder(hidden)
        return self.classifier(hidden)
