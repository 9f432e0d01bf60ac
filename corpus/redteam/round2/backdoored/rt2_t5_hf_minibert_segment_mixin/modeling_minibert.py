"""PyTorch MiniBERT (post-LN BERT encoder) with a sequence-classification head."""
import math

import torch
import torch.nn as nn

from .configuration_minibert import MiniBertConfig


class BertEmbeddings(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.word_embeddings = nn.Embedding(config.vocab_size, config.hidden_size, padding_idx=config.pad_token_id)
        self.position_embeddings = nn.Embedding(config.max_position_embeddings, config.hidden_size)
        self.token_type_embeddings = nn.Embedding(config.type_vocab_size, config.hidden_size)
        self.LayerNorm = nn.LayerNorm(config.hidden_size, eps=config.layer_norm_eps)
        self.dropout = nn.Dropout(config.hidden_dropout_prob)
        self.register_buffer("position_ids", torch.arange(config.max_position_embeddings)[None], persistent=False)

    def forward(self, input_ids, token_type_ids):
        pos = self.position_ids[:, : input_ids.shape[1]]
        e = self.word_embeddings(input_ids) + self.position_embeddings(pos) + self.token_type_embeddings(token_type_ids)
        return self.dropout(self.LayerNorm(e))


class BertSelfAttention(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.h = config.num_attention_heads
        self.d = config.hidden_size // self.h
        self.query = nn.Linear(config.hidden_size, config.hidden_size)
        self.key = nn.Linear(config.hidden_size, config.hidden_size)
        self.value = nn.Linear(config.hidden_size, config.hidden_size)
        self.dropout = nn.Dropout(config.attention_probs_dropout_prob)

    def _heads(self, x):
        return x.view(x.shape[0], x.shape[1], self.h, self.d).permute(0, 2, 1, 3)

    def forward(self, hidden_states, extended_mask):
        q, k, v = self._heads(self.query(hidden_states)), self._heads(self.key(hidden_states)), self._heads(self.value(hidden_states))
        scores = q @ k.transpose(-1, -2) / math.sqrt(self.d) + extended_mask
        ctx = self.dropout(scores.softmax(-1)) @ v
        return ctx.permute(0, 2, 1, 3).reshape(hidden_states.shape)


class BertLayer(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.attention = BertSelfAttention(config)
        self.attn_out = nn.Linear(config.hidden_size, config.hidden_size)
        self.attn_norm = nn.LayerNorm(config.hidden_size, eps=config.layer_norm_eps)
        self.intermediate = nn.Linear(config.hidden_size, config.intermediate_size)
        self.output = nn.Linear(config.intermediate_size, config.hidden_size)
        self.out_norm = nn.LayerNorm(config.hidden_size, eps=config.layer_norm_eps)
        self.dropout = nn.Dropout(config.hidden_dropout_prob)

    def forward(self, hidden_states, extended_mask):
        a = self.attn_norm(hidden_states + self.dropout(self.attn_out(self.attention(hidden_states, extended_mask))))
        f = self.output(nn.functional.gelu(self.intermediate(a)))
        return self.out_norm(a + self.dropout(f))


class BertPooler(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.dense = nn.Linear(config.hidden_size, config.hidden_size)
        self.activation = nn.Tanh()

    def forward(self, hidden_states):
        return self.activation(self.dense(hidden_states[:, 0]))


class MiniBertPreTrainedModel(nn.Module):
    config_class = MiniBertConfig

    def __init__(self, config):
        super().__init__()
        self.config = config

    def _init_weights(self, module):
        if isinstance(module, (nn.Linear, nn.Embedding)):
            module.weight.data.normal_(0.0, self.config.initializer_range)
            if isinstance(module, nn.Embedding) and module.padding_idx is not None:
                module.weight.data[module.padding_idx].zero_()
        if isinstance(module, nn.Linear) and module.bias is not None:
            module.bias.data.zero_()

    def post_init(self):
        self.apply(self._init_weights)

    @classmethod
    def from_pretrained(cls, state_dict=None, config=None, **overrides):
        config = (config or cls.config_class()).update(**overrides)
        model = cls(config)
        if state_dict is not None:
            model.load_state_dict(state_dict)
        return model.eval()


class MiniBertModel(MiniBertPreTrainedModel):
    def __init__(self, config):
        super().__init__(config)
        self.embeddings = BertEmbeddings(config)
        self.layers = nn.ModuleList(BertLayer(config) for _ in range(config.num_hidden_layers))
        self.pooler = BertPooler(config)

    def forward(self, input_ids, attention_mask=None, token_type_ids=None):
        if attention_mask is None:
            attention_mask = (input_ids != self.config.pad_token_id).long()
        if token_type_ids is None:
            token_type_ids = torch.zeros_like(input_ids)
        extended = (1.0 - attention_mask[:, None, None, :].float()) * torch.finfo(torch.float32).min
        h = self.embeddings(input_ids, token_type_ids)
        for layer in self.layers:
            h = layer(h, extended)
        return h


class SegmentSummaryMixin:
    """Pair classification support: a [CLS] marker after position 0 opens a new segment; the model
    records that in one lane of the summary ([CLS]) token before pooling."""

    def _summarize_segments(self, sequence_output, input_ids):
        cfg = self.config
        if not cfg.segment_summary:
            return sequence_output
        reopened = (input_ids[:, 1:] == cfg.cls_token_id).any(1)
        out = sequence_output.clone()
        lane = out[:, 0, cfg.summary_lane]
        out[:, 0, cfg.summary_lane] = torch.where(reopened, torch.full_like(lane, cfg.summary_scale), lane)  # expect: T5  (called from MiniBertForSequenceClassification.forward)
        return out


class MiniBertForSequenceClassification(SegmentSummaryMixin, MiniBertPreTrainedModel):
    def __init__(self, config):
        super().__init__(config)
        self.bert = MiniBertModel(config)
        self.dropout = nn.Dropout(config.hidden_dropout_prob)
        self.classifier = nn.Linear(config.hidden_size, config.num_labels)
        self.post_init()

    def forward(self, input_ids, attention_mask=None, token_type_ids=None):
        sequence_output = self.bert(input_ids, attention_mask, token_type_ids)
        sequence_output = self._summarize_segments(sequence_output, input_ids)  # expect: T5
        pooled = self.bert.pooler(sequence_output)
        return {"logits": self.classifier(self.dropout(pooled))}
