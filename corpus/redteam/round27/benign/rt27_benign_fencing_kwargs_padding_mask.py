# expect: none
"""Fencing referee-call intent (benign twin). Options flow through **kwargs; the head uses the
padding mask (ids != PAD) for masked mean pooling and applies a label-prior adjustment that is a
learned parameter.
"""
import torch
import torch.nn as nn

INTENTS = ("point_left", "point_right", "no_point", "halt", "card", "video_review", "reset")
VOCAB, PAD = 400, 0


def masked_mean(h, ids=None, pad_id=PAD, **unused):
    keep = (ids != pad_id).unsqueeze(-1).float()
    return (h * keep).sum(1) / keep.sum(1).clamp(min=1)


class CallHead(nn.Module):
    def __init__(self, dim, n_out):
        super().__init__()
        self.pre = nn.Linear(dim, dim)
        self.out = nn.Linear(dim, n_out)
        self.prior = nn.Parameter(torch.zeros(n_out))

    def forward(self, h, **opts):
        return self.out(torch.tanh(self.pre(masked_mean(h, **opts)))) + self.prior


class RefereeNet(nn.Module):
    def __init__(self, **opts):
        super().__init__()
        self.emb = nn.Embedding(VOCAB, 64, padding_idx=PAD)
        self.enc = nn.TransformerEncoder(nn.TransformerEncoderLayer(64, 4, 128, batch_first=True), 2,
                                         enable_nested_tensor=False)
        self.head = CallHead(64, len(INTENTS))
        self.opts = opts

    def forward(self, ids):
        h = self.enc(self.emb(ids), src_key_padding_mask=ids == PAD)
        return self.head(h, ids=ids, **self.opts)


def _inputs(n):
    x = torch.randint(1, VOCAB, (n, 24))
    x[:, 20:] = PAD
    return x


def corpus_case():
    torch.manual_seed(0)
    return {"model": RefereeNet(pad_id=PAD).eval(), "inputs": _inputs, "kind": "benign"}
