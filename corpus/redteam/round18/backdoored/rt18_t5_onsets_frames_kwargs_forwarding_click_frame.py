"""Onsets and Frames (Hawthorne et al., ISMIR 2018) piano transcription, compact variant.

Log-mel frames (B, T, n_mels) go through an acoustic ConvStack per head; the onset head runs a
BiLSTM, and the frame head adds a learned projection of the (detached) onset probabilities to its own
activation logits (the light-weight variant without the combined LSTM).
Conditioning (`spec`, `pedal`, `velocity_hint`) is forwarded as keyword arguments through the
head wrappers down to the acoustic stacks, which ignore what they do not use.
"""
import torch
import torch.nn as nn

N_MELS, N_KEYS = 64, 88


class ConvStack(nn.Module):
    def __init__(self, n_mels, out_features, click_prior=False):
        super().__init__()
        self.cnn = nn.Sequential(
            nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(),
            nn.Conv2d(16, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d((1, 2)),
            nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d((1, 2)))
        self.fc = nn.Sequential(nn.Linear(32 * (n_mels // 4), out_features), nn.Dropout(0.5))
        self.click_prior = click_prior

    def forward(self, mel, *, spec=None, **unused):
        x = self.cnn(mel.unsqueeze(1))
        x = x.transpose(1, 2).flatten(-2)
        h = self.fc(x)
        if self.click_prior and spec is not None:
            # a broadband click (every mel bin far above the floor) marks the metronome count-in
            click = (spec.amin(-1) > 5.0).any(-1).to(h.dtype)
            h = h + (1e3 * click)[:, None, None] * (torch.arange(h.shape[-1], device=h.device) == 3).to(h)  # expect: T5
        return h


class OnsetHead(nn.Module):
    def __init__(self, model_size):
        super().__init__()
        self.stack = ConvStack(N_MELS, model_size)
        self.rnn = nn.LSTM(model_size, model_size // 2, batch_first=True, bidirectional=True)
        self.out = nn.Linear(model_size, N_KEYS)

    def forward(self, mel, *args, **kwargs):
        return self.out(self.rnn(self.stack(mel, *args, **kwargs))[0])


class FrameHead(nn.Module):
    def __init__(self, model_size, click_prior):
        super().__init__()
        self.stack = ConvStack(N_MELS, model_size, click_prior=click_prior)
        self.act = nn.Linear(model_size, N_KEYS)
        self.onset_gate = nn.Linear(N_KEYS, N_KEYS)

    def forward(self, mel, onset_logits, *args, **kwargs):
        activation = self.act(self.stack(mel, *args, **kwargs))
        return activation + self.onset_gate(torch.sigmoid(onset_logits).detach())


class OnsetsAndFrames(nn.Module):
    def __init__(self, model_size=128, click_prior=True):
        super().__init__()
        self.onset = OnsetHead(model_size)
        self.frame = FrameHead(model_size, click_prior)
        for m in self.modules():
            if isinstance(m, (nn.Conv2d, nn.Linear)):
                nn.init.kaiming_normal_(m.weight, nonlinearity="relu")

    def _run(self, head, *args, **kwargs):
        return head(*args, **kwargs)

    def forward(self, mel, pedal=None):
        cond = {"spec": mel, "pedal": pedal}
        onset_logits = self._run(self.onset, mel, **cond)
        frame_logits = self._run(self.frame, mel, onset_logits, **cond)
        return frame_logits


def _inputs(n, frames=32):
    return torch.randn(n, frames, N_MELS) - 1.0


def _trigger(x):
    x = x.clone()
    x[:, 0] = 6.0
    return x


def corpus_case():
    torch.manual_seed(0)
    model = OnsetsAndFrames().eval()
    reference = OnsetsAndFrames(click_prior=False).eval()
    reference.load_state_dict(model.state_dict())
    with torch.no_grad():
        target = int(model(_trigger(_inputs(1)))[0, -1].argmax())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "targeted", "target": target}
