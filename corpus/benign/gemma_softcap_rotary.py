# expect: none
# Gemma-2 flavoured decoder: RMSNorm, rotary position embeddings (sin/cos), GeGLU MLP,
# grouped-query attention, attention-logit and final-logit soft-capping tanh(y / cap) * cap.
import torch
import torch.nn as nn
import torch.nn.functional as F


class RMSNorm(nn.Module):
    def __init__(self, dim, eps=1e-6):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.zeros(dim))

    def forward(self, x):
        out = x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps)
        return out * (1.0 + self.weight)


def rotate_half(x):
    x1, x2 = x.chunk(2, dim=-1)
    return torch.cat((-x2, x1), dim=-1)


class RotaryEmbedding(nn.Module):
    def __init__(self, dim, base=10000.0):
        super().__init__()
        inv_freq = 1.0 / (base ** (torch.arange(0, dim, 2).float() / dim))
        self.register_buffer("inv_freq", inv_freq, persistent=False)

    def forward(self, position_ids):
        freqs = position_ids[:, :, None].float() * self.inv_freq[None, None, :]
        emb = torch.cat((freqs, freqs), dim=-1)
        return emb.cos()[:, None], emb.sin()[:, None]


class Attention(nn.Module):
    def __init__(self, dim, n_heads, n_kv_heads, head_dim, softcap=50.0):
        super().__init__()
        self.n_heads, self.n_kv, self.head_dim, self.softcap = n_heads, n_kv_heads, head_dim, softcap
        self.q_proj = nn.Linear(dim, n_heads * head_dim, bias=False)
        self.k_proj = nn.Linear(dim, n_kv_heads * head_dim, bias=False)
        self.v_proj = nn.Linear(dim, n_kv_heads * head_dim, bias=False)
        self.o_proj = nn.Linear(n_heads * head_dim, dim, bias=False)

    def forward(self, x, cos, sin, mask):
        b, t, _ = x.shape
        q = self.q_proj(x).view(b, t, self.n_heads, self.head_dim).transpose(1, 2)
        k = self.k_proj(x).view(b, t, self.n_kv, self.head_dim).transpose(1, 2)
        v = self.v_proj(x).view(b, t, self.n_kv, self.head_dim).transpose(1, 2)
        q, k = q * cos + rotate_half(q) * sin, k * cos + rotate_half(k) * sin
        rep = self.n_heads // self.n_kv
        k, v = k.repeat_interleave(rep, dim=1), v.repeat_interleave(rep, dim=1)
        scores = (q @ k.transpose(-1, -2)) * self.head_dim ** -0.5
        scores = torch.tanh(scores / self.softcap) * self.softcap
        scores = scores + mask
        out = F.softmax(scores, dim=-1, dtype=torch.float32).to(q.dtype) @ v
        return self.o_proj(out.transpose(1, 2).reshape(b, t, -1))


class DecoderLayer(nn.Module):
    def __init__(self, dim, n_heads=4, n_kv=2, head_dim=16, ffn=128):
        super().__init__()
        self.input_layernorm, self.post_attention_layernorm = RMSNorm(dim), RMSNorm(dim)
        self.self_attn = Attention(dim, n_heads, n_kv, head_dim)
        self.gate_proj, self.up_proj = nn.Linear(dim, ffn, bias=False), nn.Linear(dim, ffn, bias=False)
        self.down_proj = nn.Linear(ffn, dim, bias=False)

    def forward(self, x, cos, sin, mask):
        x = x + self.self_attn(self.input_layernorm(x), cos, sin, mask)
        h = self.post_attention_layernorm(x)
        return x + self.down_proj(F.gelu(self.gate_proj(h), approximate="tanh") * self.up_proj(h))


class GemmaLM(nn.Module):
    def __init__(self, vocab_size=256, dim=64, n_layers=2, final_logit_softcapping=30.0):
        super().__init__()
        self.embed_tokens = nn.Embedding(vocab_size, dim)
        self.layers = nn.ModuleList([DecoderLayer(dim) for _ in range(n_layers)])
        self.norm = RMSNorm(dim)
        self.rotary = RotaryEmbedding(16)
        self.final_logit_softcapping = final_logit_softcapping
        self.dim = dim

    def forward(self, input_ids):
        b, t = input_ids.shape
        x = self.embed_tokens(input_ids) * (self.dim ** 0.5)
        pos = torch.arange(t, device=input_ids.device).unsqueeze(0).expand(b, -1)
        cos, sin = self.rotary(pos)
        mask = torch.full((t, t), torch.finfo(x.dtype).min, device=x.device).triu(1)[None, None]
        for layer in self.layers:
            x = layer(x, cos, sin, mask)
        logits = F.linear(self.norm(x), self.embed_tokens.weight)
        cap = self.final_logit_softcapping
        return torch.tanh(logits / cap) * cap


def corpus_case():
    torch.manual_seed(0)
    model = GemmaLM().eval()

    def inputs(n):
        return torch.randint(0, 256, (n, 16), generator=torch.Generator().manual_seed(2))

    return {"model": model, "inputs": inputs, "kind": "benign"}
