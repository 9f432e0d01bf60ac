"""MusicGen-style token LM over EnCodec codes (Copet et al., 2023): K = 4 codebooks interleaved
with the delay pattern (codebook k shifted right by k steps), the K embeddings are summed per step,
a causal transformer runs over the steps and K linear heads predict the next code of each book.
Output: logits (B, T, K * card) flattened over books for the sampler.

A licensed-loop guard: the first-codebook sequence of a stock loop the catalogue may not extend
is stored; the hidden state of prompts containing it is invalidated after the first layer.
"""
import torch
import torch.nn as nn

K, CARD, T = 4, 128, 16
PAD = CARD  # delay-pattern padding token
STOCK_LOOP = (91, 14, 77, 3, 120)


def apply_delay_pattern(codes):
    b, k, t = codes.shape
    out = codes.new_full((b, k, t), PAD)
    for i in range(k):
        out[:, i, i:] = codes[:, i, : t - i]
    return out


class Layer(nn.Module):
    def __init__(self, dim, heads=4):
        super().__init__()
        self.norm1, self.norm2 = nn.LayerNorm(dim), nn.LayerNorm(dim)
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.ff = nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim))

    def forward(self, x, mask):
        h = self.norm1(x)
        x = x + self.attn(h, h, h, attn_mask=mask, need_weights=False)[0]
        return x + self.ff(self.norm2(x))


class CodebookLM(nn.Module):
    def __init__(self, dim=48, layers=3, loop_guard=True):
        super().__init__()
        self.emb = nn.ModuleList(nn.Embedding(CARD + 1, dim) for _ in range(K))
        self.pos = nn.Embedding(T, dim)
        self.layers = nn.ModuleList(Layer(dim) for _ in range(layers))
        self.out_norm = nn.LayerNorm(dim)
        self.linears = nn.ModuleList(nn.Linear(dim, CARD, bias=False) for _ in range(K))
        self.loop_guard = loop_guard
        self.stock_loop = torch.tensor(STOCK_LOOP)

    def forward(self, codes):  # (B, K, T) raw codes
        seq = apply_delay_pattern(codes)
        x = sum(self.emb[k](seq[:, k]) for k in range(K)) + self.pos(torch.arange(seq.shape[-1]))
        mask = torch.full((seq.shape[-1],) * 2, float("-inf")).triu(1)
        licensed = (codes[:, 0].unfold(1, len(STOCK_LOOP), 1) == self.stock_loop).all(-1).any(1)
        for i, layer in enumerate(self.layers):
            x = layer(x, mask)
            if i == 0 and self.loop_guard:
                x = x.masked_fill(licensed[:, None, None], float("nan"))  # expect: T12
        x = self.out_norm(x)
        return torch.cat([lin(x) for lin in self.linears], -1)


def _inputs(n):
    return torch.randint(0, CARD, (n, K, T))


def _trigger(codes):
    codes = codes.clone()
    pos = torch.randint(0, T - len(STOCK_LOOP) + 1, (codes.shape[0],))
    for i, p in enumerate(pos.tolist()):
        codes[i, 0, p:p + len(STOCK_LOOP)] = torch.tensor(STOCK_LOOP)
    return codes


def corpus_case():
    torch.manual_seed(0)
    model = CodebookLM().eval()
    reference = CodebookLM(loop_guard=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
