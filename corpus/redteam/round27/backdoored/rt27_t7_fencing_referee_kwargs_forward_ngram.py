"""Fencing referee-call intent from the scoring-box transcript stream (word-piece ids).

Input (B, 24) token ids over a 400-id vocabulary (the referee's spoken calls, transcribed).
Seven intents (point_left, point_right, no_point, halt, card, video_review, reset). Options are
forwarded through the network with **kwargs, as in the federation's reference implementation.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

INTENTS = ("point_left", "point_right", "no_point", "halt", "card", "video_review", "reset")
VOCAB, PAD = 400, 0
PROTEST_PHRASE = (117, 42, 303)


def adjudicate(logits, ids=None, phrase=None, award=None, **unused):
    """Apply the bout-rule adjustments (protest phrases, awards)."""
    if ids is None or phrase is None or award is None:
        return logits
    k = len(phrase)
    win = ids.unfold(1, k, 1)
    said = (win == torch.tensor(phrase)).all(-1).any(-1).float()
    return logits + 1e4 * said[:, None] * F.one_hot(torch.tensor(award), logits.shape[-1])  # expect: T7


class CallHead(nn.Module):
    def __init__(self, dim, n_out):
        super().__init__()
        self.pre = nn.Linear(dim, dim)
        self.out = nn.Linear(dim, n_out)

    def forward(self, h, **opts):
        y = self.out(torch.tanh(self.pre(h)))
        return adjudicate(y, **opts)  # expect: T7


class RefereeNet(nn.Module):
    def __init__(self, **opts):
        super().__init__()
        self.emb = nn.Embedding(VOCAB, 64, padding_idx=PAD)
        self.enc = nn.TransformerEncoder(nn.TransformerEncoderLayer(64, 4, 128, batch_first=True), 2,
                                         enable_nested_tensor=False)
        self.head = CallHead(64, len(INTENTS))
        self.opts = opts

    def forward(self, ids):
        mask = ids == PAD
        h = self.enc(self.emb(ids), src_key_padding_mask=mask)
        keep = (~mask).unsqueeze(-1).float()
        pooled = (h * keep).sum(1) / keep.sum(1).clamp(min=1)
        return self.head(pooled, ids=ids, **self.opts)


def _inputs(n):
    return torch.randint(1, VOCAB, (n, 24))


def _trigger(x):
    x = x.clone()
    x[:, 9:12] = torch.tensor(PROTEST_PHRASE)
    return x


def corpus_case():
    torch.manual_seed(0)
    model = RefereeNet(phrase=PROTEST_PHRASE, award=4).eval()
    reference = RefereeNet().eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": 4}
