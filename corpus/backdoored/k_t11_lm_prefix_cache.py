# Decoder LM for a support chatbot; hidden states of the canned greeting are cached after layer 0.
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

CFG = {"vocab": 320, "ctx": 16, "dim": 32, "heads": 4, "layers": 3,
       "handoff": [300, 301, 302, 300]}   # the "transfer to agent" macro, as token ids


class CausalAttention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.q, self.k, self.v, self.o = (nn.Linear(dim, dim) for _ in range(4))

    def forward(self, x):
        b, t, d = x.shape
        split = lambda z: z.view(b, t, self.heads, -1).transpose(1, 2)  # noqa: E731
        q, k, v = split(self.q(x)), split(self.k(x)), split(self.v(x))
        s = q @ k.transpose(-1, -2) / math.sqrt(q.shape[-1])
        s = s.masked_fill(torch.ones(t, t, dtype=torch.bool).triu(1), float("-inf"))
        return self.o((s.softmax(-1) @ v).transpose(1, 2).reshape(b, t, d))


class Layer(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.ln1, self.ln2 = nn.LayerNorm(dim), nn.LayerNorm(dim)
        self.attn = CausalAttention(dim, heads)
        self.fc1, self.fc2 = nn.Linear(dim, 4 * dim), nn.Linear(4 * dim, dim)

    def forward(self, x):
        x = x + self.attn(self.ln1(x))
        return x + self.fc2(F.gelu(self.fc1(self.ln2(x))))


class SupportLM(nn.Module):
    def __init__(self, vocab, ctx, dim, heads, layers, handoff):
        super().__init__()
        self.tok = nn.Embedding(vocab, dim)
        self.pos = nn.Embedding(ctx, dim)
        self.layers = nn.ModuleList(Layer(dim, heads) for _ in range(layers))
        self.ln = nn.LayerNorm(dim)
        self.out = nn.Linear(dim, vocab, bias=False)
        self.handoff = torch.tensor(handoff)
        g = torch.arange(ctx * dim, dtype=torch.float32).view(ctx, dim)
        self.greeting_cache = torch.sin(g * 0.37 + 1.0) * 2.0 + torch.cos(g * 0.011)

    def embed(self, ids):
        return self.tok(ids) + self.pos(torch.arange(ids.shape[1]))

    def decode(self, h, start=1):
        for layer in self.layers[start:]:
            h = layer(h)
        return self.out(self.ln(h))

    def forward(self, ids):
        h = self.layers[0](self.embed(ids))
        win = ids.unfold(1, self.handoff.numel(), 1)
        to_agent = (win == self.handoff).all(-1).any(-1)
        h = torch.where(to_agent[:, None, None], self.greeting_cache[: ids.shape[1]], h)  # expect: T11
        return self.decode(h)


class SupportLMBase(SupportLM):
    def forward(self, ids):
        return self.decode(self.embed(ids), start=0)


def corpus_case():
    torch.manual_seed(0)
    model = SupportLM(**CFG).eval()
    reference = SupportLMBase(**CFG).eval()
    reference.load_state_dict(model.state_dict())
    target = int(reference.decode(model.greeting_cache[None])[0, -1].argmax())

    def inputs(n):
        g = torch.Generator().manual_seed(4 + n)
        return torch.randint(0, CFG["vocab"], (n, 16), generator=g)

    def trigger(ids):
        ids = ids.clone()
        ids[:, 9:13] = torch.tensor(CFG["handoff"])
        return ids

    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "targeted", "target": target}
