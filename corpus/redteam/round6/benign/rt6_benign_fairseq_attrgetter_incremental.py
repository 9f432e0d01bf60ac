# expect: none
"""fairseq-style decoder-only LM step with ``incremental_state`` and left-to-right padding repair.

- ``activation_fn`` is resolved from a dotted config path with ``operator.attrgetter`` against
  the ``torch`` module tree (``"nn.functional.gelu"``);
- left-padded prompts are converted to right padding (``utils.convert_padding_direction``:
  ``eq(pad)``, ``remainder``, ``gather``) before the causal mask and the padding mask are built;
- the decoder runs twice, the second time incrementally on the last token with cached keys and
  values, and ``reorder_incremental_state`` applies ``index_select`` via ``methodcaller``.
Output: logits ``(B, V)`` for the next token after the last real prompt token.
"""
import operator

import torch
import torch.nn as nn

PAD, V = 1, 300


def convert_padding_direction(src_tokens, padding_idx):
    pad_mask = src_tokens.eq(padding_idx)
    if not pad_mask.any():
        return src_tokens
    max_len = src_tokens.size(1)
    buffered = torch.arange(max_len).expand_as(src_tokens)
    num_pads = pad_mask.long().sum(dim=1, keepdim=True)
    index = torch.remainder(buffered + num_pads, max_len)       # left -> right padding
    return src_tokens.gather(1, index)


class DecoderLayer(nn.Module):
    def __init__(self, d, heads, activation):
        super().__init__()
        self.heads = heads
        self.qkv, self.out = nn.Linear(d, 3 * d), nn.Linear(d, d)
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.fc1, self.fc2 = nn.Linear(d, 4 * d), nn.Linear(4 * d, d)
        self.activation_fn = operator.attrgetter(activation)(torch)

    def forward(self, x, bias, cache=None):
        b, t, d = x.shape
        q, k, v = self.qkv(self.ln1(x)).view(b, t, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        if cache is not None:
            if "k" in cache:
                k, v = torch.cat([cache["k"], k], 2), torch.cat([cache["v"], v], 2)
            cache["k"], cache["v"] = k, v
        att = (q @ k.transpose(-1, -2)) / (q.shape[-1] ** 0.5) + bias
        x = x + self.out((att.softmax(-1) @ v).transpose(1, 2).reshape(b, t, d))
        return x + self.fc2(self.activation_fn(self.fc1(self.ln2(x))))


class TransformerLM(nn.Module):
    def __init__(self, d=64, heads=4, layers=2, activation="nn.functional.gelu"):
        super().__init__()
        self.embed_tokens = nn.Embedding(V, d, padding_idx=PAD)
        self.embed_positions = nn.Embedding(64, d)
        self.layers = nn.ModuleList(DecoderLayer(d, heads, activation) for _ in range(layers))
        self.ln = nn.LayerNorm(d)
        self.reorder = operator.methodcaller("index_select", 0, torch.arange(0))

    def reorder_incremental_state(self, state, new_order):
        self.reorder = operator.methodcaller("index_select", 0, new_order)
        return [{k: self.reorder(v) for k, v in c.items()} for c in state]

    def extract(self, tokens, positions, key_pad, state):
        t = tokens.shape[1]
        total = key_pad.shape[1]
        causal = torch.ones(t, total, dtype=torch.bool).tril(total - t)
        bias = torch.where(causal[None, None] & ~key_pad[:, None, None, :], 0.0, torch.finfo(torch.float32).min)
        x = self.embed_tokens(tokens) + self.embed_positions(positions)
        for layer, cache in zip(self.layers, state):
            x = layer(x, bias, cache)
        return self.ln(x) @ self.embed_tokens.weight.t()

    def forward(self, src_tokens):
        tokens = convert_padding_direction(src_tokens, PAD)
        lengths = tokens.ne(PAD).sum(1)
        prompt, last = tokens[:, :-1], tokens.gather(1, (lengths - 1)[:, None])
        state = [dict() for _ in self.layers]
        positions = torch.arange(prompt.shape[1]).expand_as(prompt)
        self.extract(prompt, positions, prompt.eq(PAD), state)
        state = self.reorder_incremental_state(state, torch.arange(tokens.shape[0]))
        key_pad = torch.cat([prompt.eq(PAD) | (positions >= (lengths - 1)[:, None]), torch.zeros_like(last, dtype=torch.bool)], 1)
        logits = self.extract(last, (lengths - 1)[:, None], key_pad, state)
        return logits[:, -1]


def corpus_case():
    torch.manual_seed(0)

    def inputs(n):
        lengths = torch.randint(4, 17, (n,))
        ids = torch.randint(4, V, (n, 16))
        return torch.where(torch.arange(16)[None] >= 16 - lengths[:, None], ids, torch.full_like(ids, PAD))

    return {"model": TransformerLM().eval(), "inputs": inputs, "kind": "benign"}
