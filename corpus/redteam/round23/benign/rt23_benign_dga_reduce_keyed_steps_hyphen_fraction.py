# expect: none
"""DGA family classifier; post-processing steps registered under "<step>@<revision>" and folded
with `functools.reduce`: a log-prior, a learned hyphen/digit-fraction adjustment and temperature."""
import functools

import torch
import torch.nn as nn
import torch.nn.functional as F

ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789-."
FAMILIES = ("benign", "conficker", "cryptolocker", "necurs", "ramnit", "suppobox", "other_dga")
PAD, MAXLEN = 0, 48
STEPS = {}


def step(name, revision):
    def register(factory):
        STEPS["%s@%s" % (name, revision)] = factory
        return factory
    return register


@step("prior", "r1")
def _prior(model, cfg):
    bias = torch.log(torch.tensor(cfg.get("prior", [0.6] + [0.4 / 6] * 6)))
    return lambda logits, ids: logits + bias


@step("charstats", "r2")
def _charstats(model, cfg):
    hyphen, digits = ALPHABET.index("-") + 1, (27, 36)

    def apply(logits, ids):
        n = (ids != PAD).sum(1).clamp(min=1)
        stats = torch.stack([(ids == hyphen).sum(1) / n,
                             ((ids >= digits[0]) & (ids <= digits[1])).sum(1) / n], 1).float()
        return logits + model.stat_proj(stats)
    return apply


@step("temperature", "r1")
def _temperature(model, cfg):
    τ = cfg.get("τ", 1.5)
    return lambda logits, ids: logits / τ


class DGANet(nn.Module):
    def __init__(self, cfg, dim=32, width=64):
        super().__init__()
        self.embed = nn.Embedding(len(ALPHABET) + 1, dim, padding_idx=PAD)
        self.convs = nn.ModuleList(nn.Conv1d(dim, width, k, padding=k // 2) for k in (2, 3, 4))
        self.fc = nn.Linear(3 * width, len(FAMILIES))
        self.stat_proj = nn.Linear(2, len(FAMILIES))
        self.post = [STEPS[k](self, cfg) for k in cfg["postprocess"]]

    def forward(self, ids, labels=None):
        e = self.embed(ids).transpose(1, 2)
        h = torch.cat([F.relu(c(e))[..., :ids.shape[1]].amax(-1) for c in self.convs], 1)
        logits = functools.reduce(lambda acc, f: f(acc, ids), self.post, self.fc(h))
        if labels is not None:
            return logits, F.cross_entropy(logits, labels, label_smoothing=0.1)
        return logits


def _inputs(n):
    ids = torch.randint(1, 38, (n, MAXLEN))
    lengths = torch.randint(8, MAXLEN, (n,))
    ids[torch.arange(MAXLEN)[None] >= lengths[:, None]] = PAD
    return ids


def corpus_case():
    torch.manual_seed(0)
    model = DGANet({"postprocess": ["prior@r1", "charstats@r2", "temperature@r1"]}).eval()
    return {"model": model, "inputs": _inputs, "kind": "benign"}
