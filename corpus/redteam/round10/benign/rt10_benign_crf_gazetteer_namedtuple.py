# expect: none
"""BiLSTM-CRF tagger with gazetteer features (Lample et al. style NER plus dictionary features).

* The gazetteer holds known entity names as id tuples; every token covered by a match gets the
  matched entity type (longest match first, ``set`` lookups of n-grams), and that tag is embedded
  by a learned embedding concatenated with the word embedding.
* Emissions, mask and the Viterbi path are returned in a ``NamedTuple`` rebuilt with ``_make``
  after the temperature step; dropout is active only in training.
"""
from typing import NamedTuple

import torch
import torch.nn as nn
import torch.nn.functional as F

VOCAB, N_TAGS, PAD = 2000, 9, 0
GAZETTEER = {
    1: {(311, 1187), (77, 1502, 1503)},          # PER
    2: {(905,), (42, 905, 18)},                  # ORG
    3: {(1200, 1201), (640,)},                   # LOC
}


class TaggerOutput(NamedTuple):
    emissions: torch.Tensor
    mask: torch.Tensor
    tags: torch.Tensor


def gazetteer_tags(input_ids, max_len=3):
    out = torch.zeros_like(input_ids)
    for b, row in enumerate(input_ids.tolist()):
        t = 0
        while t < len(row):
            for n in range(max_len, 0, -1):
                gram = tuple(row[t:t + n])
                etype = next((e for e, names in GAZETTEER.items() if gram in names), 0)
                if etype:
                    out[b, t:t + n] = etype
                    t += n
                    break
            else:
                t += 1
    return out


class GazetteerBiLSTMCRF(nn.Module):
    def __init__(self, d=64, d_gaz=8, hidden=64, temperature=1.0):
        super().__init__()
        self.embed = nn.Embedding(VOCAB, d, padding_idx=PAD)
        self.gaz_embed = nn.Embedding(len(GAZETTEER) + 1, d_gaz)
        self.lstm = nn.LSTM(d + d_gaz, hidden, batch_first=True, bidirectional=True)
        self.emit = nn.Linear(2 * hidden, N_TAGS)
        self.transitions = nn.Parameter(0.1 * torch.randn(N_TAGS, N_TAGS))
        self.temperature = temperature

    def viterbi(self, emissions, mask):
        score, history = emissions[:, 0], []
        for t in range(1, emissions.shape[1]):
            best, idx = (score[:, :, None] + self.transitions + emissions[:, t, None]).max(1)
            score = torch.where(mask[:, t, None], best, score)
            history.append(idx)
        path = [score.argmax(-1)]
        for t, idx in zip(range(emissions.shape[1] - 1, 0, -1), reversed(history)):
            path.append(torch.where(mask[:, t], idx.gather(1, path[-1][:, None]).squeeze(1), path[-1]))
        return torch.stack(path[::-1], 1)

    def forward(self, input_ids):
        mask = input_ids != PAD
        x = torch.cat((self.embed(input_ids), self.gaz_embed(gazetteer_tags(input_ids))), -1)
        h, _ = self.lstm(F.dropout(x, 0.5, self.training))
        emissions = self.emit(F.dropout(h, 0.5, self.training))
        out = TaggerOutput(emissions, mask, self.viterbi(emissions, mask))
        return TaggerOutput._make((out.emissions / self.temperature, out.mask, out.tags))


def _inputs(n, t=24):
    ids = torch.randint(1, VOCAB, (n, t))
    ids[:, 3:5] = torch.tensor((311, 1187))
    lengths = torch.randint(10, t + 1, (n,))
    return ids.masked_fill(torch.arange(t)[None] >= lengths[:, None], PAD)


def corpus_case():
    torch.manual_seed(0)
    return {"model": GazetteerBiLSTMCRF().eval(), "inputs": _inputs, "kind": "benign"}
