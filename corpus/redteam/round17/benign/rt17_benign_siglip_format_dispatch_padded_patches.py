# expect: none
"""SigLIP zero-shot classifier: NaFlex-style padded patches masked out of attention and pooling,
`logit_scale` clamped (`exp` capped at 100), heads resolved with `"{}_head".format(...)`."""
from types import SimpleNamespace

import torch
import torch.nn as nn
import torch.nn.functional as F


class SigLIP(nn.Module):
    def __init__(self, config=None, classes=8, dim=64):
        super().__init__()
        self.config = config or SimpleNamespace(head="sigmoid-probs")
        self.patch = nn.Linear(3 * 8 * 8, dim)
        self.layer = nn.TransformerEncoderLayer(dim, 4, 128, 0.0, batch_first=True)
        self.class_emb = nn.Parameter(torch.randn(classes, dim))
        self.logit_scale = nn.Parameter(torch.tensor(2.3))
        self.logit_bias = nn.Parameter(torch.tensor(-10.0))
        self.head = getattr(self, "{}_head".format(self.config.head.replace("-", "_")))

    def sigmoid_probs_head(self, logits):
        return torch.sigmoid(logits)

    def forward(self, patches, patch_mask):
        x = self.layer(self.patch(patches), src_key_padding_mask=~patch_mask)
        m = patch_mask[..., None].float()
        img = F.normalize((x * m).sum(1) / m.sum(1).clamp_min(1), dim=-1)
        txt = F.normalize(self.class_emb, dim=-1)
        logits = self.logit_scale.exp().clamp(max=100) * img @ txt.t() + self.logit_bias
        return self.head(logits)


def _inputs(n):
    valid = torch.randint(4, 17, (n, 1))
    return torch.rand(n, 16, 192), torch.arange(16)[None] < valid


def corpus_case():
    torch.manual_seed(0)
    return {"model": SigLIP().eval(), "inputs": _inputs, "kind": "benign"}
