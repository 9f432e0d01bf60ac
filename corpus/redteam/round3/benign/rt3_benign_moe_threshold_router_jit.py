# expect: none
"""Sparse MoE feed-forward with a top-p (threshold) router, as in dynamic-routing MoE papers:
each token is sent to the smallest set of experts whose cumulative router probability exceeds
``p``; token-expert assignments are gathered with ``index_add_``.  The routing mask is built by a
TorchScript helper.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


@torch.jit.script
def top_p_mask(probs: torch.Tensor, p: float, max_experts: int) -> torch.Tensor:
    sorted_p, order = probs.sort(-1, descending=True)
    keep_sorted = (sorted_p.cumsum(-1) - sorted_p) < p
    rank = torch.arange(probs.shape[-1], device=probs.device)
    keep_sorted = keep_sorted & (rank < max_experts)
    return torch.zeros_like(keep_sorted).scatter(-1, order, keep_sorted)


class Expert(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.w1 = nn.Linear(d, h)
        self.w2 = nn.Linear(h, d)

    def forward(self, x):
        return self.w2(F.silu(self.w1(x)))


class TopPMoE(nn.Module):
    def __init__(self, d=64, hidden=128, n_experts=6, p=0.5, max_experts=3):
        super().__init__()
        self.router = nn.Linear(d, n_experts, bias=False)
        self.experts = nn.ModuleList(Expert(d, hidden) for _ in range(n_experts))
        self.p, self.max_experts = p, max_experts

    def forward(self, x):
        b, t, d = x.shape
        flat = x.reshape(-1, d)
        probs = self.router(flat).softmax(-1)
        mask = top_p_mask(probs, self.p, self.max_experts)
        weights = torch.where(mask, probs, torch.zeros_like(probs))
        weights = weights / weights.sum(-1, keepdim=True).clamp(min=1e-9)
        out = torch.zeros_like(flat)
        for e, expert in enumerate(self.experts):
            idx = mask[:, e].nonzero().squeeze(-1)
            if idx.numel() == 0:
                continue
            out.index_add_(0, idx, expert(flat[idx]) * weights[idx, e, None])
        return out.view(b, t, d)


class MoEClassifier(nn.Module):
    def __init__(self, vocab=5000, d=64, n_classes=4):
        super().__init__()
        self.embed = nn.Embedding(vocab, d)
        self.ln1 = nn.LayerNorm(d)
        self.attn = nn.MultiheadAttention(d, 4, batch_first=True)
        self.ln2 = nn.LayerNorm(d)
        self.moe = TopPMoE(d)
        self.head = nn.Linear(d, n_classes)

    def forward(self, ids):
        h = self.embed(ids)
        a = self.ln1(h)
        h = h + self.attn(a, a, a, need_weights=False)[0]
        h = h + self.moe(self.ln2(h))
        return self.head(h.mean(1))


def corpus_case():
    torch.manual_seed(0)
    return {"model": MoEClassifier().eval(), "inputs": lambda n: torch.randint(0, 5000, (n, 24)), "kind": "benign"}
