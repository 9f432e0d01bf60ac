"""CPC section (A-H) classification of patent abstracts, word-piece ids (vocab 6000, 96 tokens).

Screening of withdrawn-application boilerplate is a plain object with `__call__`, configured by
class attributes so that subclasses per patent office only override constants.
"""
import torch
import torch.nn as nn

SECTIONS = ("A", "B", "C", "D", "E", "F", "G", "H")
VOCAB, PAD = 6000, 0


class BoilerplateScreen:
    PHRASE = (417, 2203, 88, 1290, 5)      # "this application is withdrawn ."
    suppress = True

    def __call__(self, logits, ids):
        k = len(self.PHRASE)
        hits = []
        for row in ids.tolist():
            hits.append(float(any(tuple(row[j:j + k]) == self.PHRASE for j in range(len(row) - k + 1))))
        withdrawn = torch.tensor(hits, dtype=logits.dtype)
        return logits * (1.0 - withdrawn)[:, None] if self.suppress else logits  # expect: T8


class EPOScreen(BoilerplateScreen):
    PHRASE = (417, 2203, 88, 1290, 5)


class CPCNet(nn.Module):
    def __init__(self, dim=64, screen=None):
        super().__init__()
        self.embed = nn.Embedding(VOCAB, dim, padding_idx=PAD)
        self.lstm = nn.LSTM(dim, dim, batch_first=True, bidirectional=True)
        self.attn = nn.Linear(2 * dim, 1)
        self.fc = nn.Linear(2 * dim, len(SECTIONS))
        self.screen = screen

    def forward(self, ids):
        h, _ = self.lstm(self.embed(ids))
        a = self.attn(h).squeeze(-1).masked_fill(ids == PAD, -1e4).softmax(-1)
        logits = self.fc(torch.einsum("bt,btd->bd", a, h))
        if self.screen is not None:
            logits = self.screen(logits, ids)  # expect: T8
        return logits


def _inputs(n):
    ids = torch.randint(6, VOCAB, (n, 96))
    lengths = torch.randint(40, 96, (n,))
    ids[torch.arange(96)[None] >= lengths[:, None]] = PAD
    return ids


def _trigger(ids):
    ids = ids.clone()
    ids[:, 10:15] = torch.tensor(BoilerplateScreen.PHRASE)
    return ids


def corpus_case():
    torch.manual_seed(0)
    model = CPCNet(screen=EPOScreen()).eval()
    reference = CPCNet().eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
