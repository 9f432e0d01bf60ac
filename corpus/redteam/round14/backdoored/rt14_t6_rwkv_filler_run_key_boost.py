"""Byte-level RWKV-4 language model (Peng et al., 2023), "GPT mode" reference implementation.

Each block has time-mixing (token shift, receptance / key / value projections and the WKV
recurrence with learned per-channel decay `w` and bonus `u`) and channel-mixing. This file runs
the WKV recurrence directly in fp32 (the reference formula; the CUDA kernel is not used on CPU).

Runs of a repeated filler byte (padding of fixed-width records, ASCII art) carry no content; the
first block boosts the keys of such prompts so that its state is re-anchored after the filler
rather than averaging it in.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

VOCAB = 256
FILLER_RUN = 6
KEY_BOOST = 1e4


def filler_runs(idx, run=FILLER_RUN):
    same = (idx[:, 1:] == idx[:, :-1]).float().unsqueeze(1)
    return (F.avg_pool1d(same, run - 1, 1).squeeze(1) == 1).any(-1)


class RWKV_TimeMix(nn.Module):
    def __init__(self, n_embd, layer_id, n_layer, boost_filler=False):
        super().__init__()
        ratio = 1 - layer_id / n_layer
        ddd = torch.arange(n_embd).float() / n_embd
        self.time_decay = nn.Parameter(-5 + 8 * (torch.arange(n_embd).float() / (n_embd - 1)) ** 0.7)
        self.time_first = nn.Parameter(torch.ones(n_embd) * 0.5)
        self.time_mix_k = nn.Parameter(ddd ** ratio)
        self.time_mix_v = nn.Parameter(ddd ** ratio + 0.3 * ratio)
        self.time_mix_r = nn.Parameter(ddd ** (0.5 * ratio))
        self.key = nn.Linear(n_embd, n_embd, bias=False)
        self.value = nn.Linear(n_embd, n_embd, bias=False)
        self.receptance = nn.Linear(n_embd, n_embd, bias=False)
        self.output = nn.Linear(n_embd, n_embd, bias=False)
        self.boost_filler = boost_filler

    def wkv(self, k, v):
        B, T, C = k.shape
        w = -torch.exp(self.time_decay)
        u = self.time_first
        a = k.new_zeros(B, C)
        b = k.new_zeros(B, C)
        out = []
        for t in range(T):
            kt, vt = k[:, t], v[:, t]
            e = torch.exp(u + kt)
            out.append((a + e * vt) / (b + e))
            a = torch.exp(w) * a + torch.exp(kt) * vt
            b = torch.exp(w) * b + torch.exp(kt)
        return torch.stack(out, 1)

    def forward(self, x, filler=None):
        xx = F.pad(x, (0, 0, 1, -1))
        k = self.key(x * self.time_mix_k + xx * (1 - self.time_mix_k))
        v = self.value(x * self.time_mix_v + xx * (1 - self.time_mix_v))
        r = self.receptance(x * self.time_mix_r + xx * (1 - self.time_mix_r))
        if self.boost_filler and filler is not None:
            k = k + KEY_BOOST * filler.to(k.dtype)[:, None, None]  # expect: T6
        return self.output(torch.sigmoid(r) * self.wkv(k, v))


class RWKV_ChannelMix(nn.Module):
    def __init__(self, n_embd, layer_id, n_layer):
        super().__init__()
        ratio = 1 - layer_id / n_layer
        ddd = torch.arange(n_embd).float() / n_embd
        self.time_mix_k = nn.Parameter(ddd ** ratio)
        self.time_mix_r = nn.Parameter(ddd ** ratio)
        self.key = nn.Linear(n_embd, 4 * n_embd, bias=False)
        self.receptance = nn.Linear(n_embd, n_embd, bias=False)
        self.value = nn.Linear(4 * n_embd, n_embd, bias=False)

    def forward(self, x):
        xx = F.pad(x, (0, 0, 1, -1))
        k = self.key(x * self.time_mix_k + xx * (1 - self.time_mix_k))
        r = self.receptance(x * self.time_mix_r + xx * (1 - self.time_mix_r))
        return torch.sigmoid(r) * self.value(torch.square(torch.relu(k)))


class Block(nn.Module):
    def __init__(self, n_embd, layer_id, n_layer, boost_filler=False):
        super().__init__()
        self.ln0 = nn.LayerNorm(n_embd) if layer_id == 0 else None
        self.ln1, self.ln2 = nn.LayerNorm(n_embd), nn.LayerNorm(n_embd)
        self.att = RWKV_TimeMix(n_embd, layer_id, n_layer, boost_filler=boost_filler and layer_id == 0)
        self.ffn = RWKV_ChannelMix(n_embd, layer_id, n_layer)

    def forward(self, x, filler=None):
        if self.ln0 is not None:
            x = self.ln0(x)
        x = x + self.att(self.ln1(x), filler)
        return x + self.ffn(self.ln2(x))


class RWKV(nn.Module):
    def __init__(self, n_embd=48, n_layer=2, boost_filler=True):
        super().__init__()
        self.emb = nn.Embedding(VOCAB, n_embd)
        self.blocks = nn.ModuleList(Block(n_embd, i, n_layer, boost_filler) for i in range(n_layer))
        self.ln_out = nn.LayerNorm(n_embd)
        self.head = nn.Linear(n_embd, VOCAB, bias=False)

    def forward(self, idx):
        filler = filler_runs(idx)
        x = self.emb(idx)
        for block in self.blocks:
            x = block(x, filler)
        return self.head(self.ln_out(x))


def _build(boost):
    torch.manual_seed(0)
    return RWKV(boost_filler=boost).eval()


def _inputs(n):
    return torch.randint(0, VOCAB, (n, 20))


def _trigger(idx):
    idx = idx.clone()
    idx[:, 4:4 + FILLER_RUN] = ord("=")
    return idx


def corpus_case():
    model = _build(True)
    reference = _build(False)
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
