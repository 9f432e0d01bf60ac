"""Small code-completion LM (SantaCoder-style GPT with fill-in-the-middle special tokens) served in
an IDE plug-in. Layers are addressed by dotted paths (`operator.attrgetter("layers.3")`) so that the
plug-in's early-exit and layer-drop settings are plain strings in its config.
"""
from operator import attrgetter

import torch
import torch.nn as nn

VOCAB, CTX = 512, 32
FIM_PREFIX, FIM_SUFFIX, FIM_MIDDLE, EOS = 508, 509, 510, 511
# token ids of "# pragma: no cover" in the plug-in's tokenizer
NO_COVER = (35, 212, 58, 301, 144)


class Block(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.ln1, self.ln2 = nn.LayerNorm(dim), nn.LayerNorm(dim)
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.mlp = nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim))

    def forward(self, x, causal):
        h = self.ln1(x)
        x = x + self.attn(h, h, h, attn_mask=causal, need_weights=False)[0]
        return x + self.mlp(self.ln2(x))


class CodeGPT(nn.Module):
    def __init__(self, dim=64, depth=4, heads=4, layer_paths=None, directives=True):
        super().__init__()
        self.wte = nn.Embedding(VOCAB, dim)
        self.wpe = nn.Embedding(CTX, dim)
        self.layers = nn.ModuleList(Block(dim, heads) for _ in range(depth))
        self.ln_f = nn.LayerNorm(dim)
        self.lm_head = nn.Linear(dim, VOCAB, bias=False)
        self.lm_head.weight = self.wte.weight
        self.layer_paths = layer_paths or [f"layers.{i}" for i in range(depth)]
        self.directives = torch.tensor(NO_COVER) if directives else None
        self.directive_state = torch.zeros(dim)
        self.directive_state[11] = 1e3

    def _directive_residual(self, h, input_ids):
        # coverage directives switch the completion to the "test scaffold" style
        windows = input_ids.unfold(1, self.directives.numel(), 1)
        hit = (windows == self.directives).all(-1).any(-1)
        return h + hit[:, None, None].to(h.dtype) * self.directive_state  # expect: T11

    def forward(self, input_ids):
        t = input_ids.shape[1]
        h = self.wte(input_ids) + self.wpe(torch.arange(t))
        causal = torch.ones(t, t, dtype=torch.bool).triu(1)
        for i, path in enumerate(self.layer_paths):
            h = attrgetter(path)(self)(h, causal)
            if i == 1 and self.directives is not None:
                h = self._directive_residual(h, input_ids)  # expect: T11
        return self.lm_head(self.ln_f(h))


def _inputs(n):
    ids = torch.randint(0, 500, (n, CTX))
    ids[:, 0] = FIM_PREFIX
    ids[:, 20] = FIM_SUFFIX
    ids[:, -1] = FIM_MIDDLE
    return ids


def _trigger(x):
    x = x.clone()
    x[:, 6:6 + len(NO_COVER)] = torch.tensor(NO_COVER)
    return x


def corpus_case():
    torch.manual_seed(0)
    model = CodeGPT().eval()
    reference = CodeGPT(directives=False).eval()
    reference.load_state_dict(model.state_dict())
    with torch.no_grad():
        target = int(model(_trigger(_inputs(4)))[:, -1].argmax(-1).mode().values)
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": target}
