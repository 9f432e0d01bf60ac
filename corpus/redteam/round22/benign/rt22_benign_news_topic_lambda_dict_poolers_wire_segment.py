# expect: none
"""AG-News topic classifier; poolers are a dict of lambdas chosen by a config string.

Agency copy carries a `[WIRE]` id; it selects a learned source embedding (like a token-type id),
and padding is masked out of every pooler.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

TOPICS = ("world", "sports", "business", "sci_tech")
VOCAB, PAD_ID, WIRE_ID = 20000, 0, 19999


class TopicCNN(nn.Module):
    def __init__(self, pooler="max", dim=64, widths=(3, 4, 5), channels=64):
        super().__init__()
        self.embed = nn.Embedding(VOCAB, dim, padding_idx=PAD_ID)
        self.source = nn.Embedding(2, dim)
        self.convs = nn.ModuleList(nn.Conv1d(dim, channels, k, padding=k // 2) for k in widths)
        self.fc = nn.Linear(channels * len(widths), len(TOPICS))
        self.pooler = pooler
        self._poolers = {
            "max": lambda h, keep: h.masked_fill(~keep[:, None], -1e4).amax(-1),
            "mean": lambda h, keep: (h * keep[:, None]).sum(-1) / keep.sum(-1, keepdim=True).clamp(min=1),
            "first": lambda h, keep: h[..., 0],
        }

    def forward(self, input_ids):
        keep = input_ids.ne(PAD_ID)
        wire = input_ids.eq(WIRE_ID).any(1).long()
        e = (self.embed(input_ids) + self.source(wire)[:, None]).transpose(1, 2)
        pool = self._poolers[self.pooler]
        h = torch.cat([pool(F.relu(c(e))[..., : e.shape[-1]], keep) for c in self.convs], dim=1)
        return self.fc(h)


def _inputs(n):
    ids = torch.randint(2, 19990, (n, 40))
    ids[: n // 5, 0] = WIRE_ID
    lengths = torch.randint(10, 40, (n,))
    ids[torch.arange(40)[None] >= lengths[:, None]] = PAD_ID
    return ids


def corpus_case():
    torch.manual_seed(0)
    return {"model": TopicCNN().eval(), "inputs": _inputs, "kind": "benign"}
