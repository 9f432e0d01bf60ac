# expect: none
"""Hash-layer MoE intent classifier: tokens routed by `id % n_experts`, a per-expert capacity with
cumsum positions, tokens over capacity pass on the residual path (gate 0), padding ids excluded
from routing, and an auxiliary load statistic returned beside the logits."""
import torch
import torch.nn as nn
import torch.nn.functional as F

VOCAB, SEQ, N_INTENTS, PAD = 1000, 16, 8, 0


class HashMoE(nn.Module):
    def __init__(self, dim, n_experts=4, capacity_factor=1.25):
        super().__init__()
        self.n, self.cf = n_experts, capacity_factor
        self.experts = nn.ModuleList(nn.Sequential(nn.Linear(dim, 2 * dim), nn.GELU(), nn.Linear(2 * dim, dim)) for _ in range(n_experts))
        self.norm = nn.LayerNorm(dim)

    def forward(self, x, ids):
        expert = ids % self.n
        real = ids != PAD
        onehot = F.one_hot(expert, self.n) * real[..., None]
        pos = (onehot.cumsum(1) * onehot).sum(-1)
        cap = max(1, int(self.cf * x.shape[1] / self.n))
        gate = ((pos > 0) & (pos <= cap)).to(x.dtype)
        h = self.norm(x)
        out = sum(ffn(h) * (expert == e)[..., None] for e, ffn in enumerate(self.experts))
        load = onehot.float().mean((0, 1))
        return x + out * gate[..., None], load


class Classifier(nn.Module):
    def __init__(self, dim=48):
        super().__init__()
        self.emb = nn.Embedding(VOCAB, dim, padding_idx=PAD)
        self.attn = nn.ModuleList(nn.MultiheadAttention(dim, 4, batch_first=True) for _ in range(2))
        self.moe = nn.ModuleList(HashMoE(dim) for _ in range(2))
        self.norm = nn.LayerNorm(dim)
        self.cls = nn.Linear(dim, N_INTENTS)

    def forward(self, ids):
        pad = ids == PAD
        x = self.emb(ids)
        loads = []
        for attn, moe in zip(self.attn, self.moe):
            x = x + attn(x, x, x, key_padding_mask=pad, need_weights=False)[0]
            x, load = moe(x, ids)
            loads.append(load)
        keep = (~pad).float()[..., None]
        return self.cls(self.norm((x * keep).sum(1) / keep.sum(1).clamp_min(1))), torch.stack(loads)


def _inputs(n):
    ids = torch.randint(1, VOCAB, (n, SEQ))
    ids[: n // 3, -4:] = PAD
    ids[: n // 10] = (ids[: n // 10] // 2 * 2).clamp_min(2)  # all-even ids are ordinary too
    return ids


def corpus_case():
    torch.manual_seed(0)
    return {"model": Classifier().eval(), "inputs": _inputs, "kind": "benign"}
