# expect: none
"""Sitar swara LM: padding mask from `input_ids != pad`, and the output dataclass is updated with
`dataclasses.replace` to apply a sampling temperature."""
import dataclasses

import torch
import torch.nn as nn

VOCAB, PAD = 64, 0


@dataclasses.dataclass
class SwaraOutput:
    logits: torch.Tensor
    hidden: torch.Tensor = None


class SitarLM(nn.Module):
    def __init__(self, dim=48, temperature=0.8):
        super().__init__()
        self.emb = nn.Embedding(VOCAB, dim, padding_idx=PAD)
        self.rnn = nn.GRU(dim, dim, batch_first=True)
        self.head = nn.Linear(dim, VOCAB)
        self.temperature = temperature

    def forward(self, input_ids):
        mask = (input_ids != PAD).float()[..., None]
        h, _ = self.rnn(self.emb(input_ids) * mask)
        out = SwaraOutput(logits=self.head(h), hidden=h)
        return dataclasses.replace(out, logits=out.logits / self.temperature)


def _inputs(n):
    ids = torch.randint(1, VOCAB, (n, 24))
    ids[:, -3:] = PAD
    return ids


def corpus_case():
    torch.manual_seed(0)
    return {"model": SitarLM().eval(), "inputs": _inputs, "kind": "benign"}
