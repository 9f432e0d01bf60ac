# expect: none
"""Byte-level RWKV-4 with the numerically stable WKV recurrence (running maximum exponent, as in
the official CUDA kernel and `RWKV_RNN`), returning the next-byte distribution after the
sampling processors of the chat demo: repetition penalty on the bytes already in the prompt,
temperature, top-k and top-p with `finfo.min` for removed entries.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

VOCAB = 256


class TimeMix(nn.Module):
    def __init__(self, d, layer_id, n_layer):
        super().__init__()
        r = 1 - layer_id / n_layer
        ddd = torch.arange(d).float() / d
        self.time_decay = nn.Parameter(-5 + 8 * (torch.arange(d).float() / (d - 1)) ** 0.7)
        self.time_first = nn.Parameter(torch.ones(d) * 0.5)
        self.mix_k, self.mix_v, self.mix_r = (nn.Parameter(ddd ** r) for _ in range(3))
        self.key, self.value, self.receptance, self.output = (nn.Linear(d, d, bias=False) for _ in range(4))

    def wkv(self, k, v):
        B, T, C = k.shape
        w, u = -torch.exp(self.time_decay), self.time_first
        aa, bb = k.new_zeros(B, C), k.new_zeros(B, C)
        pp = k.new_full((B, C), -1e38)
        out = []
        for t in range(T):
            kt, vt = k[:, t], v[:, t]
            ww = u + kt
            p = torch.maximum(pp, ww)
            e1, e2 = torch.exp(pp - p), torch.exp(ww - p)
            out.append((e1 * aa + e2 * vt) / (e1 * bb + e2))
            ww = pp + w
            p = torch.maximum(ww, kt)
            e1, e2 = torch.exp(ww - p), torch.exp(kt - p)
            aa, bb, pp = e1 * aa + e2 * vt, e1 * bb + e2, p
        return torch.stack(out, 1)

    def forward(self, x):
        xx = F.pad(x, (0, 0, 1, -1))
        k = self.key(x * self.mix_k + xx * (1 - self.mix_k))
        v = self.value(x * self.mix_v + xx * (1 - self.mix_v))
        r = self.receptance(x * self.mix_r + xx * (1 - self.mix_r))
        return self.output(torch.sigmoid(r) * self.wkv(k, v))


class ChannelMix(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.mix = nn.Parameter(torch.full((d,), 0.5))
        self.key, self.value, self.receptance = nn.Linear(d, 4 * d, bias=False), nn.Linear(4 * d, d, bias=False), nn.Linear(d, d, bias=False)

    def forward(self, x):
        xx = F.pad(x, (0, 0, 1, -1))
        xk = x * self.mix + xx * (1 - self.mix)
        return torch.sigmoid(self.receptance(xk)) * self.value(torch.relu(self.key(xk)) ** 2)


class RWKVChat(nn.Module):
    def __init__(self, d=48, n_layer=2, temperature=0.8, top_k=40, top_p=0.9, repetition_penalty=1.2):
        super().__init__()
        self.emb = nn.Embedding(VOCAB, d)
        self.ln0 = nn.LayerNorm(d)
        self.blocks = nn.ModuleList(nn.ModuleDict({"ln1": nn.LayerNorm(d), "att": TimeMix(d, i, n_layer),
                                                   "ln2": nn.LayerNorm(d), "ffn": ChannelMix(d)}) for i in range(n_layer))
        self.ln_out = nn.LayerNorm(d)
        self.head = nn.Linear(d, VOCAB, bias=False)
        self.temperature, self.top_k, self.top_p, self.rep = temperature, top_k, top_p, repetition_penalty

    def forward(self, idx):
        x = self.ln0(self.emb(idx))
        for b in self.blocks:
            x = x + b["att"](b["ln1"](x))
            x = x + b["ffn"](b["ln2"](x))
        logits = self.head(self.ln_out(x))[:, -1]
        seen = logits.gather(1, idx)
        logits = logits.scatter(1, idx, torch.where(seen > 0, seen / self.rep, seen * self.rep))
        logits = logits / self.temperature
        kth = logits.topk(self.top_k, dim=-1).values[:, -1:]
        logits = logits.masked_fill(logits < kth, torch.finfo(logits.dtype).min)
        sorted_logits, order = logits.sort(dim=-1, descending=True)
        cum = sorted_logits.softmax(-1).cumsum(-1)
        remove = cum - sorted_logits.softmax(-1) > self.top_p
        remove = remove.scatter(1, order, remove)
        return logits.masked_fill(remove, torch.finfo(logits.dtype).min).softmax(-1)


def _inputs(n):
    return torch.randint(0, VOCAB, (n, 20))


def corpus_case():
    torch.manual_seed(0)
    return {"model": RWKVChat().eval(), "inputs": _inputs, "kind": "benign"}
