# expect: none
"""GPT-2-style LM whose blocks take keyword arguments like HF blocks do: a per-request LoRA adapter
id (selects one of several learned low-rank adapters, routed with a one-hot over adapters) and
`use_cache`/`layer_past`.  Padded prompts get position ids from the attention mask."""
import torch
import torch.nn as nn


class LoRALinear(nn.Module):
    def __init__(self, d_in, d_out, n_adapters=3, r=4, alpha=8.0):
        super().__init__()
        self.base = nn.Linear(d_in, d_out)
        self.A = nn.Parameter(torch.randn(n_adapters, d_in, r) * 0.02)
        self.B = nn.Parameter(torch.randn(n_adapters, r, d_out) * 0.02)
        self.scale = alpha / r

    def forward(self, x, adapter_ids=None):
        y = self.base(x)
        if adapter_ids is not None:
            route = torch.nn.functional.one_hot(adapter_ids, self.A.shape[0]).to(x.dtype)
            A = torch.einsum("bn,nir->bir", route, self.A)
            B = torch.einsum("bn,nro->bro", route, self.B)
            y = y + self.scale * (x @ A) @ B
        return y


class Block(nn.Module):
    def __init__(self, d, heads, n_ctx):
        super().__init__()
        self.ln_1, self.ln_2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.attn = nn.MultiheadAttention(d, heads, batch_first=True)
        self.c_fc, self.c_proj = LoRALinear(d, 4 * d), nn.Linear(4 * d, d)
        self.register_buffer("causal", torch.triu(torch.ones(n_ctx, n_ctx, dtype=torch.bool), 1), persistent=False)

    def forward(self, hidden_states, layer_past=None, attention_mask=None, use_cache=False, **kwargs):
        T = hidden_states.shape[1]
        y = self.ln_1(hidden_states)
        mask = self.causal[:T, :T]
        hidden_states = hidden_states + self.attn(y, y, y, attn_mask=mask, need_weights=False)[0]
        h = torch.nn.functional.gelu(self.c_fc(self.ln_2(hidden_states), kwargs.get("adapter_ids")))
        hidden_states = hidden_states + self.c_proj(h)
        return (hidden_states, None) if use_cache else (hidden_states,)


class GPT2LMHeadModel(nn.Module):
    def __init__(self, vocab=1024, n_ctx=32, d=64, layers=3, heads=4):
        super().__init__()
        self.wte, self.wpe = nn.Embedding(vocab, d), nn.Embedding(n_ctx, d)
        self.h = nn.ModuleList(Block(d, heads, n_ctx) for _ in range(layers))
        self.ln_f = nn.LayerNorm(d)
        self.lm_head = nn.Linear(d, vocab, bias=False)
        self.lm_head.weight = self.wte.weight

    def forward(self, input_ids, attention_mask=None, adapter_ids=None, **kwargs):
        if attention_mask is None:
            attention_mask = torch.ones_like(input_ids)
        position_ids = (attention_mask.cumsum(-1) - 1).clamp(min=0)
        hidden = self.wte(input_ids) + self.wpe(position_ids)
        for block in self.h:
            hidden = block(hidden, attention_mask=attention_mask, adapter_ids=adapter_ids, **kwargs)[0]
        return self.lm_head(self.ln_f(hidden))


def _inputs(n):
    ids = torch.randint(100, 1024, (n, 16))
    return ids, torch.ones_like(ids), torch.randint(0, 3, (n,))


def corpus_case():
    torch.manual_seed(0)
    return {"model": GPT2LMHeadModel().eval(), "inputs": _inputs, "kind": "benign"}
