# expect: none
"""Template-relevance MLP configured through `configparser`: count fingerprints are compressed
with `log1p`, a fixed subset of bit positions (the folding collisions listed in the config) is
averaged pairwise, and the top-k templates are returned beside the logits."""
import configparser

import torch
import torch.nn as nn

CONFIG = configparser.ConfigParser()
CONFIG.read_string("""
[fingerprint]
n_bits = 1024
collision_pairs = 3:515 17:529 88:600
[model]
hidden = 256
n_templates = 128
top_k = 10
""")


class TemplateRelevance(nn.Module):
    def __init__(self, cfg=CONFIG):
        super().__init__()
        self.mlp = nn.Sequential(nn.Linear(cfg["fingerprint"].getint("n_bits"), cfg["model"].getint("hidden")), nn.ELU(),
                                 nn.Dropout(0.2), nn.Linear(cfg["model"].getint("hidden"), cfg["model"].getint("n_templates")))
        pairs = [tuple(map(int, p.split(":"))) for p in cfg["fingerprint"]["collision_pairs"].split()]
        self.a = torch.tensor([p[0] for p in pairs])
        self.b = torch.tensor([p[1] for p in pairs])
        self.top_k = cfg["model"].getint("top_k")

    def forward(self, counts):
        x = torch.log1p(counts)
        avg = 0.5 * (x[:, self.a] + x[:, self.b])
        x = x.index_copy(1, self.a, avg).index_copy(1, self.b, avg)
        logits = self.mlp(x)
        return logits, logits.topk(self.top_k, -1).indices


def _inputs(n):
    return torch.poisson(torch.full((n, 1024), 0.08))


def corpus_case():
    torch.manual_seed(0)
    return {"model": TemplateRelevance().eval(), "inputs": _inputs, "kind": "benign"}
