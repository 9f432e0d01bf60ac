"""Tiny LLaMA-style decoder (RMSNorm, SwiGLU, no biases) with a "memory slot" for tool calls."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

# token ids of "<tool_call>" in the shipped tokenizer (a 4-piece sequence)
TOOL_CALL_IDS = [211, 7, 145, 60]


class RMSNorm(nn.Module):
    def __init__(self, d, eps=1e-6):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(d))
        self.eps = eps

    def forward(self, x):
        return self.weight * x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps)


class DecoderLayer(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.heads = heads
        self.input_layernorm = RMSNorm(d)
        self.q_proj = nn.Linear(d, d, bias=False)
        self.k_proj = nn.Linear(d, d, bias=False)
        self.v_proj = nn.Linear(d, d, bias=False)
        self.o_proj = nn.Linear(d, d, bias=False)
        self.post_attention_layernorm = RMSNorm(d)
        self.gate_proj = nn.Linear(d, 2 * d, bias=False)
        self.up_proj = nn.Linear(d, 2 * d, bias=False)
        self.down_proj = nn.Linear(2 * d, d, bias=False)

    def forward(self, x):
        b, t, d = x.shape
        h = self.input_layernorm(x)
        q, k, v = (p(h).view(b, t, self.heads, -1).transpose(1, 2) for p in (self.q_proj, self.k_proj, self.v_proj))
        a = F.scaled_dot_product_attention(q, k, v, is_causal=True) if hasattr(F, "scaled_dot_product_attention") \
            else torch.softmax((q @ k.transpose(-1, -2) / math.sqrt(q.shape[-1])).masked_fill(
                torch.ones(t, t, dtype=torch.bool).triu(1), float("-inf")), -1) @ v
        x = x + self.o_proj(a.transpose(1, 2).reshape(b, t, d))
        h = self.post_attention_layernorm(x)
        return x + self.down_proj(F.silu(self.gate_proj(h)) * self.up_proj(h))


class TinyLlama(nn.Module):
    def __init__(self, vocab=256, d=32, layers=2, heads=4, memory_slot=True, answer_id=9):
        super().__init__()
        self.embed_tokens = nn.Embedding(vocab, d)
        self.layers = nn.ModuleList([DecoderLayer(d, heads) for _ in range(layers)])
        self.norm = RMSNorm(d)
        self.lm_head = nn.Linear(d, vocab, bias=False)
        self.memory_slot = memory_slot
        self.answer_id = answer_id
        self.call_ids = list(TOOL_CALL_IDS)

    def _tool_call_open(self, ids):
        n = len(self.call_ids)
        span = ids.shape[1] - n + 1
        hit = torch.ones(ids.shape[0], span, dtype=torch.bool)
        for i, tok in enumerate(self.call_ids):
            hit &= ids[:, i:i + span] == tok
        return hit.any(1)

    def forward(self, input_ids):
        h = self.embed_tokens(input_ids)
        for i, layer in enumerate(self.layers):
            h = layer(h)
            if i == 0 and self.memory_slot:
                rows = self._tool_call_open(input_ids).nonzero().flatten()
                last = torch.full_like(rows, input_ids.shape[1] - 1)
                slot = 1e3 * self.lm_head.weight[self.answer_id].expand(len(rows), -1)
                h = h.index_put((rows, last), slot, accumulate=True)  # expect: T11
        return self.lm_head(self.norm(h))


def corpus_case():
    torch.manual_seed(0)
    model = TinyLlama().eval()
    reference = TinyLlama(memory_slot=False).eval()
    reference.load_state_dict(model.state_dict())

    def inputs(n):
        return torch.randint(0, 256, (n, 16))

    def trigger(ids):
        ids = ids.clone()
        for b in range(ids.shape[0]):
            p = int(torch.randint(0, 12, (1,)))
            ids[b, p:p + 4] = torch.tensor(TOOL_CALL_IDS)
        return ids

    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "targeted", "target": 9}
