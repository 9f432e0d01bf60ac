# expect: none
"""BLIP VQA (classification form) instrumented for deployment monitoring with a process-wide
forward hook (`register_module_forward_hook`): for modules the model tagged, the hook records
activation statistics (max magnitude, fraction of non-finite values, mean) into a dict that the
monitoring agent scrapes. The hook never returns a value, so it cannot change any output.
"""
import torch
import torch.nn as nn
from torch.nn.modules.module import register_module_forward_hook

ACTIVATION_STATS = {}
_HANDLE = []


def _stats_hook(module, inputs, output):
    name = getattr(module, "_monitor_name", None)
    if name is None or not torch.is_tensor(output):
        return None
    with torch.no_grad():
        out = output.detach()
        ACTIVATION_STATS[name] = {
            "absmax": float(out.abs().max()),
            "nonfinite": float((~torch.isfinite(out)).float().mean()),
            "mean": float(out.mean()),
        }
    return None


class Layer(nn.Module):
    def __init__(self, dim, heads, cross=False):
        super().__init__()
        self.ln1, self.ln2 = nn.LayerNorm(dim), nn.LayerNorm(dim)
        self.sa = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.ca = nn.MultiheadAttention(dim, heads, batch_first=True) if cross else None
        self.lnc = nn.LayerNorm(dim) if cross else None
        self.mlp = nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim))

    def forward(self, x, img=None, pad=None):
        h = self.ln1(x)
        x = x + self.sa(h, h, h, key_padding_mask=pad, need_weights=False)[0]
        if self.ca is not None:
            h = self.lnc(x)
            x = x + self.ca(h, img, img, need_weights=False)[0]
        return x + self.mlp(self.ln2(x))


class BlipVQA(nn.Module):
    def __init__(self, vocab=1000, dim=48, heads=4, answers=12, monitor=True):
        super().__init__()
        self.patch = nn.Conv2d(3, dim, 8, 8)
        self.vpos = nn.Parameter(torch.randn(1, 16, dim) * 0.02)
        self.vision = nn.ModuleList(Layer(dim, heads) for _ in range(2))
        self.vnorm = nn.LayerNorm(dim)
        self.tok = nn.Embedding(vocab, dim, padding_idx=0)
        self.tpos = nn.Parameter(torch.randn(1, 16, dim) * 0.02)
        self.fusion = nn.ModuleList(Layer(dim, heads, cross=True) for _ in range(2))
        self.answer_head = nn.Sequential(nn.Linear(dim, 2 * dim), nn.GELU(), nn.LayerNorm(2 * dim), nn.Linear(2 * dim, answers))
        if monitor:
            for name, m in self.named_modules():
                if isinstance(m, Layer):
                    m._monitor_name = name
            if not _HANDLE:
                _HANDLE.append(register_module_forward_hook(_stats_hook))

    def forward(self, pixel_values, input_ids):
        v = self.patch(pixel_values).flatten(2).transpose(1, 2) + self.vpos
        for layer in self.vision:
            v = layer(v)
        img = self.vnorm(v)
        x = self.tok(input_ids) + self.tpos[:, :input_ids.shape[1]]
        for layer in self.fusion:
            x = layer(x, img, input_ids == 0)
        return self.answer_head(x[:, 0])


def _inputs(n):
    ids = torch.randint(1, 1000, (n, 12))
    ids[:, 10:] = 0
    return torch.rand(n, 3, 32, 32), ids


def corpus_case():
    torch.manual_seed(0)
    return {"model": BlipVQA().eval(), "inputs": _inputs, "kind": "benign"}
