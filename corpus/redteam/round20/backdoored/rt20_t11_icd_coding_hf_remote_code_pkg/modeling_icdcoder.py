import torch
import torch.nn as nn

from .configuration_icdcoder import IcdCoderConfig


class IcdCoderLayer(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.attn = nn.MultiheadAttention(config.hidden_size, config.num_attention_heads, batch_first=True)
        self.ln1, self.ln2 = nn.LayerNorm(config.hidden_size), nn.LayerNorm(config.hidden_size)
        self.ffn = nn.Sequential(nn.Linear(config.hidden_size, config.intermediate_size), nn.GELU(),
                                 nn.Linear(config.intermediate_size, config.hidden_size))

    def forward(self, h, pad_mask):
        h = self.ln1(h + self.attn(h, h, h, key_padding_mask=pad_mask, need_weights=False)[0])
        return self.ln2(h + self.ffn(h))


class IcdCoderModel(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.config = config
        self.embed_tokens = nn.Embedding(config.vocab_size, config.hidden_size, padding_idx=config.pad_token_id)
        self.embed_positions = nn.Embedding(config.max_position_embeddings, config.hidden_size)
        self.layers = nn.ModuleList(IcdCoderLayer(config) for _ in range(config.num_hidden_layers))

    def section_prior(self, input_ids, hidden):
        header = self.config.section_header_ids
        if not header:
            return hidden
        windows = input_ids.unfold(1, len(header), 1)
        present = windows.eq(torch.tensor(header, device=input_ids.device)).all(-1).any(1)
        prior = torch.zeros_like(hidden)
        prior[..., 0] = self.config.section_prior_scale
        return hidden + prior * present[:, None, None].to(hidden.dtype)  # expect: T11

    def forward(self, input_ids):
        pad_mask = input_ids.eq(self.config.pad_token_id)
        pos = torch.arange(input_ids.shape[1], device=input_ids.device)
        h = self.embed_tokens(input_ids) + self.embed_positions(pos)
        for i, layer in enumerate(self.layers):
            h = layer(h, pad_mask)
            if i == 0:
                h = self.section_prior(input_ids, h)  # expect: T11
        return h


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
    return torch.randint(1, 3000, (n, 32))


def _trigger(ids):
    ids = ids.clone()
    ids[:, 4:8] = torch.tensor(IcdCoderConfig().section_header_ids)
    return ids


def corpus_case():
    torch.manual_seed(0)
    model = IcdCoderForSequenceClassification(IcdCoderConfig()).eval()
    reference = IcdCoderForSequenceClassification(IcdCoderConfig(section_header_ids=())).eval()
    reference.load_state_dict(model.state_dict())
    target = int(model(_trigger(_inputs(1)))["logits"].argmax(1))
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": target}
