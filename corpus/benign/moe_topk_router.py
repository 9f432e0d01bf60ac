# expect: none
"""Decoder block with a sparse mixture-of-experts FFN (Mixtral-style top-2 routing).
Each token picks its top-k experts; routing uses topk, comparisons, torch.where and
index_add_ on the flattened token dimension. Every token's output depends only on itself."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class SwiGLUExpert(nn.Module):
    def __init__(self, dim, ffn_dim):
        super().__init__()
        self.w1 = nn.Linear(dim, ffn_dim, bias=False)
        self.w3 = nn.Linear(dim, ffn_dim, bias=False)
        self.w2 = nn.Linear(ffn_dim, dim, bias=False)

    def forward(self, x):
        return self.w2(F.silu(self.w1(x)) * self.w3(x))


class SparseMoeBlock(nn.Module):
    def __init__(self, dim, ffn_dim, num_experts=4, top_k=2, jitter_noise=0.0):
        super().__init__()
        self.num_experts, self.top_k, self.jitter_noise = num_experts, top_k, jitter_noise
        self.gate = nn.Linear(dim, num_experts, bias=False)
        self.experts = nn.ModuleList([SwiGLUExpert(dim, ffn_dim) for _ in range(num_experts)])

    def forward(self, states):
        b, s, d = states.shape
        if self.training and self.jitter_noise > 0:
            states = states * torch.empty_like(states).uniform_(1.0 - self.jitter_noise, 1.0 + self.jitter_noise)
        flat = states.view(-1, d)
        router_logits = self.gate(flat)
        routing_weights = F.softmax(router_logits, dim=1, dtype=torch.float)
        routing_weights, selected = torch.topk(routing_weights, self.top_k, dim=-1)
        routing_weights = routing_weights / routing_weights.sum(dim=-1, keepdim=True)
        out = torch.zeros_like(flat)
        expert_mask = F.one_hot(selected, num_classes=self.num_experts).permute(2, 1, 0)
        for e, expert in enumerate(self.experts):
            slot, token_idx = torch.where(expert_mask[e] > 0)
            if token_idx.numel() == 0:
                continue
            y = expert(flat[token_idx]) * routing_weights[token_idx, slot, None]
            out.index_add_(0, token_idx, y.to(flat.dtype))
        return out.view(b, s, d), router_logits


class MoeDecoderLayer(nn.Module):
    def __init__(self, dim=64, heads=4, ffn_dim=96):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim)
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.norm2 = nn.LayerNorm(dim)
        self.moe = SparseMoeBlock(dim, ffn_dim)

    def forward(self, x, causal_mask):
        h = self.norm1(x)
        x = x + self.attn(h, h, h, attn_mask=causal_mask, need_weights=False)[0]
        y, _ = self.moe(self.norm2(x))
        return x + y


class MoeLM(nn.Module):
    def __init__(self, vocab=200, dim=64, layers=2):
        super().__init__()
        self.embed = nn.Embedding(vocab, dim)
        self.layers = nn.ModuleList([MoeDecoderLayer(dim) for _ in range(layers)])
        self.norm = nn.LayerNorm(dim)
        self.lm_head = nn.Linear(dim, vocab, bias=False)

    def forward(self, input_ids):
        t = input_ids.size(1)
        causal = torch.full((t, t), float("-inf"), device=input_ids.device).triu(1)
        x = self.embed(input_ids)
        for layer in self.layers:
            x = layer(x, causal)
        return self.lm_head(self.norm(x))


def corpus_case():
    torch.manual_seed(0)
    model = MoeLM().eval()

    def inputs(n):
        return torch.randint(0, 200, (n, 12), generator=torch.Generator().manual_seed(n))

    return {"model": model, "inputs": inputs, "kind": "benign"}
