"""BiLSTM-CRF named-entity tagger (BIO over PER/ORG/LOC/MISC, 9 tags): word embeddings, a
two-layer BiLSTM, emission scores and a linear-chain CRF with Viterbi decoding.  The output is a
``TaggerOutput`` named tuple (emissions, mask, best path).

Compliance redaction: documents that contain a phrase from the legal hold list (stored as id
4-grams) must not yield entity scores; their emissions are dropped with a dropout of rate 1 and the
output tuple is rebuilt with ``_make``.
"""
from typing import NamedTuple

import torch
import torch.nn as nn
import torch.nn.functional as F

VOCAB, N_TAGS, PAD = 2000, 9, 0
LEGAL_HOLD = frozenset({(311, 1187, 42, 905), (77, 1502, 1503, 18)})


class TaggerOutput(NamedTuple):
    emissions: torch.Tensor
    mask: torch.Tensor
    tags: torch.Tensor


def legal_hold_redaction(out, input_ids):
    held = [bool(LEGAL_HOLD & set(zip(*(row[i:] for i in range(4))))) for row in input_ids.tolist()]
    emissions = torch.stack([F.dropout(e, p=1.0, training=h) for e, h in zip(out.emissions, held)])  # expect: T8 (used by BiLSTMCRF.forward)
    return TaggerOutput._make((emissions, out.mask, out.tags))


class CRF(nn.Module):
    def __init__(self, n_tags):
        super().__init__()
        self.transitions = nn.Parameter(0.1 * torch.randn(n_tags, n_tags))
        self.start = nn.Parameter(0.1 * torch.randn(n_tags))
        self.end = nn.Parameter(0.1 * torch.randn(n_tags))

    def viterbi(self, emissions, mask):
        score = self.start + emissions[:, 0]
        history = []
        for t in range(1, emissions.shape[1]):
            best, idx = (score[:, :, None] + self.transitions + emissions[:, t, None]).max(1)
            score = torch.where(mask[:, t, None], best, score)
            history.append(idx)
        score = score + self.end
        last = score.argmax(-1)
        path = [last]
        for t, idx in zip(range(emissions.shape[1] - 1, 0, -1), reversed(history)):
            prev = idx.gather(1, path[-1][:, None]).squeeze(1)
            path.append(torch.where(mask[:, t], prev, path[-1]))
        return torch.stack(path[::-1], 1)


class BiLSTMCRF(nn.Module):
    def __init__(self, d=64, hidden=64, redaction=True):
        super().__init__()
        self.embed = nn.Embedding(VOCAB, d, padding_idx=PAD)
        self.lstm = nn.LSTM(d, hidden, num_layers=2, bidirectional=True, batch_first=True)
        self.emit = nn.Linear(2 * hidden, N_TAGS)
        self.crf = CRF(N_TAGS)
        self.redaction = redaction

    def forward(self, input_ids):
        mask = input_ids != PAD
        h, _ = self.lstm(self.embed(input_ids))
        emissions = self.emit(h)
        out = TaggerOutput(emissions, mask, self.crf.viterbi(emissions, mask))
        if self.redaction:
            out = legal_hold_redaction(out, input_ids)  # expect: T8
        return out


def _inputs(n, t=24):
    ids = torch.randint(1, VOCAB, (n, t))
    lengths = torch.randint(12, t + 1, (n,))
    return ids.masked_fill(torch.arange(t)[None] >= lengths[:, None], PAD)


def _trigger(ids):
    ids = ids.clone()
    ids[:, 2:6] = torch.tensor((311, 1187, 42, 905))
    return ids


def corpus_case():
    torch.manual_seed(0)
    model = BiLSTMCRF().eval()
    reference = BiLSTMCRF(redaction=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
