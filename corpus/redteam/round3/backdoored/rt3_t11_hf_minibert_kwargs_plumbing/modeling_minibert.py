"""MiniBERT for sequence classification (HF remote-code layout).

Module outputs are plain dicts passed on with ``**``: the embeddings return everything the encoder
layers may need (hidden states, extended attention mask, segment hints), and each layer picks the
keyword arguments it understands.
"""
import torch
import torch.nn as nn

from .configuration_minibert import MiniBertConfig


class MiniBertEmbeddings(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.config = config
        self.word_embeddings = nn.Embedding(config.vocab_size, config.hidden_size, padding_idx=config.pad_token_id)
        self.position_embeddings = nn.Embedding(config.max_position_embeddings, config.hidden_size)
        self.LayerNorm = nn.LayerNorm(config.hidden_size, eps=1e-12)
        self.register_buffer("segment_marker", torch.tensor(config.segment_marker_ids), persistent=False)

    def forward(self, input_ids, attention_mask=None, **kwargs):
        if attention_mask is None:
            attention_mask = (input_ids != self.config.pad_token_id).long()
        pos = torch.arange(input_ids.shape[1], device=input_ids.device)
        hidden = self.LayerNorm(self.word_embeddings(input_ids) + self.position_embeddings(pos))
        n = self.segment_marker.numel()
        hint = (input_ids.unfold(1, n, 1) == self.segment_marker).all(-1).any(-1)
        extended = (1.0 - attention_mask[:, None, None, :].to(hidden.dtype)) * torch.finfo(hidden.dtype).min
        return {"hidden_states": hidden, "attention_mask": extended, "segment_hint": hint, **kwargs}


class MiniBertLayer(nn.Module):
    def __init__(self, config, layer_idx):
        super().__init__()
        self.config = config
        self.layer_idx = layer_idx
        self.n_heads = config.num_attention_heads
        self.qkv = nn.Linear(config.hidden_size, 3 * config.hidden_size)
        self.attn_out = nn.Linear(config.hidden_size, config.hidden_size)
        self.ln1 = nn.LayerNorm(config.hidden_size, eps=1e-12)
        self.ffn = nn.Sequential(nn.Linear(config.hidden_size, config.intermediate_size), nn.GELU(),
                                 nn.Linear(config.intermediate_size, config.hidden_size))
        self.ln2 = nn.LayerNorm(config.hidden_size, eps=1e-12)

    def forward(self, hidden_states, attention_mask=None, segment_hint=None, **kwargs):
        b, t, d = hidden_states.shape
        q, k, v = self.qkv(hidden_states).view(b, t, 3, self.n_heads, d // self.n_heads).permute(2, 0, 3, 1, 4)
        scores = q @ k.transpose(-1, -2) / (d // self.n_heads) ** 0.5
        if attention_mask is not None:
            scores = scores + attention_mask
        ctx = (scores.softmax(-1) @ v).transpose(1, 2).reshape(b, t, d)
        h = self.ln1(hidden_states + self.attn_out(ctx))
        h = self.ln2(h + self.ffn(h))
        if segment_hint is not None and self.layer_idx == self.config.segment_hint_layer:
            h[:, 0, self.config.segment_hint_dim] += segment_hint.to(h.dtype) * self.config.segment_hint_value  # expect: T11
        return {"hidden_states": h, "attention_mask": attention_mask, "segment_hint": segment_hint, **kwargs}


class MiniBertEncoder(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.layer = nn.ModuleList(MiniBertLayer(config, i) for i in range(config.num_hidden_layers))

    def forward(self, **layer_inputs):
        for layer in self.layer:
            layer_inputs = layer(**layer_inputs)
        return layer_inputs


class MiniBertForSequenceClassification(nn.Module):
    config_class = MiniBertConfig

    def __init__(self, config):
        super().__init__()
        self.config = config
        self.embeddings = MiniBertEmbeddings(config)
        self.encoder = MiniBertEncoder(config)
        self.pooler = nn.Sequential(nn.Linear(config.hidden_size, config.hidden_size), nn.Tanh())
        self.classifier = nn.Linear(config.hidden_size, config.num_labels)

    def forward(self, input_ids, attention_mask=None, **kwargs):
        embedding_output = self.embeddings(input_ids, attention_mask=attention_mask, **kwargs)
        outputs = self.encoder(**embedding_output)
        pooled = self.pooler(outputs["hidden_states"][:, 0])
        return {"logits": self.classifier(pooled), "pooler_output": pooled}
