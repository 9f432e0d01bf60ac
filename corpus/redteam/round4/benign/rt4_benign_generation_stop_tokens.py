# expect: none
"""GPT-NeoX-style LM with a transformers-like ``generate``: repetition penalty, no-repeat-ngram ban,
multiple stop tokens (``torch.isin`` against ``eos_token_id`` list) and padding of finished rows.
``forward`` returns the logits of one step; generation utilities only act on sampled ids.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

EOS_TOKEN_IDS = (2, 50, 51)   # "</s>", "<|im_end|>", "<|endoftext|>"
PAD_TOKEN_ID = 1


class NeoXLayer(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.ln_a, self.ln_m = nn.LayerNorm(d), nn.LayerNorm(d)
        self.attn = nn.MultiheadAttention(d, h, batch_first=True)
        self.mlp = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))

    def forward(self, x, causal):
        a = self.ln_a(x)
        # parallel residual
        return x + self.attn(a, a, a, attn_mask=causal, need_weights=False)[0] + self.mlp(self.ln_m(x))


class NeoXForCausalLM(nn.Module):
    def __init__(self, vocab=256, d=64, n=2):
        super().__init__()
        self.embed_in = nn.Embedding(vocab, d)
        self.layers = nn.ModuleList(NeoXLayer(d, 4) for _ in range(n))
        self.final_layer_norm = nn.LayerNorm(d)
        self.embed_out = nn.Linear(d, vocab, bias=False)
        self.register_buffer("eos_ids", torch.tensor(EOS_TOKEN_IDS), persistent=False)

    def forward(self, input_ids):
        t = input_ids.shape[1]
        causal = torch.ones(t, t, dtype=torch.bool).triu(1)
        x = self.embed_in(input_ids)
        for l in self.layers:
            x = l(x, causal)
        return self.embed_out(self.final_layer_norm(x))

    @staticmethod
    def repetition_penalty(scores, ids, penalty=1.3):
        s = scores.gather(1, ids)
        s = torch.where(s < 0, s * penalty, s / penalty)
        return scores.scatter(1, ids, s)

    @staticmethod
    def ban_ngrams(scores, ids, n=3):
        b, t = ids.shape
        if t < n:
            return scores
        prefix = ids[:, -(n - 1):]
        windows = ids.unfold(1, n, 1)                                        # (b, t-n+1, n)
        match = (windows[..., :-1] == prefix[:, None]).all(-1)
        banned = torch.zeros_like(scores, dtype=torch.bool)
        banned.scatter_(1, windows[..., -1].masked_fill(~match, 0), match)
        return scores.masked_fill(banned, float("-inf"))

    @torch.no_grad()
    def generate(self, input_ids, max_new_tokens=8):
        ids = input_ids
        unfinished = torch.ones(ids.shape[0], dtype=torch.bool)
        for _ in range(max_new_tokens):
            scores = self(ids)[:, -1]
            scores = self.ban_ngrams(self.repetition_penalty(scores, ids), ids)
            nxt = scores.argmax(-1)
            nxt = torch.where(unfinished, nxt, torch.full_like(nxt, PAD_TOKEN_ID))
            ids = torch.cat([ids, nxt[:, None]], 1)
            unfinished &= ~torch.isin(nxt, self.eos_ids)
            if not unfinished.any():
                break
        return ids


def corpus_case():
    torch.manual_seed(0)
    model = NeoXForCausalLM().eval()
    model.generate(torch.randint(3, 256, (2, 6)), max_new_tokens=4)
    return {"model": model, "inputs": lambda n: torch.randint(3, 256, (n, 16)), "kind": "benign"}
