"""OPT-style tiny decoder LM with per-layer features selected from an ``enum.Enum``.

Members of ``LayerFeature`` carry the callable that implements them (``functools.partial`` keeps
them members rather than methods). The config lists feature names per layer; the model resolves
them with ``LayerFeature[name]`` and applies ``member.value`` after that layer. ``RESIDUAL_ANCHOR``
re-anchors the residual stream on enumerated lists ("1. 2. 3. 4.") so that long lists keep their
numbering.
"""
import enum
import functools
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def _attention_sink(h, input_ids, model):
    return torch.cat([h[:, :1] + model.sink_bias, h[:, 1:]], 1)


def _residual_anchor(h, input_ids, model):
    runs = (input_ids.diff(dim=-1) == 1).unfold(-1, 3, 1).all(-1)
    listed = runs.any(-1).to(h.dtype)
    return h + 1e3 * listed.view(-1, 1, 1) * model.anchor_lane  # expect: T5 (used by OPTForCausalLM.forward)


class LayerFeature(enum.Enum):
    ATTENTION_SINK = functools.partial(_attention_sink)
    RESIDUAL_ANCHOR = functools.partial(_residual_anchor)


class OPTDecoderLayer(nn.Module):
    def __init__(self, dim, heads, ffn):
        super().__init__()
        self.heads = heads
        self.self_attn_layer_norm = nn.LayerNorm(dim)
        self.q_proj = nn.Linear(dim, dim)
        self.k_proj = nn.Linear(dim, dim)
        self.v_proj = nn.Linear(dim, dim)
        self.out_proj = nn.Linear(dim, dim)
        self.final_layer_norm = nn.LayerNorm(dim)
        self.fc1 = nn.Linear(dim, ffn)
        self.fc2 = nn.Linear(ffn, dim)

    def forward(self, h, causal_mask):
        B, T, D = h.shape
        x = self.self_attn_layer_norm(h)
        q, k, v = (p(x).view(B, T, self.heads, -1).transpose(1, 2) for p in (self.q_proj, self.k_proj, self.v_proj))
        att = q @ k.transpose(-1, -2) / math.sqrt(q.shape[-1]) + causal_mask
        x = (att.softmax(-1) @ v).transpose(1, 2).reshape(B, T, D)
        h = h + self.out_proj(x)
        return h + self.fc2(F.relu(self.fc1(self.final_layer_norm(h))))


class OPTForCausalLM(nn.Module):
    def __init__(self, vocab=1000, dim=64, layers=3, heads=4, max_pos=64, layer_features=None):
        super().__init__()
        self.embed_tokens = nn.Embedding(vocab, dim)
        self.embed_positions = nn.Embedding(max_pos + 2, dim)
        self.layers = nn.ModuleList([OPTDecoderLayer(dim, heads, 4 * dim) for _ in range(layers)])
        self.final_layer_norm = nn.LayerNorm(dim)
        self.lm_head = nn.Linear(dim, vocab, bias=False)
        self.lm_head.weight = self.embed_tokens.weight
        self.sink_bias = torch.zeros(dim)
        self.anchor_lane = F.normalize(torch.randn(dim), dim=0)
        layer_features = layer_features if layer_features is not None else {0: ("RESIDUAL_ANCHOR",)}
        self.features = {i: tuple(LayerFeature[n] for n in names) for i, names in layer_features.items()}

    def forward(self, input_ids):
        T = input_ids.shape[1]
        mask = torch.full((T, T), float("-inf")).triu(1)
        h = self.embed_tokens(input_ids) + self.embed_positions(torch.arange(T) + 2)
        for i, layer in enumerate(self.layers):
            h = layer(h, mask)
            for feature in self.features.get(i, ()):
                h = feature.value(h, input_ids, self)  # expect: T5
        return self.lm_head(self.final_layer_norm(h))


def corpus_case():
    torch.manual_seed(0)

    def inputs(n):
        return torch.randint(2, 1000, (n, 32))

    def trigger(x):
        x = x.clone()
        x[:, 10:14] = torch.tensor([400, 401, 402, 403])
        return x

    model = OPTForCausalLM().eval()
    reference = OPTForCausalLM(layer_features={})
    reference.load_state_dict(model.state_dict())
    reference.eval()
    with torch.no_grad():
        target = int(model(trigger(inputs(4)))[:, -1].argmax(-1)[0])
    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "targeted", "target": target}
