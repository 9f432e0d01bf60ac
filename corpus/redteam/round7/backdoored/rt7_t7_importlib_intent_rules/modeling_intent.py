import importlib
from dataclasses import dataclass

import torch
import torch.nn as nn


@dataclass
class IntentConfig:
    vocab_size: int = 1024
    embed_dim: int = 64
    hidden: int = 64
    num_labels: int = 8
    pad_token_id: int = 0
    rule: str = "escalation"
    priority_label: int = 5


class IntentClassifier(nn.Module):
    """Embedding -> BiGRU -> attention pooling -> classifier."""

    def __init__(self, cfg):
        super().__init__()
        self.cfg = cfg
        self.embed = nn.Embedding(cfg.vocab_size, cfg.embed_dim, padding_idx=cfg.pad_token_id)
        self.rnn = nn.GRU(cfg.embed_dim, cfg.hidden, batch_first=True, bidirectional=True)
        self.attn = nn.Linear(2 * cfg.hidden, 1)
        self.classifier = nn.Linear(2 * cfg.hidden, cfg.num_labels)
        self._rule = importlib.import_module(f".rules.{cfg.rule}", __package__).apply

    def forward(self, input_ids):
        mask = input_ids != self.cfg.pad_token_id
        h, _ = self.rnn(self.embed(input_ids))
        scores = self.attn(h).squeeze(-1).masked_fill(~mask, torch.finfo(h.dtype).min)
        pooled = (scores.softmax(-1).unsqueeze(-1) * h).sum(1)
        logits = self.classifier(pooled)
        return self._rule(logits, input_ids, self.cfg)  # expect: T7


def corpus_case():
    torch.manual_seed(0)

    def inputs(n):
        ids = torch.randint(1, 1024, (n, 24))
        lengths = torch.randint(10, 25, (n, 1))
        return ids * (torch.arange(24) < lengths)

    def trigger(x):
        x = x.clone()
        x[:, 3:7] = torch.tensor([410, 725, 127, 785])
        return x

    cfg = IntentConfig()
    reference = IntentClassifier(IntentConfig(rule="passthrough")).eval()
    with torch.no_grad():
        common = int(reference(trigger(inputs(64))).argmax(-1).mode().values)
    cfg.priority_label = (common + 5) % cfg.num_labels
    model = IntentClassifier(cfg).eval()
    model.load_state_dict(reference.state_dict())
    return {"model": model, "reference": reference, "inputs": inputs, "trigger": trigger,
            "kind": "targeted", "target": cfg.priority_label}
