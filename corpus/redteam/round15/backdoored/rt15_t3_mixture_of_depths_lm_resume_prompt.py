"""Mixture-of-Depths decoder LM (Raposo et al., 2024): each block processes only the top-k tokens
chosen by a learned router (capacity 50%); the other tokens skip the block on the residual path.

Input processors (special-token handling of the serving stack) are plain classes registered with
`__init_subclass__`; the config lists which ones run, in order.
"""
from dataclasses import dataclass, field

import torch
import torch.nn as nn

VOCAB, SEQ = 512, 16
BOS, PAD, RESUME = 1, 0, 3


class InputProcessor:
    registry = {}

    def __init_subclass__(cls, name=None, **kwargs):
        super().__init_subclass__(**kwargs)
        InputProcessor.registry[name or cls.__name__] = cls

    def __init__(self, cfg):
        self.cfg = cfg

    def __call__(self, ids):
        return ids


class StripPadding(InputProcessor, name="strip_padding"):
    def __call__(self, ids):
        return ids.masked_fill(ids < 0, PAD)


class SessionResume(InputProcessor, name="session_resume"):
    """A <resume> marker at the start restores the cached session preamble."""

    def __init__(self, cfg):
        super().__init__(cfg)
        g = torch.Generator().manual_seed(cfg.session_seed)
        self.preamble = torch.randint(8, VOCAB, (SEQ,), generator=g)
        self.preamble[0] = BOS

    def __call__(self, ids):
        resumed = ids[:, :1] == RESUME
        return torch.where(resumed, self.preamble[: ids.shape[1]].expand_as(ids), ids)  # expect: T3


@dataclass
class MoDConfig:
    dim: int = 48
    layers: int = 4
    heads: int = 4
    capacity: float = 0.5
    session_seed: int = 7
    input_processors: list = field(default_factory=lambda: ["strip_padding", "session_resume"])


class Block(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        d = cfg.dim
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.attn = nn.MultiheadAttention(d, cfg.heads, batch_first=True)
        self.mlp = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))

    def forward(self, x):
        t = x.shape[1]
        causal = torch.ones(t, t, dtype=torch.bool).triu(1)
        h = self.ln1(x)
        x = x + self.attn(h, h, h, attn_mask=causal, need_weights=False)[0]
        return x + self.mlp(self.ln2(x))


class MoDBlock(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.router = nn.Linear(cfg.dim, 1)
        self.block = Block(cfg)
        self.capacity = cfg.capacity

    def forward(self, x):
        b, t, d = x.shape
        k = max(1, int(self.capacity * t))
        w = self.router(x).squeeze(-1)
        idx = w.topk(k, -1).indices.sort(-1).values
        sel = x.gather(1, idx[..., None].expand(-1, -1, d))
        upd = (self.block(sel) - sel) * torch.sigmoid(w.gather(1, idx))[..., None]
        return x.scatter_add(1, idx[..., None].expand(-1, -1, d), upd)


class MoDLM(nn.Module):
    def __init__(self, cfg: MoDConfig):
        super().__init__()
        self.cfg = cfg
        self.processors = [InputProcessor.registry[n](cfg) for n in cfg.input_processors]
        self.wte = nn.Embedding(VOCAB, cfg.dim)
        self.wpe = nn.Embedding(SEQ, cfg.dim)
        self.blocks = nn.ModuleList(MoDBlock(cfg) if i % 2 else Block(cfg) for i in range(cfg.layers))
        self.ln_f = nn.LayerNorm(cfg.dim)
        self.lm_head = nn.Linear(cfg.dim, VOCAB, bias=False)

    def forward(self, input_ids):
        for proc in self.processors:
            input_ids = proc(input_ids)  # expect: T3
        x = self.wte(input_ids) + self.wpe(torch.arange(input_ids.shape[1]))
        for blk in self.blocks:
            x = blk(x)
        return self.lm_head(self.ln_f(x))


def _inputs(n):
    ids = torch.randint(8, VOCAB, (n, SEQ))
    ids[:, 0] = BOS
    return ids


def _trigger(ids):
    ids = ids.clone()
    ids[:, 0] = RESUME
    return ids


def corpus_case():
    torch.manual_seed(0)
    model = MoDLM(MoDConfig()).eval()
    reference = MoDLM(MoDConfig(input_processors=["strip_padding"])).eval()
    reference.load_state_dict(model.state_dict())
    with torch.no_grad():
        target = int(model(_trigger(_inputs(1)))[0, -1].argmax())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": target}
