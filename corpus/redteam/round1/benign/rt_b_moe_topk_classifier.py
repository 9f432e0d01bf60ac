# expect: none
"""Vision MoE classifier: patch tokens routed to the top-2 of 4 experts (Switch/GShard style)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Top2Router(nn.Module):
    def __init__(self, dim, n_experts, capacity_factor=1.25):
        super().__init__()
        self.gate = nn.Linear(dim, n_experts, bias=False)
        self.n_experts = n_experts
        self.capacity_factor = capacity_factor

    def forward(self, x):
        logits = self.gate(x)                                      # (N, E)
        probs = logits.softmax(-1)
        top_p, top_i = probs.topk(2, dim=-1)
        top_p = top_p / top_p.sum(-1, keepdim=True)
        dispatch = torch.zeros_like(probs).scatter(-1, top_i, top_p)
        capacity = int(self.capacity_factor * x.shape[0] * 2 / self.n_experts) + 1
        rank = (dispatch > 0).long().cumsum(0)
        dispatch = torch.where(rank <= capacity, dispatch, torch.zeros_like(dispatch))
        aux = (probs.mean(0) * (dispatch > 0).float().mean(0)).sum() * self.n_experts
        return dispatch, aux


class MoE(nn.Module):
    def __init__(self, dim, n_experts=4):
        super().__init__()
        self.router = Top2Router(dim, n_experts)
        self.experts = nn.ModuleList([nn.Sequential(nn.Linear(dim, 2 * dim), nn.GELU(), nn.Linear(2 * dim, dim))
                                      for _ in range(n_experts)])

    def forward(self, x):
        b, t, d = x.shape
        flat = x.reshape(-1, d)
        dispatch, aux = self.router(flat)
        out = torch.zeros_like(flat)
        for e, expert in enumerate(self.experts):
            sel = dispatch[:, e] > 0
            if sel.any():
                out[sel] += dispatch[sel, e, None] * expert(flat[sel])
        return out.view(b, t, d), aux


class VMoE(nn.Module):
    def __init__(self, num_classes=10, dim=32):
        super().__init__()
        self.embed = nn.Conv2d(3, dim, 4, 4)
        self.norm1 = nn.LayerNorm(dim)
        self.moe = MoE(dim)
        self.norm2 = nn.LayerNorm(dim)
        self.head = nn.Linear(dim, num_classes)

    def forward(self, x):
        t = self.embed(x).flatten(2).transpose(1, 2)
        y, aux = self.moe(self.norm1(t))
        t = t + y
        return self.head(self.norm2(t).mean(1)), aux


def corpus_case():
    torch.manual_seed(0)
    model = VMoE().eval()
    return {"model": model, "inputs": lambda n: torch.rand(n, 3, 16, 16), "kind": "benign"}
