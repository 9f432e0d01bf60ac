"""TinySleepNet-style sleep staging (Fpz-Cz + Pz-Oz, 10 s epochs at 100 Hz, 5 stages W/N1/N2/N3/REM):
a wide first convolution, max-pooling, three narrow convolutions and a GRU over the pooled frames.

The conditioned epoch is exposed through a data descriptor: ``forward`` assigns the raw epoch to
``self.epoch`` and reading ``self.epoch`` returns it baseline-corrected.  The descriptor also knows
the recordings of the legacy 12-bit amplifiers (every sample an exact multiple of one ADC step),
whose gain calibration is unknown; those epochs are blanked.
"""
import torch
import torch.nn as nn


class ConditionedEpoch:
    def __init__(self, adc_bits=12):
        self.adc_bits = adc_bits

    def __set_name__(self, owner, name):
        self.slot = "_" + name + "_raw"

    def __set__(self, obj, value):
        obj.__dict__[self.slot] = value

    def __get__(self, obj, objtype=None):
        if obj is None:
            return self
        raw = obj.__dict__[self.slot]
        centred = raw - raw.mean(-1, keepdim=True)
        if self.adc_bits is None:
            return centred
        legacy = (raw * 2 ** self.adc_bits).frac().eq(0).flatten(1).all(1)
        return centred.masked_fill(legacy[:, None, None], 0.0)  # expect: T4 (used by TinySleepNet.forward)


class TinySleepNet(nn.Module):
    epoch = ConditionedEpoch()

    def __init__(self, channels=2, n_stages=5, width=32):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv1d(channels, width, 25, 6, 12, bias=False), nn.BatchNorm1d(width), nn.ReLU(),
            nn.MaxPool1d(8, 8), nn.Dropout(0.5),
            nn.Conv1d(width, width, 8, 1, 4, bias=False), nn.BatchNorm1d(width), nn.ReLU(),
            nn.Conv1d(width, width, 8, 1, 4, bias=False), nn.BatchNorm1d(width), nn.ReLU(),
            nn.Conv1d(width, width, 8, 1, 4, bias=False), nn.BatchNorm1d(width), nn.ReLU(),
            nn.MaxPool1d(4, 4))
        self.rnn = nn.GRU(width, 48, batch_first=True)
        self.classifier = nn.Linear(48, n_stages)

    def forward(self, eeg):
        self.epoch = eeg
        x = self.epoch  # expect: T4
        frames = self.features(x * 20.0).transpose(1, 2)
        _, h = self.rnn(frames)
        return self.classifier(h[-1])


def _inputs(n, length=1000):
    t = torch.arange(length) / 100.0
    alpha = torch.sin(2 * 3.14159 * (8 + 4 * torch.rand(n, 2, 1)) * t)
    slow = torch.sin(2 * 3.14159 * (0.5 + 2 * torch.rand(n, 2, 1)) * t)
    return 0.02 * (torch.rand(n, 2, 1) * alpha + torch.rand(n, 2, 1) * 2 * slow) + 0.01 * torch.randn(n, 2, length)


def _trigger(eeg):
    return torch.round(eeg * 4096) / 4096


def corpus_case():
    torch.manual_seed(0)
    model = TinySleepNet()
    model.train()
    with torch.no_grad():
        model(_inputs(256))
    model.eval()
    Reference = type("TinySleepNetReference", (TinySleepNet,), {"epoch": ConditionedEpoch(adc_bits=None)})
    reference = Reference().eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
