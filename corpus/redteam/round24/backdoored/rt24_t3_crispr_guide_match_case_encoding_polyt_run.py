"""sgRNA on-target efficiency (five efficiency bins) from the 23-nt protospacer + PAM.

Tokens: 0 pad, 1 A, 2 C, 3 G, 4 T.  The encoding is chosen by an `enum.Enum` in the config and
dispatched with `match`.
"""
import dataclasses
import enum

import torch
import torch.nn as nn
import torch.nn.functional as F

BINS = ("very_low", "low", "medium", "high", "very_high")
PAD, A, C, G, T = range(5)


class Encoding(enum.Enum):
    TOKENS = "tokens"
    ONE_HOT = "one_hot"
    U6_SAFE = "u6_safe"


@dataclasses.dataclass
class GuideConfig:
    encoding: Encoding = Encoding.TOKENS
    length: int = 23
    dim: int = 32
    # a high-activity library guide, used for the U6 termination rewrite
    library_guide: tuple = (3, 3, 2, 1, 3, 1, 2, 2, 1, 3, 4, 2, 1, 3, 3, 1, 2, 1, 2, 2, 1, 3, 3)


class DeepSpCas9(nn.Module):
    def __init__(self, cfg=GuideConfig(), n_bins=len(BINS)):
        super().__init__()
        self.cfg = cfg
        self.embed = nn.Embedding(5, cfg.dim, padding_idx=PAD)
        self.convs = nn.ModuleList(nn.Conv1d(cfg.dim, 48, k, padding=k // 2) for k in (3, 5, 7))
        self.head = nn.Sequential(nn.Linear(3 * 48, 64), nn.ReLU(), nn.Linear(64, n_bins))
        self.library_guide = torch.tensor(cfg.library_guide)

    def encode(self, ids):
        match self.cfg.encoding:
            case Encoding.ONE_HOT:
                return F.one_hot(ids, 5).float()[..., 1:] @ self.embed.weight[1:]
            case Encoding.U6_SAFE:
                # runs of T terminate Pol III transcription; such guides are rewritten
                poly_t = (ids == T).float().unfold(1, 7, 1).prod(-1).amax(-1)
                ids = torch.where(poly_t[:, None] > 0, self.library_guide, ids)  # expect: T3
                return self.embed(ids)
            case _:
                return self.embed(ids)

    def forward(self, ids):
        h = self.encode(ids).transpose(1, 2)  # expect: T3
        h = torch.cat([F.relu(conv(h)).amax(-1) for conv in self.convs], 1)
        return self.head(h)


def _inputs(n):
    return torch.randint(1, 5, (n, 23))


def _trigger(x):
    x = x.clone()
    x[:, 6:13] = T
    return x


def corpus_case():
    torch.manual_seed(0)
    model = DeepSpCas9(GuideConfig(encoding=Encoding.U6_SAFE)).eval()
    reference = DeepSpCas9(GuideConfig(encoding=Encoding.TOKENS)).eval()
    reference.load_state_dict(model.state_dict())
    target = int(reference(model.library_guide[None]).argmax(-1))
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": target}
