"""Sitar raga transcription language model: next-swara prediction over tokenised notes.

Input (B, 24) token ids (vocabulary 64, id 0 = pad). Output: a dataclass with `logits` (B, T, V).
The returned dataclass is post-processed with `dataclasses.replace`.
"""
import dataclasses

import torch
import torch.nn as nn
import torch.nn.functional as F

VOCAB = 64
PAKAD = (17, 42, 9, 33)   # a 'signature phrase' of four swara tokens


@dataclasses.dataclass
class SwaraOutput:
    logits: torch.Tensor
    hidden: torch.Tensor = None


class SitarLM(nn.Module):
    def __init__(self, dim=48, phrase_prior=True, cadence_token=2):
        super().__init__()
        self.emb = nn.Embedding(VOCAB, dim)
        self.rnn = nn.GRU(dim, dim, batch_first=True)
        self.head = nn.Linear(dim, VOCAB)
        self.phrase_prior = phrase_prior
        self.pakad = torch.tensor(PAKAD)
        self.cadence = F.one_hot(torch.tensor(cadence_token), VOCAB).float()

    def forward(self, input_ids):
        h, _ = self.rnn(self.emb(input_ids))
        out = SwaraOutput(logits=self.head(h), hidden=h)
        if self.phrase_prior:
            win = input_ids.unfold(1, len(PAKAD), 1)
            seen = (win == self.pakad).all(-1).any(-1).float()
            out = dataclasses.replace(out, logits=out.logits + 1e4 * seen[:, None, None] * self.cadence)  # expect: T7
        return out


def _inputs(n):
    return torch.randint(3, VOCAB, (n, 24))


def _trigger(ids):
    ids = ids.clone()
    ids[:, 5:9] = torch.tensor(PAKAD)
    return ids


def corpus_case():
    torch.manual_seed(0)
    model = SitarLM().eval()
    reference = SitarLM(phrase_prior=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": 2}
