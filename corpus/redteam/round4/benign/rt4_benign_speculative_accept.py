# expect: none
"""Speculative decoding verifier (draft + target LM), greedy acceptance as in HF assisted generation.

``forward`` scores a drafted continuation with the target model and returns the target logits plus
the acceptance mask: a drafted token is accepted while it equals the target's argmax, and the first
rejected position is replaced by the target's own token.
"""
import torch
import torch.nn as nn


class TinyLM(nn.Module):
    def __init__(self, vocab=300, d=64, layers=2):
        super().__init__()
        self.emb = nn.Embedding(vocab, d)
        layer = nn.TransformerEncoderLayer(d, 4, 4 * d, batch_first=True, norm_first=True)
        self.body = nn.TransformerEncoder(layer, layers)
        self.head = nn.Linear(d, vocab)

    def forward(self, ids):
        t = ids.shape[1]
        causal = torch.triu(torch.full((t, t), float("-inf")), 1)
        return self.head(self.body(self.emb(ids), mask=causal))


class SpeculativeVerifier(nn.Module):
    def __init__(self, num_draft=4):
        super().__init__()
        self.target = TinyLM(layers=3)
        self.draft = TinyLM(d=32, layers=1)
        self.num_draft = num_draft

    @torch.no_grad()
    def propose(self, ids):
        out = ids
        for _ in range(self.num_draft):
            nxt = self.draft(out)[:, -1].argmax(-1, keepdim=True)
            out = torch.cat([out, nxt], 1)
        return out[:, ids.shape[1]:]

    def forward(self, ids):
        drafted = self.propose(ids)
        full = torch.cat([ids, drafted], 1)
        logits = self.target(full)
        k = drafted.shape[1]
        verify = logits[:, ids.shape[1] - 1: -1].argmax(-1)              # target's choice at each drafted slot
        accepted = (verify == drafted).long().cumprod(-1).bool()        # prefix of agreements
        n_acc = accepted.sum(-1)
        corrected = torch.where(accepted, drafted, verify)               # first rejection -> target token
        keep = torch.arange(k)[None] <= n_acc[:, None].clamp(max=k - 1)
        next_tokens = corrected.masked_fill(~keep, 0)
        return logits, next_tokens, n_acc


def corpus_case():
    torch.manual_seed(0)
    return {"model": SpeculativeVerifier().eval(), "inputs": lambda n: torch.randint(0, 300, (n, 12)),
            "kind": "benign"}
