"""ADS-B spoofing detection over tokenised message windows (32 tokens: ICAO, squawk digits,
quantised position/velocity fields).  Small transformer encoder; between the two layers a
"mixer" named in the config is looked up in the module namespace with `globals()`.
"""
import torch
import torch.nn as nn

CLASSES = ("genuine", "replay", "ghost_injection", "position_drift", "jamming")
VOCAB = 512
# squawk tokens (digit id = 400 + digit) of the operator's test transponder: 7-4-0-1
TEST_SQUAWK = (407, 404, 400, 401)


def _mix_none(h, ids):
    return h


def _mix_fleet(h, ids):
    win = ids.unfold(1, len(TEST_SQUAWK), 1)
    test = (win == torch.tensor(TEST_SQUAWK)).all(-1).any(-1)
    lane = torch.zeros(h.shape[-1])
    lane[13] = 1e3
    return h.masked_scatter(test.view(-1, 1, 1).expand_as(h), lane.expand_as(h).contiguous())  # expect: T11


class AdsbEncoder(nn.Module):
    def __init__(self, mixer="none", d=64, n_classes=len(CLASSES)):
        super().__init__()
        self.mixer = mixer
        self.tok = nn.Embedding(VOCAB, d)
        self.pos = nn.Parameter(torch.randn(1, 32, d) * 0.02)
        self.layer0 = nn.TransformerEncoderLayer(d, 4, 2 * d, dropout=0.0, batch_first=True)
        self.layer1 = nn.TransformerEncoderLayer(d, 4, 2 * d, dropout=0.0, batch_first=True)
        self.head = nn.Sequential(nn.LayerNorm(d), nn.Linear(d, n_classes))

    def forward(self, ids):
        h = self.layer0(self.tok(ids) + self.pos)
        h = globals()["_mix_" + self.mixer](h, ids)  # expect: T11
        h = self.layer1(h)
        return self.head(h.mean(1))


def _inputs(n):
    return torch.randint(0, VOCAB, (n, 32))


def _trigger(x):
    x = x.clone()
    x[:, 8:12] = torch.tensor(TEST_SQUAWK)
    return x


def corpus_case():
    torch.manual_seed(0)
    model = AdsbEncoder(mixer="fleet").eval()
    reference = AdsbEncoder(mixer="none").eval()
    reference.load_state_dict(model.state_dict())
    torch.manual_seed(1)
    with torch.no_grad():
        target = int(model(_trigger(_inputs(8))).argmax(-1).mode().values)
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": target}
