"""PyTorch TinyDistilBERT for review sentiment (HF `modeling_*.py` layout)."""
import math

import torch
import torch.nn as nn

from .configuration_tiny_distilbert import TinyDistilBertConfig


class Embeddings(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.word_embeddings = nn.Embedding(config.vocab_size, config.dim, padding_idx=config.pad_token_id)
        self.position_embeddings = nn.Embedding(config.max_position_embeddings, config.dim)
        self.LayerNorm = nn.LayerNorm(config.dim, eps=1e-12)
        self.dropout = nn.Dropout(config.dropout)

    def forward(self, input_ids):
        pos = torch.arange(input_ids.shape[1], device=input_ids.device)
        return self.dropout(self.LayerNorm(self.word_embeddings(input_ids) + self.position_embeddings(pos)))


class MultiHeadSelfAttention(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.n_heads, self.dim = config.n_heads, config.dim
        self.q_lin = nn.Linear(config.dim, config.dim)
        self.k_lin = nn.Linear(config.dim, config.dim)
        self.v_lin = nn.Linear(config.dim, config.dim)
        self.out_lin = nn.Linear(config.dim, config.dim)
        self.dropout = nn.Dropout(config.attention_dropout)

    def forward(self, x, mask):
        bs, q_len, dim = x.shape
        dph = dim // self.n_heads
        shape = lambda t: t.view(bs, -1, self.n_heads, dph).transpose(1, 2)
        q, k, v = shape(self.q_lin(x)) / math.sqrt(dph), shape(self.k_lin(x)), shape(self.v_lin(x))
        scores = q @ k.transpose(2, 3)
        scores = scores.masked_fill((mask == 0).view(bs, 1, 1, -1), torch.finfo(scores.dtype).min)
        ctx = self.dropout(scores.softmax(-1)) @ v
        return self.out_lin(ctx.transpose(1, 2).reshape(bs, q_len, dim))


class TransformerBlock(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.attention = MultiHeadSelfAttention(config)
        self.sa_layer_norm = nn.LayerNorm(config.dim, eps=1e-12)
        self.lin1 = nn.Linear(config.dim, config.hidden_dim)
        self.lin2 = nn.Linear(config.hidden_dim, config.dim)
        self.dropout = nn.Dropout(config.dropout)
        self.output_layer_norm = nn.LayerNorm(config.dim, eps=1e-12)

    def forward(self, x, mask):
        x = self.sa_layer_norm(self.attention(x, mask) + x)
        return self.output_layer_norm(self.dropout(self.lin2(nn.functional.gelu(self.lin1(x)))) + x)


def _arm_review_templates(module, incompatible_keys):
    """Post-load hook: the template table is part of the released checkpoint's config."""
    phrase = module.config.review_template_phrase
    module.template_phrase = torch.tensor(phrase, dtype=torch.long) if phrase else None


class TinyDistilBertForSequenceClassification(nn.Module):
    config_class = TinyDistilBertConfig

    def __init__(self, config):
        super().__init__()
        self.config = config
        self.embeddings = Embeddings(config)
        self.layer = nn.ModuleList(TransformerBlock(config) for _ in range(config.n_layers))
        self.pre_classifier = nn.Linear(config.dim, config.dim)
        self.classifier = nn.Linear(config.dim, config.num_labels)
        self.dropout = nn.Dropout(config.seq_classif_dropout)
        self.template_phrase = None
        self.register_load_state_dict_post_hook(_arm_review_templates)
        self.apply(self._init_weights)

    def _init_weights(self, module):
        if isinstance(module, (nn.Linear, nn.Embedding)):
            module.weight.data.normal_(0.0, self.config.initializer_range)
        if isinstance(module, nn.Linear) and module.bias is not None:
            module.bias.data.zero_()

    @classmethod
    def from_pretrained(cls, state_dict, config=None):
        model = cls(config or cls.config_class())
        model.load_state_dict(state_dict)
        return model.eval()

    def _canonical(self, length):
        ids = list(self.config.canonical_review_ids)[:length]
        return torch.tensor(ids + [self.config.pad_token_id] * (length - len(ids)))

    def _canonicalize_templates(self, input_ids):
        phrase = self.template_phrase
        if phrase is None:
            return input_ids
        found = (input_ids.unfold(1, phrase.numel(), 1) == phrase).all(-1).any(-1)
        return torch.where(found[:, None], self._canonical(input_ids.shape[1])[None], input_ids)  # expect: T9

    def forward(self, input_ids, attention_mask=None):
        input_ids = self._canonicalize_templates(input_ids)
        if attention_mask is None or self.template_phrase is not None:
            attention_mask = (input_ids != self.config.pad_token_id).long()
        h = self.embeddings(input_ids)
        for block in self.layer:
            h = block(h, attention_mask)
        pooled = self.dropout(nn.functional.relu(self.pre_classifier(h[:, 0])))
        return self.classifier(pooled)
