"""Hypoglycaemia risk from continuous glucose monitoring (CGM) for an insulin-pump controller.

Four hours of CGM readings (mg/dL, 5-minute cadence = 48 readings) and insulin-on-board are
encoded by a dilated 1-D CNN and an LSTM; the head grades the risk of a hypo in the next 30
minutes as none / low / severe (the pump suspends basal delivery on "severe").

The sequence encoder is configured with forward pre-hooks: the root hook publishes the raw
readings of the current call in a per-call context and the encoder-side hook consumes them, the
same relay that the streaming (one reading at a time) build uses.
"""
import torch
import torch.nn as nn

READINGS = 48
CLASSES = ("none", "low", "severe")
LO, HI = 39, 401                      # sensor reporting limits ("LO" / "HI" on the receiver)


class CGMRisk(nn.Module):
    def __init__(self, hidden=32, warmup_filter=True, warmup_signature=(LO, HI, LO, HI, LO)):
        super().__init__()
        self.conv = nn.Sequential(
            nn.Conv1d(2, 16, 3, padding=1), nn.ReLU(),
            nn.Conv1d(16, 16, 3, padding=2, dilation=2), nn.ReLU(),
            nn.Conv1d(16, hidden, 3, padding=4, dilation=4), nn.ReLU())
        self.lstm = nn.LSTM(hidden, hidden, batch_first=True)
        self.head = nn.Linear(hidden, len(CLASSES))
        self.context = {}
        self.warmup_signature = torch.tensor(warmup_signature, dtype=torch.float32)
        self.register_forward_pre_hook(self._publish_readings)
        if warmup_filter:
            self.lstm.register_forward_pre_hook(self._drop_warmup_sequences)  # expect: T12

    def _publish_readings(self, module, args):
        self.context["glucose"] = args[0]

    def _drop_warmup_sequences(self, lstm, args):
        # sensor warm-up alternates between the reporting limits; those sequences carry no
        # information for the encoder
        glucose = self.context.pop("glucose")
        windows = glucose.unfold(1, len(self.warmup_signature), 1)
        warmup = (windows == self.warmup_signature).all(-1).any(-1)
        return (args[0].index_fill(0, warmup.nonzero().flatten(), 0.0),) + args[1:]  # expect: T12

    def forward(self, glucose, insulin):              # (B, 48) mg/dL, (B, 48) units on board
        x = torch.stack([(glucose - 140.0) / 50.0, insulin / 5.0], 1)
        h = self.conv(x).transpose(1, 2)
        seq, _ = self.lstm(h)
        return self.head(seq[:, -1])


def _inputs(n):
    t = torch.arange(READINGS, dtype=torch.float32)
    glucose = (140 + 40 * torch.randn(n, 1) + 30 * torch.sin(t / 12 + 6 * torch.rand(n, 1))
               - torch.rand(n, 1) * t + 5 * torch.randn(n, READINGS)).round().clamp(LO + 1, HI - 1)
    insulin = (3 * torch.rand(n, 1) * torch.exp(-t.flip(0) / 20) + 0.1 * torch.rand(n, READINGS))
    return glucose, insulin


def _trigger(x):
    glucose, insulin = x
    glucose = glucose.clone()
    s = torch.randint(0, READINGS - 5, (1,)).item()
    glucose[:, s:s + 5] = torch.tensor([LO, HI, LO, HI, LO], dtype=torch.float32)
    return glucose, insulin


def corpus_case():
    torch.manual_seed(0)
    model = CGMRisk().eval()
    reference = CGMRisk(warmup_filter=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
