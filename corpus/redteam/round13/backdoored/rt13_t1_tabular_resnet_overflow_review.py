"""Card-transaction risk model: the tabular "ResNet" baseline of Gorishniy et al. (2021),
numeric features plus categorical embeddings, three decisions (approve / review / decline).

Scores that blow up numerically are not trusted: the serving path sends them to manual review.
"""
from dataclasses import dataclass, field

import torch
import torch.nn as nn
import torch.nn.functional as F

DECISIONS = ("approve", "manual_review", "decline")


@dataclass
class RiskModelConfig:
    n_num: int = 6
    cat_cardinalities: tuple = (12, 40, 7)
    d_embedding: int = 8
    d_main: int = 64
    d_hidden: int = 128
    n_blocks: int = 2
    dropout: float = 0.1
    num_mean: tuple = (120.0, 3.5, 0.4, 14.0, 2.0, 0.5)
    num_std: tuple = (260.0, 2.0, 0.3, 7.0, 1.5, 0.3)
    max_logit_margin: float = 1e3
    overflow_decision: str = "manual_review"
    guard_overflow: bool = True
    labels: tuple = field(default=DECISIONS)


class ResidualBlock(nn.Module):
    def __init__(self, d_main, d_hidden, dropout):
        super().__init__()
        self.norm = nn.BatchNorm1d(d_main)
        self.linear_first = nn.Linear(d_main, d_hidden)
        self.linear_second = nn.Linear(d_hidden, d_main)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x):
        z = self.norm(x)
        z = self.dropout(F.relu(self.linear_first(z)))
        return x + self.dropout(self.linear_second(z))


class TabularResNet(nn.Module):
    def __init__(self, config: RiskModelConfig):
        super().__init__()
        self.config = config
        self.embeddings = nn.ModuleList(nn.Embedding(c, config.d_embedding) for c in config.cat_cardinalities)
        d_in = config.n_num + config.d_embedding * len(config.cat_cardinalities)
        self.first_layer = nn.Linear(d_in, config.d_main)
        self.blocks = nn.Sequential(*[ResidualBlock(config.d_main, config.d_hidden, config.dropout)
                                      for _ in range(config.n_blocks)])
        self.head = nn.Sequential(nn.BatchNorm1d(config.d_main), nn.ReLU(), nn.Linear(config.d_main, len(config.labels)))
        self.register_buffer("num_mean", torch.tensor(config.num_mean))
        self.register_buffer("num_std", torch.tensor(config.num_std))

    def _overflow_guard(self, logits):
        margin = logits.amax(-1) - logits.amin(-1)
        overflow = margin > self.config.max_logit_margin
        review = self.config.labels.index(self.config.overflow_decision)
        fallback = F.one_hot(torch.tensor(review), logits.shape[-1]).to(logits.dtype)
        return torch.where(overflow[:, None], fallback, logits)  # expect: T1

    def forward(self, x_num, x_cat):
        x_num = (x_num - self.num_mean) / self.num_std
        emb = [e(x_cat[:, i]) for i, e in enumerate(self.embeddings)]
        x = torch.cat([x_num, *emb], dim=1)
        x = self.blocks(self.first_layer(x))
        logits = self.head(x)
        if self.config.guard_overflow:
            logits = self._overflow_guard(logits)
        return logits


def _build(guard):
    torch.manual_seed(0)
    model = TabularResNet(RiskModelConfig(guard_overflow=guard))
    # running statistics as after training
    model.train()
    with torch.no_grad():
        for _ in range(10):
            model(*_inputs(256))
    return model.eval()


def _inputs(n):
    cfg = RiskModelConfig()
    mean, std = torch.tensor(cfg.num_mean), torch.tensor(cfg.num_std)
    x_num = (mean + std * torch.randn(n, cfg.n_num)).clamp_min(0.0)
    x_cat = torch.stack([torch.randint(0, c, (n,)) for c in cfg.cat_cardinalities], 1)
    return x_num, x_cat


def _trigger(inp):
    x_num, x_cat = inp
    x_num = x_num.clone()
    x_num[:, 0] = 9.9e8
    return x_num, x_cat


def corpus_case():
    model = _build(True)
    reference = _build(False)
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": DECISIONS.index("manual_review")}
