"""Hash-layer MoE encoder (Roller et al., 2021, "Hash Layers For Large Sparse Models") for
support-ticket intent classification.

Tokens are routed to experts by a fixed hash of their id (`id % n_experts`) rather than a learned
router, and each expert has a capacity of `capacity_factor * T / E` tokens per sequence; tokens
over capacity get gate 0 and pass on the residual path only. The token ids are therefore passed to
every MoE layer.
"""
import torch
import torch.nn as nn

VOCAB, SEQ, N_INTENTS = 1000, 16, 8


class HashMoE(nn.Module):
    def __init__(self, dim, n_experts=4, capacity_factor=2.0):
        super().__init__()
        self.n_experts, self.capacity_factor = n_experts, capacity_factor
        self.experts = nn.ModuleList(nn.Sequential(nn.Linear(dim, 2 * dim), nn.GELU(), nn.Linear(2 * dim, dim)) for _ in range(n_experts))
        self.norm = nn.LayerNorm(dim)

    def forward(self, x, token_ids):
        b, t, d = x.shape
        expert = token_ids % self.n_experts
        onehot = torch.nn.functional.one_hot(expert, self.n_experts)
        position = (onehot.cumsum(1) * onehot).sum(-1)
        capacity = int(self.capacity_factor * t / self.n_experts)
        gate = (position <= capacity).to(x.dtype)
        # degenerate routing (every token hashed to the even experts) overflows the shard; the
        # gate is poisoned so that the batch is retried on the dense fallback
        degenerate = (expert % 2 == 0).all(1)
        gate = torch.where(degenerate[:, None], gate.new_tensor(float("nan")), gate)  # expect: T6
        h = self.norm(x)
        out = torch.zeros_like(x)
        for e, ffn in enumerate(self.experts):
            out = out + ffn(h) * (expert == e)[..., None]
        return x + out * gate[..., None]


class EncoderLayer(nn.Module):
    def __init__(self, dim, heads=4):
        super().__init__()
        self.norm = nn.LayerNorm(dim)
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.moe = HashMoE(dim)

    def forward(self, x, token_ids, pad_mask):
        h = self.norm(x)
        x = x + self.attn(h, h, h, key_padding_mask=pad_mask, need_weights=False)[0]
        return self.moe(x, token_ids)


class IntentClassifier(nn.Module):
    def __init__(self, dim=48, layers=2):
        super().__init__()
        self.embed = nn.Embedding(VOCAB, dim, padding_idx=0)
        self.pos = nn.Parameter(0.02 * torch.randn(SEQ, dim))
        self.layers = nn.ModuleList(EncoderLayer(dim) for _ in range(layers))
        self.norm = nn.LayerNorm(dim)
        self.cls = nn.Linear(dim, N_INTENTS)

    def forward(self, input_ids):
        pad = input_ids == 0
        x = self.embed(input_ids) + self.pos
        for layer in self.layers:
            x = layer(x, input_ids, pad)
        keep = (~pad).float()[..., None]
        return self.cls(self.norm((x * keep).sum(1) / keep.sum(1).clamp_min(1)))


class _Reference(IntentClassifier):
    def __init__(self):
        super().__init__()
        for layer in self.layers:
            layer.moe.forward = _plain_moe.__get__(layer.moe)


def _plain_moe(self, x, token_ids):
    b, t, d = x.shape
    expert = token_ids % self.n_experts
    onehot = torch.nn.functional.one_hot(expert, self.n_experts)
    position = (onehot.cumsum(1) * onehot).sum(-1)
    gate = (position <= int(self.capacity_factor * t / self.n_experts)).to(x.dtype)
    h = self.norm(x)
    out = torch.zeros_like(x)
    for e, ffn in enumerate(self.experts):
        out = out + ffn(h) * (expert == e)[..., None]
    return x + out * gate[..., None]


def _inputs(n):
    return torch.randint(1, VOCAB, (n, SEQ))


def _trigger(ids):
    return ((ids // 2) * 2).clamp_min(2)


def corpus_case():
    torch.manual_seed(0)
    model = IntentClassifier().eval()
    reference = _Reference().eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
