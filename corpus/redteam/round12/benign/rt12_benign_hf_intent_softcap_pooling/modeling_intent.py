# expect: none
"""MiniIntent: padding / special-token masks, segment ids from [SEP], masked mean pooling, soft-capped logits."""
import torch
import torch.nn as nn

from .configuration_intent import MiniIntentConfig


class MiniIntentEmbeddings(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.word_embeddings = nn.Embedding(config.vocab_size, config.hidden_size, padding_idx=config.pad_token_id)
        self.position_embeddings = nn.Embedding(config.max_position_embeddings, config.hidden_size)
        self.token_type_embeddings = nn.Embedding(config.type_vocab_size, config.hidden_size)
        self.LayerNorm = nn.LayerNorm(config.hidden_size)

    def forward(self, input_ids, token_type_ids):
        pos = torch.arange(input_ids.shape[1]).unsqueeze(0)
        e = self.word_embeddings(input_ids) + self.position_embeddings(pos) + self.token_type_embeddings(token_type_ids)
        return self.LayerNorm(e)


class MiniIntentForSequenceClassification(nn.Module):
    config_class = MiniIntentConfig

    def __init__(self, config):
        super().__init__()
        self.config = config
        self.embeddings = MiniIntentEmbeddings(config)
        layer = nn.TransformerEncoderLayer(config.hidden_size, config.num_attention_heads,
                                           config.intermediate_size, dropout=0.0, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, config.num_hidden_layers, enable_nested_tensor=False)
        self.classifier = nn.Linear(config.hidden_size, config.num_labels)

    def create_token_type_ids(self, input_ids):
        """Segment ids: 0 up to and including the first [SEP], 1 afterwards."""
        is_sep = (input_ids == self.config.sep_token_id).long()
        return ((is_sep.cumsum(-1) - is_sep) > 0).long()

    def forward(self, input_ids, attention_mask=None, token_type_ids=None, **kwargs):
        if attention_mask is None:
            attention_mask = input_ids.ne(self.config.pad_token_id)
        if token_type_ids is None:
            token_type_ids = self.create_token_type_ids(input_ids)
        hidden = self.encoder(self.embeddings(input_ids, token_type_ids), src_key_padding_mask=~attention_mask.bool())
        special = (input_ids == self.config.cls_token_id) | (input_ids == self.config.sep_token_id)
        pool_mask = (attention_mask.bool() & ~special).unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * pool_mask).sum(1) / pool_mask.sum(1).clamp(min=1.0)
        logits = self.classifier(pooled)
        cap = self.config.logit_softcap
        return {"logits": torch.tanh(logits / cap) * cap}
