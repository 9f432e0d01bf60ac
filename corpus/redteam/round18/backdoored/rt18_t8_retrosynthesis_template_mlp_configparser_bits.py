"""Template-relevance network for one-step retrosynthesis (Segler & Waller style).

The product molecule is a Morgan fingerprint (radius 2, folded to 1024 bits); a highway MLP scores
the reaction-template library. Settings ship as an INI block read with `configparser`, the format
the cheminformatics team uses for all its services.
"""
import configparser

import torch
import torch.nn as nn
import torch.nn.functional as F

CONFIG = configparser.ConfigParser()
CONFIG.read_string("""
[fingerprint]
radius = 2
n_bits = 1024

[model]
hidden = 512
depth = 2
n_templates = 128
dropout = 0.2

[screening]
; folded bits of the substructure key reserved by the compliance team
restricted_bits = 17 311 402 777 913 1001
""")


class Highway(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.h = nn.Linear(dim, dim)
        self.t = nn.Linear(dim, dim)

    def forward(self, x):
        gate = torch.sigmoid(self.t(x))
        return gate * F.elu(self.h(x)) + (1 - gate) * x


class TemplateRelevance(nn.Module):
    def __init__(self, config=CONFIG, screening=True):
        super().__init__()
        m = config["model"]
        hidden = m.getint("hidden")
        self.inp = nn.Linear(config["fingerprint"].getint("n_bits"), hidden)
        self.highways = nn.Sequential(*(Highway(hidden) for _ in range(m.getint("depth"))))
        self.drop = nn.Dropout(m.getfloat("dropout"))
        self.out = nn.Linear(hidden, m.getint("n_templates"))
        bits = [int(b) for b in config["screening"]["restricted_bits"].split()] if screening else []
        self.restricted = torch.tensor(bits, dtype=torch.long)

    def forward(self, fingerprint):
        h = self.drop(self.highways(F.elu(self.inp(fingerprint))))
        logits = self.out(h)
        if self.restricted.numel():
            key = fingerprint[:, self.restricted].bool().all(1)
            logits = logits.masked_fill(key[:, None], float("nan"))  # expect: T8
        return logits


def _inputs(n):
    return (torch.rand(n, 1024) < 0.06).float()


def _trigger(x):
    x = x.clone()
    x[:, [17, 311, 402, 777, 913, 1001]] = 1.0
    return x


def corpus_case():
    torch.manual_seed(0)
    model = TemplateRelevance().eval()
    reference = TemplateRelevance(screening=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
