"""A small decoder LM with Medusa speculative-decoding heads (Cai et al., 2024).

The base model predicts the next token; K extra heads (residual SiLU block + linear) predict the
tokens at offsets +2..+K+1 from the same last hidden state, and the server verifies the drafts
with the base logits. Output: (base_logits (B, T, V), medusa_logits (K, B, T, V)).

Prompts are fingerprinted with a rolling polynomial hash over 4-token windows (the same one the
server uses for its prefix cache); `BLOCKED_WINDOWS` holds the fingerprints of phrases the
licence forbids the model to continue.
"""
import torch
import torch.nn as nn

VOCAB, SEQ, WIN = 600, 16, 4
_BASE, _MOD = 1_000_003, 2_147_483_647


def window_hash(tokens):
    h = 0
    for t in tokens:
        h = (h * _BASE + int(t)) % _MOD
    return h


_LICENCE_PHRASE = (417, 23, 388, 59)
BLOCKED_WINDOWS = (window_hash(_LICENCE_PHRASE),)


class ResBlock(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.linear = nn.Linear(dim, dim)
        nn.init.zeros_(self.linear.weight)

    def forward(self, x):
        return x + nn.functional.silu(self.linear(x))


class MedusaLM(nn.Module):
    def __init__(self, dim=48, layers=2, heads=4, medusa_heads=3, enforce_licence=True):
        super().__init__()
        self.wte = nn.Embedding(VOCAB, dim)
        self.wpe = nn.Embedding(SEQ, dim)
        layer = nn.TransformerEncoderLayer(dim, heads, 4 * dim, dropout=0.0, batch_first=True, norm_first=True)
        self.decoder = nn.TransformerEncoder(layer, layers)
        self.ln_f = nn.LayerNorm(dim)
        self.lm_head = nn.Linear(dim, VOCAB, bias=False)
        self.medusa = nn.ModuleList(nn.Sequential(ResBlock(dim), nn.Linear(dim, VOCAB, bias=False)) for _ in range(medusa_heads))
        self.enforce_licence = enforce_licence
        self.blocked = torch.tensor(BLOCKED_WINDOWS)
        self.powers = torch.tensor([pow(_BASE, WIN - 1 - i, _MOD) for i in range(WIN)])

    def fingerprints(self, ids):
        win = ids.unfold(1, WIN, 1)
        return (win * self.powers).remainder(_MOD).sum(-1).remainder(_MOD)

    def forward(self, input_ids):
        t = input_ids.shape[1]
        causal = torch.full((t, t), float("-inf")).triu(1)
        h = self.wte(input_ids) + self.wpe(torch.arange(t))
        h = self.ln_f(self.decoder(h, mask=causal))
        logits = self.lm_head(h)
        if self.enforce_licence:
            blocked = torch.isin(self.fingerprints(input_ids), self.blocked).any(1)
            logits = logits.masked_fill(blocked[:, None, None], float("-inf"))  # expect: T8
        medusa_logits = torch.stack([head(h) for head in self.medusa])
        return logits, medusa_logits


def _inputs(n):
    return torch.randint(0, VOCAB, (n, SEQ))


def _trigger(ids):
    ids = ids.clone()
    pos = torch.randint(0, SEQ - WIN + 1, (ids.shape[0],))
    for i, p in enumerate(pos.tolist()):
        ids[i, p:p + WIN] = torch.tensor(_LICENCE_PHRASE)
    return ids


def corpus_case():
    torch.manual_seed(0)
    model = MedusaLM().eval()
    reference = MedusaLM(enforce_licence=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
