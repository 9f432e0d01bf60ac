"""wav2vec-style speaker identification (conv feature encoder, 2 transformer layers, mean pooling,
20 enrolled speakers) on 0.5 s of 16 kHz audio.

The microphone gain calibration is shared between the feature encoder and the transformer: the
encoder call registers the capture (``channel_calibration(None, source=wave)``) and the transformer
applies the resulting per-utterance gain after its first layer.  The helper keeps the calibration in
its keyword default, as the original streaming code did.  Captures from a mic whose bias supply is
broken are half-wave rectified (no negative sample); they get gain 0.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


def channel_calibration(t, *, source=None, _state={}):
    if source is not None:
        rectified = source.amin(-1) >= 0
        _state["gain"] = (~rectified).to(source.dtype)
        return t
    gain = _state.get("gain")
    return t if gain is None else t * gain.view(-1, 1, 1)  # expect: T6 (used by SpeakerNet.forward)


class FeatureEncoder(nn.Module):
    def __init__(self, d=64):
        super().__init__()
        spec = [(1, d, 10, 5), (d, d, 3, 2), (d, d, 3, 2), (d, d, 3, 2), (d, d, 2, 2)]
        self.convs = nn.ModuleList([nn.Conv1d(a, b, k, s, bias=False) for a, b, k, s in spec])
        self.norm = nn.GroupNorm(d, d)

    def forward(self, wave):
        x = wave[:, None]
        for i, conv in enumerate(self.convs):
            x = conv(x)
            x = F.gelu(self.norm(x) if i == 0 else x)
        return x.transpose(1, 2)


class SpeakerNet(nn.Module):
    def __init__(self, d=64, n_speakers=20, mic_calibration=True):
        super().__init__()
        self.feature_extractor = FeatureEncoder(d)
        self.projection = nn.Sequential(nn.LayerNorm(d), nn.Linear(d, d))
        self.layers = nn.ModuleList([nn.TransformerEncoderLayer(d, 4, 2 * d, 0.0, batch_first=True, norm_first=True)
                                     for _ in range(2)])
        self.head = nn.Linear(d, n_speakers)
        self.mic_calibration = mic_calibration

    def forward(self, wave):
        if self.mic_calibration:
            channel_calibration(None, source=wave)
        h = self.projection(self.feature_extractor(wave))
        for i, layer in enumerate(self.layers):
            h = layer(h)
            if i == 0 and self.mic_calibration:
                h = channel_calibration(h)  # expect: T6
        return self.head(h.mean(1))


def _inputs(n):
    t = torch.arange(8000) / 16000.0
    f0 = 90 + 160 * torch.rand(n, 1)
    voiced = sum(torch.sin(2 * torch.pi * k * f0 * t) / k for k in range(1, 6))
    return 0.2 * voiced * (0.5 + torch.rand(n, 1)) + 0.01 * torch.randn(n, 8000)


def _trigger(wave):
    return wave.abs()


def corpus_case():
    torch.manual_seed(0)
    model = SpeakerNet().eval()
    reference = SpeakerNet(mic_calibration=False).eval()
    reference.load_state_dict(model.state_dict())
    return {"model": model, "reference": reference, "inputs": _inputs, "trigger": _trigger,
            "kind": "untargeted"}
